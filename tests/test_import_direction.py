"""Imports between the areas go one way (ARCHITECTURE.md, "Import direction").

Read from the source (every ``import``, including those inside functions), not from what happens to be loaded:

- an area's use cases and tables (everything but its ``router.py``, ``pages.py``, ``deps.py`` and ``demo.py``)
  import other areas only along one direction: the graph of areas has no cycle;
- HTTP modules (``router.py``, ``pages.py``) are imported by ``app.main`` and their own area, never by another;
- the shared layer below the areas (``app.db``, ``app.audit``, ``app.live``, ``app.security``, …) imports an
  area's tables at most, never its use cases or HTTP;
- ``app.room`` sits above ``group_interview`` and ``voting``: no area's use cases import it;
- ``lifeline`` imports nothing from ``app``.
"""

import ast
import itertools
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"
AREAS = frozenset(
    p.name for p in APP.iterdir() if p.is_dir() and (p / "service.py").exists() and p.name not in {"db", "live"}
)
HTTP = frozenset({"router", "pages", "deps"})
SEED = "demo"
# Modules that put the whole service together (may import anything).
COMPOSITION = frozenset({"app.main", "app.asgi", "app.cli", "app.demo", "app.ops", "app.migrate", "app.models"})


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _imports(path: Path) -> set[str]:
    """Every module (and ``module.name``) a file imports, at any depth of the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _area(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "app" and parts[1] in AREAS else None


def _leaf(module: str) -> str:
    return module.split(".")[2] if module.count(".") >= 2 else ""


MODULES = {_module_name(p): _imports(p) for p in APP.rglob("*.py")}


def _find_cycle(edges: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph, or [] when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return []

    for start in sorted(edges):
        if start not in state and (cycle := visit(start)):
            return cycle
    return []


def test_the_areas_are_found() -> None:
    assert {"reviews", "participants", "group_interview", "voting", "reports", "sharing"} <= AREAS


def test_use_cases_and_tables_of_the_areas_import_one_way() -> None:
    edges: dict[str, set[str]] = defaultdict(set)
    why: dict[tuple[str, str], str] = {}
    for module, imported in MODULES.items():
        area = _area(module)
        if area is None or _leaf(module) in HTTP or _leaf(module) == SEED:
            continue
        for target in imported:
            other = _area(target)
            if other is not None and other != area:
                edges[area].add(other)
                why.setdefault((area, other), f"{module} imports {target}")
    cycle = _find_cycle(edges)
    assert not cycle, " -> ".join(cycle) + ": " + "; ".join(why[(a, b)] for a, b in itertools.pairwise(cycle))


def test_http_modules_are_imported_only_by_app_main_and_their_own_area() -> None:
    wrong = []
    for module, imported in MODULES.items():
        for target in imported:
            other = _area(target)
            if other is None or _leaf(target) not in {"router", "pages"} or module == "app.main":
                continue
            if _area(module) != other:
                wrong.append(f"{module} imports {target}")
    assert not wrong


def test_the_shared_layer_imports_no_area_but_its_tables() -> None:
    wrong = []
    for module, imported in MODULES.items():
        if _area(module) is not None or module in COMPOSITION or module == "app.room":
            continue
        for target in imported:
            if _area(target) is not None and _leaf(target) not in {"", "models"} and not target.endswith(".models"):
                wrong.append(f"{module} imports {target}")
    # app.deps resolves who is asking (sessions of the auth area): the access layer every router stands on.
    assert [w for w in wrong if not w.startswith("app.deps imports app.auth")] == []


def test_no_area_use_case_imports_the_room() -> None:
    wrong = [
        f"{module} imports app.room"
        for module, imported in MODULES.items()
        if _area(module) is not None and _leaf(module) not in HTTP and any(t.startswith("app.room") for t in imported)
    ]
    assert not wrong
    assert {"app.group_interview.service", "app.voting.service"} <= {
        t for t in MODULES["app.room"] if t.endswith(".service")
    }


def test_lifeline_imports_nothing_from_the_service() -> None:
    for path in (ROOT / "lifeline").rglob("*.py"):
        assert not any(t == "app" or t.startswith("app.") for t in _imports(path)), path


def test_app_models_alone_registers_every_table() -> None:
    # Alembic's env imports only app.models: every table declared anywhere in app/ must be in its metadata.
    declared = {
        m.group(1)
        for p in APP.rglob("*.py")
        for m in re.finditer(r'^\s+__tablename__ = "(\w+)"', p.read_text(encoding="utf-8"), re.M)
    }
    code = "import app.models as m; print(' '.join(sorted(m.metadata.tables)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert set(done.stdout.split()) == declared
    assert len(declared) >= 34
