"""The multi-line prompt: Enter sends, Shift+Enter or Ctrl+J adds a newline, paste is safe.

While its completers offer something for the word being typed (``tui.widgets.completions``),
↑ ↓ move through the list, Tab completes, Enter completes (and sends, for an offer that says
so) and Esc closes the list; every other key edits as always.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.message import Message
from textual.widgets import TextArea

from tui.widgets.completions import Completer, CompletionList, Offer


class PromptInput(TextArea):
    """A TextArea that posts ``Submitted`` on Enter instead of inserting a newline."""

    @dataclass
    class Submitted(Message):
        text: str

    def __init__(self, completions: CompletionList | None = None, **kwargs: object) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, **kwargs)  # type: ignore[arg-type]
        self.completions = completions  # the list this prompt drives, if any
        self.completers: list[Completer] = []
        self.offer: Offer | None = None
        self._closed_for: str | None = None  # Esc closed the list while the text was this

    async def _on_key(self, event: events.Key) -> None:
        if self.offer is not None and self._completing(event.key):
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

    def _completing(self, key: str) -> bool:
        """Handle a key meant for the open list; False leaves it to the prompt."""
        assert self.completions is not None and self.offer is not None
        if key in ("up", "down"):
            self.completions.move(1 if key == "down" else -1)
        elif key == "tab":
            self.complete()
        elif key == "enter":
            submit = self.offer.submit
            self.complete()
            if submit:
                self.send()
        elif key == "escape":
            self._closed_for = self.text
            self.show_offer(None)
        else:
            return False
        return True

    def complete(self) -> None:
        """Replace the word being completed with the highlighted candidate."""
        offer, chosen = self.offer, self.completions.chosen if self.completions else None
        if offer is None or chosen is None:
            return
        result = self.replace(chosen.insert, offer.start, self.cursor_location)
        self.move_cursor(result.end_location)
        self.refresh_offer()

    @on(TextArea.Changed)
    @on(TextArea.SelectionChanged)
    def refresh_offer(self) -> None:
        """Ask the completers again after an edit or a cursor move (each is cheap: no I/O)."""
        if self.completions is None:
            return
        offer = None
        if self.text != self._closed_for:
            self._closed_for = None
            location = self.cursor_location
            for completer in self.completers:
                offer = completer(self.text, location)
                if offer is not None and offer.candidates:
                    break
                offer = None
        self.show_offer(offer)

    def show_offer(self, offer: Offer | None) -> None:
        self.offer = offer
        if self.completions is not None:
            self.completions.show(offer.candidates if offer else ())
