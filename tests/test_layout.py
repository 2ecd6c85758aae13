"""The house rules: imports run one way, between rooms and between modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("geo", "maps", "api")

# What each room may import besides itself; anything of the project not listed is forbidden.
ALLOWED = {
    "geo.gazetteer": {"geo.models", "geo.errors"},
    "geo.parse": {"geo.gazetteer", "geo.models", "geo.errors"},
    "geo.claims": {"geo.parse", "geo.gazetteer", "geo.models", "geo.errors"},
    "geo.control": {"geo.gazetteer", "geo.models", "geo.errors"},
    "geo.store": {"geo.claims", "geo.control", "geo.gazetteer", "geo.models", "geo.errors"},
    "geo.ingest": {"geo.store", "geo.claims", "geo.control", "geo.parse", "geo.gazetteer",
                   "geo.models", "geo.errors"},
}


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def _imports(path: Path, known: set[str]) -> set[str]:
    """Project modules a file imports, at the top or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = [f"{node.module}.{a.name}" for a in node.names]
            names = [s if s in known else node.module for s in subs]  # a submodule, or names
        else:
            continue
        found.update(n for n in names if n in known)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, known) - {name} for name, path in modules.items()}


def _room(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "geo" and len(parts) > 1 else parts[0]


def test_no_import_circles(graph: dict[str, set[str]]) -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import circle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_floors_run_one_way(graph: dict[str, set[str]]) -> None:
    """geo knows nothing of maps or api; maps nothing of api."""
    wrong = [(m, i) for m, imps in graph.items() for i in imps
             if (m.startswith("geo") and i.split(".")[0] in ("maps", "api"))
             or (m.startswith("maps") and i.startswith("api"))]
    assert wrong == []


def test_rooms_import_only_what_lies_below(graph: dict[str, set[str]]) -> None:
    wrong = []
    for module, imports in graph.items():
        room = _room(module)
        if room not in ALLOWED:
            continue
        for imp in imports:
            other = _room(imp)
            if other != room and other != "geo" and other not in ALLOWED[room]:
                wrong.append((module, imp))
    assert wrong == []


def test_top_level_stays_small() -> None:
    top = [p.name for p in (ROOT / "geo").glob("*.py") if p.name != "__init__.py"]
    assert len(top) <= 8, top


def test_every_room_says_what_it_owns() -> None:
    for init in (ROOT / "geo").glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"{init} lacks a docstring naming what it may import"
