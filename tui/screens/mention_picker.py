"""The @ file picker's side of the main screen: the list built in a thread, kept fresh, ranked.

Nothing is walked until the first @ (a user who never mentions a file pays nothing); the walk
runs in a thread and the popup says so meanwhile. Each later opening checks, in a thread, the
stamps of the walked folders (``Walk.stale``) and walks again only when one changed: no timer,
no watcher, so an idle app uses no CPU for it. Ranking runs on the loop, a few milliseconds
per key (bench/mentions.py). The paths mentioned last are kept in the history file's state.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

from tui.mentions.index import Walk, walk
from tui.mentions.note import mention, mentioned_words
from tui.mentions.rank import Listing, Recent
from tui.storage import Store, StoreError, state_keys
from tui.widgets.completions import Completion, Completions
from tui.widgets.prompt_input import Word

LISTING = "Listing the project's files…"
NOTHING = "No file of the project matches."


def build(
    project: Path, allow_secrets: bool, stop: threading.Event | None = None
) -> tuple[Walk, Listing]:
    """Walk the project with the guard's own listing checks and make it searchable (a thread)."""
    from tui.agent.guard import Guard  # the engine's rules, loaded off the first screen's path

    guard = Guard(project, allow_secrets=allow_secrets)
    found = walk(guard.root, guard.may_list, guard.may_list_folder, stop)
    return found, Listing(found.paths)


class MentionPicker:
    """Feeds the popup while the prompt's word starts with @."""

    def __init__(
        self,
        popup: Completions,
        project: Path,
        allow_secrets: bool,
        store: Callable[[], Awaitable[Store]],
    ) -> None:
        self.popup = popup
        self.project, self.allow_secrets = project, allow_secrets
        self._store = store
        self.walk: Walk | None = None
        self.listing: Listing | None = None
        self.known: frozenset[str] = frozenset()
        self.recent: Recent | None = None
        self.word: Word | None = None
        self._checking: asyncio.Task[None] | None = None
        self.stopped = threading.Event()  # set when the screen goes: a walk on its way ends

    def completing(self, word: Word | None) -> None:
        """The prompt's @word changed: show its matches; on opening, make sure the list is
        there and current."""
        opening = self.word is None and word is not None
        self.word = word
        if word is None:
            self.popup.close()
            return
        if opening and (self._checking is None or self._checking.done()):
            self._checking = asyncio.get_running_loop().create_task(self.refresh())
        self.show()

    def show(self) -> None:
        """The matches of the current word, best first."""
        if self.word is None:
            return
        if self.listing is None:
            self.popup.show([], LISTING)
            return
        matches = self.listing.search(self.word.query, self.recent)
        entries = [
            Completion(m.path, mention(m.path), m.positions, keep_open=m.path.endswith("/"))
            for m in matches
        ]
        self.popup.show(entries, NOTHING)

    async def refresh(self) -> None:
        """Walk the project when there is no list yet or a walked folder changed since."""
        if self.recent is None:
            self.recent = Recent(await self._remembered())
        if self.walk is not None and not await asyncio.to_thread(self.walk.stale):
            return
        try:
            found, listing = await asyncio.to_thread(
                build, self.project, self.allow_secrets, self.stopped
            )
        except Exception as error:  # a task's error is seen by nobody: say it in the popup
            if self.word is not None:
                self.popup.show([], f"The project's files could not be listed: {error}.")
            return
        self.walk, self.listing, self.known = found, listing, frozenset(found.paths)
        self.show()

    async def sent(self, text: str) -> None:
        """A question was sent: its mentions of listed paths become the most recent."""
        paths = [word for word in mentioned_words(text) if word in self.known]
        if not paths or self.recent is None:
            return
        self.recent.mentioned(paths)
        store = await self._store()
        if not store.read_only:
            with contextlib.suppress(StoreError):  # best effort: ranking, not the user's words
                await store.state_set(self._key(), json.dumps(self.recent.order))

    async def _remembered(self) -> list[str]:
        with contextlib.suppress(StoreError, ValueError):
            raw = await (await self._store()).state_get(self._key())
            found = json.loads(raw) if raw else []
            return [p for p in found if isinstance(p, str)] if isinstance(found, list) else []
        return []

    def _key(self) -> str:
        return state_keys.mentions(self.project)
