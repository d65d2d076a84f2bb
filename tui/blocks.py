"""An answer's Markdown cut at its top-level code blocks, so each block can be found on screen.

The chat draws an answer from cached lines. To put the block cursor on one code block (and copy
exactly that block), the answer is rendered part by part: the prose before a fence, the fence,
the prose after it. Markdown renders its top-level blocks one after another with one blank line
between them (none after a rule), so drawing the parts in order with those gaps looks the same
as drawing the whole text at once, and the lines of each code block are known.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from tui.text import inert

_FENCE_MARKS = ("```", "~~~")


@dataclass(frozen=True)
class Part:
    """One piece of an answer: Markdown to draw, and for a code block the code to copy.

    Attributes:
        markdown: the inert Markdown source of this part (fences included for a code block).
        code: the raw code of a code block, without its fences; None for prose.
        gap: whether this part ends with a block Markdown draws a blank line after (all but
            a rule).
        lead: whether the part starts with a list, table or quote, which Markdown draws with
            a blank line of its own before it.
    """

    markdown: str
    code: str | None = None
    gap: bool = True
    lead: bool = False


def blank_between(before: Part, after: Part) -> bool:
    """Whether a blank line separates two parts, as one render of the whole text draws it."""
    return before.gap and not after.lead


_CONTAINERS = {"bullet_list_open", "ordered_list_open", "table_open", "blockquote_open"}


@cache
def _parser() -> Any:
    """The parser Rich's Markdown uses, with the same extensions (so blocks split the same)."""
    from markdown_it import MarkdownIt

    return MarkdownIt().enable("strikethrough").enable("table")


def _fences(markdown: str) -> list[Any]:
    return [t for t in _parser().parse(markdown) if t.type == "fence" and t.level == 0]


def split_code_blocks(text: str) -> list[Part]:
    """The parts of ``text`` (untrusted Markdown): prose and top-level fenced code blocks.

    The Markdown drawn is made inert first; the code to copy is the raw text, as the model
    wrote it. Fences nested in lists or quotes stay inside their prose part.
    """
    shown = inert(text)
    if not any(mark in shown for mark in _FENCE_MARKS):
        return [Part(shown)] if shown else []
    tokens = _parser().parse(shown)
    at = [i for i, t in enumerate(tokens) if t.type == "fence" and t.level == 0]
    fences = [tokens[i] for i in at]
    codes = [t.content for t in fences]
    if shown != text:  # control characters: take the code from the raw text when it agrees
        raw = [t.content for t in _fences(text)]
        codes = raw if len(raw) == len(codes) else codes
    lines = shown.splitlines(keepends=True)
    parts: list[Part] = []
    position, first = 0, 0  # the source line and the token where the next prose starts
    for index, fence, code in zip(at, fences, codes, strict=True):
        start, end = fence.map
        if "".join(lines[position:start]).strip():
            parts.append(
                Part(
                    "".join(lines[position:start]),
                    gap=tokens[index - 1].type != "hr",
                    lead=tokens[first].type in _CONTAINERS,
                )
            )
        parts.append(Part("".join(lines[start:end]), code.rstrip("\n")))
        position, first = end, index + 1
    if "".join(lines[position:]).strip():
        parts.append(Part("".join(lines[position:]), lead=tokens[first].type in _CONTAINERS))
    return parts
