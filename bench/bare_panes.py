"""Baseline for bench/backlog.py: the same pane swap and form in the plainest Textual app.

The app's screen at 160x48, rebuilt from stock widgets with none of ours: a conversation list,
a chat, a prompt, and a 44-column side panel that holds either a log or a backlog (a title,
three lines of progress and counts, and a list of rows). F4 swaps the two and focuses the list,
as the app's F4 does; ``n`` opens a modal form of inputs and text areas, and Ctrl+S adds a row
to the list and closes the form in one update. What this costs is Textual's own price for that
frame on this machine, so the app's figures are read against it.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea

ROWS = 40  # rows in the list, about what the app's pane shows of a large backlog


class BareForm(ModalScreen[str | None]):
    """Four fields and a save key, like the app's feature form."""

    DEFAULT_CSS = "BareForm > Vertical { width: 80; height: auto; border: round $accent; }"
    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True)]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("New feature")
            yield Input(placeholder="category", id="category")
            yield Input(placeholder="name", id="name")
            yield TextArea(id="description")
            yield TextArea(id="steps")

    def action_save(self) -> None:
        self.dismiss(self.query_one("#name", Input).value)


class BarePanes(App[None]):
    """The app's layout in stock widgets; F4 and the form are the measured keys."""

    CSS = """
    #conversations { width: 30; }
    #side { width: 44; }
    #log, #rows { height: 1fr; }
    #prompt { height: 5; }
    """
    BINDINGS = [Binding("f4", "swap", "Backlog"), Binding("n", "form", "New")]

    def compose(self) -> ComposeResult:
        yield Static("title", id="title")
        with Horizontal():
            yield OptionList(*[f"conversation {i}" for i in range(20)], id="conversations")
            with Vertical():
                yield VerticalScroll(Static("an answer\n" * 30), id="chat")
                yield TextArea(id="prompt")
            with Vertical(id="side"):
                yield Static("tool calls", id="log")
                with Vertical(id="backlog"):
                    yield Label("Backlog")
                    yield Static("█" * 30 + "\n0/0 passing\nfrom features.db", id="progress")
                    yield Static("Ready 0 · Passing 0", id="counts")
                    yield OptionList(*[f"#{i} Feature {i}  core" for i in range(ROWS)], id="rows")
        yield Static("keys", id="keys")

    def on_mount(self) -> None:
        self.query_one("#backlog").display = False
        self.query_one("#prompt").focus()

    def action_swap(self) -> None:
        backlog = self.query_one("#backlog")
        show = not backlog.display
        with self.batch_update():
            self.query_one("#log").display = not show
            backlog.display = show
            (self.query_one("#rows") if show else self.query_one("#prompt")).focus()

    def action_form(self) -> None:
        def saved(name: str | None) -> None:
            if name is not None:
                self.query_one("#rows", OptionList).add_option(name)

        self.push_screen(BareForm(), saved)
