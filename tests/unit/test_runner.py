"""The turn runner with a scripted session and a real store: what is stored, and when.

The session stands in for the CLI: it answers with hand-built SDK messages and, at chosen
points of the stream, lets the test read the store, so "stored before it is sent" and "stored
while it streams" are checked at the moment they must hold, not only at the end.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, cast

import pytest

from tests.helpers.sdk import SESSION, result, streamed, tool_result, tool_use
from tui.agent.approval import Approvals
from tui.agent.errors import NO_CREDENTIALS
from tui.agent.events import (
    Event,
    TextDelta,
    ToolFinished,
    ToolStarted,
    TurnFailed,
    TurnFinished,
    TurnStarted,
)
from tui.agent.runner import TurnRunner
from tui.agent.session import AgentSession
from tui.config import Settings
from tui.models import MessageStatus, Role, ToolStatus, TurnUsage
from tui.storage import Store

QUESTION = "What does main return?"
USAGE = TurnUsage(120, 30, 1000, 50, 0.0125, 1500)
Check = Callable[[], Awaitable[None]]


@dataclasses.dataclass
class Verdicts:
    """The guard's record the translator reads: calls it denied, and who decided each."""

    denied: set[str] = dataclasses.field(default_factory=set)
    decisions: dict[str, str] = dataclasses.field(default_factory=dict)


class ScriptedSession:
    """What ``TurnRunner`` uses of ``AgentSession``, answering every prompt with one script.

    Items of the script are SDK messages, yielded in order, or checks: coroutines run at that
    point of the stream. ``error`` is raised after the script, as the SDK raises when the CLI
    dies mid-answer.
    """

    def __init__(
        self, settings: Settings, script: list[Any], error: Exception | None = None
    ) -> None:
        self.settings = settings
        self.script = script
        self.error = error
        self.guard = Verdicts()
        self.approvals = Approvals()
        self.resume: str | None = None
        self.fork_at: str | None = None
        self.connected = False
        self.prompts: list[str] = []
        self.closed = 0
        self.chosen_model: str | None = None
        self.effort: str | None = None

    @property
    def model(self) -> str:
        return self.chosen_model or self.settings.model

    def resumable(self) -> bool:
        return True

    async def ask(self, prompt: str) -> AsyncIterator[Any]:
        self.prompts.append(prompt)
        self.connected = True
        for item in self.script:
            if callable(item):
                await item()
            else:
                yield item
        if self.error is not None:
            raise self.error

    async def close(self) -> None:
        self.closed += 1
        self.connected = False


@pytest.fixture
def settings(isolated: Path, project: Path) -> Settings:
    """Settings over the sample project with a fake key (``isolated``), as a user's run has."""
    return Settings.build(project=project, db=str(project.parent / "unused.db"), model="scripted")


def runner_for(store: Store, session: ScriptedSession) -> TurnRunner:
    # The runner is typed for the real session; the scripted one provides what it uses.
    return TurnRunner(store, cast(AgentSession, session))


async def run(runner: TurnRunner, text: str = QUESTION) -> list[Event]:
    return [event async for event in runner.run(text, None)]


async def stored(store: Store, project: Path) -> list[tuple[Role, str, MessageStatus]]:
    """Every stored message of the project's conversations: role, text and status."""
    found = []
    for conversation in await store.conversation_list(project):
        for message in await store.message_page(conversation.id):
            found.append((message.role, message.content, message.status))
    return found


async def tools(store: Store, conversation_id: int) -> list[tuple[str, str, ToolStatus, Any]]:
    """Every stored tool call of a conversation: id, name, status and result."""
    events = await store.tool_event_list(conversation_id)
    return [(e.tool_use_id, e.name, e.status, e.result) for e in events]


async def test_a_turn_is_stored_before_it_is_sent_while_it_streams_and_at_its_end(
    store: Store, settings: Settings, project: Path
) -> None:
    seen: dict[str, Any] = {}

    async def before_anything() -> None:
        seen["sent"] = await stored(store, project)

    async def after_the_first_text() -> None:
        seen["streaming"] = await stored(store, project)

    async def while_the_tool_runs() -> None:
        conversation = (await store.conversation_list(project))[0]
        seen["tool"] = await tools(store, conversation.id)

    read = tool_use("t1", "Read", {"file_path": "app.py"})
    script = [
        before_anything,
        *streamed("Let me look."),
        after_the_first_text,
        read,
        while_the_tool_runs,
        tool_result("t1", "def main():\n    return 42\n"),
        *streamed("It returns 42."),
        result(),
    ]
    session = ScriptedSession(settings, script)
    events = await run(runner_for(store, session))

    assert session.prompts == [QUESTION]
    assert seen["sent"] == [(Role.USER, QUESTION, MessageStatus.COMPLETE)]
    assert seen["streaming"] == [
        (Role.USER, QUESTION, MessageStatus.COMPLETE),
        (Role.ASSISTANT, "Let me look.", MessageStatus.STREAMING),  # the first delta is flushed
    ]
    assert seen["tool"] == [("t1", "Read", ToolStatus.RUNNING, None)]
    [conversation] = await store.conversation_list(project)
    assert conversation.session_id == SESSION and conversation.model == "scripted"
    assert conversation.title == QUESTION
    messages = await store.message_page(conversation.id)
    assert [(m.role, m.content, m.status) for m in messages] == [
        (Role.USER, QUESTION, MessageStatus.COMPLETE),
        (Role.ASSISTANT, "Let me look.\n\nIt returns 42.", MessageStatus.COMPLETE),
    ]
    assert messages[1].usage == USAGE and messages[1].error is None
    [event] = await store.tool_event_list(conversation.id)
    assert (event.tool_use_id, event.name, event.input) == ("t1", "Read", {"file_path": "app.py"})
    assert (event.status, event.result, event.result_size) == (
        ToolStatus.OK,
        "def main():\n    return 42\n",
        len("def main():\n    return 42\n"),
    )
    assert event.message_id == messages[1].id and event.finished_at is not None
    assert [type(e) for e in events] == [
        TurnStarted,
        TextDelta,
        ToolStarted,
        ToolFinished,
        TextDelta,
        TurnFinished,
    ]
    assert events[0] == TurnStarted(conversation.id, messages[0].id)
    assert events[-1] == TurnFinished(MessageStatus.COMPLETE, USAGE, SESSION)
    assert session.closed == 0  # a finished turn keeps the session warm for the next question


async def test_an_interrupted_turn_keeps_its_text_and_ends_its_running_tool(
    store: Store, settings: Settings, project: Path
) -> None:
    script = [
        *streamed("Reading it now."),
        tool_use("t1", "Grep", {"pattern": "TODO"}),
        result(terminal_reason="aborted_tools"),
    ]
    events = await run(runner_for(store, ScriptedSession(settings, script)))
    assert events[-1] == TurnFinished(MessageStatus.INTERRUPTED, USAGE, SESSION)
    assert await stored(store, project) == [
        (Role.USER, QUESTION, MessageStatus.COMPLETE),
        (Role.ASSISTANT, "Reading it now.", MessageStatus.INTERRUPTED),
    ]
    conversation_id = events[0].conversation_id  # type: ignore[union-attr]
    assert await tools(store, conversation_id) == [
        ("t1", "Grep", ToolStatus.ERROR, "Interrupted before the tool finished.")
    ]


async def test_a_stream_that_ends_without_a_result_fails_and_keeps_the_text(
    store: Store, settings: Settings, project: Path
) -> None:
    session = ScriptedSession(settings, [*streamed("Half an answer")])
    runner = runner_for(store, session)
    events = await run(runner)
    sentence = (
        "The Claude CLI ended the answer without a result; press ctrl+r (or run the command "
        "again) to retry."
    )
    assert events[-1] == TurnFailed(sentence)
    assert await stored(store, project) == [
        (Role.USER, QUESTION, MessageStatus.COMPLETE),
        (Role.ASSISTANT, "Half an answer", MessageStatus.ERROR),
    ]
    [conversation] = await store.conversation_list(project)
    reply = (await store.message_page(conversation.id))[1]
    assert reply.error == sentence
    assert session.closed >= 1  # the CLI's state is unknown: the next question reconnects
    assert runner.unanswered == (QUESTION, events[0].user_message_id)  # type: ignore[union-attr]


async def test_the_cli_dying_mid_answer_is_one_sentence_and_keeps_the_text(
    store: Store, settings: Settings, project: Path
) -> None:
    script = [*streamed("So far"), tool_use("t1", "Read", {"file_path": "app.py"})]
    session = ScriptedSession(settings, script, error=OSError("pipe closed"))
    events = await run(runner_for(store, session))
    sentence = (
        "The assistant failed (OSError: pipe closed); press ctrl+r (or run the command again) "
        "to retry."
    )
    assert events[-1] == TurnFailed(sentence)
    assert await stored(store, project) == [
        (Role.USER, QUESTION, MessageStatus.COMPLETE),
        (Role.ASSISTANT, "So far", MessageStatus.ERROR),
    ]
    conversation_id = events[0].conversation_id  # type: ignore[union-attr]
    assert await tools(store, conversation_id) == [
        ("t1", "Read", ToolStatus.ERROR, "The turn failed before the tool finished.")
    ]


async def test_without_credentials_nothing_is_sent_and_the_question_is_kept(
    store: Store, settings: Settings, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    session = ScriptedSession(settings, [result()])
    events = await run(runner_for(store, session))
    assert [type(e) for e in events] == [TurnStarted, TurnFailed]
    assert events[-1] == TurnFailed(NO_CREDENTIALS)
    assert session.prompts == []
    assert await stored(store, project) == [
        (Role.USER, QUESTION, MessageStatus.COMPLETE),
        (Role.ASSISTANT, "", MessageStatus.ERROR),
    ]


async def test_a_reader_that_stops_midway_leaves_the_reply_interrupted(
    store: Store, settings: Settings, project: Path
) -> None:
    """A closed pipe or a cancelled worker stops reading: the text shown so far is kept."""
    script = [*streamed("Shown so far."), tool_use("t1", "Read", {"file_path": "app.py"})]
    session = ScriptedSession(settings, [*script, *streamed("never read"), result()])
    runner = runner_for(store, session)
    events = runner.run(QUESTION, None)
    async for event in events:
        if isinstance(event, ToolStarted):
            break
    await events.aclose()
    assert await stored(store, project) == [
        (Role.USER, QUESTION, MessageStatus.COMPLETE),
        (Role.ASSISTANT, "Shown so far.", MessageStatus.INTERRUPTED),
    ]
    [conversation] = await store.conversation_list(project)
    assert await tools(store, conversation.id) == [
        ("t1", "Read", ToolStatus.ERROR, "Interrupted before the tool finished.")
    ]
    assert session.closed >= 1 and runner.turn is None and not runner.busy


async def test_the_next_question_joins_the_same_conversation(
    store: Store, settings: Settings, project: Path
) -> None:
    session = ScriptedSession(settings, [*streamed("One."), result()])
    runner = runner_for(store, session)
    first = await run(runner, "First?")
    conversation_id = first[0].conversation_id  # type: ignore[union-attr]
    second = [event async for event in runner.run("Second?", conversation_id)]
    assert second[0].conversation_id == conversation_id  # type: ignore[union-attr]
    assert session.prompts == ["First?", "Second?"]
    assert await stored(store, project) == [
        (Role.USER, "First?", MessageStatus.COMPLETE),
        (Role.ASSISTANT, "One.", MessageStatus.COMPLETE),
        (Role.USER, "Second?", MessageStatus.COMPLETE),
        (Role.ASSISTANT, "One.", MessageStatus.COMPLETE),
    ]
