"""Code blocks tagged while Markdown renders: the same lines as Rich draws, and where each is."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, RenderableType
from rich.markdown import Markdown
from rich.segment import Segment
from textual.strip import Strip

from tui.text import inert
from tui.widgets.markdown_block import code_markdown, raw_codes, tagged_lines

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
    "    indented code",
]
WIDTH = 60


def lines_of(renderable: RenderableType) -> list[Strip]:
    console = Console(width=WIDTH, file=io.StringIO(), force_terminal=True)
    options = console.options.update(width=WIDTH, height=None)
    rendered = Segment.split_and_crop_lines(
        console.render(renderable, options), WIDTH, include_new_lines=False, pad=False
    )
    return [Strip(line) for line in rendered]


def plain(strip: Strip) -> str:
    return "".join(segment.text for segment in strip)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=7), st.sampled_from(["\n", "\n\n"]))
def test_tagged_lines_are_rich_s_lines_and_find_every_code_block(
    blocks: list[str], joint: str
) -> None:
    text = inert(joint.join(blocks) + "\n")
    tagged = code_markdown()(text)
    clean, spans = tagged_lines(lines_of(tagged))
    assert [list(s) for s in clean] == [list(s) for s in lines_of(Markdown(text))]
    codes = tagged.codes()
    assert sorted(spans) == list(range(len(codes)))
    for number, code in enumerate(codes):
        start, end = spans[number]
        drawn = "\n".join(plain(line) for line in clean[start:end])
        for code_line in code.splitlines():
            assert code_line.strip() in drawn


def test_numbers_follow_the_text_and_rendering_again_numbers_alike() -> None:
    text = "Intro:\n```python\nx = 1\n```\n- item\n\n  ```\n  nested\n  ```\n\n```sh\necho hi\n```"
    tagged = code_markdown()(text)
    assert tagged.codes() == ["x = 1", "nested", "echo hi"]
    first = tagged_lines(lines_of(tagged))[1]
    assert tagged_lines(lines_of(tagged))[1] == first  # a second render (new width) agrees
    rows = lines_of(tagged)
    assert "x = 1" in plain(rows[first[0][0] + 1])


def test_raw_code_is_copied_as_written() -> None:
    text = "```sh\necho \x1b[31mred\n```\n"
    shown = code_markdown()(inert(text)).codes()
    assert shown == ["echo ␛[31mred"]
    assert raw_codes(text, shown) == ["echo \x1b[31mred"]
    assert raw_codes("```\nplain\n```", ["plain"]) == ["plain"]


def test_a_reference_after_wide_characters_is_found_at_its_cells() -> None:
    """中 and 🙂 take two cells each: the reversed highlight and a click use cells."""
    from rich.segment import Segment
    from textual.strip import Strip

    from tui.references import Reference
    from tui.widgets.markdown_block import find_places

    lines = [Strip([Segment("中文 🙂 see src/calc.py:3 and calc.py")])]
    cited = [
        Reference("src/calc.py", 3, None, "src/calc.py:3"),
        Reference("calc.py", written="calc.py"),
    ]
    assert find_places(lines, cited) == [(0, 12, 13), (0, 30, 7)]
