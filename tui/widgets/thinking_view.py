"""The model's thinking above its answer: one line while folded, its text when unfolded.

Folded, a streaming thinking costs one short line redrawn at most ten times a second, without a
new layout (its height stays one line), so it never makes the answer below it render again.
Its text is drawn as plain text made inert: it comes from the model, and neither Rich markup
nor an escape sequence in it may act.
"""

from __future__ import annotations

from rich.text import Text
from textual import events

from tui.text import inert, thinking_summary
from tui.widgets.prerendered import Prerendered

REFRESH_S = 0.1  # at most 10 redraws a second while it streams (as the answer below it)


class LiveThinking:
    """The thinking of one turn as it streams, kept by the screen like the answer's text."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.seconds = 0.0
        self.open = False  # a thinking block is streaming now

    def add(self, piece: str, seconds: float) -> None:
        """More thinking; an empty piece ends a block with its final time."""
        if piece:
            self.parts.append(piece)
            self.length += len(piece)
        self.open, self.seconds = bool(piece), seconds

    def replace(self, text: str, seconds: float) -> None:
        """A retried stream started over: the thinking so far is exactly ``text``."""
        self.parts, self.length = [text], len(text)
        self.open, self.seconds = False, seconds

    def text(self) -> str:
        return "".join(self.parts)


class ThinkingView(Prerendered):
    """A folded thinking block; the block cursor stops at it, Enter or a click unfolds it.

    ``message_id`` is the stored answer it belongs to (None while that answer streams).
    """

    def __init__(
        self,
        text: str = "",
        seconds: float = 0.0,
        *,
        live: LiveThinking | None = None,
        message_id: int | None = None,
    ) -> None:
        super().__init__(Text(""), classes="thinking")
        self._text, self._seconds = text, seconds
        self.live = live
        self.message_id = message_id
        self.expanded = False
        self._scheduled = False
        self._draw()

    @property
    def text(self) -> str:
        """The thinking so far (what copying this block puts on the clipboard)."""
        return self.live.text() if self.live is not None else self._text

    @property
    def length(self) -> int:
        return self.live.length if self.live is not None else len(self._text)

    @property
    def seconds(self) -> float:
        return self.live.seconds if self.live is not None else self._seconds

    def header(self) -> str:
        """The folded line: 'Thinking · 1,234 chars · 3.2 s' ('Thinking…' while it streams)."""
        line = thinking_summary(self.length, self.seconds)
        return line.replace("Thinking", "Thinking…", 1) if self.live and self.live.open else line

    def toggle(self) -> None:
        """Unfold or fold the thinking (the height changes: laid out again once)."""
        self.expanded = not self.expanded
        self._draw()

    def on_click(self, event: events.Click) -> None:
        self.toggle()

    def catch_up(self) -> None:
        """The live thinking grew: draw it with the next refresh (at most one per REFRESH_S)."""
        if self.live is None or self._scheduled:
            return
        if not self.display:  # the first thought: its line appears at once
            self._draw()
            return
        self._scheduled = True
        self.set_timer(REFRESH_S, self._flush)

    def finish(self) -> None:
        """The turn ended: keep the thinking as it ended, and stop following it."""
        if self.live is not None:
            self._text, self._seconds = self.live.text(), self.live.seconds
            self.live = None
        self._draw()

    def _flush(self) -> None:
        self._scheduled = False
        if self.live is not None:
            self._draw()

    def _content(self) -> Text:
        drawn = Text(f"{'▾' if self.expanded else '▸'} {self.header()}", style="italic")
        if self.expanded:
            drawn.append("\n")
            drawn.append(inert(self.text))  # a Text holds no markup; inert: no escapes either
        return drawn

    def _draw(self) -> None:
        """Draw again; laid out again only when the height changes (folded it never does)."""
        self.display = self.length > 0
        height = len(self._lines) if self._width != -1 else -1
        self._renderable, self._width = self._content(), -1
        if not self.is_mounted or height != len(self.lines(self.content_size.width)):
            self.refresh(layout=True)
        else:
            self.refresh()
