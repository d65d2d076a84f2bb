"""Processes and the API fail mid-turn: the CLI dies, the MCP server hangs or dies, the API errs
or goes silent. Each time the user gets one sentence, what streamed is kept, a retry works, and
no process is left behind (the engine fixture checks that after every test).
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.backlog_db import make_backlog
from tests.helpers.figures import Figures
from tests.helpers.processes import children_of
from tui.agent.events import (
    Notice,
    TextDelta,
    ToolFinished,
    ToolStarted,
    TurnFailed,
    TurnFinished,
)
from tui.demo.model_server import ToolCall, Turn
from tui.models import MessageStatus, ToolStatus

STATS = ToolCall("mcp__features__feature_get_stats", {})


def of(kind: type, events: list[Any]) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


def children(marker: Callable[[str], bool]) -> list[int]:
    """The pids of our child processes whose command line matches (at least one)."""
    found = []
    for pid in children_of(os.getpid()):
        try:
            command = (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if marker(" ".join(part.decode() for part in command)):
            found.append(pid)
    assert found, "no matching process"
    return found


def child(marker: Callable[[str], bool]) -> int:
    """The pid of our one child process whose command line matches."""
    found = children(marker)
    assert len(found) == 1, f"expected one matching process, found {found}"
    return found[0]


def the_cli(command: str) -> bool:
    return command.split(" ")[0].endswith("claude")


def the_mcp_server(command: str) -> bool:
    return "-m mcp_server" in command


async def consume_until(
    engine: Any, text: str, conversation: Any, ready: Callable[[list[Any]], bool]
) -> tuple[asyncio.Task[None], list[Any]]:
    """Run a turn in the background; return once ``ready`` holds for the events seen so far."""
    seen: list[Any] = []

    async def consume() -> None:
        async for event in engine.manager.run(text, conversation):
            seen.append(event)

    task = asyncio.create_task(consume())
    while not ready(seen):
        assert not task.done(), f"the turn ended early: {seen[-3:]}"
        await asyncio.sleep(0.01)  # watching the turn's progress, not waiting for work
    return task, seen


async def test_cli_killed_mid_answer_then_retry_resumes_the_conversation(
    engine_factory: Any, figures: Figures
) -> None:
    engine = await engine_factory(
        [
            Turn(match="first", text="First answer."),
            Turn(match="long", text="word " * 5000, pace=0.005),
            Turn(match="again", text="Second try answered."),
        ]
    )
    first = await engine.turn("first question")
    conversation = await engine.store.conversation_get(first[0].conversation_id)
    task, seen = await consume_until(
        engine, "a long one", conversation, lambda s: len(of(TextDelta, s)) >= 50
    )
    os.kill(child(the_cli), signal.SIGKILL)
    await task
    failures = of(TurnFailed, seen)
    assert len(failures) == 1 and failures[0].message.startswith(
        "The Claude CLI stopped unexpectedly"
    )
    assert failures[0].message.endswith("press ctrl+r (or run the command again) to retry.")
    shown = "".join(d.text for d in of(TextDelta, seen))
    stored = await engine.store.message_page(conversation.id)
    assert stored[3].status is MessageStatus.ERROR and stored[3].content == shown
    assert not [p for p in children_of(os.getpid())], "the dead CLI's MCP server lives on"
    events = await engine.turn("try again please", conversation)
    assert "".join(d.text for d in of(TextDelta, events)) == "Second try answered."
    sent = engine.server.message_requests[-1].body["messages"]
    assert "first question" in str(sent) and "First answer." in str(sent), "history was lost"
    figures.record("faults", "CLI killed mid-answer", 1, of=1)


async def test_mcp_server_hangs_mid_call(
    engine_factory: Any, project: Path, monkeypatch: pytest.MonkeyPatch, figures: Figures
) -> None:
    make_backlog(project / "features.db", [{"name": "Login", "passes": 1}, {"name": "Search"}])
    monkeypatch.setenv("MCP_TOOL_TIMEOUT", "2000")
    engine = await engine_factory(
        [
            # Results first: the stats result itself says "in_progress".
            Turn(match='"total":2', text="Half of the features pass."),
            Turn(match="timed out", text="The backlog did not answer in time."),
            Turn(match="progress", tools=[STATS]),
        ]
    )
    first = await engine.turn("what is the progress?")  # the server is up and answering
    conversation = await engine.store.conversation_get(first[0].conversation_id)
    server = child(the_mcp_server)
    os.kill(server, signal.SIGSTOP)
    try:
        events = await engine.turn("what is the progress now?", conversation)
    finally:
        os.kill(server, signal.SIGCONT)
    tool = of(ToolFinished, events)
    assert [t.status for t in tool] == [ToolStatus.ERROR]
    assert "timed out after 2s" in tool[0].result
    assert isinstance(events[-1], TurnFinished)
    assert "".join(d.text for d in of(TextDelta, events)) == "The backlog did not answer in time."
    events = await engine.turn("and the progress now?", conversation)
    assert "".join(d.text for d in of(TextDelta, events)) == "Half of the features pass."
    figures.record("faults", "MCP server hangs mid-call", 1, of=1)


async def test_mcp_server_killed_mid_call(
    engine_factory: Any, project: Path, figures: Figures
) -> None:
    make_backlog(project / "features.db", [{"name": "Login", "passes": 1}, {"name": "Search"}])
    engine = await engine_factory(
        [
            Turn(match='"total":2', text="Half of the features pass."),
            Turn(match="Connection closed", text="The backlog server went away."),
            Turn(match="progress", tools=[STATS]),
        ]
    )
    first = await engine.turn("what is the progress?")  # the server is up and answering
    conversation = await engine.store.conversation_get(first[0].conversation_id)

    def stopped(seen: list[Any]) -> bool:
        """Every MCP server stopped, so the call will be in flight, unanswered, when it dies:
        again at each look, for one the CLI starts meanwhile (one started at the turn's start
        answered the call before it was killed)."""
        for server in children(the_mcp_server):
            os.kill(server, signal.SIGSTOP)
        return bool(of(ToolStarted, seen))

    stopped([])
    task, seen = await consume_until(engine, "what is the progress now?", conversation, stopped)
    for server in children(the_mcp_server):  # any the CLI may have started since, too
        os.kill(server, signal.SIGKILL)
    await task
    tool = of(ToolFinished, seen)
    assert [(t.status, t.result) for t in tool] == [(ToolStatus.ERROR, "Connection closed")]
    assert "".join(d.text for d in of(TextDelta, seen)) == "The backlog server went away."
    events = await engine.turn("and the progress now?", conversation)
    assert [t.status for t in of(ToolFinished, events)] == [ToolStatus.OK]
    assert "".join(d.text for d in of(TextDelta, events)) == "Half of the features pass."
    figures.record("faults", "MCP server killed mid-call", 1, of=1)


async def test_stalled_stream_is_reported_and_retry_works(
    engine_factory: Any, figures: Figures
) -> None:
    engine = await engine_factory(
        [
            Turn(match="story", text="Once upon a time " * 20, stall_after=40, times=1),
            Turn(match="story", text="The whole story."),
        ],
        stall_notice_s=1.0,
    )
    told = ("Once upon a time " * 20)[:40]

    def stalled(seen: list[Any]) -> bool:
        """The 40 characters arrived and a notice came after them (on a loaded machine the CLI
        can take over a second to start, and that wait is noticed too)."""
        texts = [i for i, e in enumerate(seen) if isinstance(e, TextDelta)]
        shown = "".join(d.text for d in of(TextDelta, seen))
        return shown == told and any(isinstance(e, Notice) for e in seen[texts[-1] :])

    task, seen = await consume_until(engine, "tell a story", None, stalled)
    assert of(Notice, seen)[-1].text.startswith("The model has sent nothing for 1 s")
    task.cancel()  # what Esc does in the app
    await asyncio.gather(task, return_exceptions=True)
    shown = "".join(d.text for d in of(TextDelta, seen))
    assert shown == told
    conversation = await engine.store.conversation_get(seen[0].conversation_id)
    stored = await engine.store.message_page(conversation.id)
    assert stored[1].status is MessageStatus.INTERRUPTED and stored[1].content == shown
    events = await engine.turn("tell a story", conversation)
    assert "".join(d.text for d in of(TextDelta, events)) == "The whole story."
    figures.record("faults", "stream stalls mid-answer", 1, of=1)


@pytest.mark.slow
async def test_silent_api_past_the_timeout_fails_clearly_and_retry_works(
    engine_factory: Any, monkeypatch: pytest.MonkeyPatch, figures: Figures
) -> None:
    monkeypatch.setenv("API_TIMEOUT_MS", "2000")
    engine = await engine_factory(
        [
            Turn(match="hello", first_byte_delay=3600, times=2),  # the CLI tries twice
            Turn(match="hello", text="Hello again."),
        ]
    )
    events = await engine.turn("hello")
    failures = of(TurnFailed, events)
    assert len(failures) == 1 and "Request timed out" in failures[0].message
    assert failures[0].message.endswith("to retry.")
    conversation = await engine.store.conversation_get(events[0].conversation_id)
    events = await engine.turn("hello", conversation)
    assert "".join(d.text for d in of(TextDelta, events)) == "Hello again."
    figures.record("faults", "API silent past API_TIMEOUT_MS", 1, of=1)


@pytest.mark.parametrize("status", [400, 401, 429, 500, 529, "dropped"])
async def test_api_error_then_retry_works(
    engine_factory: Any, status: int | str, figures: Figures
) -> None:
    failing = (
        Turn(match="hi", text="cut " * 50, drop_after=20)
        if status == "dropped"
        else Turn(match="hi", status=int(status))
    )
    engine = await engine_factory([failing])
    events = await engine.turn("hi")
    assert len(of(TurnFailed, events)) == 1, events[-1]
    conversation = await engine.store.conversation_get(events[0].conversation_id)
    engine.server.turns.insert(0, Turn(match="hi", text="Recovered."))
    events = await engine.turn("hi", conversation)
    assert "".join(d.text for d in of(TextDelta, events)) == "Recovered."
    stored = await engine.store.message_page(conversation.id)
    assert [m.status for m in stored] == [MessageStatus.COMPLETE, MessageStatus.ERROR] + [
        MessageStatus.COMPLETE
    ] * 2
    figures.record("faults", f"API answers {status}, then a retry", 1, of=1)
