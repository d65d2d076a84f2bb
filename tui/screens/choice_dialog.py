"""Pick one of a few choices (a model, an effort), or type another where any name goes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

from tui.text import inert
from tui.widgets.inert_input import InertInput


class ChoiceDialog(ModalScreen[str | None]):
    """A list of ``(value, label)`` choices, the current one marked; Enter picks, Esc cancels.

    With ``typed`` (a placeholder) a line below the list takes any other value, e.g. a model
    name the list does not hold. Values and labels are drawn as Text: a model name may hold
    anything the user or a stored conversation put there."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        choices: list[tuple[str, str]],
        current: str,
        typed: str | None = None,
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.choices = choices
        self.current = current
        self.typed = typed

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text))
            rows = [
                Text(("● " if value == self.current else "  ") + inert(label))
                for value, label in self.choices
            ]
            yield OptionList(*rows, id="choices")
            if self.typed is not None:
                yield InertInput(placeholder=self.typed, id="choice-typed", max_length=200)
            hint = "Enter picks, Esc cancels" + (", or type a name" if self.typed else "")
            yield Label(hint, classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for value, _ in self.choices]
        options.highlighted = values.index(self.current) if self.current in values else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][0])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
