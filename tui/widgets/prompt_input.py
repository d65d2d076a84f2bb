"""The multi-line prompt: Enter sends, Shift+Enter or Ctrl+J adds a newline, paste is safe.

It also finds the word being completed: ``@`` at the start of a word opens the file picker
(``Completing`` carries what follows it), and while a ``Completions`` popup is shown the prompt
routes Up, Down, Tab, Enter and Esc to it; the typing itself never leaves the prompt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import TextArea

from tui.widgets.completions import Completion, Completions

# "@" at a word's start, then the word up to the cursor (quoted when it holds spaces).
_WORD = re.compile(r'(?:^|(?<=\s))@(?:"([^"\n]*)|([^\s"]*))$')
_REST = re.compile(r'[^\s"]*"?')  # the rest of that word after the cursor


@dataclass(frozen=True)
class Word:
    """The word being completed: its trigger, the text after it, and its columns on a row."""

    trigger: str
    query: str
    row: int
    start: int
    end: int


class PromptInput(TextArea):
    """A TextArea that posts ``Submitted`` on Enter instead of inserting a newline."""

    @dataclass
    class Submitted(Message):
        text: str

    @dataclass
    class Completing(Message):
        """The word being completed changed; None when there is none (close the popup)."""

        word: Word | None

    def __init__(self, **kwargs: object) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, **kwargs)  # type: ignore[arg-type]
        self.completions: Completions | None = None  # the popup, handed in by the screen
        self.word: Word | None = None
        self._dismissed: Word | None = None  # Esc closed the popup on this word

    async def _on_key(self, event: events.Key) -> None:
        if self._popup_key(event.key):
            event.prevent_default()
            event.stop()
            return
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            text = self.text
            if text.strip():
                self.post_message(self.Submitted(text))
            return
        if event.key in ("shift+enter", "ctrl+j"):
            event.prevent_default()
            event.stop()
            self.insert("\n")
            return
        await super()._on_key(event)

    def _popup_key(self, key: str) -> bool:
        """Route a key to the shown popup; whether it was taken."""
        popup = self.completions
        if popup is None or not popup.display or self.word is None:
            return False
        if key in ("up", "down"):
            popup.move(-1 if key == "up" else 1)
            return True
        if key == "escape":
            self._dismissed = self.word
            popup.close()
            return True
        chosen = popup.chosen
        if key in ("tab", "enter") and chosen is not None:
            self.complete(chosen)
            return True
        return False

    def complete(self, entry: Completion) -> None:
        """Put the entry in place of the word (and a space after it, unless it narrows on)."""
        word = self.word
        if word is None:
            return
        insert = entry.insert + ("" if entry.keep_open else " ")
        self.replace(insert, (word.row, word.start), (word.row, word.end))
        self._changed()

    def _on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._changed()

    def _on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        self._changed()

    def _changed(self) -> None:
        """Say when the word being completed changes (or goes)."""
        word = self.current_word()
        if word == self.word:
            return
        self.word = word
        gone = self._dismissed
        if (
            word is not None
            and gone is not None
            and (word.row, word.start) == (gone.row, gone.start)
        ):
            return  # Esc closed it: it stays closed until the word is left
        self._dismissed = None
        self.post_message(self.Completing(word))

    def current_word(self) -> Word | None:
        """The @word around the cursor, if the cursor is in one (and nothing is selected)."""
        if self.selection.start != self.selection.end:
            return None
        row, column = self.cursor_location
        line = self.document.get_line(row)
        found = _WORD.search(line[:column])
        if found is None:
            return None
        quoted = found.group(1) is not None
        query = found.group(1) if quoted else found.group(2)
        rest = _REST.match(line, column)
        end = rest.end() if rest and not quoted else column
        if quoted and line[column : column + 1] == '"':
            end = column + 1
        return Word("@", query or "", row, found.start(), end)
