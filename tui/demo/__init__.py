"""The offline demo: a small sample project with a backlog, and the scripted model's script."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from mcp_server.backlog import Backlog, NewFeature
from tui.demo.model_server import ToolCall, Turn
from tui.private_files import private_dirs, replace_private, tighten
from tui.tool_lines import ASK_USER, MCP_PREFIX

CALC = '''"""A tiny calculator used by the demo project."""


def add(a: float, b: float) -> float:
    """Return the sum of a and b."""
    return a + b


def divide(a: float, b: float) -> float:
    """Return a / b; raises ZeroDivisionError when b is 0."""
    return a / b
'''

SPEC = "A command-line calculator with history, undo and unit conversion.\n"

EXPLANATION = """Here is what `app/calc.py` does:

## Functions

| function | what it does | edge cases |
|---|---|---|
| `add(a, b)` | returns the sum | none |
| `divide(a, b)` | returns `a / b` | raises `ZeroDivisionError` when `b` is 0 |

```python
def divide(a: float, b: float) -> float:
    return a / b
```

A safer `divide` would check `b` first and raise a clear error. I can't edit files (this
assistant is read-only), but I can add a backlog feature for it: ask me *"what's the progress?"*
to see the backlog.
"""

PROGRESS = """The backlog has **4 features**: 1 passes (25%), 3 remain.

- **Ready next:** unit conversion, then persistent history.
- Blocked: the history view waits for persistent history.

Ask me to create a feature and I'll add it with steps that verify it."""


ZERO_QUESTION = {
    "question": "How should `divide` treat a zero divisor?",
    "header": "Zero",
    "options": [
        {"label": "Raise a clear error", "description": "ValueError naming the argument"},
        {"label": "Return None", "description": "callers check the result"},
        {"label": "Return infinity", "description": "follow IEEE 754 like NumPy"},
    ],
}

ZERO_ANSWER = """Thanks: with that choice, the change is small and stays in `app/calc.py`.

The assistant is read-only, so it does not edit the file; ask *"what's the progress?"* to see the
backlog, where such a change can be queued for the coding agents."""

THOUGHT = (
    "The user asked about the code, and I have read app/calc.py. It defines add, subtract, "
    "multiply and divide; divide returns a / b with no check that b is not zero, which is worth "
    "pointing out. The answer can walk through the functions and then suggest a backlog feature."
)


def demo_turns() -> list[Turn]:
    """The demo's script: any question reads a file; 'progress' or 'backlog' asks the backlog;
    'zero' makes the assistant ask you to pick (its ask_user tool)."""
    return [
        Turn(match="The user answered", text=ZERO_ANSWER, chunk=6, pace=0.01),
        Turn(match="Nobody is there", text=ZERO_ANSWER, chunk=6, pace=0.01),
        Turn(
            match="zero",
            text="There are a few reasonable ways; which do you prefer?",
            tools=[ToolCall(ASK_USER, {"questions": [ZERO_QUESTION]})],
        ),
        Turn(match="def divide", thinking=THOUGHT, text=EXPLANATION, chunk=6, pace=0.01),
        Turn(match='"percentage"', text=PROGRESS, chunk=6, pace=0.01),
        Turn(match="progress", tools=[ToolCall(MCP_PREFIX + "feature_get_stats", {})]),
        Turn(match="backlog", tools=[ToolCall(MCP_PREFIX + "feature_get_stats", {})]),
        Turn(
            match="",
            text="Let me read the code first.",
            tools=[ToolCall("Read", {"file_path": "app/calc.py"})],
        ),
    ]


def prepare_project(root: Path) -> Path:
    """Create (once) the sample project the demo opens; returns its path."""
    project = root / "demo-project"
    if not (project / "features.db").exists():
        _create(project, root)
    # It lives in the app's data directory: private like the rest of it (0700 folders, 0600
    # files), also when an earlier version left it 0755/0644. The backlog server gives its
    # -wal and -shm the mode of features.db.
    for path in (project, *project.rglob("*")):
        tighten(path)
    return project


def _create(project: Path, root: Path) -> None:
    for folder in ("app", "prompts"):
        private_dirs(project / folder, owned=root)
    replace_private(project / "app" / "calc.py", CALC)
    replace_private(project / "prompts" / "app_spec.txt", SPEC)
    replace_private(project / "README.md", "# Demo calculator\n\nA sample project for the demo.\n")
    backlog = Backlog(project)
    steps = ["Run the calculator", "Check the result"]
    backlog.create_bulk(
        [
            NewFeature("Core", "Add and divide", "Basic arithmetic.", steps),
            NewFeature("Core", "Unit conversion", "Convert between units.", steps),
            NewFeature("Core", "Persistent history", "Keep past results.", steps),
            NewFeature("UI", "History view", "Show past results.", steps, depends_on_indices=(2,)),
        ]
    )
    backlog.close()
    with sqlite3.connect(project / "features.db") as conn:  # the first feature is done
        conn.execute("UPDATE features SET passes = 1 WHERE id = 1")
