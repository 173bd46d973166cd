"""The package's shape: no import cycle between its modules, modules of a few hundred lines, and the
heavy libraries imported only where they are used (``anonymizer --help`` stays instant)."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.helpers import ROOT

PACKAGE = ROOT / "anonymizer"
MAX_LINES = 400
HEAVY = ("faster_whisper", "ctranslate2", "presidio_analyzer", "spacy", "pedalboard", "av", "webrtcvad", "ray",
         "rich", "yaml", "pydantic")


def _module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path) -> set[str]:
    """The package modules ``path`` imports, at its top or inside a function (not under ``if TYPE_CHECKING``:
    annotations only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree)
               if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("anonymizer"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("anonymizer"))
    return found


def test_no_import_cycle():
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}
    # a package's __init__ importing its own submodules is how packages work; the rest must be a DAG
    graph = {n: {m for m in deps if not (path_is_init(modules[n]) and m.startswith(n + "."))}
             for n, deps in graph.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*trail[trail.index(dep):], dep] if dep in trail else [node, dep])
            elif dep not in state:
                walk(dep, [*trail, dep])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
    assert cycles == []


def path_is_init(path) -> bool:
    return path.name == "__init__.py"


def test_modules_stay_small():
    sizes = {p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_help_imports_no_heavy_library():
    code = ("import sys; from anonymizer.cli import cli; "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"
