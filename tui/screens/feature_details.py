"""The dialog that shows one backlog feature in full, opened from the backlog pane with Enter.

A screen, not part of the pane: it reads the backlog (in a thread), and widgets do no I/O.
Everything shown was written by another program into the file, so every value is made inert.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from mcp_server.records import BacklogError
from tui.backlog_reader import STATUS_WORDS, BacklogReader
from tui.text import inert


class FeatureDetails(ModalScreen[None]):
    """One feature in full: status, dependencies, description and steps. Esc closes."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, reader: BacklogReader, feature_id: int) -> None:
        super().__init__(classes="dialog")
        self.reader, self.feature_id = reader, feature_id

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll(id="feature-body"):
                yield Static("Reading…", id="feature-text")
            yield Label("Esc: close", classes="hint")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exit_on_error=False)
    def load(self) -> None:
        """Read the feature off the UI loop; a refused or missing one shows its one sentence."""
        try:
            text = describe_feature(self.reader.feature(self.feature_id))
        except BacklogError as error:
            text = Text(inert(str(error)), style="red")
        self.app.call_from_thread(self.query_one("#feature-text", Static).update, text)


def describe_feature(feature: dict[str, Any]) -> Text:
    """A feature as the details dialog shows it; every stored value made inert.

    Even the numbers: SQLite keeps a text in an INTEGER column, and another program wrote the file.
    """
    text = Text(inert(f"#{feature['id']} "), style="bold")
    text.append(inert(str(feature["name"])), style="bold")
    status = STATUS_WORDS.get(str(feature["status"]), str(feature["status"]))
    text.append(inert(f"\n{status} · {feature['category']}"), style="cyan")
    text.append(inert(f" · priority {feature['priority']}"), style="dim")
    dependencies = feature.get("dependencies") or []
    if dependencies:
        listed = ", ".join(f"#{d}" for d in dependencies)
        text.append(inert(f"\ndepends on {listed}"), style="yellow")
    text.append("\n\n" + inert(str(feature.get("description") or "")))
    steps = feature.get("steps") or []
    if steps:
        text.append("\n\nSteps", style="bold")
        for number, step in enumerate(steps, start=1):
            text.append(f"\n{number}. {inert(str(step))}")
    return text
