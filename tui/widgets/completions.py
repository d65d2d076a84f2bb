"""The one completion popup above the prompt, and the shapes its completers return.

A completer (slash commands, file mentions) is a function from the prompt's text and cursor to
an ``Offer``: the candidates for the word being typed, best first. The prompt asks its
completers after every edit and cursor move, shows the offer here and routes ↑ ↓ Tab Enter Esc
to it, so the focus and the typing never leave the prompt. Both kinds share this popup, its keys
and its look; only what a candidate inserts and whether Enter then sends differ.

Entries are drawn as inert text (a file name may hold markup or escape sequences), as strips of
segments (the line API): a Rich Text of ten rows turned into Textual content cost ~6 ms a key,
this a fraction. The height changes only when an offer asks for another row count, so a key
repaints the popup alone, never the layout of the chat above it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from tui.text import inert

Location = tuple[int, int]  # (row, column) in the prompt, as TextArea counts them
ROWS = 10  # entries in sight; the highlight scrolls the rest into view
HIGHLIGHT = Style(reverse=True)
MATCHED = Style(bold=True, underline=True)
HINT = Style(italic=True)
DIM = Style(dim=True)
EMPTY = Style(dim=True, italic=True)


@dataclass(frozen=True)
class Candidate:
    """One completion: the text that replaces the word (with the space after it when typing
    goes on past it), how the list shows it, and which of its label's characters matched."""

    insert: str
    label: str
    detail: str = ""  # one line on what it is
    hint: str = ""  # its key, or another short fact
    matched: tuple[int, ...] = ()


@dataclass(frozen=True)
class Offer:
    """Candidates for the word from ``start`` to ``end`` (None: the cursor), best first.

    ``submit``: Enter on a candidate sends the prompt once it is completed (a slash command
    runs at once); otherwise Enter only completes (a file mention goes on being typed).
    ``empty`` is the line shown when there is no candidate; an offer with neither is no offer.
    ``rows``: the popup's height while the offer lasts (None: as many rows as candidates), so
    a list that narrows key by key need not move the chat above it."""

    start: Location
    candidates: Sequence[Candidate]
    submit: bool = False
    end: Location | None = None
    empty: str = ""
    rows: int | None = None
    title: str = ""

    @property
    def shown(self) -> bool:
        return bool(self.candidates or self.empty)


Completer = Callable[[str, Location], Offer | None]


class Completions(Widget):
    """The popup's rows: label, hint and detail in columns; shown only while there is an offer."""

    can_focus = False

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.offer: Offer | None = None
        self.highlighted = 0
        self.top = 0  # the first entry in sight
        self._columns = (0, 0)  # the widest label and hint of the offer
        self.display = False

    @property
    def entries(self) -> Sequence[Candidate]:
        return self.offer.candidates if self.offer else ()

    def show(self, offer: Offer | None) -> None:
        """Show an offer (its first entry highlighted), or close the popup for None.

        The same candidates again (a cursor move, a key that changed nothing) leave the list
        and its highlight as they are."""
        if offer is not None and not offer.shown:
            offer = None
        old, self.offer = self.offer, offer
        if offer is None:
            self.display = False
            return
        if old is not None and (old.candidates, old.empty) == (offer.candidates, offer.empty):
            return
        self.highlighted = self.top = 0
        entries = offer.candidates
        self._columns = (
            max((cell_len(inert(c.label)) for c in entries), default=0),
            max((cell_len(inert(c.hint)) for c in entries), default=0),
        )
        rows = offer.rows or min(ROWS, max(1, len(entries)))
        if self.styles.height is None or self.styles.height.value != rows + 2:
            self.styles.height = rows + 2  # the border's two rows
        if self.border_title != offer.title:
            self.border_title = offer.title
        self.display = True
        self.refresh()

    def close(self) -> None:
        self.show(None)

    @property
    def chosen(self) -> Candidate | None:
        if not self.display or not 0 <= self.highlighted < len(self.entries):
            return None
        return self.entries[self.highlighted]

    def move(self, step: int) -> None:
        """Highlight the next (1) or previous (-1) entry, wrapping around."""
        if not self.entries:
            return
        self.highlighted = (self.highlighted + step) % len(self.entries)
        if self.highlighted < self.top:
            self.top = self.highlighted
        elif self.highlighted >= self.top + ROWS:
            self.top = self.highlighted - ROWS + 1
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """Row ``y``: an entry (the highlighted one reversed, matched characters bold and
        underlined, its hint italic, its detail dim), the empty line, or blank; cut with "…"
        when too long."""
        base = self.visual_style.rich_style  # cached; rich_style walks the ancestors per row
        width = self.size.width
        entries = self.entries
        if not entries:
            empty = self.offer.empty if self.offer else ""
            segments = [Segment(empty, base + EMPTY)] if y == 0 and empty else []
        elif y < ROWS and self.top + y < len(entries):
            index = self.top + y
            segments = _row(entries[index], index == self.highlighted, base, self._columns)
        else:
            segments = []
        strip = Strip(segments)
        if strip.cell_length > width:
            strip = Strip([*strip.crop(0, max(0, width - 1)), Segment("…", base)])
        return strip.extend_cell_length(width, base)


def _row(
    entry: Candidate, highlighted: bool, base: Style, columns: tuple[int, int]
) -> list[Segment]:
    """An entry's segments: runs of its label split at the matched characters, then its hint
    and detail, each column padded to the offer's widest (a label shorter than that only when
    there is more to show after it)."""
    label = inert(entry.label)
    plain = base + HIGHLIGHT if highlighted else base
    matched = plain + MATCHED
    marks = sorted({p for p in entry.matched if 0 <= p < len(label)})
    segments, at = [], 0
    for position in marks:
        if position > at:
            segments.append(Segment(label[at:position], plain))
        segments.append(Segment(label[position], matched))
        at = position + 1
    if at < len(label):
        segments.append(Segment(label[at:], plain))
    widest_label, widest_hint = columns
    if entry.hint or entry.detail:
        segments.append(Segment(" " * (widest_label - cell_len(label)), plain))
    if widest_hint:
        hint = inert(entry.hint)
        padding = " " * (widest_hint - cell_len(hint))
        segments.append(Segment(f"  {hint}{padding}", plain + HINT))
    if entry.detail:
        segments.append(Segment("  " + inert(entry.detail), plain + DIM))
    return segments
