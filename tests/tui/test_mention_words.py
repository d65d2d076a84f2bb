"""Which word the prompt completes: an @ at a word's start, quoted names, not an e-mail."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from tui.mentions.word import Word, word_at
from tui.widgets.completions import Candidate, Completions, Offer
from tui.widgets.prompt_input import PromptInput


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield (popup := Completions())
        yield PromptInput(popup)


@pytest.mark.parametrize(
    ("text", "cursor", "word"),
    [
        ("see @src/ma", 11, Word("src/ma", 0, 4, 11)),
        ("see @src/main.py now", 9, Word("src/", 0, 4, 16)),  # the whole word is replaced
        ('open @"my no', 12, Word("my no", 0, 5, 12)),
        ("mail a@b.com", 12, None),
        ("@", 1, Word("", 0, 0, 1)),
        ("first line\n@doc", 4, Word("doc", 1, 0, 4)),
        ("@app.py done", 12, None),
    ],
)
def test_the_word_at_the_cursor(text: str, cursor: int, word: Word | None) -> None:
    row = text.count("\n")
    assert word_at(text.split("\n")[row], row, cursor) == word


async def test_a_quoted_name_is_inserted_whole() -> None:
    """The candidate replaces the word from its @ to its end, the closing quote included."""
    async with Bare().run_test() as pilot:
        prompt = pilot.app.query_one(PromptInput)
        prompt.completers.append(
            lambda text, cursor: (
                Offer((0, 5), [Candidate('@"my notes.md" ', "my notes.md")], end=(0, 12))
                if text.startswith("open @")
                else None
            )
        )
        prompt.load_text('open @"my no')
        prompt.cursor_location = (0, 12)
        await pilot.pause()
        await pilot.press("tab")
        assert prompt.text == 'open @"my notes.md" '
