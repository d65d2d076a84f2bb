"""What the screen shows, read from the compositor as a terminal would draw it.

Tests assert what the user sees (painted rows, notifications), not only widget state, so these
readers are shared by the Pilot, e2e and reliability suites.
"""

from __future__ import annotations

import io
import re
from typing import Any

from rich.console import Console
from rich.markdown import Markdown as RichMarkdown
from textual.widget import Widget
from textual.widgets._toast import Toast

from tui.text import inert
from tui.widgets.backlog_pane import BacklogPane
from tui.widgets.chat_pane import ChatPane
from tui.widgets.markdown_block import MarkdownBlock

# Controls that must never be drawn: C0 except tab/newline, DEL, and C1 (0x80-0x9f).
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What Textual itself writes between the characters of a frame: colours (SGR) and cursor moves.
OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;]*[mH]")


def screen_rows(app: Any) -> list[str]:
    """Every row of the active screen, as a terminal would show its characters."""
    update = app.screen._compositor.render_update(full=True)
    return ["".join(segment.text for segment in row) for row in update.strips]


def frame(app: Any) -> tuple[str, str]:
    """The whole screen as drawn: its visible text, and the exact string sent to a terminal.

    The same compositor update that ``App.export_screenshot`` draws and that the Textual driver
    writes on a full repaint; unlike ``screen_rows`` it includes the screens under a modal.
    """
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    visible = "\n".join(
        "".join(segment.text for strip in line for segment in strip) for line in update.strips
    )
    return visible, update.render_segments(app.console)


def notes(app: Any) -> list[str]:
    """Every notification the app has shown, oldest first (the one sentence a failure reads as)."""
    return [n.message for n in app._notifications]


def answers(app: Any) -> list[Any]:
    """Every answer shown: live (AnswerView) or loaded from history (PastAnswer)."""
    return list(app.screen.query_one(ChatPane).query(".answer"))


def answer_texts(app: Any) -> list[str]:
    """The text of every answer shown, for tests that compare only what was said."""
    return [view.text for view in answers(app)]


def pane_text(app: Any) -> str:
    """What the backlog pane draws, line by line, as on the screen ("" before it is built)."""
    found = app.screen.query(BacklogPane)
    if not found:
        return ""
    region = found.first().region
    rows = screen_rows(app)[region.y : region.bottom]
    return "\n".join(row[region.x : region.right].strip() for row in rows)


def pane_flat(app: Any) -> str:
    """The backlog pane's text with its wrapping undone."""
    return " ".join(pane_text(app).replace("│", " ").split())


def in_sight(app: Any, widget: Any) -> bool:
    """Whether any part of ``widget`` lies on the screen (a hidden card of the side panel is
    laid out far below it, a hidden panel not at all)."""
    return bool(widget.region) and app.screen.region.overlaps(widget.region)


def drawn_rows(view: Any) -> list[str]:
    """An answer drawn in blocks, line by line as painted: each block's rows under its top
    margin (the blank line between two blocks)."""
    rows: list[str] = []
    for block in view.query(MarkdownBlock):
        rows += [""] * block.styles.margin.top
        rows += [line.text.rstrip() for line in block.lines(block.content_size.width)]
    return rows


def one_piece(text: str, width: int) -> list[str]:
    """The rows of ``text``'s Markdown rendered in one piece at ``width``."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(RichMarkdown(text))
    return [line.rstrip() for line in console.export_text().splitlines()]


def plain(text: str) -> str:
    """Whitespace runs as one space: wrapping turns a space into a line break."""
    return " ".join(text.split())


def painted(app: Any, widget: Widget | None = None) -> str:
    """The screen as drawn (the modal on top of what it covers), or one widget's part of it
    (inside its border and padding)."""
    rows = frame(app)[0].split("\n")
    if widget is None:
        return "\n".join(rows)
    region = widget.content_region
    return "\n".join(row[region.x : region.right] for row in rows[region.y : region.bottom])


def shows(app: Any, text: str, widget: Widget | None = None) -> bool:
    """Whether ``text`` (escapes as the visible symbols inert() makes) is painted, wrapped or not.

    A line cut inside a word is joined without a space, one cut at a space with one."""
    lines = [line.strip() for line in painted(app, widget).split("\n")]
    wanted = plain(inert(text))
    return wanted in plain(" ".join(lines)) or wanted.replace(" ", "") in "".join(lines).replace(
        " ", ""
    )


def toasts_show(app: Any, text: str) -> bool:
    """Whether a toast paints ``text`` (wrapped or not) on the screen."""
    return any(shows(app, text, toast) for toast in app.screen.query(Toast))


def watch_frames(app: Any) -> list[str]:
    """Every frame the app paints from now on, as its rows (where Textual hands a frame to
    the terminal)."""
    frames: list[str] = []
    display = app._display

    def shown(*args: Any) -> None:
        display(*args)
        frames.append("\n".join(screen_rows(app)))

    app._display = shown
    return frames
