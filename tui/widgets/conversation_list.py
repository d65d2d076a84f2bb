"""The sidebar: this project's conversations in an OptionList, a page at a time.

Only the first page is listed; the next one is asked for when the highlight comes near the end,
so the first paint, every key and every filter keystroke cost the same at 10,000 conversations
as at 100.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.clock import relative
from tui.models import Conversation
from tui.text import inert

NEAR_END = 20  # rows from the end at which the next page is asked for


class ConversationList(OptionList):
    """One line per conversation: markers, title, age and size; newest first, pinned on top."""

    BINDINGS = [
        ("delete,d", "screen.delete", "Delete"),
        ("r", "screen.rename", "Rename"),
        ("p", "screen.pin", "Pin"),
        ("u", "screen.undo_delete", "Undo delete"),
        ("j", "cursor_down", "Down"),
        ("k", "cursor_up", "Up"),
    ]

    class NearEnd(Message):
        """The highlight is near the last row listed and more rows exist: load the next page."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.conversations: list[Conversation] = []
        self.answering: set[int] = set()
        self.show_project = False  # all-projects mode names each conversation's project
        self.more = False  # the store has rows after the last one listed
        self._asked = False

    def show(
        self, conversations: Iterable[Conversation], selected: int | None, more: bool = False
    ) -> None:
        """Replace the rows, keeping the highlight on ``selected`` when it is listed."""
        self.conversations = list(conversations)
        self.more, self._asked = more, False
        self.clear_options()
        self.add_options(self._option(c) for c in self.conversations)
        self.select(selected)

    def extend(self, conversations: list[Conversation], more: bool) -> None:
        """Append the next page."""
        known = {c.id for c in self.conversations}
        fresh = [c for c in conversations if c.id not in known]
        self.conversations += fresh
        self.more, self._asked = more, False
        self.add_options(self._option(c) for c in fresh)

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        near = highlighted is not None and highlighted >= len(self.conversations) - NEAR_END
        if near and self.more and not self._asked:
            self._asked = True
            self.post_message(self.NearEnd())

    def select(self, conversation_id: int | None) -> None:
        for index, conversation in enumerate(self.conversations):
            if conversation.id == conversation_id:
                self.highlighted = index
                return
        self.highlighted = None

    def _option(self, conversation: Conversation) -> Option:
        return Option(self._label(conversation), id=str(conversation.id))

    def _label(self, conversation: Conversation) -> Text:
        mark = (
            "● " if conversation.id in self.answering else ("★ " if conversation.pinned else "  ")
        )
        label = Text(mark, style="bold" if conversation.id in self.answering else "")
        label.append(inert(conversation.title))
        where = f"{conversation.project_name} · " if self.show_project else ""
        age = relative(conversation.updated_at)
        label.append(f"\n  {where}{age} · {conversation.message_count} msgs", style="dim")
        return label

    @property
    def current(self) -> Conversation | None:
        if self.highlighted is None or self.highlighted >= len(self.conversations):
            return None
        return self.conversations[self.highlighted]
