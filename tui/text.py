"""Make untrusted text (model output, tool results) inert before it reaches a terminal."""

from __future__ import annotations

import re
from collections.abc import Iterator

# C0 controls except tab and newline, DEL, and C1 controls (which include CSI/OSC introducers).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def inert(text: str) -> str:
    """Show escape and control characters as visible symbols so none of them acts.

    ESC becomes "␛" and other controls their caret form (^G), which keeps OSC 52 clipboard
    writes, title changes and cursor moves from ever reaching the terminal as commands.
    """
    return _CONTROLS.sub(_visible, text)


def without_controls(text: str) -> str:
    """The same control characters left out: for a view whose layout gives them no cell, where
    a visible symbol would move everything after it (the prompt's TextArea)."""
    return _CONTROLS.sub("", text)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x1B:
        return "␛"
    if code < 0x20:
        return "^" + chr(code + 0x40)
    return f"<{code:#04x}>"


def count_of(messages: int) -> str:
    """'1 message', '2 messages' (the sidebar and `history` said '1 msgs')."""
    return f"{messages} message" if messages == 1 else f"{messages} messages"


_FENCE = re.compile(r"^(```|~~~)[^\n]*\n(.*?)^\1[ \t]*$", re.M | re.S)


def code_blocks(markdown: str) -> list[str]:
    """The fenced code blocks of a Markdown text, in order, without their fences."""
    return [match.group(2).rstrip("\n") for match in _FENCE.finditer(markdown)]


_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def settled_prefix(markdown: str) -> int:
    """Length of the longest prefix that ends with a blank line outside a fenced code block.

    Text after such a line can only add blocks, never change how the prefix renders, so a
    streaming view may render the prefix once and keep it while the rest grows.
    """
    return max(_settled_points(markdown), default=0)


def settled_cuts(markdown: str, every: int) -> list[int]:
    """Where to cut the settled prefix into blocks of at least ``every`` characters (the last
    block may be shorter); the last cut is ``settled_prefix``. Each block renders as it would
    in one piece, so a long text can be drawn block by block, newest first."""
    cuts: list[int] = []
    last = 0
    for point in _settled_points(markdown):
        last = point
        if point - (cuts[-1] if cuts else 0) >= every:
            cuts.append(point)
    if last and (not cuts or cuts[-1] != last):
        if cuts and last - cuts[-1] < every // 2:
            cuts[-1] = last  # a short last block joins the one before
        else:
            cuts.append(last)
    return cuts


_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_MAYBE_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)]?)$")  # unfinished: may become one


def _settled_points(markdown: str) -> Iterator[int]:
    """Each position just after a blank line outside a fenced code block whose text cannot
    change how the text before it renders, in order.

    That is known only from the next line: an indented one may continue a list item above,
    and a list item may continue a list above (one list, not two); anything else starts a
    block of its own.
    """
    fence = ""  # the fence that opened the code block we are in, or "" outside one
    position = 0
    blank: int | None = None  # just after the last blank line, while its next line is unseen
    in_list = False  # the last unindented line above was a list item
    for line in markdown.splitlines(keepends=True):
        finished = line.endswith("\n")
        if blank is not None and line.strip():
            if _starts_own_block(line, finished, in_list):
                yield blank
            blank = None
        if not finished:
            return  # an unfinished last line settles nothing after it
        position += len(line)
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                fence = ""
        elif (opened := _FENCE_OPEN.match(line)) is not None:
            fence = opened.group(1)
            in_list = False
        elif not stripped:
            blank = position
        elif not line[0].isspace():
            in_list = _LIST_ITEM.match(line) is not None


def _starts_own_block(line: str, finished: bool, in_list: bool) -> bool:
    """Whether ``line``, after a blank line, begins a block of its own (see above)."""
    if line[0] in " \t":
        return False
    body = line.rstrip("\n")
    if not in_list:
        return True
    return not (_LIST_ITEM.match(line) or (not finished and _MAYBE_ITEM.match(body)))


def thinking_summary(length: int, seconds: float) -> str:
    """'Thinking · 1,234 chars · 3.2 s': the line a folded thinking block shows (and exports)."""
    took = f"{seconds:.1f} s" if seconds < 60 else f"{int(seconds // 60)} min {int(seconds % 60)} s"
    return f"Thinking · {length:,} chars · {took}"


def file_lines(text: str) -> list[str]:
    """A file's lines as an editor counts them: split at \n only (a form feed or U+2028 inside
    a line is not a line break here), a \r before it dropped, no empty line after the last."""
    lines = text.replace("\r\n", "\n").split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines
