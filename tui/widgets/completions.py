"""A completion popup above the prompt: the @ file picker's list (and any other completer's).

The prompt keeps the focus and the typing; while the popup is shown, Up and Down move its
highlight, Tab or Enter takes the highlighted entry, Esc closes it (``PromptInput`` routes the
keys). Entries are plain data handed in by the screen, drawn as inert Text (a file name may hold
markup or escape sequences).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.text import inert


@dataclass(frozen=True)
class Completion:
    """One entry: what is shown (with the matched characters), what replaces the typed word,
    and whether the popup stays open after it (a folder narrows on)."""

    label: str
    insert: str
    matched: tuple[int, ...] = ()
    hint: str = ""
    keep_open: bool = False


class Completions(OptionList):
    """The popup's list; shown only while it has entries or a line to say."""

    can_focus = False

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.entries: list[Completion] = []
        self.display = False

    def show(self, entries: list[Completion], empty: str = "") -> None:
        """Show entries (the first highlighted), or ``empty`` as one dim line when none."""
        self.entries = entries
        self.clear_options()
        if entries:
            self.add_options([Option(_label(entry)) for entry in entries])
            self.highlighted = 0
        elif empty:
            self.add_option(Option(Text(empty, style="dim italic"), disabled=True))
        self.display = bool(entries or empty)

    def close(self) -> None:
        self.entries = []
        self.clear_options()
        self.display = False

    @property
    def chosen(self) -> Completion | None:
        index = self.highlighted
        if not self.display or index is None or not 0 <= index < len(self.entries):
            return None
        return self.entries[index]

    def move(self, step: int) -> None:
        if self.entries:
            index = self.highlighted or 0
            self.highlighted = (index + step) % len(self.entries)


def _label(entry: Completion) -> Text:
    label = Text(inert(entry.label))
    for position in entry.matched:
        if 0 <= position < len(label):
            label.stylize("bold underline", position, position + 1)
    if entry.hint:
        label.append("  " + entry.hint, style="dim")
    return label
