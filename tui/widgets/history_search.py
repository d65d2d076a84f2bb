"""The history search above the prompt: type to find an earlier question of this project.

The bar shows the match it would take on one line, the typed text highlighted, and the query on
the next; the prompt below keeps the draft untouched until Enter takes the match into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from tui.prompt_history import HistorySearch, Match
from tui.text import inert
from tui.widgets.inert_input import InertInput

HIGHLIGHT = "bold reverse"
LEAD = 12  # characters kept before a match that lies beyond the bar's width
TITLE = "History search · ↑ ↓ older / newer · Enter takes it · Esc back to the draft"
TITLE_OLDEST = "History search · no older match"


class MatchLine(Static):
    """The question a search would take, cut to the bar's width around the matched text."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.match: Match | None = None
        self.said = ""  # what the line says when there is no match

    def show(self, match: Match | None, said: str = "") -> None:
        self.match, self.said = match, said
        self.refresh()

    def render(self) -> Text:
        if self.match is None:
            return Text(self.said, style="italic", no_wrap=True, overflow="ellipsis")
        return matched_line(self.match, max(self.size.width, 20))


def matched_line(match: Match, width: int) -> Text:
    """One line of a (perhaps multi-line) question, its matched part highlighted.

    Built from plain text with a style span, never from markup: a question may hold ``[red]``
    or escape sequences, shown as they are typed and inert (a newline shows as ⏎).
    """
    flat = match.text.replace("\n", "⏎")
    start = len(inert(flat[: match.start]))
    end = start + len(inert(flat[match.start : match.end]))
    shown = inert(flat)
    if end > width - 2 and start > LEAD:  # the match would be cut off: start the line nearer
        cut = start - LEAD
        shown, start, end = "…" + shown[cut:], start - cut + 1, end - cut + 1
    line = Text(shown, no_wrap=True, overflow="ellipsis", end="")
    line.stylize(HIGHLIGHT, start, end)
    return line


class HistorySearchBar(Vertical):
    """Shown by the history search key; the screen gives it the questions and takes the pick."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back to the draft", tooltip="Close, the draft untouched"),
        Binding("up", "older", "Older match", tooltip="The next older question that matches"),
        Binding("down", "newer", "Newer match", tooltip="The next newer question that matches"),
    ]
    # Keys the bar handles outside its bindings, for the help screen.
    KEYS: ClassVar[list[Binding]] = [
        Binding(
            "enter",
            "",
            "Take it",
            tooltip="Put the match in the prompt (Down walks back to the draft)",
        ),
    ]

    @dataclass
    class Taken(Message):
        """Enter on a match: the history's entry ``index`` goes into the prompt."""

        index: int

    class Closed(Message):
        """Esc: back to the prompt and its draft, unchanged."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.search = HistorySearch([])

    def compose(self) -> ComposeResult:
        yield MatchLine(id="history-match")
        yield InertInput(
            placeholder="type to search the questions of this project", id="history-query"
        )

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, entries: list[str]) -> None:
        """Start a search over ``entries`` (newest first) with an empty query: the newest."""
        self.search = HistorySearch(entries)
        self.add_class("-open")
        query = self.query_one(Input)
        query.value = ""
        query.focus()
        self._show()

    def close(self) -> None:
        self.remove_class("-open")

    def on_descendant_blur(self) -> None:
        """Focus went elsewhere (a click on the prompt, say): the search is over, the draft
        untouched. Checked after the move, when the new focus is known."""
        self.call_after_refresh(self._left)

    def _left(self) -> None:
        focused = self.screen.focused
        if self.is_open and (focused is None or self not in focused.ancestors_with_self):
            self.close()

    def action_older(self) -> None:
        self.search.older()
        self._show()

    def action_newer(self) -> None:
        self.search.newer()
        self._show()

    def action_close(self) -> None:
        self.close()
        self.post_message(self.Closed())

    @on(Input.Changed, "#history-query")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.search.type(event.value)
        self._show()

    @on(Input.Submitted, "#history-query")
    def _taken(self, event: Input.Submitted) -> None:
        event.stop()
        match = self.search.match
        if match is None:
            return  # nothing to take: the query stays for the user to change
        self.close()
        self.post_message(self.Taken(match.index))

    def _show(self) -> None:
        search, line = self.search, self.query_one(MatchLine)
        if not search.entries:
            line.show(None, "No question asked in this project yet.")
        elif search.match is None:
            line.show(None, f'No question of this project holds "{inert(search.query)}".')
        else:
            line.show(search.match)
        self.border_title = TITLE_OLDEST if search.exhausted else TITLE
