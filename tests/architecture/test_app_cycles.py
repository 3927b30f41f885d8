"""No import cycles between the apps (issue 19, "a structural read of the tree": no app cycles).

The graph's nodes are the top-level packages and modules of ``src/comeforward`` (``cases``,
``decisions``, ``ui``, ``web``, ``errors``, ``roles``…); an edge ``a → b`` is any import in
``a`` of something in ``b``, **wherever it is written**: at module level or inside a function
(a function-local import is still a dependency — it only hides it from import-linter's
layers). Left out: ``if TYPE_CHECKING:`` blocks (types only, never run), migrations (frozen
history) and tests. String references count where they load a module: ``include("…")`` in
URL configurations and ``importlib.import_module("…")``.

The graph must be acyclic, so the apps can be read (and layered) bottom-up; docs/architecture.md
draws it. When it is not, the failure names one cycle and the lines that make each edge.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "comeforward"
ROOT = "comeforward"
SKIPPED_DIRS = {"migrations", "tests", "jinja2", "static", "locale"}

#: Calls whose first argument, a literal module path, loads that module.
LOADING_CALLS = {"include", "import_module"}

Graph = dict[str, dict[str, list[str]]]


def _nodes(src: Path) -> set[str]:
    packages = {p.name for p in src.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in src.glob("*.py") if p.name != "__init__.py"}
    return (packages | modules) - {"tests"}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(node: ast.AST) -> Iterator[ast.AST]:
    """Every node under ``node``, skipping the body of ``if TYPE_CHECKING:`` (not its else)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield other
                yield from _statements(other)
            continue
        yield child
        yield from _statements(child)


def _imported(node: ast.AST, package: str) -> list[str]:
    """The dotted names an import (or a module-loading call) refers to."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - (node.level - 1)])
            module = f"{base}.{node.module}" if node.module else base
        else:
            module = node.module or ""
        return [module, *(f"{module}.{alias.name}" for alias in node.names)]
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        first = node.args[0]
        if (
            name in LOADING_CALLS
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
        ):
            return [first.value]
    return []


def import_graph(src: Path = SRC) -> Graph:
    """``{node: {imported node: ["path:line", …]}}`` for the tree under ``src``."""
    nodes = _nodes(src)
    graph: Graph = {node: {} for node in nodes}
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src)
        if SKIPPED_DIRS.intersection(rel.parts[:-1]):
            continue
        source = rel.parts[0] if len(rel.parts) > 1 else path.stem
        if source not in nodes:
            continue
        package = ".".join((ROOT, *rel.parts[:-1]))
        for node in _statements(ast.parse(path.read_text(), filename=str(path))):
            for name in _imported(node, package):
                parts = name.split(".")
                if len(parts) < 2 or parts[0] != ROOT:
                    continue
                target = parts[1]
                if target in nodes and target != source:
                    where = f"{rel}:{getattr(node, 'lineno', 0)}"
                    lines = graph[source].setdefault(target, [])
                    if where not in lines:
                        lines.append(where)
                    break
    return graph


def find_cycle(graph: Graph) -> list[str] | None:
    """One cycle as ``[a, b, …, a]``, or ``None`` when the graph is acyclic."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for target in sorted(graph.get(node, {})):
            if target in on_path:
                return [*path[path.index(target) :], target]
            if target not in done:
                found = visit(target)
                if found:
                    return found
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for node in sorted(graph):
        if node not in done:
            found = visit(node)
            if found:
                return found
    return None


def describe(graph: Graph, cycle: list[str]) -> str:
    steps = [
        f"  {a} -> {b}: {', '.join(graph[a][b][:4])}"
        for a, b in zip(cycle, cycle[1:], strict=False)
    ]
    return " -> ".join(cycle) + "\n" + "\n".join(steps)


def test_the_apps_import_each_other_without_cycles():
    graph = import_graph()
    cycle = find_cycle(graph)
    assert cycle is None, "An import cycle between apps:\n" + describe(graph, cycle or [])


def test_the_graph_sees_the_apps_and_their_dependencies():
    """The walk finds the tree (guards against a test that passes because it read nothing)."""
    graph = import_graph()
    assert {"cases", "decisions", "register", "people", "audit", "accounts", "web"} <= set(graph)
    assert "people" in graph["cases"]  # a case is opened with its person
    assert "register" in graph["decisions"]  # a caution opens the register record
    assert "cases" in graph["web"]  # the project mounts the case pages


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    src = tmp_path / "comeforward"
    for name, text in files.items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for directory in [src, *[p for p in src.rglob("*") if p.is_dir()]]:
        (directory / "__init__.py").touch()
    return src


def test_a_function_local_import_is_an_edge_and_closes_a_cycle(tmp_path):
    src = _tree(
        tmp_path,
        {
            "alpha/services.py": "from comeforward.beta import selectors\n",
            "beta/selectors.py": "def f():\n    from comeforward.alpha import services\n",
        },
    )
    graph = import_graph(src)
    assert graph["beta"] == {"alpha": ["beta/selectors.py:2"]}
    cycle = find_cycle(graph)
    assert cycle == ["alpha", "beta", "alpha"]
    assert "beta -> alpha: beta/selectors.py:2" in describe(graph, cycle)


def test_relative_include_and_loading_calls_are_edges(tmp_path):
    src = _tree(
        tmp_path,
        {
            "alpha/views/pages.py": "from ...beta.forms import F\n",
            "beta/forms.py": "F = None\n",
            "site/urls.py": "urlpatterns = [path('a/', include('comeforward.alpha.urls'))]\n",
            "gamma/hook.py": "import importlib\nm = importlib.import_module('comeforward.site')\n",
        },
    )
    graph = import_graph(src)
    assert set(graph["alpha"]) == {"beta"}
    assert set(graph["site"]) == {"alpha"}
    assert set(graph["gamma"]) == {"site"}
    assert find_cycle(graph) is None


def test_type_checking_blocks_migrations_and_tests_are_not_edges(tmp_path):
    src = _tree(
        tmp_path,
        {
            "alpha/models.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from comeforward.beta.models import B\n"
                "else:\n    from comeforward.gamma import selectors\n"
            ),
            "alpha/migrations/0001_initial.py": "from comeforward.beta import models\n",
            "alpha/tests/test_x.py": "from comeforward.beta import models\n",
            "beta/models.py": "from comeforward.alpha.models import A\n",
            "gamma/selectors.py": "",
        },
    )
    graph = import_graph(src)
    assert set(graph["alpha"]) == {"gamma"}
    assert find_cycle(graph) is None
