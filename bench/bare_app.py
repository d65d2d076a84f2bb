"""Baseline for bench/app.py: the smallest Textual app that draws a word and waits."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("bare-ready")


if __name__ == "__main__":
    Bare().run()
