"""Thinking in the translator on hand-built SDK stream events: which events each block makes,
how blocks of one turn join, what a retried stream takes back, and the time spent."""

from __future__ import annotations

import dataclasses
from typing import Any

from tests.helpers.sdk import (
    api_retry,
    result,
    streamed,
    thinking_then,
    thought,
    tool_result,
    tool_use,
)
from tui.agent.events import (
    Event,
    Retrying,
    TextDelta,
    ThinkingDelta,
    ThinkingReplaced,
    ToolFinished,
    TurnFinished,
)
from tui.agent.translate import Translator


def feed(translator: Translator, messages: list[Any]) -> list[Event]:
    """Every event, with the thinking time checked to never go back, then zeroed."""
    events: list[Event] = []
    last = 0.0
    for message in messages:
        for event in translator.feed(message):
            if isinstance(event, ThinkingDelta | ThinkingReplaced):
                assert event.seconds >= 0 and (
                    isinstance(event, ThinkingReplaced) or event.seconds >= last
                )
                last = event.seconds
                event = dataclasses.replace(event, seconds=0.0)
            if isinstance(event, ToolFinished):
                event = dataclasses.replace(event, duration_s=0.0)
            events.append(event)
    return events


def test_thinking_comes_apart_from_the_text_and_ends_with_its_time() -> None:
    translator = Translator()
    events = feed(translator, thinking_then(thought("Let me ", "see."), "It is ", "42."))
    assert events == [
        ThinkingDelta("Let me ", 0.0),
        ThinkingDelta("see.", 0.0),
        ThinkingDelta("", 0.0),  # the block's end, with its final time
        TextDelta("It is "),
        TextDelta("42."),
    ]
    assert translator.thinking.text == "Let me see."
    assert translator.text == "It is 42."


def test_blocks_of_one_turn_join_by_a_blank_line_and_add_up_their_time() -> None:
    translator = Translator()
    messages = [
        *thinking_then(thought("Read it first.")),
        tool_use("t1", "Read", {"file_path": "app.py"}),
        tool_result("t1", "x = 1"),
        *thinking_then(thought("Now answer."), "x is 1."),
        result(),
    ]
    events = feed(translator, messages)
    assert [e for e in events if isinstance(e, ThinkingDelta) and e.text] == [
        ThinkingDelta("Read it first.", 0.0),
        ThinkingDelta("\n\nNow answer.", 0.0),
    ]
    assert isinstance(events[-1], TurnFinished)
    assert translator.thinking.text == "Read it first.\n\nNow answer."
    first_end = translator.thinking.seconds
    assert first_end > 0 and translator.thinking.milliseconds == round(first_end * 1000)


def test_a_signature_only_block_shows_nothing() -> None:
    """The omitted display: the block carries a signature and no text."""
    translator = Translator()
    assert feed(translator, thinking_then(thought(), "Hi.")) == [TextDelta("Hi.")]
    assert translator.thinking.text == ""


def test_a_dropped_stream_takes_back_its_thinking_and_keeps_the_earlier() -> None:
    translator = Translator()
    messages = [
        *thinking_then(thought("First."), "Part one."),
        tool_use("t1", "Glob", {"pattern": "*.py"}),
        tool_result("t1", "app.py"),
        *thinking_then(thought("Half a th", signed=False)),  # the CLI closes the dropped message
        api_retry(1, None),
        *thinking_then(thought("Whole thought."), "Done."),
    ]
    events = feed(translator, messages)
    assert ThinkingReplaced("First.", 0.0) in events
    replaced = events.index(ThinkingReplaced("First.", 0.0))
    assert isinstance(events[replaced + 1], Retrying)
    assert translator.thinking.text == "First.\n\nWhole thought."


def test_a_restarted_message_without_its_stop_drops_its_thinking() -> None:
    translator = Translator()
    start = streamed(stop=False)[0]
    draft = [start, *thought("Draft", signed=False)[:2]]  # no stop: the stream restarted
    events = feed(translator, [*draft, *thinking_then(thought("Final."), "Ok.")])
    assert events == [
        ThinkingDelta("Draft", 0.0),
        ThinkingReplaced("", 0.0),
        ThinkingDelta("Final.", 0.0),
        ThinkingDelta("", 0.0),
        TextDelta("Ok."),
    ]
    assert translator.thinking.text == "Final."
