"""A completion popup above the prompt: the @ file picker's list (and any other completer's).

The prompt keeps the focus and the typing; while the popup is shown, Up and Down move its
highlight, Tab or Enter takes the highlighted entry, Esc closes it (``PromptInput`` routes the
keys). Entries are plain data handed in by the screen, drawn as inert text (a file name may hold
markup or escape sequences). The popup has a fixed height and draws its rows itself, as strips of
segments (the line API): a key repaints only the popup, never the layout of the chat above it,
and a Rich Text of ten rows turned into Textual content cost ~6 ms a key, this a fraction.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from tui.text import inert

ROWS = 10  # entries in sight; the highlight scrolls the rest into view
HIGHLIGHT = Style(reverse=True)
MATCHED = Style(bold=True, underline=True)
DIM = Style(dim=True)
EMPTY = Style(dim=True, italic=True)


@dataclass(frozen=True)
class Completion:
    """One entry: what is shown (with the matched characters), what replaces the typed word,
    and whether the popup stays open after it (a folder narrows on)."""

    label: str
    insert: str
    matched: tuple[int, ...] = ()
    hint: str = ""
    keep_open: bool = False


class Completions(Widget):
    """The popup's rows; shown only while it has entries or a line to say."""

    can_focus = False

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.entries: list[Completion] = []
        self.empty = ""
        self.highlighted = 0
        self.top = 0  # the first entry in sight
        self.display = False

    def show(self, entries: list[Completion], empty: str = "") -> None:
        """Show entries (the first highlighted), or ``empty`` as one dim line when none."""
        self.entries, self.empty = entries, empty
        self.highlighted = self.top = 0
        self.display = bool(entries or empty)
        self.refresh()

    def close(self) -> None:
        self.entries, self.empty = [], ""
        self.display = False

    @property
    def chosen(self) -> Completion | None:
        if not self.display or not 0 <= self.highlighted < len(self.entries):
            return None
        return self.entries[self.highlighted]

    def move(self, step: int) -> None:
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
        underlined, its hint dim), the empty line, or blank; cut with "…" when too long."""
        base = self.visual_style.rich_style  # cached; rich_style walks the ancestors per row
        width = self.size.width
        if not self.entries:
            segments = [Segment(self.empty, base + EMPTY)] if y == 0 and self.empty else []
        elif y < ROWS and self.top + y < len(self.entries):
            index = self.top + y
            segments = _row(self.entries[index], index == self.highlighted, base)
        else:
            segments = []
        strip = Strip(segments)
        if strip.cell_length > width:
            strip = Strip([*strip.crop(0, max(0, width - 1)), Segment("…", base)])
        return strip.extend_cell_length(width, base)


def _row(entry: Completion, highlighted: bool, base: Style) -> list[Segment]:
    """An entry's segments: runs of its label split at the matched characters."""
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
    if entry.hint:
        segments.append(Segment("  " + inert(entry.hint), plain + DIM))
    return segments
