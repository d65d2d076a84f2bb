"""The multi-line prompt: Enter sends, Shift+Enter or Ctrl+J adds a newline, paste is safe,
and Up on the first row (Down on the last) walks the project's questions.

It also finds the word being completed: ``@`` at the start of a word opens the file picker
(``Completing`` carries what follows it), and while a ``Completions`` popup is shown the prompt
routes Up, Down, Tab, Enter and Esc to it (before the history's Up and Down); the typing itself
never leaves the prompt. Slash commands are offered the same way by its completers
(``tui.widgets.command_list``): while they offer something, ↑ ↓ move, Tab completes, Enter
completes (and sends a command) and Esc closes the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.segment import Segment
from textual import events, on
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import TextArea

from tui.prompt_history import PromptHistory
from tui.text import without_controls
from tui.widgets.command_list import Completer, CompletionList, Offer
from tui.widgets.completions import Completion, Completions

# The cursor blinks this long after the last key, then stays lit: each blink redraws the prompt
# through the whole screen's compositor, 4% of a core while nothing else happens.
BLINK_FOR_S = 10.0
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
    """A TextArea that posts ``Submitted`` on Enter instead of inserting a newline.

    ``questions`` is given by the screen (the project's questions, read from the store); the
    widget only walks it, so Up and Down move the cursor as always except on the edge rows.
    """

    @dataclass
    class Submitted(Message):
        text: str

    @dataclass
    class Completing(Message):
        """The word being completed changed; None when there is none (close the popup)."""

        word: Word | None

    def __init__(self, commands: CompletionList | None = None, **kwargs: object) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, **kwargs)  # type: ignore[arg-type]
        self.commands = commands  # the slash commands' list this prompt drives, if any
        self.completers: list[Completer] = []
        self.offer: Offer | None = None
        self._closed_for: str | None = None  # Esc closed the commands' list on this text
        self._offered_for: tuple[str, tuple[int, int]] | None = None  # the offer's text, cursor
        self.completions: Completions | None = None  # the file popup, handed in by the screen
        self.word: Word | None = None
        self._dismissed: Word | None = None  # Esc closed the popup on this word
        self.questions = PromptHistory()
        self._steady: Timer | None = None

    def on_mount(self) -> None:
        self._steady = self.set_timer(BLINK_FOR_S, self._stop_blinking)

    def _stop_blinking(self) -> None:
        self.cursor_blink = False  # Textual then keeps the cursor shown while focused

    def _blink_again(self) -> None:
        """A key: the cursor blinks again, for BLINK_FOR_S from now (a timer that has fired
        cannot be reset, so a new one starts once the cursor had stopped)."""
        if self.cursor_blink and self._steady is not None:
            self._steady.reset()
            return
        self.cursor_blink = True
        self._steady = self.set_timer(BLINK_FOR_S, self._stop_blinking)

    async def _on_key(self, event: events.Key) -> None:
        self._blink_again()
        if self.offer is not None and self._offered_for != (self.text, self.cursor_location):
            # Keys typed ahead (a burst a terminal delivers at once) are handled before the
            # Changed messages their edits posted: the offer would be for an older text, and
            # Enter would complete it over what was typed since.
            self.refresh_offer()
        if self._popup_key(event.key) or (self.offer is not None and self._completing(event.key)):
            event.prevent_default()
            event.stop()
            return
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            self.send()
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

    # -- slash commands: the completers' offer ------------------------------------------------

    def send(self) -> None:
        """Post the text as a question (or a command); an empty prompt sends nothing."""
        text = self.text
        if text.strip():
            self.post_message(self.Submitted(text))

    def _completing(self, key: str) -> bool:
        """Handle a key meant for the open commands' list; False leaves it to the prompt."""
        assert self.commands is not None and self.offer is not None
        if key in ("up", "down"):
            self.commands.move(1 if key == "down" else -1)
        elif key == "tab":
            self.complete_offer()
        elif key == "enter":
            submit = self.offer.submit
            self.complete_offer()
            if submit:
                self.send()
        elif key == "escape":
            self._closed_for = self.text
            self.show_offer(None)
        else:
            return False
        return True

    def complete_offer(self) -> None:
        """Replace the word being completed with the highlighted candidate."""
        offer, chosen = self.offer, self.commands.chosen if self.commands else None
        if offer is None or chosen is None:
            return
        result = self.replace(chosen.insert, offer.start, self.cursor_location)
        self.move_cursor(result.end_location)
        self.refresh_offer()

    @on(TextArea.Changed)
    @on(TextArea.SelectionChanged)
    def refresh_offer(self) -> None:
        """Ask the completers again after an edit or a cursor move (each is cheap: no I/O)."""
        if self.commands is None:
            return
        offer = None
        if self.text != self._closed_for:
            self._closed_for = None
            location = self.cursor_location
            self._offered_for = (self.text, location)
            for completer in self.completers:
                offer = completer(self.text, location)
                if offer is not None and offer.candidates:
                    break
                offer = None
        self.show_offer(offer)

    def show_offer(self, offer: Offer | None) -> None:
        self.offer = offer
        if self.commands is not None:
            self.commands.show(offer.candidates if offer else ())

    # -- what the box draws: never a raw control character -----------------------------------

    def render_line(self, y: int) -> Strip:
        """A row as drawn, its control characters left out of the drawing.

        The box holds (and sends) exactly what was pasted or recalled, but Textual's TextArea
        writes what it holds to the terminal as it is: an escape sequence in a pasted text, or
        in a stored question Up recalls (imported from another tool, say), would act on the
        terminal. Those characters take no cell, so leaving them out keeps the cursor in place.
        """
        strip = super().render_line(y)
        drawn = [s if s.control else Segment(without_controls(s.text), s.style) for s in strip]
        if all(a.text == b.text for a, b in zip(drawn, strip, strict=True)):
            return strip
        return Strip(drawn, strip.cell_length)

    # -- the history: Up and Down on the edge rows --------------------------------------------

    def action_cursor_up(self, select: bool = False) -> None:
        """Up on the first row recalls an older question; anywhere else it moves the cursor."""
        if select or not self._recall_older():
            super().action_cursor_up(select)

    def action_cursor_down(self, select: bool = False) -> None:
        """Down on the last row, while a question is recalled, walks back towards the draft."""
        if select or not self._recall_newer():
            super().action_cursor_down(select)

    def _recall_older(self) -> bool:
        if not self.navigator.is_first_wrapped_line(self.cursor_location):
            return False
        recalled = self.questions.older(self.text)
        if recalled is None:
            return False
        self._show_recalled(recalled, at_end=False)
        return True

    def _recall_newer(self) -> bool:
        if not self.navigator.is_last_wrapped_line(self.cursor_location):
            return False
        recalled = self.questions.newer(self.text)
        if recalled is None:
            return False
        self._show_recalled(recalled, at_end=True)
        return True

    def _show_recalled(self, text: str, at_end: bool) -> None:
        """Show a recalled text with the cursor where the next Up (or Down) walks on: the end
        of a one-row question, else its first row going up and its last row going down."""
        self.replace(text, (0, 0), self.document.end)  # an edit: Ctrl+Z brings the draft back
        if at_end or self.navigator.is_first_wrapped_line(self.document.end):
            self.move_cursor(self.document.end)
        else:
            self.move_cursor((0, 0))

    def take(self, index: int) -> None:
        """Show the history's entry ``index`` (picked by a search), kept as walked to."""
        self._show_recalled(self.questions.jump(index, self.text), at_end=True)

    def draft(self) -> str:
        """The user's own text in the box: a question merely recalled is not a draft."""
        return self.questions.draft_text(self.text)
