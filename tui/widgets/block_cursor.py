"""The block cursor over the chat: it stops at every message, and at every code block and file
reference of an answer.

Focus is the switch. While the chat pane has focus the cursor is on: ↑/↓ (k/j) move it block by
block, Home/End go to the first and last block loaded, and PageUp/PageDown and the mouse wheel
still scroll freely. Without focus the highlight is hidden (the position is kept for the next
time), so the keys of the other panes never move it. What is under the cursor can be copied
(c, y or Enter: a message as its Markdown source, a code block without its fences) or branched
from (b); Enter on a block that folds (an answer's thinking) unfolds or folds it instead. Esc
hands focus back to the prompt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual import events
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Offset, Region
from textual.message import Message
from textual.widget import Widget

from tui.references import Reference
from tui.toast import toast
from tui.widgets.prerendered import Prerendered


@runtime_checkable
class Folding(Protocol):
    """A block that unfolds and folds (Enter on it does that instead of copying)."""

    def toggle(self) -> None: ...


@dataclass(frozen=True, eq=False)
class Stop:
    """A place the cursor can rest: a whole message, or one code block or file reference drawn
    inside it.

    Attributes:
        message: the message's widget; it has the message's raw text as ``text``.
        block: for a code block or a reference, the block drawing it (``codes`` hold the code).
        part: the part of ``block``: a code block's number, or a reference's (negative).
    """

    message: Widget
    block: Prerendered | None = None
    part: int | None = None

    def same(self, other: Stop | None) -> bool:
        return (
            other is not None
            and other.message is self.message
            and other.block is self.block
            and other.part == self.part
        )

    @property
    def reference(self) -> Reference | None:
        """The file reference this stop is, if it is one."""
        if self.block is None or self.part is None:
            return None
        return self.block.reference(self.part)

    @property
    def text(self) -> str:
        """What copying this stop puts on the clipboard (a reference: its path and lines)."""
        if (reference := self.reference) is not None:
            return reference.label()
        if self.block is not None and self.part is not None:
            return str(getattr(self.block, "codes", {}).get(self.part, ""))
        return str(getattr(self.message, "text", ""))

    def describe(self) -> str:
        lines = len(self.text.splitlines())
        size = f"{lines} line{'s' if lines != 1 else ''}"
        if self.reference is not None:
            return f"the reference {self.text}"
        if self.block is not None:
            return f"a code block ({size})"
        kind = "answer" if self.message.has_class("answer") else "question"
        kind = "thinking" if self.message.has_class("thinking") else kind
        return f"the {kind} ({size})"


class BlockCursorScroll(VerticalScroll):
    """A vertical scroll view with a block cursor; the subclass says where the stops are."""

    BINDINGS = [
        Binding("up,k", "cursor_move(-1)", "Previous block", show=False),
        Binding("down,j", "cursor_move(1)", "Next block", show=False),
        Binding("home", "cursor_edge(0)", "First block", show=False),
        Binding("end", "cursor_edge(-1)", "Last block", show=False),
        Binding("c,y", "copy_block", "Copy block"),
        Binding(
            "enter",
            "open_block",
            "Open a file reference in the viewer, unfold or fold thinking, else copy",
            show=False,
        ),
        Binding("b", "branch_block", "Branch from here"),
        Binding("escape", "leave", "Back to the prompt"),
    ]

    class Branch(Message):
        """Branch a new conversation from the message under the cursor (None: not stored)."""

        def __init__(self, message_id: int | None) -> None:
            super().__init__()
            self.message_id = message_id

    class Leave(Message):
        """The user is done with the cursor: focus goes back to the prompt."""

    class OpenReference(Message):
        """Open a file reference of an answer in the code viewer; ``siblings`` are all the
        references of that answer, in order (``]`` and ``[`` go through them)."""

        def __init__(self, reference: Reference, siblings: list[Reference]) -> None:
            super().__init__()
            self.reference = reference
            self.siblings = siblings

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.cursor: Stop | None = None

    # -- for the subclass ------------------------------------------------------------------

    def stops(self) -> list[Stop]:
        """Every stop, top to bottom."""
        return []

    def branch_point(self, stop: Stop) -> int | None:
        """The stored message a branch from ``stop`` ends with (None: not stored yet)."""
        return None

    def at_first_stop(self) -> None:
        """The user moved up from the first stop loaded (the chat loads older messages)."""

    # -- moving ----------------------------------------------------------------------------

    def current(self) -> Stop | None:
        """The stop under the cursor, if it is still shown (a conversation switch drops it)."""
        stops = self.stops()
        if self.cursor is not None:
            for stop in stops:
                if stop.same(self.cursor):
                    return stop
        return None

    def action_cursor_move(self, step: int) -> None:
        stops = self.stops()
        if not stops:
            return
        here = self.current()
        if here is None:
            self.place(self._visible_last(stops), reveal=False)
            return
        index = next(i for i, stop in enumerate(stops) if stop.same(here)) + step
        if index < 0:
            self.at_first_stop()
            return
        self.place(stops[min(index, len(stops) - 1)])

    def action_cursor_edge(self, index: int) -> None:
        stops = self.stops()
        if stops:
            self.place(stops[index])

    def _visible_last(self, stops: list[Stop]) -> Stop:
        """The lowest stop with a line on screen, else the last one."""
        view = self.content_region
        seen = [s for s in stops if self._drawn_at(s).overlaps(view)]
        return seen[-1] if seen else stops[-1]

    def place(self, stop: Stop, reveal: bool = True) -> None:
        """Put the cursor on ``stop``, highlight it and scroll it into view (``reveal``)."""
        self._highlight(False)
        self.cursor = stop
        self._highlight(True)
        if reveal:
            self.call_after_refresh(self._reveal, stop)

    def _highlight(self, on: bool) -> None:
        stop = self.cursor
        if stop is None:
            return
        if stop.block is not None:
            stop.block.mark(stop.part if on else None)
        else:
            stop.message.set_class(on, "-cursor")

    @staticmethod
    def _drawn_at(stop: Stop) -> Region:
        """Where the stop is on the screen now (a code block: its lines only; a reference: its
        cells, or its line when they were not found)."""
        if stop.block is None or stop.part is None:
            return stop.message.region
        content = stop.block.content_region
        if stop.reference is not None:
            line, column, width = stop.block.place(stop.part)
            if width:
                return Region(content.x + column, content.y + line, width, 1)
            return Region(content.x, content.y + line, content.width, 1)
        start, end = stop.block.span(stop.part)
        return Region(content.x, content.y + start, content.width, max(1, end - start))

    def _reveal(self, stop: Stop) -> None:
        if not stop.same(self.cursor):
            return
        if stop.block is None:
            self.scroll_to_widget(stop.message, animate=False, immediate=True)
            return
        drawn = self._drawn_at(stop)
        top = drawn.y - self.content_region.y + round(self.scroll_y)
        area = Region(0, top, self.content_region.width, drawn.height)
        self.scroll_to_region(area, animate=False, immediate=True)

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the block under the mouse (the smallest: a reference
        before its code block or answer); a click on a reference opens it, as Enter does."""
        point = Offset(event.screen_x, event.screen_y)
        hits = [stop for stop in self.stops() if self._drawn_at(stop).contains_point(point)]
        if hits:
            stop = min(hits, key=lambda hit: self._drawn_at(hit).area)
            self.place(stop, reveal=False)
            if stop.reference is not None:
                self._open_reference(stop)

    def on_focus(self) -> None:
        """Show the cursor where it was, or on the lowest block on screen the first time.

        (This runs before Textual marks the widget focused, so the highlight is forced on.)
        """
        stop = self.current()
        if stop is not None:
            self.cursor = stop
            self._highlight(True)
        elif stops := self.stops():  # already on screen: the view stays where the user left it
            self.place(self._visible_last(stops), reveal=False)

    def show_cursor(self) -> None:
        """Show the cursor if the pane has focus (after its messages were replaced)."""
        if self.has_focus:
            self.on_focus()

    def on_blur(self) -> None:
        self._highlight(False)

    def forget_cursor(self) -> None:
        """The chat shows another conversation: the cursor starts afresh next time."""
        self._highlight(False)
        self.cursor = None

    # -- acting ----------------------------------------------------------------------------

    def action_copy_block(self) -> None:
        stop = self.current()
        if stop is None:
            return
        self.app.copy_to_clipboard(stop.text)
        toast(self, f"Copied {stop.describe()}.")

    def action_open_block(self) -> None:
        """Enter: a reference opens in the viewer, a folding block (thinking) unfolds or folds,
        anything else is copied."""
        stop = self.current()
        if stop is not None and stop.reference is not None:
            self._open_reference(stop)
            return
        if stop is not None and stop.block is None and isinstance(stop.message, Folding):
            stop.message.toggle()
            self.place(stop)  # an unfolded block taller than the view shows its top
            return
        self.action_copy_block()

    def _open_reference(self, stop: Stop) -> None:
        siblings = [
            found.reference
            for found in self.stops()
            if found.message is stop.message and found.reference is not None
        ]
        if stop.reference is not None:
            self.post_message(self.OpenReference(stop.reference, siblings))

    def action_branch_block(self) -> None:
        stop = self.current()
        if stop is not None:
            self.post_message(self.Branch(self.branch_point(stop)))

    def action_leave(self) -> None:
        self.post_message(self.Leave())
