"""Views never catch a service's refusal themselves (issue 19.3; docs/code-habits.md "Errors and
inputs"): a :class:`~comeforward.errors.DomainError` — or any subclass of it — reaches the user
through ``comeforward.ui.forms`` (``submit``, ``form_page``, ``attempt``, ``act``,
``refusals_as_json``), which shows it on the form or flashes it, in one way everywhere.

The command line (``management/commands``, ``cli.py``) and the API's error handler map refusals
to exit codes and error bodies; they are not views and are not read here.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from comeforward.errors import DomainError

SRC = Path(__file__).resolve().parents[2] / "src" / "comeforward"
VIEW_PATTERNS = ("views.py", "views_*.py", "*_views.py", "views/*.py")
VIEW_MODULES = sorted({path for pattern in VIEW_PATTERNS for path in SRC.glob(f"*/{pattern}")})


def _module_name(path: Path) -> str:
    return ".".join(("comeforward", *path.relative_to(SRC).with_suffix("").parts))


def _names(node: ast.expr | None) -> list[str]:
    """The dotted names an ``except`` clause catches (``DomainError``, ``services.TaskNotYours``,
    a tuple of them)."""
    if node is None:
        return []
    if isinstance(node, ast.Tuple):
        return [name for element in node.elts for name in _names(element)]
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [f"{name}.{node.attr}" for name in _names(node.value)]
    return []


def _resolve(namespace: dict, dotted: str) -> object:
    head, *rest = dotted.split(".")
    found = namespace.get(head)
    for part in rest:
        found = getattr(found, part, None)
    return found


def _is_refusal(caught: object, dotted: str) -> bool:
    if isinstance(caught, type):
        return issubclass(caught, DomainError)
    return dotted.rsplit(".", 1)[-1] == "DomainError"  # unresolvable: judge by the name


def refusals_caught(source: str, namespace: dict) -> list[tuple[int, str]]:
    """``(line, name)`` of every ``except`` in *source* that catches a refusal, the names
    resolved in the module's *namespace* (so a subclass of ``DomainError`` counts too)."""
    return [
        (node.lineno, dotted)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ExceptHandler)
        for dotted in _names(node.type)
        if _is_refusal(_resolve(namespace, dotted), dotted)
    ]


def _caught_in(path: Path) -> list[tuple[int, str]]:
    module = importlib.import_module(_module_name(path))
    return refusals_caught(path.read_text(), vars(module))


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_views_leave_refusals_to_ui_forms(path):
    caught = _caught_in(path)
    assert caught == [], (
        f"{path.relative_to(SRC)} catches a service's refusal itself on lines "
        f"{[line for line, _ in caught]}: use comeforward.ui.forms (submit, form_page, "
        "attempt, act, refusals_as_json)"
    )


class _Refused(DomainError):
    pass


@pytest.mark.parametrize(
    ("handler", "caught"),
    [
        ("except DomainError as refusal:", "DomainError"),
        ("except errors.DomainError:", "errors.DomainError"),
        ("except _Refused:", "_Refused"),
        ("except (ValueError, _Refused):", "_Refused"),
    ],
)
def test_the_rule_catches_a_refusal_or_a_subclass(handler, caught):
    import comeforward.errors as errors

    source = f"try:\n    pass\n{handler}\n    pass\n"
    namespace = {"DomainError": DomainError, "errors": errors, "_Refused": _Refused}
    assert refusals_caught(source, namespace) == [(3, caught)]


def test_the_rule_leaves_other_exceptions_alone():
    source = "try:\n    pass\nexcept (ValueError, UnicodeDecodeError):\n    pass\n"
    assert refusals_caught(source, {}) == []
