"""A widget that draws a Rich renderable from lines rendered once per width.

Textual's Static renders its content twice when it is laid out: once to learn its height and
once to draw it. For a message of Markdown with highlighted code that is the main cost of opening
a conversation, so the chat pane's blocks render once, keep the lines, and hand them out by
number; they render again only when the width changes or the content is replaced.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.segment import Segment
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget


class Prerendered(Widget):
    """A block of the chat: ``renderable`` drawn from cached lines."""

    DEFAULT_CSS = "Prerendered { height: auto; }"

    def __init__(self, renderable: RenderableType, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._renderable = renderable
        self._lines: list[Strip] = []
        self._width = -1  # the width ``_lines`` were rendered at; -1: not yet

    def update(self, renderable: RenderableType) -> None:
        """Draw something else (the streaming tail does this at most ten times a second)."""
        self._renderable = renderable
        self._width = -1
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        """What is drawn, for tests and tools that look at it (drawing uses the cached lines)."""
        return self._renderable

    def lines(self, width: int) -> list[Strip]:
        """The rendered lines at ``width``, rendered now if the width or content changed.

        Rendered the way Textual renders a Static (its console options, the widget's style
        under the content), so a block looks the same as before, only drawn from a cache.
        """
        if width != self._width:
            app = self.app
            options = app.console_options.update(highlight=False, width=max(1, width), height=None)
            styled = self.post_render(self._renderable, self.rich_style)
            rendered = Segment.split_and_crop_lines(
                app.console.render(styled, options), width, include_new_lines=False, pad=False
            )
            self._lines = [Strip(line) for line in rendered]
            self._width = width
        return self._lines

    def notify_style_update(self) -> None:
        """A theme or class change changes the style under the content: render again."""
        super().notify_style_update()
        self._width = -1

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        lines = self.lines(width)
        return lines[y] if y < len(lines) else Strip.blank(width)
