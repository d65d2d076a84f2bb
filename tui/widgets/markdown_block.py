"""A chat block of Markdown that knows which of its lines each code block occupies.

The block cursor stops at code blocks inside an answer, which is drawn as one render of its
Markdown. Rich draws a code block through a registered element class, so ours draws it the same
way with a tag (a meta key, invisible) on every segment; after rendering, the tagged lines are
that code block's, and the tag is taken off again, so what is drawn is exactly Rich's output.
"""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from tui.text import inert
from tui.widgets.prerendered import Prerendered

CODE = "assistant_tui_code"  # the meta key: which code block of the text a segment belongs to
_CODE_TOKENS = ("fence", "code_block")


@cache
def code_markdown() -> Any:
    """Rich's Markdown with tagged code blocks, numbered in the order of the text.

    Built on first use: the Markdown parser is not needed for the first screen, and importing
    it there would delay it.
    """
    from rich.markdown import CodeBlock, Markdown

    class TaggedCode(CodeBlock):
        """Rich's code block, each of its segments tagged with the block's number."""

        number = 0

        @classmethod
        def create(cls, markdown: Any, token: Any) -> CodeBlock:
            block = super().create(markdown, token)
            block.number = markdown.next_number()  # type: ignore[attr-defined]
            return block

        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            tag = Style(meta={CODE: self.number})
            for drawn in super().__rich_console__(console, options):
                segments = [drawn] if isinstance(drawn, Segment) else console.render(drawn, options)
                yield from Segment.apply_style(segments, None, tag)

    class CodeMarkdown(Markdown):
        """Markdown whose code blocks are drawn by TaggedCode."""

        elements: ClassVar[dict[str, Any]] = {
            **Markdown.elements,
            "fence": TaggedCode,
            "code_block": TaggedCode,
        }
        _numbered = 0

        def next_number(self) -> int:
            self._numbered += 1
            return self._numbered - 1

        def codes(self) -> list[str]:
            """The code of each code block, in order, without its fences."""
            return [t.content.rstrip("\n") for t in self.parsed if t.type in _CODE_TOKENS]

        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            self._numbered = 0  # rendered again at another width: number from the start
            yield from super().__rich_console__(console, options)

    return CodeMarkdown


@cache
def _parser() -> Any:
    """The parser Rich's Markdown uses, with its extensions (so code blocks are found alike)."""
    from markdown_it import MarkdownIt

    return MarkdownIt().enable("strikethrough").enable("table")


def raw_codes(text: str, shown: list[str]) -> list[str]:
    """The code blocks of ``text`` as the model wrote them, given those of its inert copy.

    They differ only when the text holds control characters; the raw ones are taken when the
    raw text has the same code blocks, else the shown ones (never a wrong block).
    """
    if inert(text) == text:
        return shown
    raw = [t.content.rstrip("\n") for t in _parser().parse(text) if t.type in _CODE_TOKENS]
    return raw if len(raw) == len(shown) else shown


def tagged_lines(lines: list[Strip]) -> tuple[list[Strip], dict[int, tuple[int, int]]]:
    """The lines without the code tags, and the lines each code block occupies."""
    spans: dict[int, tuple[int, int]] = {}
    clean: list[Strip] = []
    for y, line in enumerate(lines):
        number = None
        for segment in line:
            style = segment.style
            if style is not None and style._meta is not None and CODE in style.meta:
                number = style.meta[CODE]
                break
        if number is None:
            clean.append(line)
            continue
        start, _end = spans.get(number, (y, y))
        spans[number] = (start, y + 1)
        clean.append(Strip([_untagged(s) for s in line], line.cell_length))
    return clean, spans


def _untagged(segment: Segment) -> Segment:
    style = segment.style
    if style is None or style._meta is None or CODE not in style.meta:
        return segment
    return Segment(segment.text, style.clear_meta_and_links(), segment.control)


class MarkdownBlock(Prerendered):
    """Markdown (below an optional label) whose code blocks the block cursor can stop at."""

    def __init__(
        self,
        markdown: str,
        *,
        label: RenderableType | None = None,
        classes: str | None = None,
        blank: str = "",
    ) -> None:
        super().__init__(Text(""), classes=classes)
        self.label = label
        self.blank = blank  # what an empty text is drawn as ("" draws nothing)
        self.codes: dict[int, str] = {}  # code block number -> its raw code
        self._spans: dict[int, tuple[int, int]] = {}
        self.show_markdown(markdown)

    def show_markdown(self, markdown: str) -> None:
        """Draw another text (the streaming tail does this at most ten times a second)."""
        text = markdown or self.blank
        body: RenderableType = Text("")
        self.codes = {}
        if text:
            tagged = code_markdown()(inert(text))
            body = tagged
            self.codes = dict(enumerate(raw_codes(text, tagged.codes())))
        marked = self.marked  # the cursor on a code block of a streaming tail stays on it
        self.update(body if self.label is None else Group(self.label, body))
        if marked in self.codes:
            self.marked = marked

    def prepare(self, lines: list[Strip]) -> list[Strip]:
        clean, self._spans = tagged_lines(lines)
        return clean

    def span(self, part: int) -> tuple[int, int]:
        self.lines(self.content_size.width)
        return self._spans.get(part, (0, 0))
