"""A chat block of Markdown drawn part by part, so each of its code blocks can be found and copied.

The text is cut at its top-level code blocks (tui.blocks), each part rendered on its own with the
blank lines one render would put between them: it looks the same as one render, and the lines of
every code block are known to the block cursor.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text

from tui.blocks import blank_between, split_code_blocks
from tui.text import inert
from tui.widgets.prerendered import Prerendered


def markdown_of(text: str) -> RenderableType:
    """Rich Markdown of untrusted text, made inert. Imported on first use: the parser is not
    needed for the first screen, and loading it there would delay it."""
    from rich.markdown import Markdown

    return Markdown(inert(text))


class _Gap:
    """The blank line Markdown draws between two blocks, drawn exactly as Markdown draws it."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Segment.line()


GAP = _Gap()


class MarkdownBlock(Prerendered):
    """Markdown (below an optional label) whose code blocks are parts of their own."""

    def __init__(
        self, markdown: str, *, label: RenderableType | None = None, classes: str | None = None
    ) -> None:
        super().__init__(Text(""), classes=classes)
        self.label = label
        self.codes: dict[int, str] = {}  # part index -> the raw code of that code block
        self.show_markdown(markdown)

    def show_markdown(self, markdown: str) -> None:
        """Draw another text (the streaming tail does this at most ten times a second)."""
        parts: list[RenderableType] = [] if self.label is None else [self.label]
        self.codes = {}
        pieces = split_code_blocks(markdown)
        for index, piece in enumerate(pieces):
            if index and blank_between(pieces[index - 1], piece):
                parts.append(GAP)
            if piece.code is not None:
                self.codes[len(parts)] = piece.code
            parts.append(markdown_of(piece.markdown))
        self.update_parts(parts or [Text("")])
