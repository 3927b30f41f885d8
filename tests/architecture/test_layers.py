"""Architecture rules that import-linter cannot express (CONVENTIONS.md "Where things go").

- Views, forms and templates' helpers never query models directly: reads go through
  ``selectors``, writes through ``services`` (the NHS breast-screening service enforces the
  same with a lint script).
- A Django app does not import another app's ``models``: it uses that app's selectors or
  services (ARCHITECTURE.md §2).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "comeforward"
APP_DIRS = sorted(p.parent for p in SRC.glob("*/apps.py"))
VIEW_MODULES = sorted(
    path
    for app in APP_DIRS
    for pattern in ("views.py", "views/*.py", "forms.py", "api.py")
    for path in app.glob(pattern)
)


def _objects_uses(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}
    ]


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_views_do_not_query_models_directly(path):
    lines = _objects_uses(ast.parse(path.read_text()))
    assert lines == [], (
        f"{path.relative_to(SRC)} uses Model.objects on lines {lines}: use a selector"
    )


def test_the_rule_catches_a_direct_query():
    assert _objects_uses(ast.parse("def view(r):\n    return Case.objects.all()\n")) == [2]


def _imported_modules(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against the module's package
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
                names = [f"{module}.{alias.name}" for alias in node.names]
                found.extend((node.lineno, name) for name in [module, *names])
            elif node.module:
                found.append((node.lineno, node.module))
                found.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def _cross_app_model_imports(app: Path) -> list[str]:
    problems = []
    own = f"comeforward.{app.name}"
    for path in app.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        package = ".".join(("comeforward", *path.relative_to(SRC).parent.parts))
        for lineno, module in _imported_modules(ast.parse(path.read_text()), package):
            parts = module.split(".")
            if (
                len(parts) >= 3
                and parts[0] == "comeforward"
                and parts[2] == "models"
                and f"comeforward.{parts[1]}" != own
            ):
                problems.append(f"{path.relative_to(SRC)}:{lineno} imports {module}")
    return problems


@pytest.mark.parametrize("app", APP_DIRS, ids=lambda p: p.name)
def test_apps_do_not_reach_into_other_apps_models(app):
    assert _cross_app_model_imports(app) == []


def test_the_cross_app_rule_sees_absolute_and_relative_imports():
    tree = ast.parse("from comeforward.cases.models import Case\nfrom ..people import models\n")
    modules = [m for _, m in _imported_modules(tree, "comeforward.audit")]
    assert "comeforward.cases.models" in modules
    assert "comeforward.people.models" in modules


# --- how apps reach each other (issue 19.1, docs/extensions.md) -----------------------------


def _importlib_uses(path: Path) -> list[int]:
    tree = ast.parse(path.read_text())
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == "importlib" for a in node.names):
            lines.append(node.lineno)
        if isinstance(node, ast.ImportFrom) and node.module == "importlib":
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("app", APP_DIRS, ids=lambda p: p.name)
def test_apps_never_look_each_other_up_with_importlib(app):
    """Apps reach each other through the case-extension contract or a direct import of the
    other app's selectors/services — never a lookup by name that hides a dependency."""
    found = [
        f"{path.relative_to(SRC)}:{line}"
        for path in app.rglob("*.py")
        if "migrations" not in path.parts
        for line in _importlib_uses(path)
    ]
    assert found == []


def test_the_importlib_rule_sees_both_spellings(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import importlib\nfrom importlib import import_module\n")
    assert _importlib_uses(probe) == [1, 2]


def _extension_classes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any(getattr(base, "id", None) == "CaseExtension" for base in node.bases)
    ]


@pytest.mark.parametrize("app", APP_DIRS, ids=lambda p: p.name)
def test_an_app_extends_the_case_in_one_file(app):
    """Every CaseExtension of an app lives in ``<app>/extension.py`` (one class), and an app
    that has one registers it in its ``AppConfig.ready``."""
    where = {
        str(path.relative_to(SRC)): names
        for path in app.rglob("*.py")
        if "migrations" not in path.parts and (names := _extension_classes(path))
    }
    if not where:
        return
    assert list(where) == [f"{app.name}/extension.py"], where
    assert len(where[f"{app.name}/extension.py"]) == 1
    assert "register_extension(" in (app / "apps.py").read_text()
