"""The model's thinking over one turn: its text and how long it took, from the stream events.

Kept apart from the answer text (tui.agent.translate) because it is shown, stored and exported
apart. Blocks of one turn (a model thinks again after each tool result) are joined with a blank
line and their times added up. A retried stream drops the thinking of the attempt it repeats,
as the translator drops that attempt's text.
"""

from __future__ import annotations

import time
from typing import Any

from tui.agent.events import Event, ThinkingDelta, ThinkingReplaced


class Thinking:
    """Stateful over one turn: the thinking text and the seconds spent in thinking blocks."""

    def __init__(self) -> None:
        # Pieces, joined when asked (each flush): adding to one growing string would copy it
        # whole for every piece.
        self._parts: list[str] = []
        self._joined_text = ("", 0)  # the text last joined, and of how many pieces
        self._done_s = 0.0  # time of the blocks that ended
        self._started: float | None = None  # when the block streaming now began
        self._index: int | None = None  # its index in the message
        self._joined = False  # the block streaming now has shown text
        self._committed = ("", 0.0)  # text and time when the last message ended
        self._attempt = ("", 0.0)  # and when the message streaming now began (for retries)

    @property
    def text(self) -> str:
        """The thinking so far."""
        if self._joined_text[1] != len(self._parts):
            self._joined_text = ("".join(self._parts), len(self._parts))
        return self._joined_text[0]

    @property
    def seconds(self) -> float:
        """Time spent thinking so far, the block streaming now included."""
        running = time.monotonic() - self._started if self._started is not None else 0.0
        return self._done_s + running

    @property
    def milliseconds(self) -> int:
        return round(self.seconds * 1000)

    def stream(self, event: dict[str, Any]) -> list[Event]:
        """Events for one raw stream event (none unless it is about thinking)."""
        kind = event.get("type")
        if kind == "message_start":
            dropped = self._back_to(self._committed)  # a message that never ended
            self._attempt = self._committed
            return dropped
        if kind == "message_stop":
            self._committed = (self.text, self.seconds)
            return []
        if kind == "content_block_start":
            block = event.get("content_block") or {}
            if block.get("type") == "thinking":
                self._started, self._index = time.monotonic(), event.get("index")
                self._joined = False
                return self._piece(str(block.get("thinking") or ""))
        elif kind == "content_block_delta" and self._started is not None:
            delta = event.get("delta") or {}
            if delta.get("type") == "thinking_delta":
                return self._piece(str(delta.get("thinking") or ""))
        elif kind == "content_block_stop" and self._started is not None:
            return self._stop() if event.get("index") == self._index else []
        return []

    def retry(self) -> list[Event]:
        """The CLI will send the request again: forget the thinking of the dropped attempt."""
        self._committed = self._attempt
        return self._back_to(self._attempt)

    def _piece(self, piece: str) -> list[Event]:
        if not piece:
            return []
        if self._parts and not self._joined:
            piece = "\n\n" + piece  # a later block of the same turn
        self._joined = True
        self._parts.append(piece)
        return [ThinkingDelta(piece, self.seconds)]

    def _stop(self) -> list[Event]:
        had_text = self._joined
        self._done_s = self.seconds
        self._started = self._index = None
        return [ThinkingDelta("", self._done_s)] if had_text else []

    def _back_to(self, state: tuple[str, float]) -> list[Event]:
        """Return to an earlier state (a dropped attempt's thinking is not the model's)."""
        self._started = self._index = None
        text, seconds = state
        if self.text == text:
            return []
        self._parts, self._done_s = [text] if text else [], seconds
        self._joined_text = (text, len(self._parts))
        return [ThinkingReplaced(text, seconds)]
