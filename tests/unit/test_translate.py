"""The translator on hand-built SDK messages: exactly which events each message becomes.

No CLI and no model server: each test feeds the SDK's own message types in the order the CLI
sends them and compares the whole list of events, so an extra, missing or reordered event fails.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from claude_agent_sdk import AssistantMessage, SystemMessage, TextBlock, UserMessage

from tests.helpers.sdk import SESSION, api_retry, result, stream, streamed, tool_result, tool_use
from tui.agent.events import (
    Compacted,
    Event,
    Retrying,
    TextDelta,
    TextReplaced,
    ToolFinished,
    ToolStarted,
    TurnFailed,
    TurnFinished,
)
from tui.agent.translate import Translator
from tui.models import MessageStatus, ToolStatus, TurnUsage

USAGE = TurnUsage(
    input_tokens=120,
    output_tokens=30,
    cache_read_tokens=1000,
    cache_write_tokens=50,
    cost_usd=0.0125,
    duration_ms=1500,
)


def feed(translator: Translator, messages: list[Any]) -> list[Event]:
    """Every event of the messages, in order, with tool durations checked and then zeroed
    (they are measured on the wall clock, so only their sign is known)."""
    events: list[Event] = []
    for message in messages:
        for event in translator.feed(message):
            if isinstance(event, ToolFinished):
                assert event.duration_s >= 0
                event = dataclasses.replace(event, duration_s=0.0)
            events.append(event)
    return events


def test_text_across_two_messages_is_joined_by_a_blank_line() -> None:
    """The reply before a tool call and the one after it are one answer, a paragraph apart."""
    translator = Translator()
    messages = [
        *streamed("Let me ", "look."),
        tool_use("t1", "Read", {"file_path": "app.py"}),
        tool_result("t1", "def main():\n    return 42\n"),
        *streamed("It returns ", "42."),
        result(),
    ]
    assert feed(translator, messages) == [
        TextDelta("Let me "),
        TextDelta("look."),
        ToolStarted("t1", "Read", {"file_path": "app.py"}),
        ToolFinished("t1", "Read", "def main():\n    return 42\n", ToolStatus.OK, 0.0),
        TextDelta("\n\nIt returns "),  # the joint is drawn with the first piece after it
        TextDelta("42."),
        TurnFinished(MessageStatus.COMPLETE, USAGE, SESSION),
    ]
    assert translator.text == "Let me look.\n\nIt returns 42."
    assert translator.running_tools == []


def test_the_final_assistant_text_is_not_counted_twice() -> None:
    """Text comes as stream deltas and again in the finished message: only the deltas count."""
    translator = Translator()
    messages = [*streamed("Hello."), AssistantMessage([TextBlock("Hello.")], "scripted")]
    assert feed(translator, messages) == [TextDelta("Hello.")]
    assert translator.text == "Hello."


def test_a_dropped_stream_is_replaced_by_the_text_before_it() -> None:
    """The CLI closes a dropped message and retries: its text goes, the earlier text stays."""
    translator = Translator()
    messages = [
        *streamed("First part."),
        tool_use("t1", "Glob", {"pattern": "*.py"}),
        tool_result("t1", "app.py"),
        *streamed("Half a sen"),  # the connection drops here; the CLI closes the message
        api_retry(1, None),
        *streamed("A whole sentence."),
        result(),
    ]
    assert feed(translator, messages) == [
        TextDelta("First part."),
        ToolStarted("t1", "Glob", {"pattern": "*.py"}),
        ToolFinished("t1", "Glob", "app.py", ToolStatus.OK, 0.0),
        TextDelta("\n\nHalf a sen"),
        TextReplaced("First part."),
        Retrying(attempt=1, max_retries=10, status=None, delay_s=0.5, answered=True),
        TextDelta("\n\nA whole sentence."),
        TurnFinished(MessageStatus.COMPLETE, USAGE, SESSION),
    ]
    assert translator.text == "First part.\n\nA whole sentence."


def test_a_retry_before_any_answer_replaces_nothing() -> None:
    """A request that got no answer at all has no text to take back: only the retry shows."""
    translator = Translator()
    events = feed(translator, [api_retry(1, 529, 2000), api_retry(2, None), *streamed("Hi.")])
    assert events == [
        Retrying(attempt=1, max_retries=10, status=529, delay_s=2.0, answered=False),
        Retrying(attempt=2, max_retries=10, status=None, delay_s=0.5, answered=False),
        TextDelta("Hi."),
    ]


def test_a_restarted_message_without_its_stop_replaces_its_text() -> None:
    """A second message_start while text is pending means the first attempt is gone."""
    translator = Translator()
    messages = [*streamed("Draft", stop=False), *streamed("Final.")]
    assert feed(translator, messages) == [
        TextDelta("Draft"),
        TextReplaced(""),
        TextDelta("Final."),
    ]
    assert translator.text == "Final."


def test_denied_tools_by_the_guard_by_the_cli_and_a_plain_error() -> None:
    """Denied: refused by our guard (with its decision), by the CLI's deny rules, or a tool
    outside the read-only set; an error from an allowed tool stays an error."""
    translator = Translator(
        denied={"g1"}, decisions={"g1": "denied: the user said no", "w1": "allowed once"}
    )
    messages = [
        tool_use("g1", "WebFetch", {"url": "http://collect.evil.example/"}),
        tool_use("c1", "Read", {"file_path": ".env"}),
        tool_use("b1", "Bash", {"command": "rm -rf /"}),
        tool_use("e1", "Read", {"file_path": "missing.py"}),
        tool_use("w1", "WebFetch", {"url": "https://docs.python.org/"}),
        tool_result("g1", "The user denied this fetch.", is_error=True),
        tool_result("c1", "Permission to read .env was denied by your permission settings", True),
        tool_result("b1", [{"type": "text", "text": "No such tool available: Bash"}], True),
        tool_result("e1", "File does not exist.", is_error=True),
        tool_result("w1", [{"type": "text", "text": "Python docs"}, {"type": "image"}]),
    ]
    events = feed(translator, messages)
    assert events[5:] == [
        ToolFinished(
            "g1",
            "WebFetch",
            "The user denied this fetch.",
            ToolStatus.DENIED,
            0.0,
            "denied: the user said no",
        ),
        ToolFinished(
            "c1",
            "Read",
            "Permission to read .env was denied by your permission settings",
            ToolStatus.DENIED,
            0.0,
        ),
        ToolFinished("b1", "Bash", "No such tool available: Bash", ToolStatus.DENIED, 0.0),
        ToolFinished("e1", "Read", "File does not exist.", ToolStatus.ERROR, 0.0),
        ToolFinished("w1", "WebFetch", "Python docs\n[image]", ToolStatus.OK, 0.0, "allowed once"),
    ]
    assert [type(event) for event in events[:5]] == [ToolStarted] * 5
    assert translator.running_tools == []


def test_an_interrupted_turn_finishes_interrupted_with_its_tool_still_running() -> None:
    """Esc mid-tool: the result says the turn was aborted; the text so far is kept."""
    translator = Translator()
    messages = [
        *streamed("Reading it now."),
        tool_use("t1", "Grep", {"pattern": "TODO"}),
        result(terminal_reason="aborted_tools"),
    ]
    assert feed(translator, messages) == [
        TextDelta("Reading it now."),
        ToolStarted("t1", "Grep", {"pattern": "TODO"}),
        TurnFinished(MessageStatus.INTERRUPTED, USAGE, SESSION),
    ]
    assert translator.running_tools == ["t1"]  # the runner stores it as never finished
    assert translator.text == "Reading it now."


def test_an_interrupted_stream_finishes_interrupted_even_when_marked_an_error() -> None:
    translator = Translator()
    messages = [*streamed("Part", stop=False), result("aborted_streaming", is_error=True)]
    assert feed(translator, messages) == [
        TextDelta("Part"),
        TurnFinished(MessageStatus.INTERRUPTED, USAGE, SESSION),
    ]


def test_a_failed_result_is_one_sentence_naming_the_cause() -> None:
    translator = Translator()
    overloaded = result(
        terminal_reason=None, is_error=True, text="Overloaded", api_error_status=529
    )
    broken = result(terminal_reason=None, is_error=True, text="Something\nbroke.")
    assert feed(translator, [overloaded, broken]) == [
        TurnFailed(
            "The API is overloaded (529) and retries ran out; wait a moment, then press ctrl+r "
            "(or run the command again) to retry."
        ),
        TurnFailed(
            "The answer failed: Something broke; press ctrl+r (or run the command again) to retry."
        ),
    ]


def test_a_result_for_an_unknown_tool_id_still_finishes_with_no_name() -> None:
    """A result whose call was never seen (a resumed session) is shown, not dropped."""
    translator = Translator()
    assert feed(translator, [tool_result("lost", "text")]) == [
        ToolFinished("lost", "", "text", ToolStatus.OK, 0.0)
    ]


def test_other_messages_make_no_events() -> None:
    """The CLI's init, an empty message and a user message without tool results say nothing."""
    translator = Translator()
    init = SystemMessage(subtype="init", data={"session_id": SESSION})
    assert feed(translator, [init, *streamed(), UserMessage(content="a plain prompt")]) == []
    assert translator.text == ""


def test_the_context_figure_is_the_last_requests_input_not_the_turns_sum() -> None:
    """The result adds every request of a turn up; how full the window is comes from the last
    request alone: its input, cache reads and cache writes."""
    first = {"input_tokens": 10, "cache_read_input_tokens": 1_000, "output_tokens": 1}
    second = {"input_tokens": 20, "cache_creation_input_tokens": 300, "output_tokens": 1}
    messages = [
        stream({"type": "message_start", "message": {"usage": first}}),
        stream({"type": "message_stop"}),
        stream({"type": "message_start", "message": {"usage": second}}),
        stream({"type": "message_delta", "usage": {"output_tokens": 40}}),  # no input: kept
        stream({"type": "message_stop"}),
        result(),
    ]
    (finished,) = feed(Translator(), messages)
    assert isinstance(finished, TurnFinished) and finished.usage.context_tokens == 320


def test_a_compaction_boundary_is_an_event_with_its_size() -> None:
    data = {"subtype": "compact_boundary", "compact_metadata": {"trigger": "auto", "pre_tokens": 9}}
    (event,) = feed(Translator(), [SystemMessage(subtype="compact_boundary", data=data)])
    assert event == Compacted("auto", 9)
    assert event.line() == "Context compacted at 9 tokens into a summary."
    odd = SystemMessage(subtype="compact_boundary", data={"compact_metadata": "x"})
    assert feed(Translator(), [odd]) == [Compacted("auto", 0)]
