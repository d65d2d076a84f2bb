"""The assistant's question in the chat (its ``ask_user`` tool): numbered options to pick from,
and a line to type an answer of one's own.

Keys: 1-4 pick an option (toggle it when several may be chosen), ↑/↓ and Enter choose the
highlighted one, any other letter starts a typed answer (Enter sends it). Questions of one call
are asked one after the other; the card posts ``Answered`` after the last. As in the approval
dialog, no answer is taken until half a second has passed without a key: keys the user was
already typing when the card took the focus are swallowed. Everything drawn comes from the
model, as plain text with escape sequences made visible.
"""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.text import inert
from tui.user_questions import TYPED_CHARS, Answer, Asking
from tui.widgets.inert_input import InertInput

ARMED_AFTER_S = 0.5
clock = time.monotonic  # looked up at each use, so a test can hold time still
CALM_KEYS = {"escape", "up", "down", "tab", "shift+tab"}  # never need arming


class PickList(OptionList):
    """The options; a key before the card is armed is swallowed, a letter starts a typed answer."""

    def on_key(self, event: events.Key) -> None:
        card = next((a for a in self.ancestors if isinstance(a, ChoiceCard)), None)
        if card is None or event.key in CALM_KEYS:
            return
        if not card.armed():
            event.stop()
            event.prevent_default()
            card.opened_at = clock()  # still typing: wait for half a second of quiet
            return
        if event.is_printable and event.character and not card.picks(event.character):
            event.stop()
            event.prevent_default()
            card.type_answer(event.character)


class ChoiceCard(Vertical):
    """One call's questions, asked in turn; ``Answered`` carries every answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "pick(1)", "Pick option 1", show=False, id="pick_1"),
        Binding("2", "pick(2)", "Pick option 2", show=False, id="pick_2"),
        Binding("3", "pick(3)", "Pick option 3", show=False, id="pick_3"),
        Binding("4", "pick(4)", "Pick option 4", show=False, id="pick_4"),
        Binding("space", "tick", "Tick the highlighted option", show=False, id="pick_toggle"),
        # Nearer than the chat's own Esc (back to the prompt): here it gives the question up.
        Binding("escape", "give_up", "Cancel answer", id="pick_give_up"),
        # The chat's letter keys (copy, branch) are letters of a typed answer here; hidden, so
        # the key bar does not offer them while the question has the focus.
        *(Binding(key, f"letter('{key}')", show=False) for key in ("c", "y", "b")),
    ]
    # Keys no binding of its own handles, said once for the help screen.
    KEYS: ClassVar[list[Binding]] = [
        Binding(
            "up,down,enter",
            "",
            "Choose the highlighted option (with several allowed, Enter sends those ticked)",
        ),
        Binding("letters", "", "Type an answer of your own; Enter sends it"),
    ]

    class GaveUp(Message):
        """The user pressed Esc on the question: the answer is cancelled, as Esc elsewhere."""

    class Answered(Message):
        """The user answered every question of the card."""

        def __init__(self, card: ChoiceCard, answers: tuple[Answer, ...]) -> None:
            super().__init__()
            self.card = card
            self.answers = answers

    def __init__(
        self, questions: tuple[Asking, ...], token: object, given: list[Answer] | None = None
    ) -> None:
        super().__init__(classes="choice-card")
        self.questions = questions
        self.token = token  # what the screen asked with: the answer goes back to it
        # The answers so far, in the caller's list: each is in it the moment it is given, so a
        # card drawn again for the same call (the conversation switched away and back) resumes
        # at the first unanswered question. A message would arrive too late: the card can be
        # gone before it is handled.
        self.answers: list[Answer] = given if given is not None else []
        self.ticked: set[int] = set()  # options chosen so far, when several may be
        self.opened_at = clock()

    @property
    def asking(self) -> Asking:
        return self.questions[len(self.answers)]

    def compose(self) -> ComposeResult:
        yield Static(id="choice-question")
        yield PickList(id="choice-options")
        yield InertInput(
            placeholder="…or type your own answer and press Enter",
            max_length=TYPED_CHARS,
            select_on_focus=False,  # the letter that moved the focus here is the answer's first
            id="choice-typed",
        )
        yield Label("", id="choice-hint", markup=False)

    def on_mount(self) -> None:
        if len(self.answers) >= len(self.questions):  # answered before it was drawn again
            self._finish()
            return
        self._show()
        self.query_one(PickList).focus()
        self.opened_at = clock()

    def armed(self) -> bool:
        """Whether the card has been up long enough to take an answer."""
        return clock() - self.opened_at >= ARMED_AFTER_S

    def _show(self) -> None:
        """Draw the question now asked: its header, its text and its options."""
        asking = self.asking
        count = len(self.questions)
        title = Text("The assistant asks", style="bold")
        if asking.header:
            title.append(f" · {inert(' '.join(asking.header.split()))}")
        if count > 1:
            title.append(f" · {len(self.answers) + 1} of {count}")
        self.border_title = title
        self.query_one("#choice-question", Static).update(Text(inert(asking.question)))
        options = self.query_one(PickList)
        options.clear_options()
        options.add_options([Option(self._prompt(i)) for i in range(len(asking.options))])
        options.highlighted = 0
        self.ticked = set()
        last = len(asking.options)
        hint = f"1-{last} pick" if not asking.multi else f"1-{last} or Space tick, Enter sends"
        self.query_one("#choice-hint", Label).update(
            f"{hint} · ↑ ↓ Enter · type to answer in your own words · Esc cancels the answer"
        )

    def _prompt(self, index: int) -> Text:
        option = self.asking.options[index]
        mark = ("[x] " if index in self.ticked else "[ ] ") if self.asking.multi else ""
        text = Text(f"{index + 1}  {mark}")
        text.append(inert(" ".join(option.label.split())), style="bold")
        if option.description:
            text.append(" — " + inert(option.description), style="dim")
        return text

    def picks(self, character: str) -> bool:
        """Whether a typed character is a key of the list (a digit the options have, or Space)
        rather than the start of a typed answer."""
        if character == " ":
            return True
        return character.isdigit() and 1 <= int(character) <= len(self.asking.options)

    def action_pick(self, number: int) -> None:
        if not self.armed() or not 1 <= number <= len(self.asking.options):
            return
        if self.asking.multi:
            self._toggle(number - 1)
        else:
            self._answer(Answer((self.asking.options[number - 1].label,)))

    def action_tick(self) -> None:
        highlighted = self.query_one(PickList).highlighted
        if self.armed() and self.asking.multi and highlighted is not None:
            self._toggle(highlighted)

    def action_letter(self, key: str) -> None:
        if self.armed():
            self.type_answer(key)

    def action_give_up(self) -> None:
        self.post_message(self.GaveUp())

    def _toggle(self, index: int) -> None:
        self.ticked ^= {index}
        self.query_one(PickList).replace_option_prompt_at_index(index, self._prompt(index))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on the list: the highlighted option, or with several allowed, the ticked ones."""
        event.stop()
        if not self.armed():
            return
        options = self.asking.options
        chosen = sorted(self.ticked) if self.asking.multi and self.ticked else [event.option_index]
        self._answer(Answer(tuple(options[i].label for i in chosen)))

    def type_answer(self, first: str) -> None:
        """A letter typed on the list: the answer is the user's own words, starting with it."""
        typed = self.query_one(InertInput)
        typed.focus()
        typed.insert_text_at_cursor(first)

    @on(InertInput.Submitted)
    def _typed(self, event: InertInput.Submitted) -> None:
        event.stop()
        if event.value.strip() and self.armed():
            event.input.clear()
            self.query_one(PickList).focus()
            self._answer(Answer(typed=event.value.strip()))

    def _answer(self, answer: Answer) -> None:
        self.answers.append(answer)
        if len(self.answers) == len(self.questions):
            self._finish()
            return
        self._show()

    def _finish(self) -> None:
        self.post_message(self.Answered(self, tuple(self.answers)))
        self.disabled = True  # answered: no second answer while it is taken away
