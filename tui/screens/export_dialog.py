"""The export dialog: where to write a conversation as Markdown, filled in and editable.

The file is written by a worker, off the UI loop; a path the app must not write (inside the
project, an existing file, a missing folder) is explained in one sentence and the dialog stays
open with what the user typed, so nothing is lost.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tui.export import ExportError, render, secrets_in
from tui.export.target import (
    chosen_path,
    default_path,
    file_name,
    free_path,
    inside,
    write_new,
)
from tui.models import Conversation
from tui.services import Host
from tui.storage import StoreError
from tui.text import inert
from tui.toast import toast
from tui.widgets.inert_input import InertInput


def suggested_path(conversation: Conversation, projects: list[Path]) -> str:
    """The default export file, renamed (name-2.md ...) when that file exists already.

    With the shell in the project and no documents folder, the home folder is suggested: the
    user still sees it and confirms it, so nothing lands anywhere silently.
    """
    try:
        return str(free_path(default_path(conversation, projects)))
    except ExportError:
        home = Path.home()
        return "" if inside(home, projects) else str(free_path(home / file_name(conversation)))


class ExportDialog(ModalScreen[Path | None]):
    """Enter writes the conversation to the path in the box; Esc closes without writing."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, conversation: Conversation, host: Host, path: str | None = None) -> None:
        super().__init__(classes="dialog -wide")
        self.conversation = conversation
        self.host = host
        self.projects = [conversation.project_path, host.settings.project]
        self.writing = False
        self.path = path  # given with the command (/export PATH): written at once

    def on_mount(self) -> None:
        if self.path is not None:
            self.writing = True
            self.write(self.path)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f'Export "{inert(self.conversation.title)}" as Markdown to:', markup=False)
            # The cursor waits at the end, ready to edit the name (not a selection a key replaces).
            yield InertInput(
                self.path or suggested_path(self.conversation, self.projects),
                id="export-path",
                select_on_focus=False,
            )
            yield Label("", id="export-error", classes="-hidden", markup=False)
            yield Label("Enter writes the file, Esc cancels.", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.writing:  # an Enter while the file is being written is ignored
            self.writing = True
            self.write(event.value)

    @work(exclusive=True, group="export", exit_on_error=False)
    async def write(self, typed: str) -> None:
        try:
            path = await self.export(typed)
        except (ExportError, StoreError) as error:  # the history file locked or unreadable too
            self.show_error(str(error))
            return
        finally:
            self.writing = False
        toast(self.app, f"Exported the conversation to {path}.")
        self.dismiss(path)

    async def export(self, typed: str) -> Path:
        """Check the path, render the conversation and write it, each off the UI loop."""
        path = await asyncio.to_thread(chosen_path, typed, self.conversation)
        if await asyncio.to_thread(inside, path, self.projects):
            raise ExportError(
                f"{path} is inside the project, and the app never writes there; choose a file "
                "outside it."
            )
        services = await self.host.open_services()
        secrets = secrets_in(services.settings.env)
        _, text = await render(services.store, self.conversation.id, secrets)
        await asyncio.to_thread(write_new, path, text, False, "; choose another name")
        return path

    def show_error(self, sentence: str) -> None:
        error = self.query_one("#export-error", Label)
        error.update(inert(sentence))  # plain (markup=False); it may quote the typed path
        error.remove_class("-hidden")
        self.query_one("#export-path", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
