"""Search hits grouped by conversation: a header with the conversation's title, then its hits.

Headers are disabled options, so the cursor moves over hits only. Every piece of stored text is
made inert and put into Rich Text objects, never parsed as markup.
"""

from __future__ import annotations

import re
from datetime import datetime

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.clock import local
from tui.models import Role, SearchHit
from tui.text import inert

NEAR_END = 10  # hits from the end at which the next page is asked for
MATCH_STYLE = "bold reverse"
_SPACES = re.compile(r"\s+")
_ROLES = {Role.USER: "You", Role.ASSISTANT: "Assistant", Role.SYSTEM: "System", None: "Title"}


def when(moment: datetime) -> str:
    """A hit's local date and time (the snapshot test pins it)."""
    return local(moment).strftime("%Y-%m-%d %H:%M")


def highlighted(snippet: str) -> Text:
    """A snippet on one line with its matched words (between \\x02 and \\x03) highlighted.

    The marks are taken out before the text is made inert, which would show them as ^B/^C."""
    text = Text()
    for n, piece in enumerate(snippet.split("\x02")):
        matched, _, rest = piece.partition("\x03") if n else ("", "", piece)
        text.append(_one_line(matched), style=MATCH_STYLE)
        text.append(_one_line(rest))
    return text


def _one_line(piece: str) -> str:
    return inert(_SPACES.sub(" ", piece))


class SearchResults(OptionList):
    """The hits of one query, best conversation first; ``hits[i]`` is option i's hit."""

    class NearEnd(Message):
        """The cursor is near the last hit listed and more may exist: ask for the next page."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.hits: list[SearchHit | None] = []  # None for a conversation's header
        self.more = False
        self.show_project = False

    def show(self, hits: list[SearchHit], more: bool) -> None:
        """List the hits grouped by conversation, in the order each conversation first appears
        (its best hit), keeping the cursor on the hit it was on."""
        was = self.current
        groups: dict[int, list[SearchHit]] = {}
        for hit in hits:
            groups.setdefault(hit.conversation_id, []).append(hit)
        options: list[Option] = []
        self.hits = []
        for group in groups.values():
            options.append(Option(self._header(group[0]), disabled=True))
            self.hits.append(None)
            for hit in group:
                options.append(Option(self._row(hit)))
                self.hits.append(hit)
        self.more = more
        self.clear_options()
        self.add_options(options)
        self.highlighted = self._index_of(was)

    def _index_of(self, wanted: SearchHit | None) -> int | None:
        """Where ``wanted`` is listed now, else the first hit (None when there is none)."""
        listed = [i for i, hit in enumerate(self.hits) if hit is not None]
        for index in listed:
            hit = self.hits[index]
            if wanted is not None and hit is not None and _same(hit, wanted):
                return index
        return listed[0] if listed else None

    @property
    def current(self) -> SearchHit | None:
        index = self.highlighted
        return self.hits[index] if index is not None and index < len(self.hits) else None

    @property
    def count(self) -> int:
        return sum(hit is not None for hit in self.hits)

    @property
    def conversations(self) -> int:
        return self.hits.count(None)

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None and self.more and highlighted >= len(self.hits) - NEAR_END:
            self.more = False  # asked once; the next page says whether more follow
            self.post_message(self.NearEnd())

    def _header(self, hit: SearchHit) -> Text:
        header = Text()
        header.append(inert(hit.conversation_title), style="bold")
        if self.show_project:
            header.append(f"  · {inert(hit.project_path.name)}", style="dim")
        return header

    @staticmethod
    def _row(hit: SearchHit) -> Text:
        row = Text()
        row.append(f"  {_ROLES[hit.role]:<9} {when(hit.created_at)}  ", style="dim")
        row.append_text(highlighted(hit.snippet))
        return row


def _same(a: SearchHit, b: SearchHit) -> bool:
    return (a.conversation_id, a.message_id) == (b.conversation_id, b.message_id)
