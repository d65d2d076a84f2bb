"""One turn cannot grow the history by more than its budget (50 MB), and the turn goes on.

Two ways in, both writing a real SQLite file through the real Store: the runner with the real 50
MB budget, fed SDK messages for 600 tool results of 100,000 characters (60 MB) around a 2.4 MB
answer, or a 20 MB answer of two-letter words (the search index's worst case); and a real turn
through the SDK and the bundled CLI against the scripted model, with the budget lowered to 300
KB so the CLI's own limits on a tool result do not decide the test.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from claude_agent_sdk.types import (
    AssistantMessage,
    ResultMessage,
    StreamEvent,
    ToolResultBlock,
    ToolUseBlock,
    UserMessage,
)

from tests.helpers.figures import Figures
from tui.agent import runner
from tui.agent.budget import REPLY_NOTE, THINKING_NOTE, TURN_BUDGET, TurnBudget, utf8_size
from tui.agent.events import Event, TextDelta, ToolFinished, TurnFinished
from tui.agent.session import AgentSession
from tui.config import Settings
from tui.demo.model_server import ToolCall, Turn
from tui.models import MessageStatus, ToolStatus
from tui.storage import RESULT_CAP, Store

TOOLS = 600  # of RESULT_CAP characters each: 60 MB, more than the budget
ANSWER = 1_200_000  # characters before the tools, and as many after them


def finished() -> ResultMessage:
    """The SDK's end of a successful turn."""
    return ResultMessage(
        subtype="success",
        duration_ms=1,
        duration_api_ms=1,
        is_error=False,
        num_turns=1,
        session_id="s",
    )


def text_delta(piece: str) -> StreamEvent:
    delta = {"type": "content_block_delta", "delta": {"type": "text_delta", "text": piece}}
    return StreamEvent(uuid="u", session_id="s", event=delta)


class ScriptedSession(AgentSession):
    """A session whose CLI is replaced by SDK messages made here: text, tools, more text."""

    connected = True  # type: ignore[assignment]

    async def ask(self, prompt: str) -> AsyncIterator[Any]:
        yield StreamEvent(uuid="u", session_id="s", event={"type": "message_start"})
        for _ in range(3):
            yield text_delta("a" * (ANSWER // 3))
        yield StreamEvent(uuid="u", session_id="s", event={"type": "message_stop"})
        for batch in range(0, TOOLS, 100):
            ids = [f"tool-{n}" for n in range(batch, batch + 100)]
            uses = [ToolUseBlock(id=i, name="Read", input={"file_path": f"{i}.txt"}) for i in ids]
            yield AssistantMessage(content=list(uses), model="scripted")
            results = [ToolResultBlock(tool_use_id=i, content=i[-1] * RESULT_CAP) for i in ids]
            yield UserMessage(content=list(results))
        yield StreamEvent(uuid="u", session_id="s", event={"type": "message_start"})
        for _ in range(3):
            yield text_delta("b" * (ANSWER // 3))
        yield finished()

    def resumable(self) -> bool:
        return True

    async def close(self) -> None:
        pass


def history_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


@pytest.mark.slow
async def test_60_mb_of_tool_results_store_at_most_50_mb(
    isolated: Path, project: Path, tmp_path: Path, figures: Figures
) -> None:
    db = tmp_path / "history.db"
    settings = Settings.build(project=project, db=str(db), model="scripted")
    store = await Store.open(db)
    await store.conversation_create(project, "before")  # the file as it is before the turn
    await store.close()
    before = history_bytes(db)
    store = await Store.open(db)
    try:
        turn_runner = runner.TurnRunner(store, ScriptedSession(settings))
        events: list[Event] = [e async for e in turn_runner.run("read everything", None)]
        assert isinstance(events[-1], TurnFinished), events[-1]
        shown = "".join(e.text for e in events if isinstance(e, TextDelta))
        assert len(shown) == 2 * ANSWER + 2  # the screen got all of it
        assert sum(isinstance(e, ToolFinished) for e in events) == TOOLS
        conversation = (await store.conversation_list(project))[0]
        reply = (await store.message_page(conversation.id))[-1]
        tools = await store.tool_event_list(conversation.id)
    finally:
        await store.close()
    assert reply.status is MessageStatus.COMPLETE
    # The text before the tools kept its room (less the note); the text after them is cut.
    assert reply.content.startswith("a" * (ANSWER - 1000)) and reply.content.endswith(REPLY_NOTE)
    assert len(tools) == TOOLS and {t.status for t in tools} == {ToolStatus.OK}
    assert all(t.result_size == RESULT_CAP for t in tools)  # the full length is still recorded
    full = [t for t in tools if len(t.result or "") == RESULT_CAP]
    cut = [t for t in tools if (t.result or "").startswith("[Not stored: this turn")]
    assert len(full) + len(cut) == TOOLS and 300 < len(full) < 500, len(full)
    assert tools.index(cut[0]) == len(full)  # the first ones are kept, the later ones marked
    stored = utf8_size(reply.content) + sum(utf8_size(t.result or "") for t in tools)
    assert stored <= TURN_BUDGET
    grown = history_bytes(db) - before
    assert grown <= TURN_BUDGET, f"the file grew by {grown:,} bytes"
    figures.record("load", "MB a turn of 600 big tool results grew the file by", grown / 1e6, of=50)


class WordySession(ScriptedSession):
    """20 MB of two-letter words: each is an entry in the search index, the costliest text."""

    async def ask(self, prompt: str) -> AsyncIterator[Any]:
        for _ in range(20):
            yield text_delta("ab cd " * 166_667)
        yield finished()


@pytest.mark.slow
async def test_a_20_mb_answer_grows_the_file_by_at_most_50_mb(
    isolated: Path,
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    figures: Figures,
) -> None:
    monkeypatch.setattr(runner, "FLUSH_INTERVAL", 0)  # a rewrite per delta: the most free pages
    db = tmp_path / "history.db"
    settings = Settings.build(project=project, db=str(db), model="scripted")
    store = await Store.open(db)
    try:
        turn_runner = runner.TurnRunner(store, WordySession(settings))
        events = [e async for e in turn_runner.run("talk", None)]
        assert isinstance(events[-1], TurnFinished), events[-1]
        conversation = (await store.conversation_list(project))[0]
        reply = (await store.message_page(conversation.id))[-1]
    finally:
        await store.close()
    assert reply.status is MessageStatus.COMPLETE and reply.content.endswith(REPLY_NOTE)
    assert reply.content.startswith("ab cd " * 1_000_000)  # megabytes of it are kept
    grown = history_bytes(db)
    assert grown <= TURN_BUDGET, f"the file grew by {grown:,} bytes"
    figures.record("load", "MB a 20 MB answer grew the file by", grown / 1e6, of=50)


async def test_a_real_turn_past_its_budget_goes_on_and_is_stored_up_to_it(
    engine_factory: Any, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 300_000
    monkeypatch.setattr(runner, "TurnBudget", lambda: TurnBudget(limit=limit, reserve=30_000))
    line = "data " + "x" * 70 + "\n"
    for n in range(10):
        (project / f"f{n}.txt").write_text(f"file {n}\n" + line * 500)  # ~38 KB each
    answer = "".join(f"{n:06d} the answer goes on\n" for n in range(20_000))  # ~540 KB
    reads = [ToolCall("Read", {"file_path": f"f{n}.txt"}) for n in range(10)]
    turns = [
        Turn(match="read them", text="Reading.", tools=reads),
        Turn(match="file 9", text=answer, chunk=4000),
    ]
    engine = await engine_factory(turns)
    events = await engine.turn("read them all")
    assert isinstance(events[-1], TurnFinished), events[-1]
    finished = [e for e in events if isinstance(e, ToolFinished)]
    assert [e.status for e in finished] == [ToolStatus.OK] * 10
    conversation = (await engine.store.conversation_list(project))[0]
    reply = (await engine.store.message_page(conversation.id))[-1]
    tools = await engine.store.tool_event_list(conversation.id)
    assert reply.status is MessageStatus.COMPLETE
    assert reply.content.startswith("Reading.") and reply.content.endswith(REPLY_NOTE)
    assert "".join(e.text for e in events if isinstance(e, TextDelta)).endswith(answer)
    # The CLI runs the reads at once: whichever finish first are kept, the rest are marked.
    marked = [t for t in tools if (t.result or "").startswith("[Not stored")]
    kept = [t for t in tools if t not in marked]
    assert marked and kept and len(marked) + len(kept) == 10
    assert all(t.result_size == len(t.result or "") for t in kept)
    full = {e.id: len(e.result) for e in finished}
    assert [t.result_size for t in marked] == [full[t.tool_use_id] for t in marked]
    stored = utf8_size(reply.content) + sum(utf8_size(t.result or "") for t in tools)
    assert stored <= limit
    assert os.path.getsize(engine.settings.db) > 0


def test_thinking_takes_only_the_room_the_reply_and_tools_leave() -> None:
    """Thinking counts in the turn's budget: stored whole while it fits, then cut with a note,
    and the reply keeps its room (thinking is stored after it)."""
    budget = TurnBudget(limit=10_000, reserve=1_000)
    assert budget.reply_text("a" * 1_000) == "a" * 1_000  # 6,000 weighted bytes
    assert budget.thinking_text("t" * 500) == "t" * 500  # 1,000 of the 3,000 left
    cut = budget.thinking_text("t" * 5_000)
    assert cut.startswith("t" * 1_000) and cut.endswith(THINKING_NOTE)
    assert 6_000 + utf8_size(cut) * 2 <= 9_000  # inside the budget less its reserve
    assert budget.reply_text("a" * 1_000) == "a" * 1_000  # the reply still fits as it was
