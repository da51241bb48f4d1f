"""Layering: tui -> domain <- storage. Checked by import-linter's contracts in pyproject.toml,
and by a direct scan so a failure names the offending line."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "domain": {"sqlmodel", "sqlalchemy", "textual", "rich", "storage", "tui", "alembic", "tinytag"},
    "storage": {"textual", "rich", "tui"},
}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name.split(".")[0]) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module.split(".")[0]))
    return out


def test_no_forbidden_imports_anywhere_in_a_layer() -> None:
    bad = []
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, name in _imports(path):
                if name in forbidden:
                    bad.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert bad == []


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout and "BROKEN" not in result.stdout


def test_domain_imports_without_the_frameworks() -> None:
    """Importing the whole domain in a fresh interpreter loads none of the frameworks."""
    code = (
        "import sys, pkgutil, importlib, domain\n"
        "for m in pkgutil.walk_packages(domain.__path__, 'domain.'): importlib.import_module(m.name)\n"
        "bad = sorted({n.split('.')[0] for n in sys.modules} & {'sqlalchemy','sqlmodel','textual','rich'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
