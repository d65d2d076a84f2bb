"""The dialog that puts a web fetch or a backlog write to the user (tui.agent.approval).

Keyboard-first: ↑/↓ and Enter, or the letter of an answer; Esc denies. No answer is taken until
half a second has passed without a key, so keys the user was already typing (an Enter ending a
question, the "c" of a word) are swallowed and can never allow a call they have not read.
Everything shown comes from the model: it is plain text with escape sequences made visible.
When the CLI gives up on the call (the turn was interrupted), the question's future is
cancelled and the dialog closes by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.agent.approval import Choice, Question
from tui.text import inert

ARMED_AFTER_S = 0.5
clock = time.monotonic  # looked up at each use, so a test can hold time still
CALM_KEYS = {"escape", "up", "down"}  # deny and moving the highlight never need arming
KEYS = {Choice.ONCE: "o", Choice.CONVERSATION: "c", Choice.PROJECT: "p", Choice.DENY: "d"}


def choice_label(question: Question, choice: Choice) -> str:
    """What an answer says, naming the host or the backlog it covers."""
    what = inert(question.host) if question.host else "backlog writes"
    return {
        Choice.ONCE: "Allow once",
        Choice.CONVERSATION: f"Allow {what} for this conversation",
        Choice.PROJECT: f"Always allow {what} for this project",
        Choice.DENY: "Deny (Esc)",
    }[choice]


class ChoiceList(OptionList):
    """The answers; a key typed before the dialog is armed is swallowed and re-arms it."""

    def on_key(self, event: events.Key) -> None:
        screen = self.screen
        if not isinstance(screen, ApprovalDialog) or event.key in CALM_KEYS:
            return
        if not screen.armed():
            event.stop()
            event.prevent_default()
            screen.opened_at = clock()  # still typing: wait for half a second of quiet


class ApprovalDialog(ModalScreen[Choice | None]):
    """One question; dismissed with the answer, or with None when the call was given up."""

    BINDINGS = [
        Binding("escape", "answer('deny')", "Deny", priority=True),
        Binding("o", "answer('once')", "Allow once", show=False),
        Binding("c", "answer('conversation')", "For this conversation", show=False),
        Binding("p", "answer('project')", "For this project", show=False),
        Binding("d", "answer('deny')", "Deny", show=False),
    ]

    def __init__(self, question: Question) -> None:
        super().__init__(classes="dialog -wide")
        self.question = question
        self.opened_at = clock()
        self.answered = False

    def compose(self) -> ComposeResult:
        question = self.question
        with Vertical(id="approval-box"):
            yield Label(inert(question.title), markup=False, id="approval-title")
            with VerticalScroll(id="approval-body"):
                yield Static(Text(inert(question.body)), id="approval-text")
            yield ChoiceList(
                *(
                    Option(Text(f"{KEYS[c]}  {choice_label(question, c)}"), id=c.value)
                    for c in question.choices
                ),
                id="approval-choices",
            )
            keys = " ".join(KEYS[c] for c in question.choices)
            yield Label(f"↑ ↓ Enter, or {keys} · Esc denies", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.opened_at = clock()
        self.query_one(OptionList).highlighted = 0
        self.query_one(OptionList).focus()
        self.question.answer.add_done_callback(self._settled)

    def armed(self) -> bool:
        """Whether the dialog has been up long enough to take an answer other than Esc."""
        return clock() - self.opened_at >= ARMED_AFTER_S

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.armed() and event.option.id:
            self._answer(Choice(event.option.id))

    def action_answer(self, value: str) -> None:
        choice = Choice(value)
        if choice in self.question.choices and (choice is Choice.DENY or self.armed()):
            self._answer(choice)

    def _answer(self, choice: Choice) -> None:
        self.answered = True
        self.question.choose(choice)
        self.dismiss(choice)

    def _settled(self, answer: asyncio.Future[Choice]) -> None:
        """The question ended elsewhere (the turn was interrupted, or a standing answer
        covered it): close the dialog if it is still up."""
        if not self.answered and self.is_attached and self.app.screen is self:
            self.answered = True
            with contextlib.suppress(Exception):  # the app is closing
                self.dismiss(None)

    def on_screen_resume(self) -> None:
        """Back on top after another screen: a question settled meanwhile closes now."""
        if self.question.answer.done():
            self._settled(self.question.answer)
