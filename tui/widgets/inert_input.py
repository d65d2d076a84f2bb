"""A one-line input that never draws a control character raw.

Textual's Input writes what it holds to the terminal as it is, so a pasted (or pre-filled)
escape sequence would act on the terminal: change its title, write the clipboard (OSC 52),
clear the screen. Every edit goes through ``inert`` instead, which shows them as symbols.
"""

from __future__ import annotations

from textual.widgets import Input

from tui.text import inert


class InertInput(Input):
    """An Input whose text has its control characters made visible as they come in."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(inert(text), start, end)
