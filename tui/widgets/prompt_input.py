"""The multi-line prompt: Enter sends, Shift+Enter or Ctrl+J adds a newline, paste is safe,
and Up on the first row (Down on the last) walks the project's questions.

It also drives the completion popup (``tui.widgets.completions``): after each edit and cursor
move it asks its completers (slash commands, @ file mentions) for an offer, and while one is
shown ↑ ↓ move its highlight (before the history's Up and Down), Tab completes, Enter completes
(and sends a slash command) and Esc closes it for the word being typed. The typing itself never
leaves the prompt.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual import events, on
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import TextArea

from tui.prompt_history import PromptHistory
from tui.text import without_controls
from tui.widgets.completions import Completer, Completions, Location, Offer

# The cursor blinks this long after the last key, then stays lit: each blink redraws the prompt
# through the whole screen's compositor, 4% of a core while nothing else happens.
BLINK_FOR_S = 10.0


class PromptInput(TextArea):
    """A TextArea that posts ``Submitted`` on Enter instead of inserting a newline.

    ``questions`` is given by the screen (the project's questions, read from the store); the
    widget only walks it, so Up and Down move the cursor as always except on the edge rows.
    """

    @dataclass
    class Submitted(Message):
        text: str

    def __init__(self, popup: Completions | None = None, **kwargs: object) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, **kwargs)  # type: ignore[arg-type]
        self.popup = popup  # the completion popup this prompt drives, if any
        self.completers: list[Completer] = []
        self.offer: Offer | None = None
        self._offered_for: tuple[str, Location] | None = None  # the offer's text and cursor
        self._dismissed: Location | None = None  # Esc closed the offer for the word from here
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
        if self._offered_for != (self.text, self.cursor_location):
            # Keys typed ahead (a burst a terminal delivers at once) are handled before the
            # Changed messages their edits posted: the offer would be for an older text (or
            # missing), and Enter would complete it over what was typed since (or send it).
            self.refresh_offer()
        if self.offer is not None and self._offer_key(event.key):
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

    def send(self) -> None:
        """Post the text as a question (or a command); an empty prompt sends nothing."""
        text = self.text
        if text.strip():
            self.post_message(self.Submitted(text))

    # -- the completion popup: the completers' offer ------------------------------------------

    def _offer_key(self, key: str) -> bool:
        """Handle a key meant for the shown offer; False leaves it to the prompt (Tab or Enter
        with no candidate to take: Enter then sends)."""
        offer = self.offer
        assert offer is not None and self.popup is not None
        if key in ("up", "down"):
            self.popup.move(1 if key == "down" else -1)
        elif key == "escape":
            self._dismissed = offer.start
            self.show_offer(None)
        elif key in ("tab", "enter") and self.popup.chosen is not None:
            self.complete_offer()
            if key == "enter" and offer.submit:
                self.send()
        else:
            return False
        return True

    def complete_offer(self) -> None:
        """Replace the word being completed with the highlighted candidate."""
        offer, chosen = self.offer, self.popup.chosen if self.popup else None
        if offer is None or chosen is None:
            return
        result = self.replace(chosen.insert, offer.start, offer.end or self.cursor_location)
        self.move_cursor(result.end_location)
        self.refresh_offer()

    @on(TextArea.Changed)
    @on(TextArea.SelectionChanged)
    def refresh_offer(self) -> None:
        """Ask the completers again after an edit or a cursor move (each is cheap: no I/O, and
        the same word again is answered from what was found for it). Nothing is offered over a
        selection; an offer Esc closed stays closed until its word is left."""
        if self.popup is None:
            return
        text, location = self.text, self.cursor_location  # text joins the document's lines
        self._offered_for = (text, location)
        offer = None
        if self.selection.start == self.selection.end:
            for completer in self.completers:
                offer = completer(text, location)
                if offer is not None and offer.shown:
                    break
                offer = None
        if offer is None:
            self._dismissed = None
        elif offer.start == self._dismissed:
            offer = None
        self.show_offer(offer)

    def show_offer(self, offer: Offer | None) -> None:
        self.offer = offer
        if self.popup is not None:
            self.popup.show(offer)

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
