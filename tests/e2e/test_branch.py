"""Branches through the real SDK and CLI: what the model receives after the branch point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers.engine import Engine, said
from tui.agent.events import Notice, TurnFinished, TurnStarted
from tui.agent.manager import SessionManager
from tui.agent.session import transcript_path
from tui.demo.model_server import ToolCall, Turn
from tui.models import Conversation, Role

TURNS = [
    Turn(match="Q1 ", tools=[ToolCall("Read", {"file_path": "app.py"})]),
    Turn(match="return 42", text="A1 main returns 42."),
    Turn(match="Q2 ", text="A2 the parser."),
    Turn(match="Q3 ", text="A3 the lexer."),
    Turn(match="Q4 ", text="A4 branch answer."),
    Turn(match="Q5 ", text="A5 second branch answer."),
    Turn(match="Q6 ", text="A6 parent goes on."),
]


async def three_turns(engine: Engine) -> Conversation:
    conversation = None
    for question in ("Q1 what is in app.py?", "Q2 and the parser?", "Q3 and the lexer?"):
        events = await engine.turn(question, conversation)
        assert isinstance(events[-1], TurnFinished), events[-1]
        conversation = await engine.store.conversation_get(events[0].conversation_id)
    assert conversation is not None and conversation.session_id
    return conversation


async def test_branch_from_an_earlier_turn_forks_the_session_there(engine_factory: Any) -> None:
    engine = await engine_factory(TURNS)
    parent = await three_turns(engine)
    stored = await engine.store.message_page(parent.id)
    q2 = next(m for m in stored if m.content.startswith("Q2"))
    a2 = next(m for m in stored if m.content.startswith("A2"))
    made = await engine.manager.branch(parent, q2.id)  # a question: with A2
    assert made.forked
    branch = made.conversation

    events = await engine.turn("Q4 what next?", branch)
    assert isinstance(events[-1], TurnFinished)
    received = said(engine.server.message_requests[-1].body)
    for text in ("Q1 what is in app.py?", "return 42", "A1 main", "Q2 and the parser?", "A2 the"):
        assert text in received
    assert received.index("A2 the parser.") < received.index("Q4 what next?")
    assert "Q3" not in received and "A3" not in received
    assert not [e for e in events if isinstance(e, Notice)]  # a fork, not a replay

    branch = await engine.store.conversation_get(branch.id)  # type: ignore[assignment]
    assert branch.parent_id == parent.id and branch.parent_message_id == a2.id
    assert branch.session_id and branch.session_id != parent.session_id
    rows = await engine.store.message_page(branch.id)
    assert [m.content[:2] for m in rows] == ["Q1", "A1", "Q2", "A2", "Q4", "A4"]
    tools = await engine.store.tool_event_list(branch.id)
    assert [t.name for t in tools] == ["Read"]  # the first turn's tool call came along

    await engine.turn("Q5 and then?", branch)  # the branch goes on in its own session
    received = said(engine.server.message_requests[-1].body)
    assert "A4 branch answer." in received and "Q3" not in received
    await engine.turn("Q6 back in the parent", parent)  # the parent never saw the branch
    received = said(engine.server.message_requests[-1].body)
    assert "A3 the lexer." in received and "Q4" not in received


async def test_branch_plan_survives_a_restart(engine_factory: Any) -> None:
    engine = await engine_factory(TURNS)
    parent = await three_turns(engine)
    stored = await engine.store.message_page(parent.id)
    a1 = next(m for m in stored if m.content.startswith("A1"))
    made = await engine.manager.branch(parent, a1.id)
    assert made.forked
    branch = made.conversation
    await engine.manager.close_all()
    engine.manager = SessionManager(engine.settings, engine.store)  # the app started again

    await engine.turn("Q4 after a restart", branch)
    received = said(engine.server.message_requests[-1].body)
    assert "A1 main returns 42." in received and "Q2" not in received
    assert "<earlier_conversation>" not in received


async def test_branch_without_a_transcript_replays_up_to_the_branch_point(
    engine_factory: Any, isolated: Path, project: Path
) -> None:
    engine = await engine_factory(TURNS)
    parent = await three_turns(engine)
    await engine.manager.close_all()
    assert parent.session_id is not None
    transcript_path(isolated / ".claude", project, parent.session_id).unlink()
    stored = await engine.store.message_page(parent.id)
    a2 = next(m for m in stored if m.content.startswith("A2"))
    made = await engine.manager.branch(parent, a2.id)
    assert not made.forked
    branch = made.conversation

    before = len(engine.server.message_requests)
    events = await engine.turn("Q4 without a session", branch)
    assert isinstance(events[0], TurnStarted) and isinstance(events[-1], TurnFinished)
    assert any(isinstance(e, Notice) for e in events)
    prompt = engine.server.message_requests[before].last_user_text()
    assert "<earlier_conversation>" in prompt and "assistant: A2 the parser." in prompt
    assert "Q3" not in prompt and "A3" not in prompt
    rows = await engine.store.message_page(branch.id)
    assert [m.role for m in rows][-2:] == [Role.USER, Role.ASSISTANT]
