"""Thinking through the real SDK and bundled CLI: asked for as summarized, streamed apart from
the answer, stored with it (text and time), kept out of the answer's text."""

from __future__ import annotations

from typing import Any

from tui.agent.events import TextDelta, ThinkingDelta, TurnFinished
from tui.demo.model_server import ToolCall, Turn
from tui.models import MessageStatus, Role

THOUGHT = "The user asks about [bold]main[/bold]; <b>app.py</b> holds it. " * 4


async def test_thinking_is_asked_for_streamed_and_stored(engine_factory: Any) -> None:
    turns = [Turn(match="main", thinking=THOUGHT, text="It returns 42.", chunk=8, pace=0.01)]
    engine = await engine_factory(turns)
    events = await engine.turn("What does main do?")
    thought = [e for e in events if isinstance(e, ThinkingDelta)]
    assert "".join(e.text for e in thought) == THOUGHT
    assert thought[-1].text == "" and thought[-1].seconds > 0.05  # paced: 32 pieces, 10 ms each
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "It returns 42."
    assert events.index(thought[-1]) < next(
        i for i, e in enumerate(events) if isinstance(e, TextDelta)
    )
    assert isinstance(events[-1], TurnFinished)
    body = engine.server.message_requests[0].body
    assert body["thinking"]["display"] == "summarized"
    conversation = (await engine.store.conversation_list(engine.settings.project))[0]
    reply = (await engine.store.message_page(conversation.id))[-1]
    assert (reply.role, reply.content, reply.status) == (
        Role.ASSISTANT,
        "It returns 42.",
        MessageStatus.COMPLETE,
    )
    assert reply.thinking == THOUGHT
    assert reply.thinking_ms == round(thought[-1].seconds * 1000)


async def test_thinking_of_each_step_of_a_turn_is_kept_in_order(engine_factory: Any) -> None:
    turns = [
        Turn(
            match="look",
            thinking="First I read the file.",
            tools=[ToolCall("Read", {"file_path": "app.py"})],
        ),
        Turn(match="return 42", thinking="It returns 42.", text="main returns 42."),
    ]
    engine = await engine_factory(turns)
    await engine.turn("Please look at main")
    conversation = (await engine.store.conversation_list(engine.settings.project))[0]
    reply = (await engine.store.message_page(conversation.id))[-1]
    assert reply.thinking == "First I read the file.\n\nIt returns 42."
    assert reply.content == "main returns 42."
    second = engine.server.message_requests[1].body["messages"]
    sent_back = [b for m in second for b in m["content"] if isinstance(b, dict)]
    assert any(b.get("type") == "thinking" and b.get("signature") for b in sent_back)
