"""An answer cut at its code blocks renders exactly like the whole answer, and copies raw code."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown

from tui.blocks import split_code_blocks
from tui.text import code_blocks, inert
from tui.widgets.markdown_block import GAP, markdown_of

BLOCKS = [
    "## A heading",
    "# Top heading",
    "A paragraph with **bold**, `code` and *emphasis*.",
    "Intro line:",
    "- one\n- two",
    "1. first\n2. second",
    "- item\n\n  ```py\n  nested = True\n  ```",
    "> a quote",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "---",
    "```python\ndef f(x):\n\n    return x\n```",
    "~~~\ntilde fence\n~~~",
    "```\nplain\n```",
    "````md\n```\ninner\n```\n````",
]


def drawn(renderable: RenderableType) -> str:
    console = Console(width=72, file=io.StringIO(), record=True, force_terminal=True)
    console.print(renderable)
    return console.export_text(styles=True)


def in_parts(text: str) -> RenderableType:
    """The parts drawn one below the other, as MarkdownBlock draws them."""
    pieces = split_code_blocks(text)
    drawn_parts: list[RenderableType] = []
    for index, piece in enumerate(pieces):
        if index and pieces[index - 1].gap and not piece.lead:
            drawn_parts.append(GAP)
        drawn_parts.append(markdown_of(piece.markdown))
    return Group(*drawn_parts)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=7), st.sampled_from(["\n", "\n\n"]))
def test_parts_render_like_the_whole_text(blocks: list[str], joint: str) -> None:
    text = joint.join(blocks) + "\n"
    assert drawn(in_parts(text)) == drawn(Markdown(inert(text)))


def test_each_top_level_code_block_is_a_part_with_its_raw_code() -> None:
    text = (
        "Intro:\n```python\nx = 1\n```\n- item\n\n  ```\n  nested\n  ```\n\n"
        "```sh\necho \x1b[31m\n```"
    )
    pieces = split_code_blocks(text)
    assert [p.code for p in pieces if p.code is not None] == ["x = 1", "echo \x1b[31m"]
    assert "␛" in pieces[-1].markdown and "\x1b" not in pieces[-1].markdown  # drawn inert
    top_level = [c for c in code_blocks(text) if c != "  nested"]
    assert top_level == ["x = 1", "echo \x1b[31m"]


def test_text_without_fences_is_one_part() -> None:
    assert [(p.markdown, p.code) for p in split_code_blocks("just *text*")] == [
        ("just *text*", None)
    ]
    assert split_code_blocks("") == []


def test_an_unclosed_fence_runs_to_the_end() -> None:
    pieces = split_code_blocks("Streaming:\n```python\nprint(1)\nmore")
    assert [p.code for p in pieces] == [None, "print(1)\nmore"]
