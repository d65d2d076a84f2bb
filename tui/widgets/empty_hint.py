"""What a list pane paints while it has nothing to list: a heading and a hint of what will come.

On a first launch the sidebar and the tool log were blank, and a new user could not tell what
either was for or how to fill it.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget


class EmptyHint:
    """The heading and hint lines of one pane, rendered once per width and text."""

    def __init__(self, heading: str, hint: str) -> None:
        self.heading = heading
        self.hint = hint
        self._key: tuple[int, str] | None = None
        self._lines: list[Strip] = []

    def line(self, widget: Widget, y: int, style: Style) -> Strip:
        """Line ``y`` of the hint as ``widget`` paints it (blank below the hint)."""
        width = max(1, widget.scrollable_content_region.width)
        if self._key != (width, self.hint):
            self._key = (width, self.hint)
            text = Text(self.heading, style="bold")
            text.append(f"\n\n{self.hint}", style="dim")
            console = widget.app.console
            options = console.options.update(width=width, height=None, no_wrap=False)
            rendered = console.render_lines(text, options, pad=True)
            self._lines = [Strip(segments, width) for segments in rendered]
        if y >= len(self._lines):
            return Strip.blank(width, style)
        return self._lines[y].crop_extend(0, width, style)
