"""A widget that draws a Rich renderable from lines rendered once per width.

Textual's Static renders its content twice when it is laid out: once to learn its height and
once to draw it. For a message of Markdown with highlighted code that is the main cost of opening
a conversation, so the chat pane's blocks render once, keep the lines, and hand them out by
number; they render again only when the width or the style under them changes, or the content
is replaced. The block cursor can mark a range of those lines without rendering anything again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from tui.references import Reference
from tui.widgets.one_layout import OneLayout

MARK = "▌"  # drawn in the first column of every line of the part under the block cursor


KEPT = 256  # renderings of final content kept for other blocks showing the same
_RENDERED: OrderedDict[Hashable, list[Strip]] = OrderedDict()


def forget() -> None:
    """Drop every kept rendering (a benchmark's fresh app starts with none, as a launch does)."""
    _RENDERED.clear()


def _kept(key: Hashable) -> list[Strip] | None:
    """The rendering kept for ``key``, now the last to be dropped."""
    lines = _RENDERED.get(key)
    if lines is not None:
        _RENDERED.move_to_end(key)
    return lines


def _keep(key: Hashable, lines: list[Strip]) -> None:
    _RENDERED[key] = lines
    if len(_RENDERED) > KEPT:
        _RENDERED.popitem(last=False)


class Prerendered(OneLayout, Widget):
    """A block of the chat: ``renderable`` drawn from cached lines."""

    DEFAULT_CSS = "Prerendered { height: auto; }"

    def __init__(self, renderable: RenderableType, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._renderable = renderable
        self._lines: list[Strip] = []
        self._width = -1  # the width ``_lines`` were rendered at; -1: not yet
        self._style = Style()  # the style under the content when ``_lines`` were rendered
        self.marked: int | None = None  # the part under the block cursor (see ``span``)

    def update(self, renderable: RenderableType) -> None:
        """Draw something else (the streaming tail does this at most ten times a second)."""
        self._renderable = renderable
        self._width = -1
        self.marked = None
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
            self._style = self.rich_style
            key = self.render_key()
            shared = None if key is None else (key, width, self._style, self.app.theme)
            rendered = None if shared is None else _kept(shared)
            if rendered is None:
                rendered = self._render_at(width)
                if shared is not None:
                    _keep(shared, rendered)
            self._lines = self.prepare(rendered)
            self._width = width
        return self._lines

    def _render_at(self, width: int) -> list[Strip]:
        app = self.app
        options = app.console_options.update(highlight=False, width=max(1, width), height=None)
        styled = self.post_render(self._renderable, self._style)
        rendered = Segment.split_and_crop_lines(
            app.console.render(styled, options), width, include_new_lines=False, pad=False
        )
        return [Strip(line) for line in rendered]

    def render_key(self) -> Hashable | None:
        """What the content is, for a subclass whose content is final: blocks with the same
        key, width and style share one rendering (a conversation opened again, the streaming
        answer's blocks after a switch back). None: rendered by each block itself."""
        return None

    def prepare(self, lines: list[Strip]) -> list[Strip]:
        """Look at (and tidy) freshly rendered lines before they are kept; for subclasses."""
        return lines

    def span(self, part: int) -> tuple[int, int]:
        """The first line of a part (a subclass says what parts are) and the line after it."""
        return (0, 0)

    def reference(self, part: int) -> Reference | None:
        """The file reference a part is (a subclass that finds references says)."""
        return None

    def place(self, part: int) -> tuple[int, int, int]:
        """A reference part's (line, column, width) as drawn; for subclasses."""
        return (0, 0, 0)

    def mark(self, part: int | None) -> None:
        """Put the block cursor's marker on a part (None: no marker)."""
        if part != self.marked:
            self.marked = part
            self.refresh()

    def notify_style_update(self) -> None:
        """A theme or class change may change the style under the content: render again then.

        A change that leaves it as it was (the block cursor's outline) keeps the lines.
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
