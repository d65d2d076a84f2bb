"""The one app the snapshot tests draw: a project at a fixed path and a model scripted inside
the app, so every run draws the same screen; and the waits that make two runs identical."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.demo.model_server import ToolCall, Turn

PROJECT = Path("/tmp/assistant-tui-snapshots/project")
ANSWER = """## The parser

It is a **recursive descent** parser:

```python
def parse(tokens):
    return expression(tokens)
```

| rule | function |
|---|---|
| expression | `expression()` |
| term | `term()` |
"""
THOUGHT = "The user asks how [bold]parse[/bold] works; app.py holds it. It calls expression()."
TURNS = [
    Turn(match="Think it over", thinking=THOUGHT, text="It parses by recursive descent."),
    Turn(
        match="parser",
        tools=[
            ToolCall("Read", {"file_path": "app.py"}),
            ToolCall("Bash", {"command": "rm -rf /"}),
            ToolCall("Read", {"file_path": "missing.py"}),
        ],
    ),
    Turn(match="", text=ANSWER),
]


async def settle_still(pilot: Any) -> None:
    """Settle, with every cursor's blink off: a blinking cursor would make two runs differ."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for widget in pilot.app.screen.query("TextArea, Input"):
        widget.cursor_blink = False  # a blinking cursor would make two runs differ
    await pilot.pause()


async def ask_the_parser_question(pilot: Any) -> None:
    """Type the question the scripted TURNS answer, and settle on the answer."""
    await settle_still(pilot)
    for char in "How does the parser work?":
        await pilot.press(char if char != " " else "space")
    await pilot.press("enter")
    await settle_still(pilot)
