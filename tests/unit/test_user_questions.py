"""The assistant's questions to the user (ask_user): what the guard lets through, the one
sentence on bad input, the answer the model reads, and the handler's wait (tui.agent.ask_user)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tui.agent.approval import Approvals
from tui.agent.ask_user import INPUT_SCHEMA, Pick
from tui.agent.guard import Guard
from tui.agent.prompt import system_prompt
from tui.screens.keys import help_groups, key_label
from tui.tool_lines import ASK_USER, describe
from tui.user_questions import NOBODY_HERE, Answer, BadQuestions, answer_text, parse

OPTIONS = [{"label": "A", "description": "first"}, {"label": "B"}]


def one(**question: Any) -> dict[str, Any]:
    return {"questions": [{"question": "Which one?", "options": OPTIONS, **question}]}


def test_upstreams_shape_is_read_with_its_defaults() -> None:
    (asked,) = parse(one(header="Pick", multiSelect=True))
    assert (asked.question, asked.header, asked.multi) == ("Which one?", "Pick", True)
    assert [(o.label, o.description) for o in asked.options] == [("A", "first"), ("B", "")]
    plain = {"question": "Q?", "options": [{"label": "yes"}, {"label": "no"}]}
    (asked,) = parse({"questions": [plain]})
    assert (asked.header, asked.multi, asked.options[1].label) == ("", False, "no")


@pytest.mark.parametrize(
    ("arguments", "sentence"),
    [
        ({}, "ask_user needs a questions list of 1 to 4 questions"),
        ({"questions": []}, "ask_user needs a questions list of 1 to 4 questions"),
        ({"questions": [one()["questions"][0]] * 5}, "of 1 to 4 questions"),
        (one(options=[{"label": "A"}]), "question 1 needs 2 to 4 options"),
        (one(options=[{"label": str(n)} for n in range(5)]), "question 1 needs 2 to 4 options"),
        (one(options=[{"label": "A"}, {"label": "a"}]), "offers the same label twice"),
        (one(options=[{"label": ""}, {"label": "B"}]), "option 1's label must be a non-empty"),
        (one(options=[{"label": 3}, {"label": "B"}]), "option 1's label must be a non-empty"),
        (one(question="  "), "question 1's question must be a non-empty string"),
        (one(header="x" * 21), "question 1's header is 21 characters, more than 20"),
        (one(question="q" * 1001), "question is 1,001 characters, more than 1,000"),
        (one(multiSelect="yes"), "question 1's multiSelect must be true or false"),
        ({"questions": ["Which?"]}, "question 1 must be an object"),
        (one(options=["A", "B"]), "option 1 must be an object with a label"),
        (one(header=None), "question 1's header must be a string"),
        (one(options=[{"label": "A", "description": 2}, {"label": "B"}]), "description must be"),
    ],
)
def test_bad_input_is_one_sentence(arguments: dict[str, Any], sentence: str) -> None:
    with pytest.raises(BadQuestions) as raised:
        parse(arguments)
    said = str(raised.value)
    assert sentence in said and said.endswith(".") and said.count(". ") == 0, said


def test_text_is_kept_as_drawn_without_hidden_characters() -> None:
    (asked,) = parse(one(question="Line one\n\n\n\n\nline two \u202e\x1b[2J", header="a\tb"))
    assert asked.question == "Line one\n\nline two \\u202e\\u001b[2J"
    assert asked.header == "a b"


def test_the_answer_names_each_question_and_what_was_chosen() -> None:
    questions = parse(
        {"questions": [one()["questions"][0], {"question": "And?", "options": OPTIONS}]}
    )
    text = answer_text(questions, [Answer(("A", "B")), Answer(typed="neither, C")])
    assert (
        text == "The user answered:\n- Which one? → A, B\n- And? → in their own words: neither, C"
    )


def test_the_guard_allows_a_good_question_and_refuses_a_bad_one(tmp_path: Path) -> None:
    guard = Guard(tmp_path)
    assert guard.decide(ASK_USER, one()) is None
    reason = guard.decide(ASK_USER, {"questions": []})
    assert reason is not None and reason.startswith("ask_user needs a questions list")


def test_the_tool_log_line_says_what_is_asked() -> None:
    assert describe(ASK_USER, one()) == "Asking you: Which one?"
    two = {"questions": [one()["questions"][0]] * 2}
    assert describe(ASK_USER, two) == "Asking you: Which one? (and 1 more)"
    assert describe(ASK_USER, {}) == "Asking you a question"


async def test_the_handler_waits_for_the_pick_under_the_call_id_the_guard_saw(
    tmp_path: Path,
) -> None:
    guard = Guard(tmp_path, approvals=Approvals(interactive=True))
    assert await guard.check(ASK_USER, one(), "toolu_1") is None
    handling = asyncio.ensure_future(guard.ask_user.handle(one()))
    pick = await guard.approvals.questions.get()
    assert isinstance(pick, Pick) and pick.tool_use_id == "toolu_1"
    assert guard.decisions["toolu_1"].startswith("asked")
    pick.choose((Answer(("B",)),))
    result = await handling
    assert result == {"content": [{"type": "text", "text": "The user answered:\n- Which one? → B"}]}
    assert guard.decisions["toolu_1"] == "answered by you: B"


async def test_a_question_given_up_answers_the_call_instead_of_hanging(tmp_path: Path) -> None:
    guard = Guard(tmp_path, approvals=Approvals(interactive=True))
    handling = asyncio.ensure_future(guard.ask_user.handle(one()))
    await guard.approvals.questions.get()
    guard.approvals.give_up()
    result = await handling
    assert result["is_error"] and "did not answer" in result["content"][0]["text"]


async def test_headless_the_handler_says_nobody_is_there_at_once(tmp_path: Path) -> None:
    guard = Guard(tmp_path)  # Approvals() is headless
    assert await guard.check(ASK_USER, one(), "toolu_9") is None
    result = await guard.ask_user.handle(one())
    assert result == {"content": [{"type": "text", "text": NOBODY_HERE}]}
    assert guard.decisions["toolu_9"] == "nobody to ask (headless)"
    assert guard.approvals.questions.empty()


def test_the_help_lists_the_keys_of_the_choice_list() -> None:
    keys = {
        key_label(b.key): b.description
        for b in help_groups()["When the assistant asks you to pick"]
    }
    assert keys["1"] == "Pick option 1" and keys["4"] == "Pick option 4"
    assert keys["Esc"] == "Cancel answer" and "Letters" in keys and "↑, ↓, Enter" in keys


@pytest.mark.parametrize(
    "arguments",
    [
        one(),
        one(header="H", multiSelect=False),
        one(options=["A", "B"]),
        one(header=None),
        one(multiSelect=None),
        one(options=[{"label": "A", "description": None}, {"label": "B"}]),
        {
            "questions": [
                {"question": "Q?", "options": [{"description": "no label"}, {"label": "B"}]}
            ]
        },
        {"questions": [{"options": OPTIONS}]},
    ],
)
def test_what_the_guard_lets_through_the_sdks_schema_check_accepts(arguments: Any) -> None:
    """Else the model would read the SDK's validator message instead of our one sentence."""
    try:
        parse(arguments)
    except BadQuestions:
        return  # refused by us first: the SDK never sees it
    jsonschema.validate(arguments, INPUT_SCHEMA)


def test_the_system_prompt_says_when_to_ask(tmp_path: Path) -> None:
    text = system_prompt(tmp_path)
    assert "Asking the user to choose (the ask_user tool):" in text
    assert "real alternatives that change your answer" in text
    assert "state which option you assumed and go on" in text
