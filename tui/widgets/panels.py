"""The body of the main screen: sidebar, the chat column, and the side panel (the tool log, or
the backlog in its place), with the rules that keep the chat readable as panels come and go.

Below 100 columns both side panels start hidden; showing one that would leave the chat under
50 columns hides the other side's (at 80 columns the sidebar and the tool log together left
the chat 6 columns wide).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import suppress

from textual import events
from textual.containers import Horizontal
from textual.widget import Widget

from tui.widgets.backlog_pane import BacklogPane, BacklogSource
from tui.widgets.kept_switcher import KeptSwitcher
from tui.widgets.prompt_input import PromptInput
from tui.widgets.sidebar import Sidebar

NARROW = 100
FOCUS_WAIT_S = 0.05  # at most this long for the focus change to be handled before drawing
CHAT_MIN = 50  # columns the chat keeps when a side panel is shown: the other side makes room


class Body(Horizontal):
    """Lays out the panes the screen composes into it (sidebar, ``#center``, ``#side``: composed
    with the screen, so a key pressed during the launch finds them); the screen tells it which
    to show."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.narrow = False
        self.tools_were_hidden = False  # the tool log's state before the backlog took its place

    @property
    def side(self) -> KeptSwitcher:
        return self.query_one("#side", KeptSwitcher)

    def on_resize(self, event: events.Resize) -> None:
        """Below 100 columns the side panels start hidden (Ctrl+B / Ctrl+T bring them back)."""
        narrow = event.size.width < NARROW
        if narrow != self.narrow:
            self.narrow = narrow
            self.query_one(Sidebar).set_class(narrow, "-hidden")
            self.side.set_class(narrow, "-hidden")

    def toggle_sidebar(self) -> None:
        sidebar = self.query_one(Sidebar)
        sidebar.toggle_class("-hidden")
        self._make_room(sidebar)

    def toggle_tools(self) -> None:
        """The tool log on or off (in the backlog's place, when the backlog is shown)."""
        side = self.side
        showing_tools = side.current == "tools" and not side.has_class("-hidden")
        backlog = side.visible_content if side.current == "backlog" else None
        side.current = "tools"
        side.set_class(showing_tools, "-hidden")
        if backlog is not None and backlog.has_focus_within:  # out of sight, it keeps no keys
            self.query_one(PromptInput).focus()
        self._make_room(side)

    async def toggle_backlog(self, source: Callable[[], BacklogSource]) -> None:
        """The backlog in the tool log's place, built on first use (most launches never ask);
        again, the tool log as it was."""
        side, pane = self.side, await self._backlog_pane(source)
        if side.current == "backlog" and not side.has_class("-hidden"):
            side.current = "tools"
            side.set_class(self.tools_were_hidden, "-hidden")
            if pane.has_focus_within:
                self.query_one(PromptInput).focus()
            return
        await pane.fresh()  # drawn once, with what it read
        self.tools_were_hidden = side.has_class("-hidden") or side.current != "tools"
        with self.app.batch_update():  # the pane, its focus and its key hints: one frame
            side.current = "backlog"
            side.remove_class("-hidden")
            self._make_room(side)
            pane.shown()
            await focused(pane.query_one("#backlog-list"))

    async def _backlog_pane(self, source: Callable[[], BacklogSource]) -> BacklogPane:
        found = self.query(BacklogPane)
        if found:
            return found.first()
        pane = BacklogPane(source(), id="backlog")
        await self.side.add_content(pane)
        return pane

    def _make_room(self, shown: Widget) -> None:
        """Hide the other side's panel if ``shown`` and it would leave the chat too narrow."""
        if shown.has_class("-hidden"):
            return
        sidebar, side = self.query_one(Sidebar), self.side
        other = side if shown is sidebar else sidebar
        if other.has_class("-hidden"):
            return
        if self.size.width - self._width(shown) - self._width(other) < CHAT_MIN:
            other.add_class("-hidden")
            if other.has_focus_within:
                self.query_one(PromptInput).focus()

    def _width(self, panel: Widget) -> int:
        """A side panel's width as styled (it may be hidden, so not its laid-out size)."""
        if isinstance(panel, KeptSwitcher):
            panel = panel.visible_content or panel
        width = panel.styles.width
        return int(width.resolve(self.size, self.app.size)) if width is not None else 0


async def focused(widget: Widget, wait: float = FOCUS_WAIT_S) -> None:
    """Focus ``widget`` and return once it and the widget that had the focus have handled the
    change (their focus styles set), up to ``wait`` seconds.

    ``Widget.focus`` sets the focus after the next frame, and each widget restyles itself when
    its Focus or Blur message arrives: the screen was drawn three times for one key, each frame
    tens of milliseconds. Awaited inside ``App.batch_update`` the change is drawn once."""
    screen = widget.screen
    before = screen.focused
    screen.set_focus(widget, scroll_visible=False)
    screen.refresh_bindings()
    handled = []
    for each in {widget, before}:
        if each is None:
            continue
        done = asyncio.Event()
        each.call_later(done.set)  # queued behind its Focus or Blur
        handled.append(done.wait())
    with suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*handled), wait)
