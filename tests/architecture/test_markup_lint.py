"""User text is data: no widget is handed a markup string built from an f-string or a format()."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RISKY = re.compile(
    r"(Static|Label|Button|notify|\.update|Text\.from_markup|Content\.from_markup)\(\s*(f\"|f'|\"[^\"]*\"\s*\.format|'[^']*'\s*\.format)"
)


def test_no_markup_from_fstrings_in_tui() -> None:
    bad = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if RISKY.search(line):
                bad.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert bad == []


def test_no_markup_enabled_notifications_of_data() -> None:
    """Every notify() in the TUI passes markup=False (messages often quote what the user typed)."""
    bad = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\.notify\(", text):
            end = text.find("\n\n", m.start())
            call = text[m.start() : end if end != -1 else None]
            depth, opened, i = 0, False, 0
            for i, ch in enumerate(call):  # noqa: B007 - i is read after the loop
                depth += ch == "("
                depth -= ch == ")"
                opened = opened or depth > 0
                if opened and depth == 0:
                    break
            if "markup=False" not in call[: i + 1]:
                line = text.count("\n", 0, m.start()) + 1
                bad.append(f"{path.relative_to(ROOT)}:{line}")
    assert bad == []


def test_no_tui_method_shadows_a_textual_private_method() -> None:
    """A method named like a Textual internal (``_render``, ``_compose`` ...) silently breaks a widget."""
    from textual.containers import ScrollableContainer
    from textual.screen import ModalScreen
    from textual.widgets import DataTable

    internal = {
        n
        for cls in (ModalScreen, ScrollableContainer, DataTable)
        for n in dir(cls)
        if n.startswith("_") and not n.startswith("__")
    }
    allowed = {"_on_mount"}
    bad = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            m = re.match(r"\s+(?:async )?def (_[a-z][a-z0-9_]*)\(", line)
            if m and m.group(1) in internal - allowed:
                bad.append(f"{path.relative_to(ROOT)}:{n}: {m.group(1)}")
    assert bad == []
