"""The import arrows run one way. The contracts live in pyproject.toml ([tool.importlinter]):
the roof of `rescue` (rescue/reports/: dashboard, annual report, exports) reads both apps,
funds may read cases, cases never reads funds, and the rest of `rescue` (the kit) reads no
app and no part of the roof. CI runs `lint-imports` too; this test makes `make test` hold
them as well."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
KEPT, BROKEN = 0, 1


def test_every_import_contract_holds(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename="pyproject.toml", no_cache=True, no_logo=True) == KEPT


def test_the_checker_sees_real_imports(tmp_path, monkeypatch):
    # Guards the guard: a contract the code is known to break (cases reads rescue.roles) fails.
    config = tmp_path / "contracts.toml"
    config.write_text(
        "[tool.importlinter]\n"
        'root_packages = ["rescue", "cases"]\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "cases reads nothing of rescue"\n'
        'type = "forbidden"\n'
        'source_modules = ["cases"]\n'
        'forbidden_modules = ["rescue.roles"]\n'
    )
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(config), no_cache=True, no_logo=True) == BROKEN
