"""Baseline for bench/echo.py: the smallest Textual app with a focused TextArea to type in."""

from textual.app import App, ComposeResult
from textual.widgets import Static, TextArea


class BarePrompt(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("bare-ready")
        yield TextArea("»", id="prompt")

    def on_mount(self) -> None:
        prompt = self.query_one(TextArea)
        prompt.focus()
        prompt.move_cursor((0, 1))


if __name__ == "__main__":
    BarePrompt().run()
