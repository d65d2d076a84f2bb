"""The search screen: every conversation's messages and titles, answered while the user types.

Each keystroke starts an exclusive worker, which cancels the one before it, and an answer is
shown only if its query is still the one wanted: an older, slower query never replaces the
results of a newer one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.worker import Worker, WorkerState

from tui.models import SearchHit
from tui.services import Host
from tui.storage import StoreError
from tui.text import inert
from tui.widgets.inert_input import InertInput
from tui.widgets.search_results import SearchResults

PAGE = 30  # hits asked for at a time (a screenful); the next page when the cursor nears the end
KEYS = "↑↓ choose · Enter opens · F3 switches the scope · Esc closes"
HINT = "Every word must match; the last one may be the start of a word.  " + KEYS


@dataclass(frozen=True)
class Query:
    """What the user asked for; compared by identity, so each keystroke is a new query."""

    text: str
    all_projects: bool
    offset: int = 0


class SearchScreen(ModalScreen[SearchHit | None]):
    """A query box, the scope, the hits grouped by conversation, and a status line."""

    # Up and down move over the hits while the cursor stays in the query box.
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f3", "toggle_scope", "This project / all projects", priority=True),
        Binding("down", "move('cursor_down')", "Next hit", show=False, priority=True),
        Binding("up", "move('cursor_up')", "Previous hit", show=False, priority=True),
        Binding("pagedown", "move('page_down')", show=False, priority=True),
        Binding("pageup", "move('page_up')", show=False, priority=True),
    ]
    KEYS = [Binding("enter", "", "Open it at that message")]  # no binding

    def __init__(self, project: Path, all_projects: bool = False) -> None:
        super().__init__()
        self.project = project
        self.wanted = Query("", all_projects)
        self.answered: Query | None = None  # the query whose hits are on screen
        self.found: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-panel") as panel:
            panel.border_title = "Search conversations"
            yield InertInput(placeholder="Words to find in every message and title", id="query")
            yield Static(id="search-scope")
            yield SearchResults(id="search-results")
            yield Static(HINT, id="search-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.show_scope()

    # -- asking -------------------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def typed(self, event: Input.Changed) -> None:
        self.ask(Query(event.value, self.wanted.all_projects))

    def ask(self, query: Query) -> None:
        """Make ``query`` the one wanted; an empty one shows the hint without asking the store."""
        self.wanted = query
        if query.text.strip():
            self.run_query(query)
            return
        self.found = []
        self.query_one(SearchResults).show([], more=False)
        self.status(HINT)
        self.answered = query

    @work(exclusive=True, group="search", exit_on_error=False)
    async def run_query(self, query: Query) -> None:
        host = cast(Host, self.app)  # the store is opened by the app, after the first paint
        store = (await host.open_services()).store
        scope = None if query.all_projects else self.project
        try:
            hits = await store.search(query.text, scope, limit=PAGE + 1, offset=query.offset)
        except StoreError as error:
            if query is self.wanted:
                self.status(str(error))
            return
        if query is self.wanted:  # else a newer query was typed while this one ran
            self.show(query, hits)

    def show(self, query: Query, hits: list[SearchHit]) -> None:
        more = len(hits) > PAGE
        self.answered = query
        self.found = (self.found if query.offset else []) + hits[:PAGE]
        results = self.query_one(SearchResults)
        results.show_project = query.all_projects
        results.show(self.found, more)
        if not self.found:
            where = "in any project." if query.all_projects else "in this project (F3: all)."
            self.status(f'No matches for "{inert(query.text.strip())}" {where}')
            return
        count = f"{len(self.found)}{'+' if more else ''}"
        noun = "match" if count == "1" else "matches"
        places = "conversation" if results.conversations == 1 else "conversations"
        self.status(f"{count} {noun} in {results.conversations} {places}.  {KEYS}")

    @on(SearchResults.NearEnd)
    def next_page(self) -> None:
        self.ask(replace(self.wanted, offset=len(self.found)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A search that failed unexpectedly says so in one sentence; the screen stays usable."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            self.status(f"The search failed ({type(error).__name__}: {error}); try other words.")

    # -- showing and choosing -----------------------------------------------------------------

    def status(self, text: str) -> None:
        """The status line, plain: it may quote the query or a store error."""
        self.query_one("#search-status", Static).update(Text(inert(text)))

    def show_scope(self) -> None:
        scope = Text("Searching ")
        if self.wanted.all_projects:
            scope.append("all projects", style="bold")
            scope.append("  (F3: only this project)", style="dim")
        else:
            scope.append(f"this project ({inert(self.project.name)})", style="bold")
            scope.append("  (F3: all projects)", style="dim")
        self.query_one("#search-scope", Static).update(scope)

    def action_toggle_scope(self) -> None:
        self.ask(Query(self.wanted.text, not self.wanted.all_projects))
        self.show_scope()

    @on(events.Click, "#search-scope")
    def scope_clicked(self) -> None:
        self.action_toggle_scope()

    def action_move(self, how: str) -> None:
        getattr(self.query_one(SearchResults), f"action_{how}")()

    @on(Input.Submitted, "#query")
    def submitted(self) -> None:
        self.choose(self.query_one(SearchResults).current)

    @on(OptionList.OptionSelected, "#search-results")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(self.query_one(SearchResults).hits[event.option_index])

    def choose(self, hit: SearchHit | None) -> None:
        if hit is not None:
            self.dismiss(hit)

    def action_close(self) -> None:
        self.dismiss(None)
