"""A completion popup above the prompt: the @ file picker's list (and any other completer's).

The prompt keeps the focus and the typing; while the popup is shown, Up and Down move its
highlight, Tab or Enter takes the highlighted entry, Esc closes it (``PromptInput`` routes the
keys). Entries are plain data handed in by the screen, drawn as inert Text (a file name may hold
markup or escape sequences). The popup has a fixed height and draws its rows itself: a key
repaints only the popup, never the layout of the chat above it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from tui.text import inert

ROWS = 10  # entries in sight; the highlight scrolls the rest into view


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

    def render(self) -> RenderableType:
        if not self.entries:
            return Text(self.empty, style="dim italic", no_wrap=True, overflow="ellipsis")
        lines = Text(no_wrap=True, overflow="ellipsis")
        shown = self.entries[self.top : self.top + ROWS]
        for index, entry in enumerate(shown, start=self.top):
            if index > self.top:
                lines.append("\n")
            lines.append_text(_label(entry, index == self.highlighted))
        return lines


def _label(entry: Completion, highlighted: bool) -> Text:
    label = Text(inert(entry.label), style="reverse" if highlighted else "")
    for position in entry.matched:
        if 0 <= position < len(label):
            label.stylize("bold underline", position, position + 1)
    if entry.hint:
        label.append("  " + entry.hint, style="dim")
    return label
