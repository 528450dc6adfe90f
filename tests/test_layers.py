"""The package's floors (csprcli/*/__init__.py say what lives on each): each imports only the floors
below it or its own, no import goes round in a circle, typer stays in cli/, and every line of SQL
is in store/. Imports inside functions count as much as those at the top of a module. No module is
over 400 lines and no function over 60."""

import ast
import functools
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "csprcli"
FLOORS = ["domain", "store", "services", "output", "cli"]  # from the ground up
TOP = {"csprcli", "csprcli.entry", "csprcli.__main__"}  # the package's face and the console script


@functools.cache
def parsed(path: Path) -> ast.Module:
    """A module's syntax tree, read once for all the tests here."""
    return ast.parse(path.read_text(encoding="utf-8"))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: set[str]) -> set[str]:
    """The csprcli modules a file imports (by name: `from csprcli.store import files` is csprcli.store.files)."""
    found = set()
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("csprcli")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("csprcli"):
            for alias in node.names:
                whole = f"{node.module}.{alias.name}"
                found.add(whole if whole in known else node.module)
    return found


def floor(module: str) -> int:
    parts = module.split(".")
    if module in TOP:
        return len(FLOORS)
    return FLOORS.index(parts[1])


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(path, set(found)) & set(found) for name, path in found.items()}


def test_every_module_is_on_a_floor():
    for name in modules():
        assert name in TOP or name.split(".")[1] in FLOORS, f"{name} is on no floor"


def test_no_module_imports_from_a_floor_above_its_own():
    upward = [
        f"{name} -> {other}"
        for name, found in graph().items()
        for other in found
        if other not in TOP and floor(other) > floor(name)
    ]
    assert upward == []


def test_no_import_goes_round_in_a_circle():
    edges = graph()
    circles, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for other in sorted(edges[node]):
            if other in ("csprcli",) or other == node:
                continue
            if state.get(other) == "open":
                circles.append(" -> ".join(path[path.index(other) :] + [other]))
            elif other not in state:
                visit(other, path + [other])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert circles == []


def third_party(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("library, floors", [("typer", {"cli"}), ("sqlite3", {"store"}), ("sqlite_utils", {"store"})])
def test_a_library_is_imported_only_on_its_floors(library, floors):
    found = [
        name
        for name, path in modules().items()
        if library in third_party(path) and (name in TOP or name.split(".")[1] not in floors)
    ]
    assert found == []


SQL = re.compile(
    r"^\s*(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE (TABLE|INDEX|TRIGGER)|DROP |ALTER TABLE|PRAGMA"
    r"|(BEGIN|COMMIT|ROLLBACK)(\s|$))"
)


def test_every_line_of_sql_is_in_the_store():
    found = []
    for name, path in modules().items():
        if name.startswith("csprcli.store"):
            continue
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
                found.append(f"{name}: {node.value[:40]!r}")
    assert found == []


MODULE_LINES, FUNCTION_LINES = 400, 60  # issue 18: no module over 400 lines, no function over 60

# TEMPORARY: the store's modules and functions still over the limits. The store's split (its own
# branch) removes them, and the set is emptied when it is merged; nothing outside csprcli/store/
# goes in here.
TEMPORARY_STORE_OVER_THE_LIMITS: set[str] = set()  # emptied by the store's split (issue 23's branch)


def sizes():
    """(name, lines, limit) for every module and every function (by its qualified name) in csprcli/."""

    def functions(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield f"{prefix}.{child.name}", child.end_lineno - child.lineno + 1
                yield from functions(child, f"{prefix}.{child.name}")
            elif isinstance(child, ast.ClassDef):
                yield from functions(child, f"{prefix}.{child.name}")
            else:
                yield from functions(child, prefix)

    for name, path in modules().items():
        source = path.read_text(encoding="utf-8")
        yield name, len(source.splitlines()), MODULE_LINES
        for function, lines in functions(ast.parse(source), name):
            yield function, lines, FUNCTION_LINES


def test_no_module_is_over_400_lines_and_no_function_over_60():
    over = [
        f"{name}: {lines} lines (at most {limit})"
        for name, lines, limit in sizes()
        if lines > limit and name not in TEMPORARY_STORE_OVER_THE_LIMITS
    ]
    assert over == []


def test_the_temporary_exceptions_are_the_stores_and_still_over():
    """So that the set only shrinks: each entry is in the store and still over its limit."""
    over = {name for name, lines, limit in sizes() if lines > limit}
    assert all(name.startswith("csprcli.store.") for name in TEMPORARY_STORE_OVER_THE_LIMITS)
    assert TEMPORARY_STORE_OVER_THE_LIMITS - over == set()
