"""The house follows the data flow (docs/architecture.md): bytes -> parse -> store -> library ->
present, with the model and the errors as the vocabulary every stage shares. No module imports
from a later stage, and no import circle exists, however the import is written (relative,
absolute, inside a function). Imports under `if TYPE_CHECKING:` never run and are not counted."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GKCORE = ROOT / "gkcore"

# The order of the stages: a module may import from its own stage or an earlier one.
# assess (issue 21) grades a parsed report: after parse, before store (the index keeps its criteria).
# access (issue 22) guards the library: beside present.
STAGES = {"errors": 0, "model": 1, "parse": 2, "assess": 3, "store": 4, "library": 5, "present": 6, "access": 6,
          "cli": 7, "__main__": 7}
# Inside parse, the same rule by step: text helpers and the template, then the readers, then the
# mapping and the metadata, then the checks, then the pipeline, then what runs a pipeline.
PARSE_STEPS = {"normalize": 0, "limits": 0, "version": 0, "formats": 0, "template": 1, "readers": 2, "title": 2,
               "prose": 2, "tables": 3, "meta": 3, "outline": 3, "checks": 4, "scanchecks": 4,
               "pipeline": 5, "_warm": 6, "isolate": 6, "batch": 6, "templates": 0}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(GKCORE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def _walk(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    out: list[ast.Import | ast.ImportFrom] = []
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            todo.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return out


def imports_of(name: str) -> set[str]:
    """The gkcore modules `name` imports (a package's `from . import x` resolved to the module x)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            bases = [a.name for a in node.names]
            names: list[str] = []
        else:
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                bases = [".".join([*parts, node.module] if node.module else parts)]
            else:
                bases = [node.module or ""]
            names = [a.name for a in node.names]
        for base in bases:
            if not base.startswith("gkcore"):
                continue
            subs = [f"{base}.{n}" for n in names if f"{base}.{n}" in MODULES]
            found.update(subs or [base])
    found.discard(name)
    return {m if m in MODULES else m.rpartition(".")[0] for m in found}


GRAPH = {name: imports_of(name) for name in MODULES}


def rank(name: str) -> tuple[int, int]:
    parts = name.split(".")[1:]
    if not parts:
        return (-1, 0)                     # gkcore/__init__.py: the facade, checked apart
    stage = STAGES[parts[0]]
    step = PARSE_STEPS[parts[1]] if parts[0] == "parse" and len(parts) > 1 else 0
    return (stage, step)


def test_every_module_has_a_stage() -> None:
    assert [n for n in MODULES if n != "gkcore" and n.split(".")[1] not in STAGES] == []
    assert [n for n in MODULES if n.startswith("gkcore.parse.") and n.split(".")[2] not in PARSE_STEPS] == []


def test_the_graph_is_read() -> None:
    """The reader of imports sees relative, package and function-level imports (so the two tests
    below can fail)."""
    assert "gkcore.parse.pipeline" in GRAPH["gkcore.parse.isolate"]
    assert "gkcore.store.mend" in GRAPH["gkcore.store.cache"]
    assert "gkcore.model" in GRAPH["gkcore.model.frames"]
    assert "gkcore.store.cache" not in GRAPH["gkcore.store.mend"]        # mend works on a folder (store/entries)
    assert "gkcore.store.entries" in GRAPH["gkcore.store.mend"]


@pytest.mark.parametrize("name", [n for n in MODULES if n != "gkcore"])
def test_no_import_from_a_later_stage(name: str) -> None:
    later = sorted(m for m in GRAPH[name] if m != "gkcore" and rank(m) > rank(name))
    assert later == [], f"{name} imports from a later stage"


def test_no_import_circle() -> None:
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(GRAPH.get(node, ())):
            if state.get(nxt) == 1:
                circles.append([*path[path.index(nxt):], nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for n in sorted(GRAPH):
        if n not in state:
            visit(n, [n])
    assert circles == []


def test_stage_folders_read_as_the_flow() -> None:
    folders = sorted(p.name for p in GKCORE.iterdir() if p.is_dir() and not p.name.startswith("__"))
    assert folders == ["access", "assess", "cli", "model", "parse", "present", "store"]
