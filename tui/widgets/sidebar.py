"""The sidebar: the conversation list and its filter box, as one widget that posts messages.

The screen reads the store and hands the rows in; what the filter box does (open on / or
Ctrl+F, Esc clears and closes it, Enter goes to the rows) stays here, so the screen only hears
that the filter changed or that a conversation was picked.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList

from tui.models import Conversation
from tui.widgets.conversation_list import ConversationList
from tui.widgets.inert_input import InertInput


class FilterBox(InertInput):
    """Narrows the sidebar to titles holding its text; Esc clears and closes it."""

    BINDINGS = [Binding("escape", "close", "Clear filter")]

    def action_close(self) -> None:
        self.value = ""
        self.add_class("-hidden")
        parent = self.parent
        if isinstance(parent, Sidebar):
            parent.rows.focus()


@dataclass(frozen=True)
class Rows:
    """What the sidebar lists now, as the screen read it from the store."""

    conversations: list[Conversation]
    selected: int | None
    more: bool
    answering: set[int]
    asking: set[int]
    show_project: bool


class Sidebar(Vertical):
    """Conversations of this project (or all), with a filter box built on first use."""

    class FilterChanged(Message):
        """The filter's text changed: the screen lists the rows again."""

    @dataclass
    class Picked(Message):
        """The user chose a conversation (Enter or a click)."""

        conversation: Conversation

    def compose(self) -> ComposeResult:
        yield ConversationList(id="conversations")

    @property
    def rows(self) -> ConversationList:
        return self.query_one(ConversationList)

    @property
    def filter_text(self) -> str | None:
        """The filter's text, None when there is none (or the box was never opened)."""
        box = self._box()
        return (box.value.strip() if box is not None else "") or None

    def _box(self) -> FilterBox | None:
        return next(self.query("#filter").results(FilterBox), None)

    async def open_filter(self) -> None:
        box = self._box()
        if box is None:  # built on first use, not on the first screen
            box = FilterBox(placeholder="Filter conversations", id="filter")
            await self.mount(box, before=0)
        box.remove_class("-hidden")
        box.focus()

    def show(self, rows: Rows) -> None:
        listed = self.rows
        listed.show_project = rows.show_project
        listed.filtering = self.filter_text is not None
        listed.answering, listed.asking = rows.answering, rows.asking
        listed.show(rows.conversations, rows.selected, more=rows.more)

    @on(Input.Changed, "#filter")
    def _filtered(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.FilterChanged())

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        """To the filtered list, on the open conversation if listed, else the first match."""
        event.stop()
        listed = self.rows
        if listed.highlighted is None and listed.conversations:
            listed.highlighted = 0  # Enter then opens it, as the user expects
        listed.focus()

    @on(OptionList.OptionSelected, "#conversations")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(self.rows.conversations[event.option_index]))
