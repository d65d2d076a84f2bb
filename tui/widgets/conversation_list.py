"""The sidebar: this project's conversations in an OptionList, a page at a time.

Only the first page is listed; the next one is asked for when the highlight comes near the end,
so the first paint, every key and every filter keystroke cost the same at 10,000 conversations
as at 100. A branch is listed right below its parent, indented with "↳".
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.message import Message
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.clock import relative
from tui.models import Conversation
from tui.text import count_of, inert
from tui.widgets.empty_hint import EmptyHint

NEAR_END = 20  # rows from the end at which the next page is asked for
DEEPEST = 3  # branches of branches indent no further than this
NONE_YET = "No conversations yet. Type a question below and press Enter."
NONE_MATCH = "No title matches the filter; Esc clears it."


def threaded(conversations: Iterable[Conversation]) -> list[tuple[Conversation, int]]:
    """The rows in listing order, each branch moved right below its parent, with its depth.

    A branch whose parent is not listed (trashed, filtered out, on a later page) keeps its own
    place at depth 0; it is still marked as a branch.
    """
    rows = list(conversations)
    listed = {c.id for c in rows}
    children: dict[int, list[Conversation]] = {}
    roots: list[Conversation] = []
    for row in rows:
        if row.parent_id in listed and row.parent_id != row.id:
            children.setdefault(row.parent_id, []).append(row)  # type: ignore[arg-type]
        else:
            roots.append(row)
    order: list[tuple[Conversation, int]] = []
    seen: set[int] = set()
    stack = [(root, 0) for root in reversed(roots)]
    while stack:
        row, depth = stack.pop()
        if row.id not in seen:
            seen.add(row.id)
            order.append((row, depth))
            stack += [(child, depth + 1) for child in reversed(children.get(row.id, []))]
    return order + [(row, 0) for row in rows if row.id not in seen]  # a cycle: never made


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
        self.asking: set[int] = set()  # a call waits for the user's answer (●?)
        self.show_project = False  # all-projects mode names each conversation's project
        self.more = False  # the store has rows after the last one listed
        self._asked = False
        self._depth: dict[int, int] = {}  # conversation id -> how deep a branch it is shown
        self.filtering = False  # set by the screen: the rows are narrowed by the filter box
        self.listed = False  # the store was read once: before that, an empty list says nothing
        self._empty = EmptyHint("Conversations", NONE_YET)
        self._labels: list[tuple[int, Text]] = []  # what each listed row says, in order

    def show(
        self, conversations: Iterable[Conversation], selected: int | None, more: bool = False
    ) -> None:
        """Replace the rows, keeping the highlight on ``selected`` when it is listed."""
        order = threaded(conversations)
        self.conversations = [row for row, _ in order]
        self._depth = {row.id: depth for row, depth in order}
        self.more, self._asked = more, False
        was = (self.listed, self._empty.hint)
        self.listed = True
        self._empty.hint = NONE_MATCH if self.filtering else NONE_YET
        labels = [(c.id, self._label(c)) for c in self.conversations]
        if _said(labels) != _said(self._labels):  # else only the highlight moves: none redrawn
            self._labels = labels
            self.clear_options()
            self.add_options(Option(label, id=str(id_)) for id_, label in labels)
        elif was != (self.listed, self._empty.hint):
            self.refresh()  # the same rows (none): what the empty list says changed
        self.select(selected)

    def extend(self, conversations: list[Conversation], more: bool) -> None:
        """Append the next page (listed again when it holds a branch of a row listed before)."""
        known = {c.id for c in self.conversations}
        fresh = [c for c in conversations if c.id not in known]
        order = threaded(self.conversations + fresh)
        if [row.id for row, _ in order[: len(known)]] != [c.id for c in self.conversations]:
            current = self.current
            self.show([row for row, _ in order], current.id if current else None, more)
            return
        self.conversations = [row for row, _ in order]
        self._depth = {row.id: depth for row, depth in order}
        self.more, self._asked = more, False
        added = [(c.id, self._label(c)) for c in self.conversations[len(known) :]]
        self._labels += added
        self.add_options(Option(label, id=str(id_)) for id_, label in added)

    def render_line(self, y: int) -> Strip:
        """With nothing listed, what will be and how to start (or that the filter hides all)."""
        if self.option_count or not self.listed:
            return super().render_line(y)
        style = self.get_visual_style("option-list--option").rich_style
        return self._empty.line(self, y, style)

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

    def _label(self, conversation: Conversation) -> Text:
        mark = "★ " if conversation.pinned else "  "
        if conversation.id in self.answering:
            mark = "●?" if conversation.id in self.asking else "● "
        label = Text(mark, style="bold" if conversation.id in self.answering else "")
        indent = "  " * min(self._depth.get(conversation.id, 0), DEEPEST)
        if conversation.parent_id is not None:
            indent += "↳ "
        label.append(indent)
        label.append(inert(conversation.title))
        where = f"{inert(conversation.project_name)} · " if self.show_project else ""
        age = relative(conversation.updated_at)
        pad = " " * len(indent)
        label.append(f"\n  {pad}{where}{age} · {count_of(conversation.message_count)}", style="dim")
        return label

    @property
    def current(self) -> Conversation | None:
        if self.highlighted is None or self.highlighted >= len(self.conversations):
            return None
        return self.conversations[self.highlighted]


def _said(labels: list[tuple[int, Text]]) -> list[tuple[object, ...]]:
    """What rows show, comparable: Text's own equality leaves out its base style (bold)."""
    return [(id_, t.plain, t.style, tuple(t.spans)) for id_, t in labels]
