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
from tui.mentions.word import Word, word_at
from tui.storage import Store, StoreError, state_keys
from tui.widgets.completions import ROWS, Candidate, Location, Offer

LISTING = "Listing the project's files…"
NOTHING = "No file of the project matches."
TITLE = "Files · Tab inserts · @dir/ narrows"


def build(
    project: Path, allow_secrets: bool, stop: threading.Event | None = None
) -> tuple[Walk, Listing]:
    """Walk the project with the guard's own listing checks and make it searchable (a thread)."""
    from tui.agent.guard import Guard  # the engine's rules, loaded off the first screen's path

    guard = Guard(project, allow_secrets=allow_secrets)
    found = walk(guard.root, guard.may_list, guard.may_list_folder, stop)
    return found, Listing(found.paths)


class MentionPicker:
    """The prompt's completer while the word at the cursor starts with @.

    ``changed`` asks the prompt to offer again: the list arrived (or failed) after the offer
    that said it was on its way."""

    def __init__(
        self,
        project: Path,
        allow_secrets: bool,
        store: Callable[[], Awaitable[Store]],
        changed: Callable[[], None],
    ) -> None:
        self.project, self.allow_secrets = project, allow_secrets
        self._store, self._changed = store, changed
        self.walk: Walk | None = None
        self.listing: Listing | None = None
        self.failed = ""  # the sentence when the files could not be listed
        self.known: frozenset[str] = frozenset()
        self.recent: Recent | None = None
        self.word: Word | None = None
        self._made: tuple[Word, Listing | None, str, Offer] | None = None
        self._checking: asyncio.Task[None] | None = None
        self.stopped = threading.Event()  # set when the screen goes: a walk on its way ends

    def offer(self, text: str, cursor: Location) -> Offer | None:
        """The matches of the @word at the cursor, best first; on opening, make sure the list
        is there and current. The same word and list again give the same offer, unranked (the
        prompt asks after each edit and each cursor move)."""
        row, column = cursor
        word = word_at(_line(text, row), row, column)
        opening = self.word is None and word is not None
        self.word = word
        if word is None:
            return None
        if opening and (self._checking is None or self._checking.done()):
            self._checking = asyncio.get_running_loop().create_task(self.refresh())
        made = self._made
        if made is not None and made[:3] == (word, self.listing, self.failed):
            return made[3]
        offer = self._ranked(word)
        self._made = (word, self.listing, self.failed, offer)
        return offer

    def _ranked(self, word: Word) -> Offer:
        """The word's offer: its matches, or a line saying the list is on its way (or failed);
        at a fixed height, so the chat above does not move as the matches narrow."""
        if self.listing is None:
            return _offer(word, [], self.failed or LISTING)
        found = self.listing.search(word.query, self.recent)
        return _offer(
            word,
            [Candidate(_inserted(m.path), m.path, matched=m.positions) for m in found],
            NOTHING,
        )

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
            self.failed = f"The project's files could not be listed: {error}."
        else:
            self.walk, self.listing, self.known = found, listing, frozenset(found.paths)
            self.failed = ""
        self._changed()

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


def _offer(word: Word, entries: list[Candidate], empty: str) -> Offer:
    start, end = (word.row, word.start), (word.row, word.end)
    return Offer(start, entries, end=end, empty=empty, rows=ROWS, title=TITLE)


def _inserted(path: str) -> str:
    """What a file's entry puts in the prompt: its mention and a space, or a folder's mention
    alone (the picker goes on narrowing inside it)."""
    return mention(path) + ("" if path.endswith("/") else " ")


def _line(text: str, row: int) -> str:
    """Row ``row`` of the prompt's text (most prompts have one)."""
    if row == 0:
        end = text.find("\n")
        return text if end < 0 else text[:end]
    return text.split("\n")[row]
