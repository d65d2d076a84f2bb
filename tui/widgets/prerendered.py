"""A widget that draws Rich renderables from lines rendered once per width.

Textual's Static renders its content twice when it is laid out: once to learn its height and
once to draw it. For a message of Markdown with highlighted code that is the main cost of opening
a conversation, so the chat pane's blocks render once, keep the lines, and hand them out by
number; they render again only when the width or the style under them changes, or the content
is replaced.

A block may be drawn from several parts one below the other (an answer cut at its code blocks):
the lines each part occupies are kept, so the block cursor can mark one part without drawing
anything again.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

MARK = "▌"  # drawn in the first column of every line of the part under the block cursor


class Prerendered(Widget):
    """A block of the chat: ``renderable`` (or several parts) drawn from cached lines."""

    DEFAULT_CSS = "Prerendered { height: auto; }"

    def __init__(self, renderable: RenderableType, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._parts: list[RenderableType] = [renderable]
        self._lines: list[Strip] = []
        self._spans: list[tuple[int, int]] = []  # the lines each part occupies in ``_lines``
        self._width = -1  # the width ``_lines`` were rendered at; -1: not yet
        self._style = Style()  # the style under the content when ``_lines`` were rendered
        self.marked: int | None = None  # the part under the block cursor

    def update(self, renderable: RenderableType) -> None:
        """Draw something else (the streaming tail does this at most ten times a second)."""
        self.update_parts([renderable])

    def update_parts(self, parts: Sequence[RenderableType]) -> None:
        """Draw several renderables one below the other, each one's lines kept apart."""
        self._parts = list(parts)
        self._width = -1
        self.marked = None
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        """What is drawn, for tests and tools that look at it (drawing uses the cached lines)."""
        return self._parts[0] if len(self._parts) == 1 else Group(*self._parts)

    def lines(self, width: int) -> list[Strip]:
        """The rendered lines at ``width``, rendered now if the width or content changed.

        Rendered the way Textual renders a Static (its console options, the widget's style
        under the content), so a block looks the same as before, only drawn from a cache.
        """
        if width != self._width:
            app = self.app
            options = app.console_options.update(highlight=False, width=max(1, width), height=None)
            self._style = self.rich_style
            self._lines, self._spans = [], []
            for part in self._parts:
                styled = self.post_render(part, self._style)
                rendered = Segment.split_and_crop_lines(
                    app.console.render(styled, options), width, include_new_lines=False, pad=False
                )
                start = len(self._lines)
                self._lines.extend(Strip(line) for line in rendered)
                self._spans.append((start, len(self._lines)))
            self._width = width
        return self._lines

    def span(self, part: int) -> tuple[int, int]:
        """The first line of ``part`` and the line after its last, at the width drawn now."""
        self.lines(self.content_size.width)
        return self._spans[part] if part < len(self._spans) else (0, 0)

    def mark(self, part: int | None) -> None:
        """Put the block cursor's marker on a part (None: no marker)."""
        if part != self.marked:
            self.marked = part
            self.refresh()

    def notify_style_update(self) -> None:
        """A theme or class change may change the style under the content: render again then.

        A change that leaves it as it was (the block cursor's border colour) keeps the lines.
        """
        super().notify_style_update()
        if self._width != -1 and self.rich_style != self._style:
            self._width = -1

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        lines = self.lines(width)
        line = lines[y] if y < len(lines) else Strip.blank(width)
        if self.marked is not None:
            start, end = self.span(self.marked)
            if start <= y < end:
                line = self._marked_line(line)
        return line

    def _marked_line(self, line: Strip) -> Strip:
        """The line with the marker in its first column, over that column's background."""
        first = next(iter(line.crop(0, 1)), None)
        under = first.style if first is not None and first.style else Style()
        accent = Style(color=self.app.current_theme.accent or "blue", bold=True)
        return Strip.join([Strip([Segment(MARK, under + accent)], 1), line.crop(1)])
