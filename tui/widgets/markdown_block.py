"""A chat block of Markdown that knows which of its lines each code block and reference occupies.

The block cursor stops at code blocks inside an answer, which is drawn as one render of its
Markdown. Rich draws a code block through a registered element class, so ours draws it the same
way with a tag (a meta key, invisible) on every segment; after rendering, the tagged lines are
that code block's, and the tag is taken off again, so what is drawn is exactly Rich's output.

It also stops at the file references the screen found in its text (tui.references, resolved in
a thread once the text is settled: ``Settled`` asks for them). A reference is found again in the
rendered lines by its written form, so the cursor can mark the line and the cells it is drawn in.

A part of the block is one int: a code block's number (0, 1, ...) or a reference's, counted
down from -1 (``reference_part``), so the block cursor marks both the same way.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.strip import Strip

from tui.references import Reference
from tui.text import inert
from tui.widgets.prerendered import Prerendered

CODE = "assistant_tui_code"  # the meta key: which code block of the text a segment belongs to
_CODE_TOKENS = ("fence", "code_block")
SHARED = 16_000  # longest settled text whose rendering is kept for other blocks (prerendered)


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


def reference_part(index: int) -> int:
    """The part number of a block's ``index``-th reference: -1, -2, ... (codes count up)."""
    return -1 - index


def find_places(lines: list[Strip], references: list[Reference]) -> list[tuple[int, int, int]]:
    """Where each reference is drawn: (line, column, width), in order of the text.

    Searched by its written form, then by its path alone (Markdown may have dropped the rest),
    each after the previous one, so a path cited twice is found twice. One not found (wrapped,
    or inside a link's hidden target) takes the line of the one before it, whole (width 0).
    """
    texts = [line.text for line in lines]
    y = x = 0
    places = []
    for reference in references:
        place = _search(texts, y, x, reference.written) or _search(texts, y, x, reference.path)
        if place is None:
            places.append((y, 0, 0))
            continue
        row, column, length = place
        # Drawn in cells: a wide character (中, 🙂) before or inside it takes two.
        before = texts[row][:column]
        places.append((row, cell_len(before), cell_len(texts[row][column : column + length])))
        y, x = row, column + length
    return places


def _search(texts: list[str], y: int, x: int, needle: str) -> tuple[int, int, int] | None:
    for row in range(y, len(texts)):
        column = texts[row].find(needle, x if row == y else 0)
        if column >= 0 and needle:
            return row, column, len(needle)
    return None


def _untagged(segment: Segment) -> Segment:
    style = segment.style
    if style is None or style._meta is None or CODE not in style.meta:
        return segment
    return Segment(segment.text, style.clear_meta_and_links(), segment.control)


# A block that opens with one of these draws a blank line above it already: Rich renders such
# a container once its last item is closed, and an item closed asks for a blank line first.
_CONTAINERS = ("bullet_list_open", "ordered_list_open", "blockquote_open", "table_open")


@dataclass(frozen=True)
class Edges:
    """What decides the blank line between two blocks of one text cut at a blank line: Rich
    puts one between any two top-level elements, except after a rule and where the second
    draws its own (a list, a quote, a table)."""

    empty: bool = True  # draws nothing
    opens_spaced: bool = False
    ends_with_rule: bool = False

    @classmethod
    def of(cls, tokens: list[Any]) -> Edges:
        top = [token for token in tokens if token.level == 0]
        if not top:
            return cls()
        return cls(False, top[0].type in _CONTAINERS, top[-1].type == "hr")

    def gap_after(self, above: Edges) -> int:
        """Blank lines between a block drawn above and this one, as in the text drawn whole."""
        spaced = not (self.empty or above.empty or self.opens_spaced or above.ends_with_rule)
        return 1 if spaced else 0


class MarkdownBlock(Prerendered):
    """Markdown (below an optional label) whose code blocks and references the block cursor
    can stop at."""

    class Settled(Message):
        """The block's text will not change any more: the screen may look for references."""

        def __init__(self, block: MarkdownBlock) -> None:
            super().__init__()
            self.block = block

    def __init__(
        self,
        markdown: str,
        *,
        label: RenderableType | None = None,
        classes: str | None = None,
        blank: str = "",
        settled: bool = False,
    ) -> None:
        super().__init__(Text(""), classes=classes)
        self.label = label
        self.blank = blank  # what an empty text is drawn as ("" draws nothing)
        self.settled = settled  # asks for its references once mounted
        self.codes: dict[int, str] = {}  # code block number -> its raw code
        self.references: list[Reference] = []
        self._spans: dict[int, tuple[int, int]] = {}
        self._places: list[tuple[int, int, int]] | None = None  # per reference, once drawn
        self.markdown = ""
        self.edges = Edges()
        self.show_markdown(markdown)

    def on_mount(self) -> None:
        if self.settled:
            self.settle()

    def settle(self) -> None:
        """Its text is final (a past answer, a frozen segment, the tail at the end)."""
        self.settled = True
        self.post_message(self.Settled(self))

    def set_references(self, text: str, references: list[Reference]) -> None:
        """The references found in ``text``; ignored if the block shows another text now."""
        if text == self.markdown and references != self.references:
            self.references = references
            self._places = None
            self.refresh()

    def reference(self, part: int) -> Reference | None:
        index = -1 - part
        return self.references[index] if 0 <= index < len(self.references) else None

    def parts(self) -> list[int]:
        """Every part in the order drawn: code blocks and references by their first line."""
        parts = [*self.codes, *(reference_part(i) for i in range(len(self.references)))]
        return sorted(parts, key=lambda part: (self.span(part)[0], part < 0))

    def place(self, part: int) -> tuple[int, int, int]:
        """A reference's (line, column, width) in the drawn lines (width 0: the whole line)."""
        self.lines(self.content_size.width)
        if self._places is None:
            self._places = find_places(self._lines, self.references)
        index = -1 - part
        return self._places[index] if 0 <= index < len(self._places) else (0, 0, 0)

    def show_markdown(self, markdown: str) -> None:
        """Draw another text (the streaming tail does this at most ten times a second)."""
        text = markdown or self.blank
        body: RenderableType = Text("")
        self.markdown = markdown
        self.references, self._places = [], None
        self.codes = {}
        self.edges = Edges()
        if text:
            tagged = code_markdown()(inert(text))
            body = tagged
            self.codes = dict(enumerate(raw_codes(text, tagged.codes())))
            self.edges = Edges.of(tagged.parsed)
        marked = self.marked  # the cursor on a code block of a streaming tail stays on it
        self.update(body if self.label is None else Group(self.label, body))
        if marked in self.codes:
            self.marked = marked

    def render_key(self) -> Hashable | None:
        """A settled text of up to SHARED characters, under a plain label or none."""
        label = self.label
        if not self.settled or len(self.markdown) > SHARED:
            return None
        if label is not None and not isinstance(label, Text):
            return None
        said = None if label is None else (label.plain, str(label.style), tuple(label.spans))
        return (type(self).__name__, self.markdown, self.blank, said)

    def prepare(self, lines: list[Strip]) -> list[Strip]:
        clean, self._spans = tagged_lines(lines)
        self._places = None  # drawn again at another width: found again
        return clean

    def span(self, part: int) -> tuple[int, int]:
        if part < 0:
            line = self.place(part)[0]
            return line, line + 1
        self.lines(self.content_size.width)
        return self._spans.get(part, (0, 0))

    def render_line(self, y: int) -> Strip:
        """The line; under the cursor, a reference's cells are drawn reversed as well."""
        line = super().render_line(y)
        if self.marked is not None and self.marked < 0:
            row, column, width = self.place(self.marked)
            if row == y and width:
                cited = line.crop(column, column + width).apply_style(Style(reverse=True))
                line = Strip.join([line.crop(0, column), cited, line.crop(column + width)])
        return line
