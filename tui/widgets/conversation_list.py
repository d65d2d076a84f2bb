"""The sidebar: this project's conversations in an OptionList (virtual, fast at 10,000 rows)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.clock import relative
from tui.models import Conversation
from tui.text import inert


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

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.conversations: list[Conversation] = []
        self.answering: set[int] = set()
        self.show_project = False  # all-projects mode names each conversation's project

    def show(self, conversations: Iterable[Conversation], selected: int | None) -> None:
        """Replace the rows, keeping the highlight on ``selected`` when it is listed."""
        self.conversations = list(conversations)
        self.clear_options()
        self.add_options(self._option(c) for c in self.conversations)
        self.select(selected)

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
