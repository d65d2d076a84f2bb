"""The backlog pane: the project's features at a glance, and the way to one feature's details.

A view: it reads nothing itself. The screen hands it a reader (``tui.backlog_reader``, which reads
through the MCP server's own rules) and what opens a feature's details. Reads run in a thread
worker the pane owns; the pane refreshes when a backlog tool call finishes (``changed``) and when
the file changes on disk (an agent in another process marking features passing), found by
comparing the reader's cheap signature twice a second. Once built it stays current while hidden
too, reading only when the file changed: F4 then draws what is already read, in one frame,
instead of waiting for a read (35 ms at 10,000 features) first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist
from textual.worker import Worker, get_current_worker

from tui.models import BacklogSection, BacklogView
from tui.text import inert
from tui.widgets.feature_list import FeatureList, drawn_as, row_key
from tui.widgets.kept_switcher import Card

POLL_S = 0.5  # how often the file's signature is compared while the pane is shown
FRESH_WAIT_S = 0.1  # F4 waits this long at most for a read before showing what it has
BAR = 30  # characters of the progress bar


class BacklogSource(Protocol):
    """Where the pane's data comes from; both calls block (``read`` runs in a thread)."""

    def read(self, keep: int | None = None) -> BacklogView:
        """Everything the pane shows (``keep`` listed even beyond a section's cut); failures
        come back as ``BacklogView.error``."""
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
    if stats.get("needs_human_input"):
        bar.append(f"\n{stats['needs_human_input']} waiting for you", style="bold magenta")
    bar.append(f"\nfrom {inert(str(stats.get('path') or '?'))}", style="dim")  # the file in use
    return bar


def _label(feature: dict[str, Any]) -> Text:
    """A feature's row: id, name and category, and for a blocked one what it waits on."""
    label = Text(inert(f"#{feature['id']} "), style="bold")
    label.append(inert(str(feature["name"])))
    label.append(f"  {inert(str(feature['category']))}", style="dim")
    if "blocked_by" in feature:
        waiting = inert(", ".join(f"#{i}" for i in feature["blocked_by"]))
        label.append(f"\n  waits on {waiting}", style="yellow")
    return label


def _heading(section: BacklogSection) -> Option:
    return Option(Text(f"{section.title} ({section.total})", style="bold"), disabled=True)


def _section(section: BacklogSection) -> Iterator[Option]:
    yield _heading(section)
    yield from _rows(section)


def _reused(old: Sequence[Option], new: list[Option]) -> list[Option]:
    """``new``, with each row drawn exactly as an old one replaced by that old Option."""
    spare: dict[Hashable, list[Option]] = {}
    for option in old:
        spare.setdefault(row_key(option), []).append(option)
    reused = []
    for option in new:
        same = spare.get(row_key(option))
        reused.append(same.pop(0) if same else option)
    return reused


def _rows(section: BacklogSection) -> Iterator[Option]:
    """A section's rows; a feature kept from beyond the cut comes after a "more" line."""
    listed = len(section.features) - section.kept
    for feature in section.features[:listed]:
        yield Option(_label(feature), id=str(feature["id"]))
    if section.total > listed:
        yield Option(Text(f"  … {section.total - listed:,} more", style="dim"), disabled=True)
    for feature in section.features[listed:]:
        yield Option(_label(feature), id=str(feature["id"]))


def packed(phrases: Sequence[str], width: int, joint: str = " · ") -> str:
    """Phrases joined on lines of at most ``width`` cells, broken only between phrases:
    "Waiting for you" never ends a line without its count."""
    lines: list[str] = []
    for phrase in phrases:
        if lines and len(lines[-1]) + len(joint) + len(phrase) <= width:
            lines[-1] += joint + phrase
        else:
            lines.append(phrase)
    return "\n".join(lines)


class Counts(Static):
    """Each section's count on one line, or wrapped between counts when the pane is narrow."""

    phrases: reactive[list[str]] = reactive(list, layout=True)

    def render(self) -> Text:
        return Text(packed(self.phrases, max(1, self.content_region.width)), style="dim")


Action = Literal[
    "create", "edit", "skip", "fail", "add_dependency", "remove_dependency", "delete", "answer"
]


class BacklogPane(Card, Vertical):
    """Progress, then every feature by status (ready in the queue's order, in progress, waiting
    for you, blocked with what blocks each, passing); keys act on the highlighted feature."""

    @dataclass
    class FeatureChosen(Message):
        """Enter on a feature: the screen opens its details (a view pushes no screen that
        reads files)."""

        feature_id: int

    @dataclass
    class Asked(Message):
        """A key asked for a change: the screen asks for what it needs (a form, a
        confirmation) and makes it through the backlog code, off the UI loop."""

        action: Action
        feature: dict[str, Any] | None  # the highlighted feature as listed (None: create)

    KEYS = [
        Binding("enter", "", "Details; on a feature waiting for you, the answer form", show=False)
    ]
    # Declared once: the key bar shows them while the pane has focus, help lists them. The user's
    # own keystroke is the consent: no dialog asks again as for the model's writes.
    BINDINGS = [
        Binding("n", "ask('create')", "New"),
        Binding("e", "ask('edit')", "Edit"),
        Binding("s", "ask('skip')", "Skip"),
        Binding("f", "ask('fail')", "Mark failing"),
        Binding("a", "ask('add_dependency')", "Add dependency", show=False),
        Binding("x", "ask('remove_dependency')", "Remove dependency", show=False),
        Binding("delete,d", "ask('delete')", "Delete", show=False),
    ]

    def __init__(self, source: BacklogSource, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.view = BacklogView()
        self.seen: object = None  # the file's signature as last read
        self.stale = True  # a change was announced and is not read yet
        self.keep: int | None = None  # a feature to highlight at the next read (just created)
        self.reading: Worker[None] | None = None  # the latest read, while it runs
        self.arrived = asyncio.Event()  # set by each read shown (``fresh`` waits for one)
        self._progress: Hashable = None  # what the progress line shows

    def compose(self) -> ComposeResult:
        yield Label("Backlog", classes="backlog-title")
        yield Static("Reading…", id="backlog-progress")
        yield Counts(id="backlog-counts")
        yield Static("", id="backlog-said")
        yield FeatureList(id="backlog-list")

    def on_mount(self) -> None:
        self.set_interval(POLL_S, self._poll)

    def changed(self, keep: int | None = None) -> None:
        """The backlog may have changed (a backlog call finished, or the user's own change):
        read it now, shown or not; ``keep``: the feature to highlight then."""
        self.stale = True
        if keep is not None:
            self.keep = keep
        self.reload()

    def shown(self) -> None:
        """The pane was made visible: read the backlog if it may have changed meanwhile (a read
        on its way, e.g. ``fresh``'s, will show what it read)."""
        if self.reading_now():
            return
        if self.stale or self.source.signature() != self.seen:
            self.reload()

    async def fresh(self, wait: float = FRESH_WAIT_S) -> None:
        """Before being shown: read the backlog if it may have changed, waiting for the read up
        to ``wait`` seconds. The pane is then drawn once, with what the file holds, instead of
        twice (stale, then again when the read lands): a frame costs tens of milliseconds,
        more than reading 10,000 features. The wait holds no thread and no lock: the loop runs
        on, and keys pressed meanwhile are handled after it."""
        if not self.stale and self.source.signature() == self.seen:
            return
        arrived = self.arrived = asyncio.Event()
        self.reload()
        with suppress(TimeoutError):
            await asyncio.wait_for(arrived.wait(), wait)

    def read_elsewhere(self, view: BacklogView, signature: object, keep: int | None) -> None:
        """Show a read made after a change of the user's (in the thread that wrote), ``keep``
        highlighted; a read of the pane's own on its way is older, and is dropped."""
        self.workers.cancel_group(self, "backlog")
        self.keep = keep
        self._show(view, signature)

    def say(self, sentence: str, error: bool = False) -> None:
        """One sentence under the progress: what a change did, or why it was refused."""
        style = "red" if error else "green"
        self.query_one("#backlog-said", Static).update(Text(inert(sentence), style=style))

    def _poll(self) -> None:
        """Read again if the file changed, unless a read is on its way: it would be cancelled
        and its result dropped, and at 10,000 features on a busy machine a read can outlast
        the interval, so polls that cancel would never let one finish."""
        if not self.reading_now() and self.source.signature() != self.seen:
            self.reload()

    def reading_now(self) -> bool:
        """A read is on its way (its result not shown yet)."""
        return self.reading is not None and not self.reading.is_finished

    def reload(self) -> None:
        """Read the backlog in a thread and show it (a newer read cancels an older one)."""
        self.reading = self._read(self.keep or self.current_id())

    @work(thread=True, exclusive=True, group="backlog", exit_on_error=False)
    def _read(self, keep: int | None) -> None:
        signature = self.source.signature()
        view = self.source.read(keep)
        if not get_current_worker().is_cancelled:  # a newer read is on its way
            self.app.call_from_thread(self._show, view, signature)

    def current_id(self) -> int | None:
        """The highlighted feature's id; None before the list is composed (a backlog call can
        finish between the pane's creation and its mount)."""
        found_list = self.query("#backlog-list")
        if not found_list:
            return None
        listing = found_list.first(OptionList)
        at = listing.highlighted
        found = listing.get_option_at_index(at).id if at is not None else None
        return int(found) if found is not None else None

    def current(self) -> dict[str, Any] | None:
        """The highlighted feature as listed, with the section it is in (``status``)."""
        wanted = self.current_id()
        for section in self.view.sections:
            for feature in section.features:
                if feature["id"] == wanted:
                    return feature
        return None

    def _show(self, view: BacklogView, signature: object) -> None:
        self.view, self.seen, self.stale = view, signature, False
        self.arrived.set()
        if view.error is not None:
            said = Text(inert(view.error), style="red")
        elif view.path is None:
            said = Text("No backlog yet: press n to create a feature, or ask the assistant.")
        else:
            said = progress(view.stats)
        drawn = drawn_as(said)
        if drawn != self._progress:  # an update lays the pane out again, even when unchanged
            self._progress = drawn
            self.query_one("#backlog-progress", Static).update(said)
        counts = [f"{s.title} {s.total}" for s in view.sections]
        self.query_one("#backlog-counts", Counts).phrases = counts
        self._fill(view)

    def _fill(self, view: BacklogView) -> None:
        """Replace the rows, keeping the highlighted feature (or the one just made) in sight.

        A row drawn the same as before keeps its Option (Textual caches its measured text on
        it), and an unchanged list is left alone: re-measuring ~200 rows at every refresh made
        a refresh cost tens of milliseconds on the UI loop."""
        listing = self.query_one("#backlog-list", OptionList)
        kept = str(self.keep or self.current_id())
        self.keep = None
        options = _reused(listing.options, [o for s in view.sections for o in _section(s)])
        if options == list(listing.options):
            if kept != str(self.current_id()):
                self._highlight(listing, kept)
            return
        listing.set_options(options)
        self._highlight(listing, kept)

    def _highlight(self, listing: OptionList, kept: str) -> None:
        index: int | None
        try:
            index = listing.get_option_index(kept)
        except OptionDoesNotExist:
            index = next((i for i, o in enumerate(listing.options) if not o.disabled), None)
        if index is not None:  # Enter always has a feature to open
            listing.highlighted = index
            self.call_after_refresh(listing.scroll_to_highlight)  # once the new rows are laid out

    def action_ask(self, action: Action) -> None:
        feature = self.current()
        if action != "create" and feature is None:
            self.say("Highlight a feature first (↑ ↓), then press the key again.", error=True)
            return
        self.post_message(self.Asked(action, feature))

    @on(OptionList.OptionSelected)
    def open_details(self, event: OptionList.OptionSelected) -> None:
        feature = self.current()
        if feature is not None and feature["status"] == "needs_human_input":
            self.post_message(self.Asked("answer", feature))
        elif event.option.id is not None:
            self.post_message(self.FeatureChosen(int(event.option.id)))
