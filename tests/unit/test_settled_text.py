"""Where a streaming answer's settled Markdown may be cut into blocks that render as one."""

from __future__ import annotations

import io
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from tui.text import settled_cuts, settled_prefix
from tui.widgets.markdown_block import Edges, code_markdown

PARAGRAPH = "A paragraph of words, long enough to count.\n\n"


def test_cuts_fall_after_blank_lines_every_so_many_characters() -> None:
    text = PARAGRAPH * 100 + "an unfinished last line"
    cuts = settled_cuts(text, 1_000)
    assert cuts[-1] == settled_prefix(text) == len(PARAGRAPH) * 100
    assert all(text[:cut].endswith("\n\n") for cut in cuts)
    sizes = [b - a for a, b in itertools.pairwise([0, *cuts])]
    assert all(size >= 1_000 for size in sizes[:-1]) and sizes[-1] >= 500


def test_a_fenced_block_is_never_cut_even_at_its_blank_lines() -> None:
    code = "```python\n" + "x = 1\n\n" * 400 + "```\n\n"
    text = PARAGRAPH * 30 + code + PARAGRAPH * 30
    for cut in settled_cuts(text, 500):
        assert text[:cut].count("```") % 2 == 0, f"the fence is open at {cut}"


def test_nothing_settled_gives_no_cut() -> None:
    assert settled_cuts("one line, no blank line after it\n", 10) == []
    assert settled_cuts("```\nopen fence\n\n\n", 1) == []


@given(
    st.lists(st.sampled_from(["word ", "\n", "\n\n", "```\n", "~~~~\n", "- item\n"])),
    st.integers(1, 50),
)
def test_cuts_ascend_and_end_at_the_settled_prefix(parts: list[str], every: int) -> None:
    text = "".join(parts)
    cuts = settled_cuts(text, every)
    assert cuts == sorted(set(cuts))
    assert (cuts[-1] if cuts else 0) == settled_prefix(text)


ELEMENTS = [
    "A paragraph of *words* that wraps across the width of the block, and then some more.\n\n",
    "## A heading\n\n",
    "```python\ndef f(x):\n\n    return x\n```\n\n",
    "- item one\n- item two\n\n",
    "1. first\n2. second\n\n",
    "> a quote\n> on two lines\n\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n",
    "---\n\n",
    "- loose item\n\n- another loose item\n\n",
    "- an item\n\n  its second paragraph\n\n",
    "1984 was a year, not a list.\n\n",
    "    indented code\n\n",
    "***\n\n",
]


def rows(text: str) -> list[str]:
    console = Console(width=50, record=True, file=io.StringIO(), color_system=None)
    console.print(code_markdown()(text))
    return [line.rstrip() for line in console.export_text().splitlines()]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ELEMENTS), min_size=1, max_size=12), st.integers(1, 200))
def test_blocks_with_their_gaps_draw_as_the_text_in_one_piece(parts: list[str], every: int) -> None:
    """Cut where a streaming or long answer is cut, each block drawn alone with the blank
    line its edges call for above it: the rows of the text drawn whole."""
    text = "".join(parts).rstrip("\n") + "\n"
    bounds = [0, *settled_cuts(text, every), len(text)]
    drawn: list[str] = []
    above: Edges | None = None
    for start, end in itertools.pairwise(bounds):
        block = text[start:end]
        edges = Edges.of(code_markdown()(block).parsed) if block else Edges()
        if above is not None:
            drawn += [""] * edges.gap_after(above)
        drawn += rows(block) if block else []
        above = edges
    assert drawn == rows(text)
