"""The multi-line prompt: Enter sends, Shift+Enter or Ctrl+J adds a newline, paste is safe,
and Up on the first row (Down on the last) walks the project's questions."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widgets import TextArea

from tui.prompt_history import PromptHistory
from tui.text import without_controls


class PromptInput(TextArea):
    """A TextArea that posts ``Submitted`` on Enter instead of inserting a newline.

    ``questions`` is given by the screen (the project's questions, read from the store); the
    widget only walks it, so Up and Down move the cursor as always except on the edge rows.
    """

    @dataclass
    class Submitted(Message):
        text: str

    def __init__(self, **kwargs: object) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, **kwargs)  # type: ignore[arg-type]
        self.questions = PromptHistory()

    async def _on_key(self, event: events.Key) -> None:
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
