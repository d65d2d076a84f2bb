"""The top line: the screen's title and sub-title (project, model, session state).

Textual's Header is four widgets (icon, title, clock space, container) with their own styles; at
launch each is composed, styled and painted before the first frame. This is one line of text
that follows the screen's ``title`` and ``sub_title``; a click opens the command palette, as the
Header's icon did.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.widgets import Static

from tui.text import inert


class TitleBar(Static):
    """``title — sub_title``, centred, cut with an ellipsis when the terminal is narrow."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"title-bar--sub-title"}
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
        content-align: center middle;
        & > .title-bar--sub-title { color: $foreground-muted; }
    }
    """

    def on_mount(self) -> None:
        self.watch(self.screen, "title", self._changed)
        self.watch(self.screen, "sub_title", self._changed)

    def _changed(self) -> None:
        self.update(self.line())

    def line(self) -> Text:
        """The title, then the sub-title in the muted colour, on one line.

        Both name the project folder and the model, which may hold anything: they are drawn as
        plain text (a Text, never markup) with their control characters made visible."""
        screen = self.screen
        title = inert(screen.title or self.app.title)
        text = Text(title, no_wrap=True, overflow="ellipsis", end="")
        sub_title = screen.sub_title or self.app.sub_title
        if sub_title:
            text.append(" — ")
            text.append(inert(sub_title), self.get_component_rich_style("title-bar--sub-title"))
        return text

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.app.action_command_palette()
