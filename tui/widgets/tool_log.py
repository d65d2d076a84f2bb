"""The tool-activity log: a row per tool call that updates in place and expands on Enter."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.models import ToolStatus
from tui.text import inert
from tui.tool_lines import describe

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


class ToolLog(OptionList):
    """Rows keyed by tool-use id; the screen calls ``start``, ``finish`` and ``show``."""

    BINDINGS = [("enter", "expand", "Expand")]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rows: dict[str, ToolRow] = {}
        self.frame = 0

    def on_mount(self) -> None:
        self.set_interval(0.12, self._spin)

    def _spin(self) -> None:
        """Advance the spinner of running rows (nothing to do, and no repaint, when none run)."""
        running = [row for row in self.rows.values() if row.status is ToolStatus.RUNNING]
        if not running:
            return
        self.frame += 1
        for row in running:
            self.replace_option_prompt(row.id, self._label(row, self.frame))

    def show(self, rows: list[ToolRow]) -> None:
        self.rows = {row.id: row for row in rows}
        self.clear_options()
        self.add_options(Option(self._label(row), id=row.id) for row in rows)

    def start(self, tool_id: str, name: str, tool_input: dict[str, Any]) -> None:
        row = ToolRow(tool_id, name, tool_input)
        self.rows[tool_id] = row
        self.add_option(Option(self._label(row), id=tool_id))
        self.highlighted = self.option_count - 1

    def finish(self, tool_id: str, status: ToolStatus, result: str, duration_s: float) -> None:
        row = self.rows.get(tool_id)
        if row is None:
            return
        row.status, row.result, row.duration_s = status, result, duration_s
        self.replace_option_prompt(tool_id, self._label(row))

    def action_expand(self) -> None:
        if self.highlighted is None:
            return
        option = self.get_option_at_index(self.highlighted)
        row = self.rows.get(option.id or "")
        if row is not None:
            row.expanded = not row.expanded
            self.replace_option_prompt(row.id, self._label(row))

    @staticmethod
    def _label(row: ToolRow, frame: int = 0) -> Text:
        mark, style = _MARK[row.status]
        if row.status is ToolStatus.RUNNING:
            mark = SPINNER[frame % len(SPINNER)]
        text = Text(f"{mark} ", style=style)
        text.append(inert(describe(row.name, row.input)))
        if row.status is not ToolStatus.RUNNING:
            took = f" {format_duration(row.duration_s)}" if row.duration_s is not None else ""
            text.append(f"  {row.status.value}{took}", style=style)
        if row.expanded:
            text.append("\ninput: ", style="dim")
            text.append(inert(json.dumps(row.input, ensure_ascii=False, indent=1)))
            text.append("\nresult: ", style="dim")
            text.append(inert(row.result[:SHOWN] or "(none)"))
            size = max(row.size or 0, len(row.result))
            if size > SHOWN:
                text.append(f"\n… ({size:,} characters; first {SHOWN:,} shown)", style="dim")
        return text
