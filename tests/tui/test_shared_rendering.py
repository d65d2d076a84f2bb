"""Settled Markdown blocks share one rendering per text, label, width, style and theme: a block
drawn again (a conversation reopened) renders nothing, and what differs is never shared."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical

from tests.helpers.screen import screen_rows
from tui.widgets import prerendered
from tui.widgets.markdown_block import MarkdownBlock

TEXT = "## Heading\n\nSome **bold** words and `code`.\n\n```python\nx = 1\n```"


class Blocks(App[None]):
    def __init__(self, blocks: list[MarkdownBlock], width: int) -> None:
        super().__init__()
        self.blocks, self.width = blocks, width

    def compose(self) -> ComposeResult:
        with Vertical() as column:
            column.styles.width = self.width
            yield from self.blocks


async def painted(blocks: list[MarkdownBlock], width: int, theme: str = "textual-dark") -> str:
    app = Blocks(blocks, width)
    async with app.run_test(size=(80, 30)) as pilot:
        app.theme = theme
        await pilot.pause()
        return "\n".join(screen_rows(app))


async def test_a_block_drawn_again_renders_nothing(monkeypatch: Any) -> None:
    prerendered.forget()
    first = await painted([MarkdownBlock(TEXT, settled=True)], 60)
    renders: list[int] = []
    real = prerendered.Prerendered._render_at

    def counted(self: Any, width: int) -> Any:
        renders.append(width)
        return real(self, width)

    monkeypatch.setattr(prerendered.Prerendered, "_render_at", counted)
    again = await painted([MarkdownBlock(TEXT, settled=True)], 60)
    assert renders == [] and again == first and "x = 1" in again


async def test_what_differs_is_rendered_on_its_own() -> None:
    prerendered.forget()
    labelled = [
        MarkdownBlock(TEXT, settled=True, label=Text("Assistant 10:00")),
        MarkdownBlock(TEXT, settled=True, label=Text("Assistant 11:00")),
    ]
    rows = await painted(labelled, 60)
    assert "Assistant 10:00" in rows and "Assistant 11:00" in rows
    long = TEXT + " and more words" * 8
    narrow = await painted([MarkdownBlock(long, settled=True)], 30)
    wide = await painted([MarkdownBlock(long, settled=True)], 70)
    assert max(len(r.rstrip()) for r in narrow.splitlines()) <= 30
    assert "more words and more words and more words" in wide  # not the narrow lines again
    live = MarkdownBlock(TEXT)  # a streaming tail is never shared: it changes
    assert live.render_key() is None
