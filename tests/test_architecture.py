"""The import arrows run one way: funds may import cases, cases never imports funds, and the
infrastructure modules of the project package import no app."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Modules of `rescue` that apps import (roles, encrypted fields, audit, settings); if they
# imported an app, cases -> rescue -> cases would be a cycle.
INFRASTRUCTURE = [
    "rescue/roles.py",
    "rescue/append_only.py",
    "rescue/spreadsheets.py",
    "rescue/crypto.py",
    "rescue/audit.py",
    "rescue/models.py",
    "rescue/navigation.py",
    "rescue/logging.py",
    "rescue/middleware.py",
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _top(name: str) -> str:
    return name.split(".")[0]


def test_cases_never_imports_funds():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "cases").rglob("*.py")
        if any(_top(name) == "funds" for name in _imports(path))
    ]
    assert offenders == []


@pytest.mark.parametrize("module", INFRASTRUCTURE)
def test_infrastructure_modules_import_no_app(module):
    imported = {_top(name) for name in _imports(ROOT / module)}
    assert imported.isdisjoint({"cases", "funds"})


def test_the_checks_see_real_imports():
    # Guards the guard: the parser must find the imports a known module has.
    assert "cases.models" in _imports(ROOT / "tests" / "factories.py")
