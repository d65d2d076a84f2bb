"""Widgets whose new size is taken from the layout that gave it, with no second layout.

After every layout Textual tells each widget its size; a widget whose virtual size changed then
sets it as a reactive that asks for a layout of the whole screen again. For the chat that second
layout finds nothing to move (the first already placed everything by the same sizes), yet it is
a full frame: while an answer streams, each redraw of its newest block cost two frames of
20-40 ms with a long chat, and at a thousand deltas a second the frames alone took most of a
core. A scrollbar that must appear or go still asks for its own layout (``_scroll_update``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size

if TYPE_CHECKING:
    from textual.widget import Widget as _Mixed
else:
    _Mixed = object  # a plain mixin: as a Widget it would bring Widget's CSS before the class's


class OneLayout(_Mixed):
    """Take a new size without asking for another layout (see the module's docstring); put
    before the widget class in the bases."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)
