"""A turn through the real SDK, bundled CLI and our MCP server, against the scripted model."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

from tests.helpers.backlog_db import make_backlog
from tests.helpers.processes import children_of, tree_hash
from tui.agent.events import (
    Notice,
    TextDelta,
    TextReplaced,
    ToolFinished,
    ToolStarted,
    TurnFailed,
    TurnFinished,
    TurnStarted,
)
from tui.agent.session import transcript_path
from tui.demo.model_server import ToolCall, Turn
from tui.models import MessageStatus, Role, ToolStatus

ANSWER = "## Parser\n\nThe parser is a **recursive descent** parser in `app.py`.\n" * 5


def of(kind: type, events: list[Any]) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


async def test_streamed_answer_arrives_in_pieces_and_is_stored(engine_factory: Any) -> None:
    engine = await engine_factory([Turn(match="parser", text=ANSWER, chunk=4)])
    events = await engine.turn("How does the parser work?")
    deltas = of(TextDelta, events)
    assert len(deltas) >= len(ANSWER) // 4
    assert "".join(d.text for d in deltas) == ANSWER
    started, finished = events[0], events[-1]
    assert isinstance(started, TurnStarted) and isinstance(finished, TurnFinished)
    assert finished.status is MessageStatus.COMPLETE and finished.session_id
    assert finished.usage.output_tokens > 0 and finished.usage.cost_usd > 0
    conv = await engine.store.conversation_get(started.conversation_id)
    assert conv is not None and conv.title == "How does the parser work?"
    assert conv.session_id == finished.session_id
    messages = await engine.store.message_page(conv.id)
    assert [(m.role, m.content, m.status) for m in messages] == [
        (Role.USER, "How does the parser work?", MessageStatus.COMPLETE),
        (Role.ASSISTANT, ANSWER, MessageStatus.COMPLETE),
    ]
    assert messages[1].usage is not None and messages[1].usage.cost_usd > 0
    sent = engine.server.message_requests[0].body
    assert "How does the parser work?" in engine.server.message_requests[0].last_user_text()
    system = json.dumps(sent.get("system"))
    assert "project assistant" in system and "What you cannot do: change" in system


async def test_backlog_tool_reaches_our_server_and_the_model(
    engine_factory: Any, project: Path
) -> None:
    make_backlog(project / "features.db", [{"name": "Login", "passes": 1}, {"name": "Search"}])
    engine = await engine_factory(
        [
            Turn(
                match="What is the progress",
                tools=[ToolCall("mcp__features__feature_get_stats", {})],
            ),
            Turn(match='"total":2', text="Half of the features pass."),
        ]
    )
    events = await engine.turn("What is the progress?")
    started, finished = of(ToolStarted, events), of(ToolFinished, events)
    assert [s.name for s in started] == ["mcp__features__feature_get_stats"]
    assert finished[0].status is ToolStatus.OK
    assert json.loads(finished[0].result)["percentage"] == 50.0
    tool_result = engine.server.message_requests[-1].last_user_text()
    assert '"passing":1' in tool_result and '"total":2' in tool_result
    assert "".join(d.text for d in of(TextDelta, events)) == "Half of the features pass."
    stored = await engine.store.tool_event_list(events[0].conversation_id)
    assert [(e.name, e.status) for e in stored] == [
        ("mcp__features__feature_get_stats", ToolStatus.OK)
    ]
    assert stored[0].finished_at is not None and stored[0].message_id is not None


async def test_writes_commands_and_escapes_are_denied(
    engine_factory: Any, project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("outside secret")
    (project / "link").symlink_to(outside / "secret.txt")
    (project / ".env").write_text("ANTHROPIC_API_KEY=sk-real\n")
    (project / ".envrc").write_text("export TOKEN=sk-real-envrc\n")
    attacks = [
        ToolCall("Write", {"file_path": str(project / "new.py"), "content": "x"}),
        ToolCall(
            "Edit", {"file_path": str(project / "app.py"), "old_string": "42", "new_string": "43"}
        ),
        ToolCall("Bash", {"command": f"touch {project}/pwned"}),
        ToolCall("Read", {"file_path": "../outside/secret.txt"}),
        ToolCall("Read", {"file_path": "/etc/passwd"}),
        ToolCall("Read", {"file_path": str(project / "link")}),
        ToolCall("Glob", {"pattern": "/etc/*"}),
        ToolCall("Read", {"file_path": str(project / ".env")}),
        ToolCall("Read", {"file_path": ".envrc"}),
    ]
    before = tree_hash(project)
    turns = [Turn(match="attack", tools=attacks), Turn(match="", text="I could not do that.")]
    engine = await engine_factory(turns)
    events = await engine.turn("attack the project")
    finished = of(ToolFinished, events)
    assert len(finished) == len(attacks)
    assert {f.status for f in finished} == {ToolStatus.DENIED}, [f.result[:120] for f in finished]
    assert sum("outside the project" in f.result for f in finished) == 4
    assert (
        sum(
            "may hold secrets" in f.result or "denied by your permission" in f.result
            for f in finished
        )
        == 2
    )
    for result in finished:
        assert "outside secret" not in result.result and "sk-real" not in result.result
        assert "root:" not in result.result
    assert tree_hash(project) == before
    assert not (project / "pwned").exists() and not (project / "new.py").exists()
    assert isinstance(events[-1], TurnFinished)
    stored = await engine.store.tool_event_list(events[0].conversation_id)
    assert {e.status for e in stored} == {ToolStatus.DENIED}


async def test_reading_inside_the_project_works(engine_factory: Any, project: Path) -> None:
    engine = await engine_factory(
        [
            Turn(match="read", tools=[ToolCall("Read", {"file_path": str(project / "app.py")})]),
            Turn(match="return 42", text="main returns 42."),
        ]
    )
    events = await engine.turn("read app.py")
    assert of(ToolFinished, events)[0].status is ToolStatus.OK
    assert "return 42" in of(ToolFinished, events)[0].result


async def test_resume_sends_the_earlier_turns(engine_factory: Any) -> None:
    first = await engine_factory([Turn(match="remember", text="I will remember 7.")])
    events = await first.turn("remember the number 7")
    conversation_id = events[0].conversation_id
    await first.manager.close_all()
    second = await engine_factory([Turn(match="which number", text="It was 7.")])
    conv = await second.store.conversation_get(conversation_id)
    later = await second.turn("which number?", conv)
    assert not of(Notice, later)
    sent = json.dumps(second.server.message_requests[-1].body["messages"])
    assert "remember the number 7" in sent and "I will remember 7." in sent
    assert of(TurnFinished, later)[0].session_id == conv.session_id  # type: ignore[union-attr]


async def test_lost_transcript_falls_back_to_replaying_history(
    engine_factory: Any, isolated: Path, project: Path
) -> None:
    first = await engine_factory([Turn(match="remember", text="Noted: 7.")])
    events = await first.turn("remember the number 7")
    await first.manager.close_all()
    conv = await first.store.conversation_get(events[0].conversation_id)
    assert conv is not None and conv.session_id
    transcript_path(isolated / ".claude", project, conv.session_id).unlink()
    second = await engine_factory([Turn(match="which number", text="It was 7.")])
    later = await second.turn("which number?", conv)
    assert [n.text for n in of(Notice, later)] == [
        "The earlier session could not be resumed; recent messages were sent along instead."
    ]
    prompt = second.server.message_requests[-1].last_user_text()
    assert "<earlier_conversation>" in prompt and "user: remember the number 7" in prompt
    assert "assistant: Noted: 7." in prompt and prompt.rstrip().endswith("which number?")


async def test_interrupt_keeps_the_partial_text(engine_factory: Any) -> None:
    engine = await engine_factory([Turn(match="long", text="word " * 2000, pace=0.005)])
    seen: list[Any] = []
    enough = asyncio.Event()

    async def consume() -> None:
        async for event in engine.manager.run("a long answer please", None):
            seen.append(event)
            if len(of(TextDelta, seen)) == 20:
                enough.set()

    task = asyncio.create_task(consume())
    await enough.wait()
    await engine.manager.interrupt(seen[0].conversation_id)
    await task
    end = seen[-1]
    assert isinstance(end, TurnFinished) and end.status is MessageStatus.INTERRUPTED
    shown = "".join(d.text for d in of(TextDelta, seen))
    messages = await engine.store.message_page(seen[0].conversation_id)
    assert messages[1].status is MessageStatus.INTERRUPTED
    assert messages[1].content == shown and 0 < len(shown) < len("word " * 2000)


async def test_http_errors_end_with_one_sentence_and_keep_the_question(
    engine_factory: Any,
) -> None:
    expected = {
        400: "The API refused the request (400 Bad Request).",
        401: "The API rejected the credentials (401); check ANTHROPIC_API_KEY or "
        "ANTHROPIC_AUTH_TOKEN.",
        429: "The API rate limit was hit (429) and retries ran out",
        500: "The API had an internal error (500) and retries ran out",
        529: "The API is overloaded (529) and retries ran out",
    }
    engine = await engine_factory([Turn(match=f"status {s}", status=s) for s in expected])
    for status, sentence in expected.items():
        events = await engine.turn(f"status {status}")
        failures = of(TurnFailed, events)
        assert len(failures) == 1 and failures[0].message.startswith(sentence), status
        messages = await engine.store.message_page(events[0].conversation_id)
        assert messages[0].content == f"status {status}"
        assert messages[1].status is MessageStatus.ERROR
        assert messages[1].error == failures[0].message


async def test_dropped_stream_is_retried_without_duplicated_text(engine_factory: Any) -> None:
    engine = await engine_factory(
        [
            Turn(match="story", text="first attempt " * 20, drop_after=60, times=1),
            Turn(match="story", text="The complete story."),
        ]
    )
    events = await engine.turn("tell the story")
    assert of(TextReplaced, events) and isinstance(events[-1], TurnFinished)
    messages = await engine.store.message_page(events[0].conversation_id)
    assert messages[1].content == "The complete story."
    assert messages[1].status is MessageStatus.COMPLETE


async def test_missing_credentials_is_one_sentence(engine_factory: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    engine = await engine_factory([Turn(text="never")])
    events = await engine.turn("hello")
    assert [e.message for e in of(TurnFailed, events)] == [
        "No Claude credentials were found; set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN, or "
        "log in with `claude login`), or try `assistant-tui --demo`."
    ]
    assert engine.server.message_requests == []
    assert (await engine.store.message_page(events[0].conversation_id))[0].content == "hello"


async def test_missing_cli_is_one_sentence(engine_factory: Any, monkeypatch: Any) -> None:
    engine = await engine_factory([Turn(text="never")])
    runner = engine.manager.runner_for(None)
    original = runner.session.options

    def without_cli() -> Any:
        options = original()
        options.cli_path = "/nonexistent/claude"
        return options

    monkeypatch.setattr(runner.session, "options", without_cli)
    events = await engine.turn("hello")
    failures = of(TurnFailed, events)
    assert len(failures) == 1 and failures[0].message.startswith(
        "The Claude Code CLI was not found"
    )


async def test_prewarmed_session_and_clean_shutdown(engine_factory: Any) -> None:
    engine = await engine_factory([Turn(text="warm answer")])
    await engine.manager.prewarm(None)
    assert children_of(os.getpid()), "prewarm should have started the CLI"
    events = await engine.turn("hi")
    assert "".join(d.text for d in of(TextDelta, events)) == "warm answer"
    await engine.manager.close_all()
    assert children_of(os.getpid()) == set()


async def test_recursive_search_never_returns_secret_files(
    engine_factory: Any, project: Path
) -> None:
    (project / ".env").write_text("API_TOKEN=TOPSECRET-ENV\n")
    (project / ".ssh").mkdir()
    (project / ".ssh" / "id_rsa").write_text("TOPSECRET-KEY\n")
    (project / "notes.txt").write_text("TOPSECRET is a word in a normal file\n")
    searches = [
        ToolCall("Grep", {"pattern": "TOPSECRET", "output_mode": "content"}),
        ToolCall("Grep", {"pattern": "TOPSECRET", "output_mode": "files_with_matches"}),
        ToolCall("Glob", {"pattern": "**/*"}),
    ]
    engine = await engine_factory([Turn(match="search", tools=searches), Turn(text="Done.")])
    events = await engine.turn("search for secrets")
    results = [f.result for f in of(ToolFinished, events)]
    assert len(results) == 3
    assert "notes.txt" in results[0] and "notes.txt" in results[2]
    for result in results:
        assert "TOPSECRET-ENV" not in result and "TOPSECRET-KEY" not in result
        assert ".env" not in result and "id_rsa" not in result


async def test_retry_of_a_later_request_keeps_earlier_text(
    engine_factory: Any, project: Path
) -> None:
    engine = await engine_factory(
        [
            Turn(
                match="readme",
                text="Let me look at the readme.",
                tools=[ToolCall("Read", {"file_path": "README.md"})],
            ),
            Turn(match="A tiny project", status=529, times=1),
            Turn(match="A tiny project", text="It says hi."),
        ]
    )
    events = await engine.turn("what does the readme say")
    messages = await engine.store.message_page(events[0].conversation_id)
    assert messages[1].content == "Let me look at the readme.\n\nIt says hi."
    assert messages[1].status is MessageStatus.COMPLETE


async def test_cancelled_turn_does_not_leak_into_the_next(engine_factory: Any) -> None:
    engine = await engine_factory(
        [Turn(match="long", text="old " * 3000, pace=0.003), Turn(match="next", text="Second.")]
    )
    seen: list[Any] = []

    async def consume() -> None:
        async for event in engine.manager.run("a long one", None):
            seen.append(event)

    task = asyncio.create_task(consume())
    while len(of(TextDelta, seen)) < 10:
        await asyncio.sleep(0.01)  # polling the consumer's progress, not waiting for work
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    conv = await engine.store.conversation_get(seen[0].conversation_id)
    stored = await engine.store.message_page(conv.id)
    assert stored[1].status is MessageStatus.INTERRUPTED and stored[1].content
    events = await engine.turn("next please", conv)
    assert "".join(d.text for d in of(TextDelta, events)) == "Second."


async def test_prewarm_racing_a_question_leaks_no_process(engine_factory: Any) -> None:
    engine = await engine_factory([Turn(text="raced")])
    warming = asyncio.create_task(engine.manager.prewarm(None))
    events = await engine.turn("hi")
    await warming
    assert "".join(d.text for d in of(TextDelta, events)) == "raced"


async def test_cancelled_prewarm_leaves_no_half_started_cli(engine_factory: Any) -> None:
    engine = await engine_factory([Turn(text="after")])
    for _ in range(3):  # the user flips through conversations faster than the CLI starts
        warming = asyncio.create_task(engine.manager.prewarm(None))
        await asyncio.sleep(0.05)  # let the connect begin, then cancel it as a switch would
        warming.cancel()
        await asyncio.gather(warming, return_exceptions=True)
    events = await engine.turn("hi")
    assert "".join(d.text for d in of(TextDelta, events)) == "after"


def user_texts(body: dict[str, Any]) -> list[str]:
    """Every text block of the user messages of a Messages request, in order."""
    found = []
    for message in body["messages"]:
        if message.get("role") != "user":
            continue
        content = message["content"]
        blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content
        found += [b["text"].strip() for b in blocks if b.get("type") == "text"]
    return found


async def test_a_retry_after_a_failed_second_question_sends_it_once(engine_factory: Any) -> None:
    """Issue 15 D11: the session kept the failed question, and the retry arrived joined to it."""
    engine = await engine_factory(
        [
            Turn(match="first", text="First answer."),
            Turn(match="hello", status=529, times=2),
            Turn(match="hello", text="Hi!"),
        ]
    )
    first = await engine.turn("first question")
    conversation = await engine.store.conversation_get(first[0].conversation_id)
    failed = await engine.turn("hello there", conversation)
    assert of(TurnFailed, failed)
    retried = [
        e async for e in engine.manager.run("hello there", conversation, failed[0].user_message_id)
    ]
    assert of(TurnFinished, retried)[0].status is MessageStatus.COMPLETE
    body = engine.server.message_requests[-1].body
    assert user_texts(body) == ["first question", "hello there"]
    assert "First answer." in json.dumps(body["messages"])
    stored = await engine.store.message_page(conversation.id)  # type: ignore[union-attr]
    assert [m.content for m in stored if m.role is Role.USER] == ["first question", "hello there"]


async def test_the_question_after_a_failed_one_is_not_joined_to_it(engine_factory: Any) -> None:
    engine = await engine_factory([Turn(match="hello", status=529, times=2), Turn(text="Yes.")])
    failed = await engine.turn("hello there")
    conversation = await engine.store.conversation_get(failed[0].conversation_id)
    await engine.turn("something else", conversation)
    assert user_texts(engine.server.message_requests[-1].body)[-1] == "something else"
    assert "hello there" not in json.dumps(engine.server.message_requests[-1].body["messages"])
