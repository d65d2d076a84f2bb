"""The backlog pane: the project's features at a glance, and the way to one feature's details.

A view: it reads nothing itself. The screen hands it a reader (``tui.backlog_reader``, which reads
through the MCP server's own rules) and what opens a feature's details. Reads run in a thread
worker the pane owns; the pane refreshes when a backlog tool call finishes (``changed``) and when
the file changes on disk (an agent in another process marking features passing), found by
comparing the reader's cheap signature twice a second while the pane is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.models import BacklogView
from tui.text import inert

POLL_S = 0.5  # how often the file's signature is compared while the pane is shown
BAR = 30  # characters of the progress bar


class BacklogSource(Protocol):
    """Where the pane's data comes from; both calls block (``read`` runs in a thread)."""

    def read(self) -> BacklogView:
        """Everything the pane shows; failures come back as ``BacklogView.error``."""
        ...

    def signature(self) -> object:
        """Cheap, compared for equality only: it differs whenever the backlog file changed."""
        ...


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
    bar.append(f"\nfrom {inert(str(stats.get('path') or '?'))}", style="dim")  # the file in use
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

    @dataclass
    class FeatureChosen(Message):
        """Enter on a feature: the screen opens its details (a view pushes no screen that
        reads files)."""

        feature_id: int

    KEYS = [Binding("enter", "", "A feature's details")]

    def __init__(self, source: BacklogSource, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.view = BacklogView()
        self.seen: object = None  # the file's signature as last read
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
        if self.stale or self.source.signature() != self.seen:
            self.reload()

    def _poll(self) -> None:
        if self.display and self.source.signature() != self.seen:
            self.reload()

    @work(thread=True, exclusive=True, group="backlog", exit_on_error=False)
    def reload(self) -> None:
        """Read the backlog in a thread and show it (a newer read cancels an older one)."""
        signature = self.source.signature()
        view = self.source.read()
        if not get_current_worker().is_cancelled:  # a newer read is on its way
            self.app.call_from_thread(self._show, view, signature)

    def _show(self, view: BacklogView, signature: object) -> None:
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

    def _fill(
        self, selector: str, features: list[dict[str, Any]], label: Callable[[Any], Text]
    ) -> None:
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
            self.post_message(self.FeatureChosen(int(event.option.id)))
