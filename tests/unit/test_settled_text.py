"""Where a streaming answer's settled Markdown may be cut into blocks that render as one."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from tui.text import settled_cuts, settled_prefix

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
