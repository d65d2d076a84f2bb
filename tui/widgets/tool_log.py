"""The tool-activity log: a row per tool call that updates in place and expands on Enter.

A Line API widget rather than an OptionList: OptionList forgets every rendered option and every
line height whenever one prompt changes, so with 1,000 calls each start, finish and spinner tick
re-measured all of them. Here each row keeps its own rendered lines, a change re-renders that row
only, and the screen asks for the lines it shows.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.models import ToolEvent, ToolStatus
from tui.text import inert
from tui.tool_lines import ASKED, describe
from tui.widgets.empty_hint import EmptyHint
from tui.widgets.kept_switcher import Card

NO_CALLS = (
    "No tool calls yet. The files the assistant reads and searches are listed here as it "
    "answers: type a question and press Enter."
)
# Declared here with the log's other keys (a widget may not import tui.screens.keys, whose help
# reads every widget); its id makes it rebindable in config.toml.
TOOL_LOG_OPEN = Binding(
    "o",
    "open_file",
    "Open in viewer",
    show=False,  # the key bar is full; an expanded Read, Grep or Glob row names the key
    id="tool_open_file",
    tooltip="On a Read row: open the file it read in the code viewer, at the lines it read; on "
    "a Grep or Glob row: the files (and lines) it found",
)
SHOWN = 4000  # characters of a result drawn when a row is expanded; a row stays light
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_MARK = {
    ToolStatus.RUNNING: ("…", "yellow"),
    ToolStatus.OK: ("✓", "green"),
    ToolStatus.ERROR: ("✗", "red"),
    ToolStatus.DENIED: ("⛔", "bold red"),
}


def format_duration(seconds: float) -> str:
    """How long a tool took, as the log shows it."""
    return f"{seconds:.1f}s" if seconds < 60 else f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


@dataclass
class ToolRow:
    id: str
    name: str
    input: dict[str, Any]
    status: ToolStatus = ToolStatus.RUNNING
    result: str = ""
    duration_s: float | None = None
    size: int | None = None  # the full result's length when ``result`` is a stored, capped copy
    expanded: bool = field(default=False)
    live: bool = False  # started in this view; a "running" row from history does not spin
    decision: str | None = None  # who allowed or denied a web call or a backlog write

    @classmethod
    def of(cls, event: ToolEvent) -> ToolRow:
        """A stored call as a row (its result is the stored, capped copy)."""
        return cls(
            event.tool_use_id,
            event.name,
            dict(event.input),
            event.status,
            event.result or "",
            event.duration_s,
            event.result_size,
            decision=event.decision,
        )


def label(row: ToolRow, frame: int = 0) -> Text:
    """What one row says: status mark, the call in words, and when expanded its input and result."""
    mark, style = _MARK[row.status]
    if row.status is ToolStatus.RUNNING:
        mark = SPINNER[frame % len(SPINNER)]
    text = Text(f"{mark} ", style=style)
    text.append(inert(describe(row.name, row.input)))
    if row.status is not ToolStatus.RUNNING:
        took = f" {format_duration(row.duration_s)}" if row.duration_s is not None else ""
        text.append(f"  {row.status.value}{took}", style=style)
    if row.decision:
        text.append(
            f" · {row.decision}",
            style="bold yellow" if row.decision == ASKED else "dim",
        )
    if row.expanded:
        text.append("\ninput: ", style="dim")
        text.append(inert(json.dumps(row.input, ensure_ascii=False, indent=1)))
        text.append("\nresult: ", style="dim")
        text.append(inert(row.result[:SHOWN] or "(none)"))
        size = max(row.size or 0, len(row.result))
        if size > SHOWN:
            text.append(f"\n… ({size:,} characters; first {SHOWN:,} shown)", style="dim")
        if read_file(row) is not None:
            text.append(f"\n{TOOL_LOG_OPEN.key}: open it in the viewer", style="dim")
        elif found_files(row):
            text.append(
                f"\n{TOOL_LOG_OPEN.key}: open the files found in the viewer (] and [ go "
                "through them)",
                style="dim",
            )
    return text


def found_files(row: ToolRow) -> bool:
    """Whether a row is a finished search whose result lists files (Grep, Glob)."""
    return row.name in ("Grep", "Glob") and row.status is ToolStatus.OK and bool(row.result)


def read_file(row: ToolRow) -> tuple[str, int | None, int | None] | None:
    """A finished Read row's file and the lines it read (1-based, inclusive; None: from the
    start, to the CLI's default length), or None for any other row."""
    path = row.input.get("file_path")
    if row.name != "Read" or row.status is not ToolStatus.OK or not isinstance(path, str):
        return None
    offset, limit = row.input.get("offset"), row.input.get("limit")
    first = offset if isinstance(offset, int) and offset >= 1 else None
    if first is None or not isinstance(limit, int) or limit < 1:
        return path, first, None
    return path, first, first + limit - 1


class ToolLog(Card, ScrollView, can_focus=True):
    """Rows keyed by tool-use id; the screen calls ``start``, ``finish`` and ``show``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "expand", "Expand"),
        TOOL_LOG_OPEN,
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"tool-log--cursor"}
    DEFAULT_CSS = """
    ToolLog {
        color: $foreground;
        background: $surface;
        padding: 0 1;
        overflow-x: hidden;
        & > .tool-log--cursor {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .tool-log--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    highlighted: reactive[int | None] = reactive(None, layout=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: dict[str, ToolRow] = {}
        self.order: list[str] = []
        self.frame = 0
        self._lines: dict[str, list[Strip]] = {}  # each row's rendered lines at ``_width``
        self._starts: list[int] = []  # first line of each row
        self._width = 0
        self.following = True  # the newest row stays in view until the user moves up
        self._base = Style()  # the widget's style and the cursor's, looked up per paint
        self._cursor = Style()
        self.opened = False  # a conversation (or a new chat) was shown: an empty log says so
        self._empty = EmptyHint("Tool calls", NO_CALLS)

    @property
    def row_count(self) -> int:
        return len(self.order)

    def on_mount(self) -> None:
        self.set_interval(0.12, self._spin)

    # -- what the screen calls ---------------------------------------------------------------

    def show(self, rows: list[ToolRow]) -> None:
        """Replace every row (a conversation was opened); the newest calls are in view.

        Repaints explicitly: a new virtual size or highlight repaints as a side effect, but rows
        replaced by as many others with nothing highlighted changed neither, and the previous
        conversation's rows stayed on screen (issue 15 D1).
        """
        self.rows = {row.id: row for row in rows}
        self.order = [row.id for row in rows]
        self._lines.clear()
        self.highlighted = None
        self.following = True
        self.opened = True
        self._relayout(0)
        self.refresh()

    def start(self, tool_id: str, name: str, tool_input: dict[str, Any]) -> None:
        row = ToolRow(tool_id, name, tool_input, live=True)
        if tool_id not in self.rows:
            self.order.append(tool_id)
        self.rows[tool_id] = row
        self._changed(tool_id)
        if len(self.order) == 1:
            self.refresh()  # the empty log's hint below the first row goes
        self.highlighted = len(self.order) - 1

    def finish(
        self,
        tool_id: str,
        status: ToolStatus,
        result: str,
        duration_s: float,
        decision: str | None = None,
    ) -> None:
        row = self.rows.get(tool_id)
        if row is None:
            return
        row.status, row.result, row.duration_s = status, result, duration_s
        row.decision = decision or row.decision
        self._changed(tool_id)

    def decide(self, tool_id: str, decision: str) -> None:
        """Say who decides a call (the user is being asked about it now)."""
        row = self.rows.get(tool_id)
        if row is not None:
            row.decision = decision
            self._changed(tool_id)

    def label(self, index: int) -> Text:
        """The text of the row at ``index`` as it is drawn."""
        return label(self.rows[self.order[index]], self.frame)

    # -- keys --------------------------------------------------------------------------------

    class OpenFile(Message):
        """Open the file a Read row read in the code viewer, at the lines it read."""

        def __init__(self, path: str, first: int | None, last: int | None) -> None:
            super().__init__()
            self.path, self.first, self.last = path, first, last

    class OpenFound(Message):
        """Open the files a search found (its result's text) in the code viewer."""

        def __init__(self, result: str) -> None:
            super().__init__()
            self.result = result

    def action_open_file(self) -> None:
        if self.highlighted is None:
            return
        row = self.rows[self.order[self.highlighted]]
        found = read_file(row)
        if found is not None:
            self.post_message(self.OpenFile(*found))
        elif found_files(row):
            self.post_message(self.OpenFound(row.result))

    def action_expand(self) -> None:
        if self.highlighted is None:
            return
        row = self.rows[self.order[self.highlighted]]
        row.expanded = not row.expanded
        self._changed(row.id)
        self._scroll_to_row(self.highlighted)

    def action_move(self, step: int) -> None:
        if not self.order:
            return
        current = self.highlighted if self.highlighted is not None else -1 if step > 0 else 0
        self.highlighted = max(0, min(len(self.order) - 1, current + step))

    def action_page(self, direction: int) -> None:
        if not self.order:
            return
        line = (
            self._starts[self.highlighted or 0] + direction * self.scrollable_content_region.height
        )
        self.highlighted = self._row_at(max(0, min(line, self.virtual_size.height - 1)))

    def action_first(self) -> None:
        if self.order:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.order:
            self.highlighted = len(self.order) - 1

    def on_click(self, event: events.Click) -> None:
        """A click highlights a row; a click on the highlighted row expands or folds it."""
        line = event.y + self.scroll_offset.y
        if not self.order or line >= self.virtual_size.height:
            return
        index = self._row_at(line)
        if index == self.highlighted:
            self.action_expand()
        self.highlighted = index

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        self.following = new is None or new == len(self.order) - 1
        for index in (old, new):
            if index is not None and index < len(self.order):
                self._refresh_row(index)
        if new is not None:
            self._scroll_to_row(new)

    # -- rendering ---------------------------------------------------------------------------

    def _spin(self) -> None:
        """Advance the spinner of running rows (nothing to do, and no repaint, when none run).

        Only calls of a turn running now spin: history can hold calls left "running" by a crash,
        and a thousand of them re-rendered eight times a second would cost the whole UI.
        """
        running = [
            id for id, row in self.rows.items() if row.live and row.status is ToolStatus.RUNNING
        ]
        if not running:
            return
        self.frame += 1
        for tool_id in running:
            self._changed(tool_id)

    def _changed(self, tool_id: str) -> None:
        """Re-render one row; the rows after it only move when its height changed."""
        index = self.order.index(tool_id)
        before = len(self._lines.pop(tool_id, []))
        if index >= len(self._starts) or len(self._row_lines(index)) != before:
            self._relayout(index)
        self._refresh_row(index)

    def _relayout(self, index: int) -> None:
        """Recount the first line of every row from ``index`` on, and the scrollable height."""
        del self._starts[index:]
        line = self._starts[-1] + len(self._row_lines(index - 1)) if index else 0
        for at in range(index, len(self.order)):
            self._starts.append(line)
            line += len(self._row_lines(at))
        self.virtual_size = Size(self._width, line)
        if self.following:
            # force: Textual allows scrolling only once a layout has shown the new scrollbar.
            self.scroll_end(animate=False, immediate=True, force=True)

    def _row_lines(self, index: int) -> list[Strip]:
        tool_id = self.order[index]
        lines = self._lines.get(tool_id)
        if lines is None:
            lines = self._render_row(self.rows[tool_id])
            self._lines[tool_id] = lines
        return lines

    def _render_row(self, row: ToolRow) -> list[Strip]:
        width = max(1, self._width)
        console = self.app.console
        options = console.options.update(width=width, height=None, no_wrap=False)
        rendered = console.render_lines(label(row, self.frame), options, pad=True)
        return [Strip(line, width) for line in rendered]

    def _row_at(self, line: int) -> int:
        return max(0, bisect_right(self._starts, line) - 1)

    def _refresh_row(self, index: int) -> None:
        if index < len(self._starts):
            top = self._starts[index] - self.scroll_offset.y
            self.refresh_lines(top, len(self._row_lines(index)))

    def _scroll_to_row(self, index: int) -> None:
        """Bring a row into view (its first line, and as much of the rest as fits)."""
        if index >= len(self._starts):
            return
        top, height = self._starts[index], len(self._row_lines(index))
        view = self.scrollable_content_region.height
        y = self.scroll_offset.y
        if top < y:
            y = top
        elif top + height > y + view:
            y = top + height - view if height <= view else top
        if y != self.scroll_offset.y:
            self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._width:
            self._width = width
            self._lines.clear()
            self._relayout(0)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Look the widget's styles up once per paint, not once per line (it showed in profiles)."""
        self._base = self.rich_style
        cursor = self.get_component_rich_style("tool-log--cursor")
        # The cursor is a background: each row keeps its status colours.
        self._cursor = Style(bgcolor=cursor.bgcolor, bold=cursor.bold, reverse=cursor.reverse)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line = scroll_y + y
        width = self.scrollable_content_region.width
        if not self.order and self.opened:
            return self._empty.line(self, y, self._base)
        if line >= self.virtual_size.height or not self.order:
            return Strip.blank(width, self._base)
        index = self._row_at(line)
        strip = self._row_lines(index)[line - self._starts[index]]
        if index == self.highlighted:
            strip = Strip(Segment.apply_style(strip, post_style=self._cursor), strip.cell_length)
        return strip.crop_extend(scroll_x, scroll_x + width, self._base)
