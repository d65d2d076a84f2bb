"""The backlog pane: the project's features at a glance, read through the MCP server's own rules.

It reads with ``mcp_server.backlog.Backlog`` (the code the assistant's backlog tools run), so the
pane and the tools can never disagree about what is ready or what blocks what. Reads run in a
thread; the pane refreshes when a backlog tool call finishes and when the file changes on disk
(an agent in another process marking features passing), found by a cheap ``stat`` twice a second.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from mcp_server.records import BacklogError, find_database
from tui.text import inert

POLL_S = 0.5  # how often the file's size and time are checked while the pane is shown
LISTED = 200  # features listed per list; the headings give the full counts
BAR = 30  # characters of the progress bar


@dataclass
class BacklogView:
    """Everything the pane shows, read in one go."""

    stats: dict[str, Any] = field(default_factory=dict)
    ready: list[dict[str, Any]] = field(default_factory=list)
    total_ready: int = 0
    blocked: list[dict[str, Any]] = field(default_factory=list)
    total_blocked: int = 0
    path: Path | None = None
    error: str | None = None


def read_backlog(project: Path) -> BacklogView:
    """Read stats, the ready list and the blocked list (blocking: run it in a thread)."""
    try:
        path = find_database(project)
    except BacklogError as error:  # the boundary refused the file: say why, read nothing
        return BacklogView(error=str(error))
    if path is None:
        return BacklogView()
    from mcp_server.backlog import Backlog  # in the reading thread: not on the first screen's path

    backlog = Backlog(project, busy_timeout=2.0)
    try:
        ready, blocked = backlog.ready(LISTED), backlog.blocked(LISTED)
        return BacklogView(
            backlog.stats(),
            ready["features"],
            ready["total_ready"],
            blocked["features"],
            blocked["total_blocked"],
            path,
        )
    except BacklogError as error:
        return BacklogView(path=path, error=str(error))
    finally:
        backlog.close()


def file_signature(project: Path) -> tuple[tuple[int, int], ...]:
    """Size and modification time of the backlog file and its WAL: any write changes one."""
    try:
        path = find_database(project)
    except BacklogError:
        return ((-1, -1),)  # refused: a change into or out of this state is still seen
    if path is None:
        return ()
    found = []
    for name in (path, path.with_name(path.name + "-wal")):
        try:
            info = os.stat(name)
        except OSError:
            continue
        found.append((info.st_mtime_ns, info.st_size))
    return tuple(found)


def progress(stats: dict[str, Any], width: int = BAR) -> Text:
    """A bar of passing (green) and in-progress (yellow) features, and the counts under it."""
    total = stats.get("total", 0)
    passing, working = stats.get("passing", 0), stats.get("in_progress", 0)
    done = round(width * passing / total) if total else 0
    doing = min(width - done, round(width * working / total)) if total else 0
    bar = Text()
    bar.append("█" * done, style="green")
    bar.append("█" * doing, style="yellow")
    bar.append("░" * (width - done - doing), style="dim")
    bar.append(f"\n{passing}/{total} passing · {working} in progress", style="bold")
    bar.append(f" · {stats.get('percentage', 0.0)}%")
    return bar


def _ready_label(feature: dict[str, Any]) -> Text:
    label = Text(inert(f"#{feature['id']} "), style="bold")
    label.append(inert(str(feature["name"])))
    label.append(f"  {inert(str(feature['category']))}", style="dim")
    return label


def _blocked_label(feature: dict[str, Any]) -> Text:
    label = _ready_label(feature)
    waiting = inert(", ".join(f"#{i}" for i in feature.get("blocked_by", [])))
    label.append(f"\n  waits on {waiting}", style="yellow")
    return label


class BacklogPane(Vertical):
    """Progress, the ready list in order, the blocked list with what blocks each; Enter: details."""

    def __init__(self, project: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.project = project
        self.view = BacklogView()
        self.seen: tuple[tuple[int, int], ...] | None = None  # the file as last read
        self.stale = True  # something changed while the pane was hidden

    def compose(self) -> ComposeResult:
        yield Label("Backlog", classes="backlog-title")
        yield Static("Reading…", id="backlog-progress")
        yield Label("Ready", id="ready-heading", classes="backlog-heading")
        yield OptionList(id="backlog-ready")
        yield Label("Blocked", id="blocked-heading", classes="backlog-heading")
        yield OptionList(id="backlog-blocked")

    def on_mount(self) -> None:
        self.set_interval(POLL_S, self._poll)

    def changed(self) -> None:
        """The backlog may have changed (a backlog tool finished): read it now, or when shown."""
        self.stale = True
        if self.display:
            self.reload()

    def shown(self) -> None:
        """The pane was made visible: read the backlog if it may have changed meanwhile."""
        if self.stale or file_signature(self.project) != self.seen:
            self.reload()

    def _poll(self) -> None:
        if self.display and file_signature(self.project) != self.seen:
            self.reload()

    @work(thread=True, exclusive=True, group="backlog", exit_on_error=False)
    def reload(self) -> None:
        """Read the backlog in a thread and show it (a newer read cancels an older one)."""
        signature = file_signature(self.project)
        view = read_backlog(self.project)
        if not get_current_worker().is_cancelled:  # a newer read is on its way
            self.app.call_from_thread(self._show, view, signature)

    def _show(self, view: BacklogView, signature: tuple[tuple[int, int], ...]) -> None:
        self.view, self.seen, self.stale = view, signature, False
        progress_text = self.query_one("#backlog-progress", Static)
        if view.error is not None:
            progress_text.update(Text(inert(view.error), style="red"))
        elif view.path is None:
            progress_text.update(
                Text("No backlog yet: the assistant can create features for this project.")
            )
        else:
            progress_text.update(progress(view.stats))
        self.query_one("#ready-heading", Label).update(f"Ready ({view.total_ready})")
        self.query_one("#blocked-heading", Label).update(f"Blocked ({view.total_blocked})")
        self._fill("#backlog-ready", view.ready, _ready_label)
        self._fill("#backlog-blocked", view.blocked, _blocked_label)

    def _fill(self, selector: str, features: list[dict[str, Any]], label: Any) -> None:
        """Replace a list's rows, keeping the highlighted feature where it still is."""
        listing = self.query_one(selector, OptionList)
        at = listing.highlighted
        kept = listing.get_option_at_index(at).id if at is not None else None
        listing.clear_options()
        listing.add_options(Option(label(f), id=str(f["id"])) for f in features)
        ids = [str(f["id"]) for f in features]
        if ids:  # Enter always has a feature to open
            listing.highlighted = ids.index(kept) if kept in ids else 0

    @on(OptionList.OptionSelected)
    def open_details(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.app.push_screen(FeatureDetails(self.project, int(event.option.id)))


class FeatureDetails(ModalScreen[None]):
    """One feature in full: status, dependencies, description and steps. Esc closes."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, project: Path, feature_id: int) -> None:
        super().__init__(classes="dialog")
        self.project, self.feature_id = project, feature_id

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll(id="feature-body"):
                yield Static("Reading…", id="feature-text")
            yield Label("Esc: close", classes="hint")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exit_on_error=False)
    def load(self) -> None:
        from mcp_server.backlog import Backlog

        backlog = Backlog(self.project, busy_timeout=2.0)
        try:
            text = describe_feature(backlog.get(self.feature_id))
        except BacklogError as error:
            text = Text(inert(str(error)), style="red")
        finally:
            backlog.close()
        self.app.call_from_thread(self.query_one("#feature-text", Static).update, text)


def describe_feature(feature: dict[str, Any]) -> Text:
    """A feature as the details dialog shows it; every stored value made inert.

    Even the numbers: SQLite keeps a text in an INTEGER column, and another program wrote the file.
    """
    text = Text(inert(f"#{feature['id']} "), style="bold")
    text.append(inert(str(feature["name"])), style="bold")
    text.append(inert(f"\n{feature['status']} · {feature['category']}"), style="cyan")
    text.append(inert(f" · priority {feature['priority']}"), style="dim")
    dependencies = feature.get("dependencies") or []
    if dependencies:
        listed = ", ".join(f"#{d}" for d in dependencies)
        text.append(inert(f"\ndepends on {listed}"), style="yellow")
    text.append("\n\n" + inert(str(feature.get("description") or "")))
    steps = feature.get("steps") or []
    if steps:
        text.append("\n\nSteps", style="bold")
        for number, step in enumerate(steps, start=1):
            text.append(f"\n{number}. {inert(str(step))}")
    return text
