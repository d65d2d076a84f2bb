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
from weakref import WeakKeyDictionary

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


# Which Following anchored each chat last: an earlier opening's, finishing after a newer one
# began, must not take the newer one's anchor away.
_anchored_by: WeakKeyDictionary[VerticalScroll, Following] = WeakKeyDictionary()


class Following:
    """What a conversation's opening draws after it: the steps, one a frame whoever queued
    them (the older messages, each long answer's older blocks), and whether the chat stays
    at its end while they draw.

    While it follows, the chat is anchored (Textual keeps an anchored view at its end as its
    content grows, in the same frame: a scroll after each step landed a frame late, and every
    block drawn above showed the text jump for that frame). A scroll up releases the anchor;
    then, or if the view is found higher than the last step left it, the user has scrolled,
    and from then on what they read is kept in place.
    """

    def __init__(self, follow: bool = True) -> None:
        self.follow = follow
        self._y: float | None = None  # where the last step's scroll to the end put the view
        self._steps: deque[Callable[[], Awaitable[object]]] = deque()
        self._app: App[object] | None = None  # set while steps are queued
        self._anchored: VerticalScroll | None = None  # the chat this anchored, while it does

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
            app, self._app = self._app, None
            if app is not None:  # once the last step's blocks are laid out, still anchored
                app.call_after_refresh(self._done)

    def place(self, pane: VerticalScroll, anchor: Widget, was: int) -> None:
        """A step drew blocks just above ``anchor`` (whose top was at ``was`` before): once
        they are laid out, scroll to the end, or keep what the user reads where it is."""
        if self.follow and self._anchored is None:  # steps queued after the others were done
            if pane.is_vertical_scroll_end:
                self.hold(pane)
            else:
                self.follow = False  # the user scrolled away meanwhile
        pane.app.call_after_refresh(self._laid_out, pane, anchor, was)  # before the next step

    def hold(self, pane: VerticalScroll) -> None:
        """Keep the chat at its end from the opening's first frame (its own scroll to the end
        lands a frame late), until the steps queued meanwhile are done."""
        if not self.follow:
            return
        if not pane.is_anchored:
            pane.anchor()
        self._anchored = pane
        _anchored_by[pane] = self
        pane.app.call_after_refresh(self._done)

    def _done(self) -> None:
        """Nothing (more) queued: the chat goes back to following by hand."""
        if self._app is None:
            self._unanchor()

    def _unanchor(self) -> None:
        """Leave the chat as it was, unless another opening anchored it since."""
        pane, self._anchored = self._anchored, None
        if pane is not None and _anchored_by.get(pane) is self:
            del _anchored_by[pane]
            pane.anchor(False)

    def _laid_out(self, pane: VerticalScroll, anchor: Widget, was: int) -> None:
        released = getattr(pane, "_anchor_released", False)  # Textual's: a user scrolled up
        if self.follow and (released or (self._y is not None and pane.scroll_y < self._y)):
            self.follow = False
            self._unanchor()
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
