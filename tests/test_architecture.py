"""The apps' shape (docs/architecture.md): what `lint-imports` (.importlinter) cannot say on its own."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

from tools import architecture_diagram

ROOT = Path(__file__).resolve().parents[1]
# One definition of what an edge is, shared with the diagram's drawing.
APPS = architecture_diagram.APPS
EDGE = architecture_diagram.EDGE


def _domain(module: str) -> bool:
    return not EDGE.match(module)


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*APPS, cache_dir=None)


def test_domain_modules_never_import_an_edge(graph):
    wrong = sorted(
        f"{importer} -> {imported}"
        for importer in graph.modules
        if _domain(importer)
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported.split(".")[0] in APPS and not _domain(imported)
    )
    assert not wrong, "a domain module imports a page, API, form, admin or command module:\n" + "\n".join(wrong)


def _is_module(dotted: str) -> bool:
    where = ROOT.joinpath(*dotted.split("."))
    return where.with_suffix(".py").is_file() or (where / "__init__.py").is_file()


def _function_imports(path: Path) -> list[tuple[int, str]]:
    """The first-party modules a file imports inside function bodies: ``from X import Y`` counts as X, and as
    X.Y too when that is a module (``from hubsite import tasks`` imports hubsite.tasks, not only the package)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and inner.module and inner.level == 0:
                found.append((inner.lineno, inner.module))
                found += [
                    (inner.lineno, f"{inner.module}.{alias.name}")
                    for alias in inner.names
                    if _is_module(f"{inner.module}.{alias.name}")
                ]
            elif isinstance(inner, ast.Import):
                found += [(inner.lineno, alias.name) for alias in inner.names]
    return [(line, module) for line, module in found if module.split(".")[0] in APPS]


def test_no_app_imports_another_inside_a_function(graph):
    """An import inside a function that names another of our apps hides a dependency (often to step around a
    cycle). Lazy imports stay allowed within an app, for what is heavy to load (the classifier's scikit-learn)."""
    wrong = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, module in _function_imports(path):
                if module.split(".")[0] != app:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_diagram_in_the_architecture_doc_is_drawn_from_the_code():
    import subprocess
    import sys

    drawn = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "architecture_diagram.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert drawn.returncode == 0, drawn.stderr


def test_no_import_inside_a_function_steps_around_a_cycle(graph):
    """Within an app, an import may wait inside a function for what is heavy to load, or to keep a module
    usable without Django set up; never to hide a cycle: the imported module must not lead back to the one
    importing it."""
    wrong = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            importer = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            for line, module in _function_imports(path):
                if module not in graph.modules or module == importer:
                    continue
                back = graph.find_shortest_chain(importer=module, imported=importer)
                if back:
                    wrong.append(
                        f"{path.relative_to(ROOT)}:{line} imports {module}, which leads back: {' -> '.join(back)}"
                    )
    assert not wrong, "\n".join(wrong)
