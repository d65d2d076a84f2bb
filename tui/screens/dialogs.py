"""Modal dialogs: confirm, rename, pick one of a few values, and the help screen listing every
key."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static

from tui.text import inert
from tui.widgets.inert_input import InertInput


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
            yield Label(inert(self.question), markup=False)  # it quotes a stored title
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
            # A stored title may come from an import or a first message: shown inert, never raw.
            yield InertInput(inert(self.old), id="title", max_length=200)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key of the app, grouped by where it works."""

    BINDINGS = [Binding("escape,f1,q,question_mark", "close", "Close")]

    def __init__(
        self,
        groups: dict[str, list[Binding]],
        commands: Sequence[tuple[str, str]] = (),
        commands_after: str = "",
    ) -> None:
        super().__init__(classes="dialog")
        self.groups = groups
        self.commands = commands  # (usage, what it does): the prompt's slash commands
        self.commands_after = commands_after  # the group they follow (else they come last)

    def compose(self) -> ComposeResult:
        table = Table("key", "action", box=None, padding=(0, 2))
        for title, bindings in self.groups.items():
            table.add_row(Text().append(title, style="bold"), "")  # bold text, plain padding
            for binding in bindings:  # keys may come from the user's keymap: Text, not markup
                keys = ", ".join(
                    self.app.get_key_display(Binding(k, "")) for k in binding.key.split(",")
                )
                table.add_row(Text(inert(keys)), Text(inert(binding.description)))
            if title == self.commands_after:
                self._add_commands(table)
        if self.commands_after not in self.groups:
            self._add_commands(table)
        with Vertical(id="help-box"):
            yield Label("Keys")
            with VerticalScroll(id="help-keys"):  # taller than a small terminal: it scrolls
                yield Static(table)
            yield Label(
                "↑ ↓ PgUp PgDn scroll · Esc closes · Ctrl+P: command palette", classes="hint"
            )

    def _add_commands(self, table: Table) -> None:
        if self.commands:
            table.add_row(Text().append("In the prompt, typed after /", style="bold"), "")
            for usage, meaning in self.commands:
                table.add_row(Text(usage), Text(meaning))

    def on_mount(self) -> None:
        self.query_one("#help-keys").focus()

    def action_close(self) -> None:
        self.dismiss(None)


class CodePicker(ModalScreen[str | None]):
    """Choose a code block to copy: newest first, the first lines shown."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, blocks: list[str]) -> None:
        super().__init__(classes="dialog")
        self.blocks = blocks

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Copy which code block? (Enter copies, Esc cancels)")
            yield OptionList(*(self._preview(b) for b in self.blocks), id="blocks")

    @staticmethod
    def _preview(block: str) -> Text:
        """The first lines of a block, as a Text: an OptionList reads a str prompt as markup."""
        lines = block.splitlines() or [""]
        more = f"  (+{len(lines) - 3} lines)" if len(lines) > 3 else ""
        return Text(inert("\n".join(lines[:3])) + more)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.blocks[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few values, each with a line on what it means; the current one first
    highlighted. Enter chooses, Esc keeps what was."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: dict[str, str], current: str) -> None:
        super().__init__(classes="dialog")
        self.heading = title
        self.choices = list(choices.items())
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(inert(self.heading), markup=False)
            lines = [
                Text.assemble((value, "bold"), f"  {meaning}") for value, meaning in self.choices
            ]
            yield OptionList(*lines, id="choices")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        values = [value for value, _ in self.choices]
        choices.highlighted = values.index(self.current) if self.current in values else 0
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
