"""Drawing the older part of what is shown after the newest, one short step per frame.

Opening a conversation draws its newest text with the switch and the text above it afterwards
(parsing and rendering 120 KB of Markdown took seconds). While that goes on, the chat either
stays at its end, where the user was, or keeps what the user reads in place as blocks appear
above it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable

from textual.app import App
from textual.containers import VerticalScroll
from textual.widget import Widget

# Steps wait until the user has pressed no key for this long: a step is a frame of 20-40 ms,
# which a key pressed meanwhile waits for (the older text is above the view: it can wait).
TYPING_PAUSE_S = 0.25
_typed_at = 0.0  # when a key was last pressed (the app says so: typed_now)


def typed_now() -> None:
    """The user pressed a key (anywhere in the app)."""
    global _typed_at
    _typed_at = time.monotonic()


def _typing_left() -> float:
    """Seconds until the pause after the last key is over (0: no key lately)."""
    return max(0.0, _typed_at + TYPING_PAUSE_S - time.monotonic())


class Following:
    """What a conversation's opening draws after it: the steps, one a frame whoever queued
    them (the older messages, each long answer's older blocks), and whether the chat stays
    at its end while they draw.

    Each step scrolls to the end itself once its blocks are laid out, and notes where that put
    the view: found higher at the next step, the user scrolled up, and from then on what they
    read is kept in place. (Textual's own scroll to the end lands a frame late, so its position
    says nothing about the user.)
    """

    def __init__(self, follow: bool = True) -> None:
        self.follow = follow
        self._y: float | None = None  # where the last step's scroll to the end put the view
        self._steps: deque[Callable[[], Awaitable[object]]] = deque()
        self._app: App[object] | None = None  # set while steps are queued

    def later(self, widget: Widget, step: Callable[[], Awaitable[object]]) -> None:
        """Run ``step`` in a frame of its own, after the steps queued before it."""
        self._steps.append(step)
        if self._app is None:
            self._app = widget.app
            self._app.call_after_refresh(self._next)

    async def _next(self) -> None:
        """One step; the next after the frame that draws it (a step whose widget has gone
        does nothing). While the user presses keys, the steps wait for a pause."""
        if (wait := _typing_left()) and self._steps and self._app is not None:
            self._app.set_timer(min(wait, 0.1), self._next)  # looked at again, cheaply
            return
        if self._steps:
            await self._steps.popleft()()
        if self._steps and self._app is not None:
            self._app.call_after_refresh(self._next)
        else:
            self._app = None

    def place(self, pane: VerticalScroll, anchor: Widget, was: int) -> None:
        """A step drew blocks just above ``anchor`` (whose top was at ``was`` before): once
        they are laid out, scroll to the end, or keep what the user reads where it is."""
        pane.app.call_after_refresh(self._laid_out, pane, anchor, was)  # before the next step

    def _laid_out(self, pane: VerticalScroll, anchor: Widget, was: int) -> None:
        if self.follow and self._y is not None and pane.scroll_y < self._y:
            self.follow = False
        if self.follow:
            pane.scroll_end(animate=False, immediate=True)
            self._y = pane.scroll_y
        else:
            keep_place(pane, anchor, was)


def y_in(pane: Widget, widget: Widget) -> int:
    """The top of ``widget`` in the scrolled content of ``pane`` (it may sit in a container)."""
    y = 0
    node: object = widget
    while node is not pane and isinstance(node, Widget):
        y += node.virtual_region.y
        node = node.parent
    return y


def keep_place(pane: VerticalScroll, anchor: Widget, was: int) -> None:
    """Blocks drawn above the top of the view pushed what the user reads down: scroll down as
    much as ``anchor`` (the first widget below them) moved. Blocks drawn lower moved nothing
    the user sees above them, and what is below them the user sees move as it appears."""
    if anchor.is_attached and was <= pane.scroll_y:
        pane.scroll_to(y=pane.scroll_y + y_in(pane, anchor) - was, animate=False, immediate=True)
