"""Modal dialogs: confirm, rename, and the help screen listing every key."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class ConfirmDialog(ModalScreen[bool]):
    """Yes (y/Enter) or no (n/Esc)."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            yield Label("[b]y[/b] / Enter: yes    [b]n[/b] / Esc: no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class RenameDialog(ModalScreen[str | None]):
    """A one-line title editor; Enter saves, Esc keeps the old title."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str) -> None:
        super().__init__(classes="dialog")
        self.old = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Rename conversation")
            yield Input(self.old, id="title", max_length=200)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key of the main screen and the app, with what it does."""

    BINDINGS = [Binding("escape,f1,q,question_mark", "close", "Close")]

    def __init__(self, bindings: Any) -> None:
        super().__init__(classes="dialog")
        self.bindings_shown = bindings

    def compose(self) -> ComposeResult:
        table = Table("key", "action", box=None, padding=(0, 2))
        seen = set()
        for key, active in self.bindings_shown.items():
            binding = active.binding
            if binding.description and (binding.description, key) not in seen:
                seen.add((binding.description, key))
                table.add_row(self.app.get_key_display(binding), binding.description)
        with Vertical():
            yield Label("Keys")
            yield Static(table)
            yield Label("Esc closes this help.", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
