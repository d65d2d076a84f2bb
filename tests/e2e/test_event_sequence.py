"""The exact sequence of typed events of one real turn: the SDK, the bundled CLI and our
MCP server against the scripted model, read through the session manager as the app reads it.

Other tests pick the events they care about out of a turn; this one compares the whole list, so
an event that appears, disappears or changes places fails here first.
"""

from __future__ import annotations

from typing import Any

from tui.agent.events import Event, TextDelta, ToolFinished, ToolStarted, TurnFinished, TurnStarted
from tui.demo.model_server import ToolCall, Turn
from tui.models import MessageStatus, ToolStatus


def collapsed(events: list[Event]) -> list[tuple[Any, ...]]:
    """Each event as its type and the fields a consumer reads; consecutive text deltas as one
    (how the text is cut into deltas is the model server's choice, not the engine's)."""
    shapes: list[tuple[Any, ...]] = []
    for event in events:
        match event:
            case TextDelta(text=text) if shapes and shapes[-1][0] is TextDelta:
                shapes[-1] = (TextDelta, shapes[-1][1] + text)
            case TextDelta(text=text):
                shapes.append((TextDelta, text))
            case ToolStarted(name=name, input=tool_input):
                shapes.append((ToolStarted, name, tool_input))
            case ToolFinished(name=name, status=status, result=result):
                shapes.append((ToolFinished, name, status, "return 42" in result))
            case TurnFinished(status=status, session_id=session_id):
                shapes.append((TurnFinished, status, bool(session_id)))
            case _:
                shapes.append((type(event),))
    return shapes


async def test_a_turn_with_a_tool_call_is_exactly_this_sequence(engine_factory: Any) -> None:
    turns = [
        Turn(
            match="main return",
            text="Let me read it.",
            tools=[ToolCall("Read", {"file_path": "app.py"})],
            chunk=3,
        ),
        Turn(match="return 42", text="It returns **42**.", chunk=3),
    ]
    engine = await engine_factory(turns)
    events = await engine.turn("What does main return?")
    assert collapsed(events) == [
        (TurnStarted,),
        (TextDelta, "Let me read it."),
        (ToolStarted, "Read", {"file_path": "app.py"}),
        (ToolFinished, "Read", ToolStatus.OK, True),
        (TextDelta, "\n\nIt returns **42**."),
        (TurnFinished, MessageStatus.COMPLETE, True),
    ]
    started, read = events[0], next(e for e in events if isinstance(e, ToolStarted))
    assert isinstance(started, TurnStarted)
    finished = next(e for e in events if isinstance(e, ToolFinished))
    assert finished.id == read.id  # the result answers the call that started
    assert sum(isinstance(e, TextDelta) for e in events) > 2  # it did stream, in pieces
