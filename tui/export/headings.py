"""An answer's own headings moved below the export's ``## Assistant``, so the outline holds."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

DEEPEST = 6  # Markdown has six heading levels
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$", re.MULTILINE)


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def nest_headings(markdown: str, under: int = 2) -> str:
    """``markdown`` with every heading below level ``under``, all moved by the same step.

    The step is one level, or more when the answer's top heading would still sit at or above
    ``under`` (a ``#`` becomes ``###``), so the answer's levels stay apart; past level 6 they
    stay 6. A CommonMark parser finds the headings, so a ``#`` line inside a fenced or
    indented code block is never one. A setext heading (text underlined with ``=`` or ``-``)
    becomes an ATX one; one inside a quote or list is left as it is (rare, and its text lines
    carry their container's markers).
    """
    if "#" not in markdown and not _SETEXT_UNDERLINE.search(markdown):
        return markdown  # no heading possible: skip the parse (most answers)
    found = [t for t in _parser().parse(markdown) if t.type == "heading_open" and t.map]
    if not found:
        return markdown
    step = max(1, under + 1 - min(_level(t) for t in found))
    lines = markdown.split("\n")
    for token in reversed(found):  # from the end: a setext heading shortens the list
        _move(lines, token, min(DEEPEST, _level(token) + step))
    return "\n".join(lines)


def _level(token: Token) -> int:
    return int(token.tag[1:])


def _move(lines: list[str], token: Token, level: int) -> None:
    """Rewrite one heading's lines at ``level``, in place."""
    assert token.map is not None
    start, end = token.map
    if token.markup.startswith("#"):
        # Before the marker only container markers (spaces, >, list bullets) can stand, none
        # of them a #: the first # of the line starts the heading's run.
        line = lines[start]
        at = line.index("#")
        lines[start] = line[:at] + "#" * level + line[at + _level(token) :]
    elif token.level == 0:
        text = " ".join(line.strip() for line in lines[start : end - 1])
        lines[start:end] = ["#" * level + " " + text]
