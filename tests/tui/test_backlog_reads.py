"""The pane's reads at size: the file watch never cancels a read on its way, and an unchanged
list keeps its rows. A real backlog file read through the real reader, held mid-read by an
event (a read that outlasts the watch interval, as 10,000 features on a busy machine do)."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import OptionList

from tests.helpers.backlog_db import make_backlog, mark_passing
from tests.helpers.pilot import until
from tui.backlog_reader import BacklogReader
from tui.models import BacklogView
from tui.widgets.backlog_pane import BacklogPane


class HeldReader(BacklogReader):
    """The real reader; a read waits for ``go`` once ``hold`` is set, and is counted."""

    def __init__(self, project: Path) -> None:
        super().__init__(project)
        self.started = 0
        self.hold = False
        self.go = threading.Event()

    def read(self, keep: int | None = None) -> BacklogView:
        self.started += 1
        if self.hold:
            self.go.wait(10)
        return super().read(keep)


class PaneApp(App[None]):
    def __init__(self, reader: BacklogReader) -> None:
        super().__init__()
        self.reader = reader

    def compose(self) -> ComposeResult:
        yield BacklogPane(self.reader)


async def test_the_file_watch_waits_for_a_read_on_its_way(tmp_path: Path) -> None:
    path = make_backlog(tmp_path / "features.db", [{"name": f"F{i}"} for i in range(5)])
    reader = HeldReader(tmp_path)
    app = PaneApp(reader)
    async with app.run_test() as pilot:
        pane = app.query_one(BacklogPane)
        pane.reload()
        await until(pilot, lambda: pane.view.stats.get("total") == 5, "the first read")
        reader.hold, started = True, reader.started
        mark_passing(path, 1)
        pane._poll()  # the watch sees the change: one read, held
        await until(pilot, lambda: reader.started == started + 1, "the held read")
        held = [w for w in app.workers if w.group == "backlog"]
        mark_passing(path, 2)
        pane._poll()  # a poll while it is held must not start (and cancel for) another
        pane._poll()
        assert [w for w in app.workers if w.group == "backlog"] == held
        assert not held[0].is_cancelled
        reader.go.set()
        await until(pilot, lambda: pane.view.stats["passing"] >= 1, "the held read shown")
        pane._poll()  # the second change is read once the first read is shown
        await until(pilot, lambda: pane.view.stats["passing"] == 2, "the second change")


async def test_an_unchanged_list_keeps_its_rows(tmp_path: Path) -> None:
    make_backlog(tmp_path / "features.db", [{"name": f"F{i}"} for i in range(50)])
    app = PaneApp(BacklogReader(tmp_path))
    async with app.run_test() as pilot:
        pane = app.query_one(BacklogPane)
        listing = pane.query_one("#backlog-list", OptionList)
        pane.reload()
        await until(pilot, lambda: listing.option_count > 40, "the rows")
        before, view = list(listing.options), pane.view
        pane.reload()
        await until(pilot, lambda: pane.view is not view, "the second read")
        assert all(a is b for a, b in zip(listing.options, before, strict=True))
