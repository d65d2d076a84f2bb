"""The layers of DESIGN.md, checked statically over every import of every module.

Every ``import`` counts: at module level, inside functions (the lazy imports that keep the first
screen fast), under ``try`` and under ``if TYPE_CHECKING:``. Type-only imports count too: a widget
that names the store in a hint is coupled to it (a Protocol or plain data is the way out), and a
rule that a later edit can dodge by moving a line into a function is no rule. A rule holds
transitively through our own modules (``tui``, ``mcp_server``, ``boundary``): importing a module
also runs its parent packages' ``__init__``, so those are followed as well.

One runtime check stays: the first screen's modules, imported in a fresh interpreter, must not
load ``claude_agent_sdk`` (the static scan cannot see what a third-party package pulls in).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = ("tui", "mcp_server", "boundary")


@dataclass(frozen=True)
class Rule:
    """Modules under ``applies`` never reach a module under ``forbidden``, directly or not."""

    says: str
    applies: tuple[str, ...]
    forbidden: tuple[str, ...]


RULES = [
    Rule(
        "mcp_server stands alone for any MCP client: it never imports tui or a heavy package",
        ("mcp_server",),
        ("tui", "textual", "mcp", "claude_agent_sdk", "pydantic"),
    ),
    Rule(
        "the engine, storage, models, config, helpers and headless commands never import textual",
        (
            "tui.agent",
            "tui.storage",
            "tui.models",
            "tui.config",
            "tui.text",
            "tui.clock",
            "tui.export",
            "tui.commands",
            "tui.tool_lines",
            "tui.user_questions",
            "tui.private_files",
            "tui.backlog_reader",
            "tui.mentions",
            "tui.prompt_history",
            "tui.references",
            "tui.viewed_file",
        ),
        ("textual",),
    ),
    Rule(
        "widgets are views: they never import the store, the agent, the SDK, SQLite or mcp_server",
        ("tui.widgets",),
        (
            "tui.storage",
            "tui.agent",
            "tui.backlog_reader",
            "claude_agent_sdk",
            "sqlite3",
            "aiosqlite",
            "mcp_server",
        ),
    ),
]


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it was written."""

    target: str
    path: Path
    line: int

    def where(self, root: Path) -> str:
        return f"{self.path.relative_to(root)}:{self.line}"


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    """``tui.storage.store`` is within ``tui.storage``; ``mcp_server`` is not within ``mcp``."""
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def module_files(root: Path, packages: tuple[str, ...] = OURS) -> dict[str, Path]:
    """Every module of our packages on disk, by dotted name (``pkg/__init__.py`` is ``pkg``)."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def parents(name: str) -> list[str]:
    """The packages whose ``__init__`` runs before ``name``: ``a.b.c`` -> ``a``, ``a.b``."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def imports_of(module: str, path: Path, known: dict[str, Path]) -> Iterator[Import]:
    """Every module one file imports, wherever the statement is (``ast.walk`` sees them all)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, path, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against this module's package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield Import(base, path, node.lineno)
            for alias in node.names:  # ``from tui.storage import store`` imports a module
                if f"{base}.{alias.name}" in known:
                    yield Import(f"{base}.{alias.name}", path, node.lineno)


def import_graph(root: Path) -> dict[str, list[Import]]:
    """Each of our modules and what it imports, parents of our own targets included."""
    known = module_files(root)
    graph: dict[str, list[Import]] = {}
    for module, path in known.items():
        edges = []
        for found in imports_of(module, path, known):
            edges.append(found)
            if found.target in known:
                edges += [Import(p, path, found.line) for p in parents(found.target) if p in known]
        graph[module] = [*(Import(p, path, 1) for p in parents(module) if p in known), *edges]
    return graph


def breaches(rule: Rule, graph: dict[str, list[Import]], root: Path) -> list[str]:
    """One line per module of the rule that reaches a forbidden module, with the whole path."""
    found = []
    for start in sorted(m for m in graph if within(m, rule.applies)):
        chain = _forbidden_chain(start, rule, graph)
        if chain is not None:
            hops = " -> ".join(f"{i.target} ({i.where(root)})" for i in chain)
            found.append(f"{start} imports {chain[-1].target}: {hops}\n    rule: {rule.says}")
    return found


def _forbidden_chain(start: str, rule: Rule, graph: dict[str, list[Import]]) -> list[Import] | None:
    """The shortest chain of imports from ``start`` to a forbidden module (breadth first)."""
    came: dict[str, list[Import]] = {start: []}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for edge in graph.get(module, []):
            chain = [*came[module], edge]
            if within(edge.target, rule.forbidden):
                return chain
            if edge.target in graph and edge.target not in came:
                came[edge.target] = chain
                queue.append(edge.target)
    return None


@pytest.fixture(scope="module")
def graph() -> dict[str, list[Import]]:
    return import_graph(ROOT)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.applies[0])
def test_layer_rule(rule: Rule, graph: dict[str, list[Import]]) -> None:
    assert any(within(m, rule.applies) for m in graph), f"no module under {rule.applies}"
    found = breaches(rule, graph, ROOT)
    if found:
        pytest.fail("\n".join(found), pytrace=False)


def test_the_scan_sees_imports_inside_functions_and_type_checking(tmp_path: Path) -> None:
    """The scan itself: a store import hidden in a function or a type hint is still found."""
    files = {
        "tui/__init__.py": "",
        "tui/storage/__init__.py": "",
        "tui/storage/store.py": "import aiosqlite\n",
        "tui/widgets/__init__.py": "",
        "tui/widgets/helper.py": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..storage import store\n"
        ),
        "tui/widgets/pane.py": "def read():\n    from tui.widgets import helper\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    widgets = next(r for r in RULES if r.applies == ("tui.widgets",))
    found = breaches(widgets, import_graph(tmp_path), tmp_path)
    assert len(found) == 2, found
    helper, pane = found
    assert helper.startswith("tui.widgets.helper imports tui.storage: tui.storage (")
    assert "tui/widgets/helper.py:3" in helper and "rule: widgets are views" in helper
    assert "tui.widgets.helper (tui/widgets/pane.py:2) -> tui.storage" in pane


IO_CALLS = {"open", "stat", "lstat", "scandir", "listdir", "iterdir", "glob", "rglob", "exists"}
IO_CALLS |= {f"{verb}_{kind}" for verb in ("read", "write") for kind in ("text", "bytes")}
IO_ALLOWED: dict[tuple[str, str], str] = {}  # (module, call) -> why it is not I/O; none so far


def io_calls(path: Path) -> Iterator[tuple[str, int]]:
    """Calls that touch the file system: ``open(...)``, ``x.read_text()``, ``os.stat(...)``, ..."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in IO_CALLS:
            yield name, node.lineno


def test_widgets_do_no_io() -> None:
    """Screens and workers do I/O; a widget is handed data (or a reader) and draws it."""
    found = [
        f"{path.relative_to(ROOT)}:{line} calls {name}()\n    rule: widgets do no I/O"
        for module, path in module_files(ROOT, ("tui/widgets",)).items()
        for name, line in io_calls(path)
        if (module, name) not in IO_ALLOWED
    ]
    if found:
        pytest.fail("\n".join(found), pytrace=False)


def imported_after(module: str) -> set[str]:
    """The top-level packages loaded by importing one module in a fresh interpreter."""
    code = (
        "import sys, importlib; before = set(sys.modules); "
        f"importlib.import_module({module!r}); "
        "print('\\n'.join(sorted({m.split('.')[0] for m in set(sys.modules) - before})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(done.stdout.split())


@pytest.mark.parametrize(
    "module", ["tui.app", "tui.__main__", "tui.screens.main", "tui.agent.manager"]
)
def test_the_first_screen_does_not_wait_for_the_sdk(module: str) -> None:
    """claude_agent_sdk (~0.5 s to import) loads only when a session connects."""
    assert "claude_agent_sdk" not in imported_after(module)
