"""The types are checked on every test run: `mypy --strict` over domain/ and tui/ (storage/ too,
once its override in pyproject's [tool.mypy] goes), and no type error silenced without a word.

mypy runs in a subprocess with this interpreter (the project's venv) and the settings in
pyproject.toml; its incremental cache (.mypy_cache, gitignored) makes a run after a small change
take seconds. One xdist group: one worker runs it while the others run the rest.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("domain", "tui")

#: `# type: ignore[code, ...]` then a reason in a comment of its own: `# type: ignore[x]  # why`.
IGNORE = re.compile(r"#\s*type:\s*ignore\b")
EXPLAINED = re.compile(r"#\s*type:\s*ignore\[[a-z0-9-]+(,\s*[a-z0-9-]+)*\]\s+#\s*\S.*")


@pytest.mark.xdist_group("mypy")
def test_mypy_strict_passes() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "mypy"],  # packages, strictness and cache: pyproject [tool.mypy]
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, f"mypy --strict found errors:\n{run.stdout}{run.stderr}"


def ignores(source: str) -> list[tuple[int, str]]:
    """(line, comment) of every comment in ``source`` that silences mypy."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and IGNORE.search(token.string):
            found.append((token.start[0], token.string))
    return found


def test_every_ignore_names_its_error_and_says_why() -> None:
    unexplained = [
        f"{path.relative_to(ROOT)}:{line}: {comment}"
        for package in CHECKED
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, comment in ignores(path.read_text(encoding="utf-8"))
        if not EXPLAINED.fullmatch(comment.strip())
    ]
    assert not unexplained, "a type: ignore needs [code] and a reason:\n" + "\n".join(unexplained)


def test_the_ignore_check_tells_a_reason_from_none() -> None:
    explained = "x = f()  # type: ignore[arg-type]  # form input: checked below\n"
    bare = "x = f()  # type: ignore\n"
    no_reason = "x = f()  # type: ignore[arg-type]\n"
    two_codes = "x = f()  # type: ignore[arg-type, union-attr]  # JSON\n"
    assert [EXPLAINED.fullmatch(c) is not None for _, c in ignores(explained)] == [True]
    assert [EXPLAINED.fullmatch(c) is not None for _, c in ignores(two_codes)] == [True]
    assert [EXPLAINED.fullmatch(c) is not None for _, c in ignores(bare)] == [False]
    assert [EXPLAINED.fullmatch(c) is not None for _, c in ignores(no_reason)] == [False]
    assert ignores('s = "# type: ignore in a string is no comment"\n') == []
