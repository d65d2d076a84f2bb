"""The assistant's multiple-choice questions (its ``ask_user`` tool): their shape, the checks on
what the model sends, and the answer it gets back.

Plain data, shared by the engine (tui.agent.ask_user, which waits for the answer) and the chat's
choice list (tui.widgets.choice_card, which draws it). The shape is upstream's: ``questions`` is
a list of one to four, each with ``question``, ``header`` (a short label), ``options`` (two to
four, each ``{label, description}``) and ``multiSelect``. Everything in it comes from the model:
it is checked here, bounded, and drawn inert by the widget.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MAX_QUESTIONS = 4
MIN_OPTIONS, MAX_OPTIONS = 2, 4
QUESTION_CHARS = 1_000
HEADER_CHARS = 20  # upstream's chip holds 12; a line of its own here fits a few more
LABEL_CHARS = 80
DESCRIPTION_CHARS = 400
TYPED_CHARS = 2_000  # a free answer the user types

NOBODY_HERE = (
    "Nobody is there to choose: this runs headless (assistant-tui ask), so no answer will come. "
    "Choose the option that fits the request best, say in one sentence which one you assumed "
    "and why, and go on."
)


class BadQuestions(ValueError):
    """The tool's arguments do not hold a question the user can answer (one sentence)."""


@dataclass(frozen=True)
class Option:
    label: str
    description: str = ""


@dataclass(frozen=True)
class Asking:
    """One question of a call: what is asked and the options offered."""

    question: str
    header: str
    options: tuple[Option, ...]
    multi: bool = False


@dataclass(frozen=True)
class Answer:
    """What the user gave for one question: the labels picked, or words of their own."""

    labels: tuple[str, ...] = ()
    typed: str | None = None

    def line(self) -> str:
        """The answer in a few words, for the tool log and the chat."""
        return self.typed if self.typed is not None else ", ".join(self.labels)


def parse(arguments: Any) -> tuple[Asking, ...]:
    """The questions of one call, or BadQuestions saying in one sentence what is wrong."""
    if not isinstance(arguments, dict):
        raise BadQuestions("ask_user takes an object with a questions list.")
    questions = arguments.get("questions")
    if not isinstance(questions, list) or not 1 <= len(questions) <= MAX_QUESTIONS:
        raise BadQuestions(
            f"ask_user needs a questions list of 1 to {MAX_QUESTIONS} questions; ask again with "
            "fewer questions or none left out."
        )
    return tuple(_question(item, number) for number, item in enumerate(questions, 1))


def _question(item: Any, number: int) -> Asking:
    where = f"question {number}"
    if not isinstance(item, dict):
        raise BadQuestions(f"ask_user: {where} must be an object with question and options.")
    text = _text(item.get("question"), f"{where}'s question", QUESTION_CHARS, lines=True)
    header = _text(item.get("header", ""), f"{where}'s header", HEADER_CHARS)
    multi = item.get("multiSelect", False)
    if not isinstance(multi, bool):
        raise BadQuestions(f"ask_user: {where}'s multiSelect must be true or false.")
    options = item.get("options")
    if not isinstance(options, list) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise BadQuestions(
            f"ask_user: {where} needs {MIN_OPTIONS} to {MAX_OPTIONS} options, each with a label "
            "and a description (the user can always type an answer of their own)."
        )
    parsed = tuple(_option(o, f"{where}'s option {n}") for n, o in enumerate(options, 1))
    labels = [o.label.casefold() for o in parsed]
    if len(set(labels)) != len(labels):
        raise BadQuestions(f"ask_user: {where} offers the same label twice; make each distinct.")
    return Asking(text, header, parsed, multi)


def _option(item: Any, where: str) -> Option:
    # No stricter and no more lenient than the tool's schema: what passes here must pass the
    # SDK's own check too, or the model would read a validator's words instead of ours.
    if not isinstance(item, dict):
        raise BadQuestions(f"ask_user: {where} must be an object with a label and a description.")
    label = _text(item.get("label"), f"{where}'s label", LABEL_CHARS, required=True)
    described = _text(item.get("description", ""), f"{where}'s description", DESCRIPTION_CHARS)
    return Option(label, described)


def _text(value: Any, what: str, limit: int, required: bool = False, lines: bool = False) -> str:
    """A checked field as it will be drawn: on one line (a question keeps its lines, without
    runs of empty ones), every control or invisible character written as an escape."""
    required = required or lines
    if not isinstance(value, str):
        kind = "a non-empty string" if required else "a string"
        raise BadQuestions(f"ask_user: {what} must be {kind}.")
    if required and not value.strip():
        raise BadQuestions(f"ask_user: {what} must be a non-empty string.")
    if len(value) > limit:
        raise BadQuestions(
            f"ask_user: {what} is {len(value):,} characters, more than {limit:,}; shorten it."
        )
    if not lines:
        return visible(" ".join(value.split()))
    kept: list[str] = []
    for line in value.replace("\r\n", "\n").split("\n"):
        line = " ".join(line.split())
        if line or (kept and kept[-1]):
            kept.append(visible(line))
    return "\n".join(kept).strip()


def visible(text: str) -> str:
    """Controls, bidi overrides and zero-width characters as escapes (\\u202e): none can move,
    hide or pose as other text where it is drawn, in the chat or on stderr."""
    return "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c
        for c in text
    )


def answer_text(questions: Sequence[Asking], answers: Sequence[Answer]) -> str:
    """The tool's result: each question with what the user chose, as the model reads it."""
    lines = ["The user answered:"]
    for asked, answer in zip(questions, answers, strict=True):
        if answer.typed is not None:
            given = f"in their own words: {answer.typed}"
        elif not answer.labels:
            given = "(chose none of the options)"
        else:
            given = ", ".join(answer.labels)
        lines.append(f"- {asked.question} → {given}")
    return "\n".join(lines)


def summary(answers: Sequence[Answer], limit: int = 80) -> str:
    """The answers in one short line (the tool log's decision column)."""
    text = "; ".join(" ".join(a.line().split()) for a in answers)
    return text if len(text) <= limit else text[: limit - 1] + "…"
