"""The top line: the screen's title and sub-title (project, model, session state).

Textual's Header is four widgets (icon, title, clock space, container) with their own styles; at
launch each is composed, styled and painted before the first frame. This is one line of text
that follows the screen's ``title`` and ``sub_title``; a click opens the command palette, as the
Header's icon did.

On a narrow terminal the line is fitted, not cut at its end: the session state is the last word
of the sub-title and the one that changes, so the project path gives way first (to ``…/name``,
then entirely), then the title; the state stays.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widget import Widget

from tui.text import inert

SEPARATOR = " — "


class TitleBar(Widget):
    """``title — sub_title``, centred, the path shortened first when the terminal is narrow."""

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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.path = ""  # the sub-title's leading path: the part that gives way first

    def on_mount(self) -> None:
        self.watch(self.screen, "title", self._changed)
        self.watch(self.screen, "sub_title", self._changed)

    def _changed(self) -> None:
        self.refresh()  # the line is fitted to the width when drawn, see render

    def render(self) -> Text:
        return self.line(self.content_region.width or self.size.width)

    def line(self, width: int) -> Text:
        """The title, then the sub-title in the muted colour, fitted to ``width`` cells.

        Both name the project folder and the model, which may hold anything: they are drawn as
        plain text (a Text, never markup) with their control characters made visible."""
        title = inert(self.screen.title or self.app.title)
        sub_title = inert(self.screen.sub_title or self.app.sub_title)
        if not sub_title:
            return self._joined(title, "", width)
        choices = self._shorter_sub_titles(sub_title)
        for choice in choices:
            if cell_len(title) + cell_len(SEPARATOR) + cell_len(choice) <= width:
                return self._joined(title, choice, width)
        return self._joined(title, choices[-1], width)

    def _shorter_sub_titles(self, sub_title: str) -> list[str]:
        """The sub-title, then with the path as ``…/name``, then without it: longest first."""
        path = inert(self.path)
        if not path or not sub_title.startswith(path):
            return [sub_title]
        rest = sub_title[len(path) :]
        choices = [sub_title]
        name = PurePath(path).name
        if name and f"…/{name}" != path:
            choices.append(f"…/{name}{rest}")
        dropped = rest.removeprefix(" · ")
        if dropped:
            choices.append(dropped)
        return choices

    def _joined(self, title: str, sub_title: str, width: int) -> Text:
        """``title — sub_title``, the title cut with an ellipsis if the sub-title needs the room."""
        if not sub_title:
            return Text(title, no_wrap=True, overflow="ellipsis", end="")
        room = width - cell_len(SEPARATOR) - cell_len(sub_title)
        text = Text(title, no_wrap=True, overflow="ellipsis", end="")
        if room < 2:  # no room for even a cut title: the sub-title alone, its state last
            text = Text(no_wrap=True, overflow="ellipsis", end="")
        else:
            text.truncate(room, overflow="ellipsis")
            text.append(SEPARATOR)
        text.append(sub_title, self.get_component_rich_style("title-bar--sub-title"))
        return text

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.app.action_command_palette()
