"""The side panel's switcher: one card shown, the others kept drawn out of sight.

Textual's ContentSwitcher hides a card with ``display: none``, and a widget shown again has
forgotten every line it drew: F4 then drew the whole backlog pane from nothing, the largest part
of its frame (a bare Textual app doing the same swap took ~1.5x as long as one that kept its
drawings). Here each card has a layer of its own, so all lie in the same place, and the hidden
ones are moved far below by ``offset``, which Textual applies without a repaint: shown again, a
card is drawn from the lines it kept (a card that changed meanwhile redraws what changed).

A card out of sight must not take the focus (Tab, a click cannot reach it): cards are
``Card`` widgets, which refuse the focus while away.
"""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete
from textual.containers import Container
from textual.reactive import reactive
from textual.widget import Widget

AWAY = (0, 10_000)  # far below any terminal: clipped, never drawn, its lines kept
LAYERS = ("card0", "card1", "card2", "card3")


class Card(Widget):
    """A widget the switcher can hide; while away it and its children refuse the focus."""

    away = False

    def allow_focus(self) -> bool:
        return not self.away and super().allow_focus()

    def allow_focus_children(self) -> bool:
        return not self.away and super().allow_focus_children()


class KeptSwitcher(Container):
    """Shows the card whose id is ``current``; the others stay laid out and drawn, away."""

    DEFAULT_CSS = f"KeptSwitcher {{ layers: {' '.join(LAYERS)}; }}"

    current: reactive[str | None] = reactive[str | None](None, init=False)

    def __init__(self, *children: Widget, initial: str | None = None, **kwargs: Any) -> None:
        super().__init__(*children, **kwargs)
        self._initial = initial

    def on_mount(self) -> None:
        for child in self.children:
            self._place(child)
        self.set_reactive(KeptSwitcher.current, self._initial)
        self._show(self._initial)

    @property
    def visible_content(self) -> Widget | None:
        """The card in sight, if any."""
        return next((c for c in self.children if c.id == self.current), None)

    def watch_current(self, new: str | None) -> None:
        self._show(new)

    def add_content(self, widget: Widget, *, set_current: bool = False) -> AwaitComplete:
        """Mount another card (away unless ``set_current``)."""

        async def add() -> None:
            self._place(widget, len(self.children))
            await self.mount(widget)
            if set_current:
                self.current = widget.id

        return AwaitComplete(add())

    def _place(self, child: Widget, index: int | None = None) -> None:
        at = list(self.children).index(child) if index is None else index
        child.styles.layer = LAYERS[at % len(LAYERS)]
        if child.id != self.current:
            self._away(child, True)

    def _show(self, shown: str | None) -> None:
        with self.app.batch_update():
            for child in self.children:
                self._away(child, child.id != shown)

    @staticmethod
    def _away(child: Widget, away: bool) -> None:
        if isinstance(child, Card):
            child.away = away
        child.styles.offset = AWAY if away else (0, 0)
