"""A read-only view of one file: line numbers, the cited lines marked, a cursor line, search.

Why its own widget and not TextArea or Rich's Syntax (bench/viewer.py measures all three on a
10,000-line file): TextArea parses and highlights the whole document with tree-sitter while it
is built (seconds here), and a Static of Rich's Syntax lexes the whole file before its first
line is drawn. This view draws only the rows on screen (a ScrollView's render_line), and
highlights the rows around the one it opens at first, lexing a short window from a line that
starts at column 0 (where Pygments is back in its outer state for most languages). The whole
file is then lexed a slice at a time on the event loop (tui.screens.viewer) and replaces the
window's colours, so a string that opened above the window is coloured right a moment later.
Pygments with Rich's theme is what the chat's code blocks use, so code looks the same in both.

Text is made inert (tui.text.inert) before it is drawn: a file may hold escape sequences.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.text import file_lines, inert

# One line's highlighted pieces: (text, index into STYLES). Tuples of strings and numbers only,
# so the garbage collector stops tracking them after one pass: a 10,000-line file's ~100,000
# pieces held Style objects, and every middle-generation collection walked them all (25-30 ms,
# a late PageDown).
Tokens = tuple[tuple[str, int], ...]
STYLES: list[Style] = []  # every token kind's style, in the order first met
_STYLE_OF: dict[Any, int] = {}  # token kind -> its index in STYLES
WINDOW_ABOVE = 10  # lines lexed above the first row drawn, at least
SEARCH_ABOVE = 200  # how far above that a line at column 0 is looked for
WINDOW_BELOW = 10
THEME = "monokai"  # Rich Markdown's code theme: the chat's code blocks look the same
TAB = 4
LONGEST_COLOURED = 2_000  # characters: a file with a longer line is shown without colours
WINDOW_CHARS = 64_000  # the window coloured before the first paint, at most (else plain)


# Bidirectional overrides, zero-width and line-separator characters: in code they can make a
# line read differently from what it does (Trojan Source), so each is drawn as its code point.
# Also the soft hyphen, joiners, the Arabic letter mark, Hangul fillers (an "invisible"
# identifier), variation selectors and tag characters: each draws as nothing or a blank.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)


def _named(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"


def lexer_for(name: str, text: str) -> Any | None:
    """Pygments' lexer for a file name (None: plain text). No guessing from the content:
    guessing runs every lexer over the text."""
    from pygments.lexers import get_lexer_for_filename  # type: ignore[import-untyped]
    from pygments.util import ClassNotFound  # type: ignore[import-untyped]

    try:
        return get_lexer_for_filename(name, text[:1024], stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def token_lines(lexer: Any, lines: list[str]) -> Iterator[Tokens]:
    """Each line's pieces and styles in turn, lexed as one text (so a state spans lines); a
    generator, so the whole file can be coloured a slice at a time."""
    from rich.syntax import Syntax

    theme = Syntax.get_theme(THEME)
    line: list[tuple[str, int]] = []
    count = 0
    for kind, value in lexer.get_tokens("\n".join(lines) + "\n"):
        style = _STYLE_OF.get(kind)
        if style is None:
            full = theme.get_style_for_token(kind)  # without its background: the view's shows
            STYLES.append(Style(color=full.color, bold=full.bold, italic=full.italic))
            style = _STYLE_OF[kind] = len(STYLES) - 1
        first, *rest = value.split("\n")
        if first:
            line.append((first, style))
        for piece in rest:
            if count < len(lines):
                yield tuple(line)
            count += 1
            line = [(piece, style)] if piece else []


def window_start(lines: list[str], top: int) -> int:
    """Where to start lexing for a window whose first row is ``top``: the nearest line a little
    above it that starts at column 0 with a letter (a statement at the outer level, where a
    lexer is back in its first state), else a little above it."""
    start = max(0, top - WINDOW_ABOVE)
    for index in range(start, max(-1, start - SEARCH_ABOVE), -1):
        if lines[index][:1].isalpha():
            return index
    return start


class CodeView(ScrollView, can_focus=True):
    """One file's lines, drawn row by row; the screen gives the file and the marked lines."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "code-view--gutter",
        "code-view--marked",
        "code-view--cursor",
        "code-view--match",
        "code-view--read",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", show=False),
        Binding("down,j", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown,space", "page(1)", show=False),
        Binding("home", "edge(0)", show=False),
        Binding("end", "edge(-1)", show=False),
    ]

    def __init__(self, name: str, text: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.raw = file_lines(text)
        # One pass over the whole text each (a pass per line took 20 ms for 10,000 lines); a
        # tab or a control character never crosses a line, so the lines stay the same lines.
        shown = inert(text.replace("\r\n", "\n")).expandtabs(TAB)
        self.shown = file_lines(_INVISIBLE.sub(_named, shown))
        self.tokens: dict[int, Tokens] = {}
        self.exact: set[int] = set()  # lines coloured by the whole file's lex
        self._strips: dict[int, Strip] = {}  # each line's code drawn, before cropping
        self.opening: int | None = None  # the line to reveal once the view has a size
        self._paint = (Style(), Style(), Style(), Style(), Style(), Style())  # see render_lines
        self.marked: tuple[int, int] | None = None  # 0-based, inclusive
        self.read: set[int] = set()  # 0-based lines the assistant read in this conversation
        self.cursor = 0
        self.moved = 0.0  # when the view last scrolled or moved its cursor (monotonic)
        self.matches: list[tuple[int, int, int]] = []  # (line, start, end) of the search
        self._on_line: dict[int, list[tuple[int, int]]] = {}  # the same, by line
        self.searched = ""
        self._digits = len(str(len(self.raw)))
        widest = max((len(line) for line in self.shown), default=0)
        # Pygments takes ~20 us a character: a minified bundle's one long line would hold the
        # loop for seconds in one go, so such a file is shown uncoloured.
        self.lexer = lexer_for(name, text) if widest <= LONGEST_COLOURED else None
        self.virtual_size = Size(self.gutter_width + widest + 1, len(self.raw))

    @property
    def gutter_width(self) -> int:
        return self._digits + 3  # " 123▌ "

    # -- what the screen sets ---------------------------------------------------------------

    def mark(self, first: int | None, last: int | None) -> None:
        """Mark lines ``first``..``last`` (1-based, inclusive; clamped to the file) and put the
        cursor on the first; None marks nothing."""
        if first is None:
            self.marked = None
            return
        start = min(max(first, 1), len(self.raw)) - 1
        end = min(max(last or first, first), len(self.raw)) - 1
        self.marked = (start, end)
        self.cursor = start
        self.refresh()

    def show_read(self, ranges: Iterable[tuple[int, int]]) -> None:
        """Mark in the gutter the lines the assistant read (1-based, inclusive ranges)."""
        self.read = {
            line - 1
            for first, last in ranges
            for line in range(max(first, 1), min(last, len(self.raw)) + 1)
        }
        self.refresh()

    def reveal(self, line: int) -> None:
        """Scroll so ``line`` (0-based) is in view, a third from the top, and colour it."""
        height = max(1, self.scrollable_content_region.height or self.size.height)
        top = max(0, min(line - height // 3, len(self.raw) - height))
        self.highlight_window(top, height)
        if top != round(self.scroll_y):
            self.scroll_to(y=top, animate=False, immediate=True, force=True)
        self.refresh()

    def open_at(self, line: int, height: int) -> None:
        """Before the view is laid out: start scrolled to ``line`` as ``reveal`` will put it in
        a view ``height`` rows high (the screen's guess), coloured, so the first paint is
        already there; ``reveal`` corrects it once the size is known, if the guess was off."""
        top = max(0, min(line - height // 3, len(self.raw) - height))
        self.highlight_window(top, height)
        self.set_reactive(CodeView.scroll_y, float(top))
        self.set_reactive(CodeView.scroll_target_y, float(top))
        self.opening = line

    def highlight_window(self, top: int, height: int) -> None:
        """Colour the rows around ``top`` at once (the full lex comes later)."""
        if self.lexer is None:
            return
        start = window_start(self.shown, top)
        end = min(len(self.shown), top + height + WINDOW_BELOW)
        if all(line in self.tokens for line in range(top, min(end, top + height))):
            return
        if sum(len(line) for line in self.shown[start:end]) > WINDOW_CHARS:
            return  # long lines: plain at first, coloured by the sliced lex that follows
        for offset, tokens in enumerate(token_lines(self.lexer, self.shown[start:end])):
            if start + offset not in self.exact:
                self.tokens[start + offset] = tokens
                self._strips.pop(start + offset, None)

    def set_tokens(self, first: int, tokens: list[Tokens]) -> None:
        """Exact colours for the lines from ``first`` on (the whole file's lex, a slice)."""
        for offset, line in enumerate(tokens):
            self.tokens[first + offset] = line
            self._strips.pop(first + offset, None)
        self.exact.update(range(first, first + len(tokens)))
        top = int(self.scroll_y)
        if first < top + self.size.height and first + len(tokens) > top:
            self.refresh()

    def marked_text(self) -> str:
        """The marked lines as in the file (the cursor line when nothing is marked)."""
        start, end = self.marked if self.marked is not None else (self.cursor, self.cursor)
        return "\n".join(self.raw[start : end + 1])

    # -- moving ------------------------------------------------------------------------------

    def go_to(self, line: int) -> None:
        """Put the cursor on ``line`` (0-based, clamped) and bring it into view."""
        self.moved = time.monotonic()
        self.cursor = min(max(line, 0), len(self.raw) - 1)
        height = self.scrollable_content_region.height
        if not self.scroll_y <= self.cursor < self.scroll_y + height:
            self.reveal(self.cursor)
        self.refresh()

    def action_move(self, step: int) -> None:
        self.go_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.go_to(self.cursor + step * max(1, self.scrollable_content_region.height - 1))

    def action_edge(self, index: int) -> None:
        self.go_to(0 if index == 0 else len(self.raw) - 1)

    def search(self, query: str) -> int:
        """Find every match of ``query`` (ignoring case unless it holds a capital); the count."""
        self.searched = query
        flags = 0 if any(c.isupper() for c in query) else re.IGNORECASE
        pattern = re.compile(re.escape(query), flags) if query else None
        self.matches = [
            (number, match.start(), match.end())
            for number, line in enumerate(self.shown)
            for match in (pattern.finditer(line) if pattern else ())
        ]
        self._on_line = {}
        for line, start, end in self.matches:
            self._on_line.setdefault(line, []).append((start, end))
        self._strips.clear()
        self.refresh()
        return len(self.matches)

    def next_match(self, step: int, here: bool = False) -> int | None:
        """Go to the next match after the cursor line (``step`` -1: before it; ``here``: the
        cursor line counts); the match's index, None when there is none."""
        if not self.matches:
            return None
        lines = [line for line, _start, _end in self.matches]
        if step > 0:
            after = self.cursor - 1 if here else self.cursor
            index = next((i for i, line in enumerate(lines) if line > after), 0)
        else:
            before = [i for i, line in enumerate(lines) if line < self.cursor]
            index = before[-1] if before else len(lines) - 1
        self.go_to(lines[index])
        return index

    # -- drawing -----------------------------------------------------------------------------

    def on_resize(self) -> None:
        """The first size: the line the view opens at is revealed now, before the first
        paint, so the file is never drawn from its top first."""
        if self.opening is not None:
            line, self.opening = self.opening, None
            self.reveal(line)
            return
        self.highlight_window(int(self.scroll_y), self.size.height)

    def watch_scroll_y(self, old: float, new: float) -> None:
        self.moved = time.monotonic()
        super().watch_scroll_y(old, new)
        self.highlight_window(int(new), self.size.height)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The styles are looked up once per paint, not once per line."""
        accent = Style(color=self.app.current_theme.accent)
        self._paint = (
            self.rich_style,
            self.get_component_rich_style("code-view--gutter"),
            self.get_component_rich_style("code-view--marked"),
            self.get_component_rich_style("code-view--cursor"),
            accent,
            self.get_component_rich_style("code-view--read"),
        )
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        number = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        base, gutter_style, marked_style, cursor_style, accent, read_style = self._paint
        if number >= len(self.raw):
            return Strip.blank(width, base)
        marked = self.marked is not None and self.marked[0] <= number <= self.marked[1]
        gutter = [
            Segment(f" {number + 1:>{self._digits}}", gutter_style),
            Segment("▌", accent)
            if marked
            else Segment("│", read_style)
            if number in self.read
            else Segment(" "),
            Segment(" "),
        ]
        code = self._strips.get(number)
        if code is None:
            code = self._strips[number] = Strip(self._code(number))
        room = width - self.gutter_width
        left = int(self.scroll_x)
        if left or code.cell_length > room:  # cut to the view; most lines fit as they are
            code = code.crop(left, left + room)
        pad = [Segment(" " * (room - code.cell_length))] if code.cell_length < room else []
        style = base + marked_style if marked else base
        if number == self.cursor and self.has_focus:
            style = style + cursor_style
        return Strip(Segment.apply_style([*gutter, *code, *pad], style), width)

    def _code(self, number: int) -> list[Segment]:
        """A line's code as segments (through a Rich Text only when search marks it)."""
        tokens = self.tokens.get(number)
        if number in self._on_line and self.searched:
            text = Text(no_wrap=True, end="")
            for piece, style in tokens or [(self.shown[number], -1)]:
                text.append(piece, STYLES[style] if style >= 0 else None)
            self._stylize_matches(text, number)
            return list(text.render(self.app.console))
        if tokens is None:
            return [Segment(self.shown[number])]
        return [Segment(piece, STYLES[style]) for piece, style in tokens]

    def _stylize_matches(self, text: Text, number: int) -> None:
        if not self.searched:
            return
        style = self.get_component_rich_style("code-view--match")
        for start, end in self._on_line[number]:
            text.stylize(style, start, end)
