"""What the prompt remembers, for the main screen: the project's questions (Up, the history
search) and each conversation's draft, read from and written to the store off the UI loop.

The screen calls in at a few points (a conversation opened or left, the text changed, a question
sent, the app quitting); the rules of walking the questions are in ``tui.prompt_history``.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from tui.storage import StoreError
from tui.storage.state_keys import draft
from tui.widgets.history_search import HistorySearchBar
from tui.widgets.prompt_input import PromptInput

if TYPE_CHECKING:
    from textual.timer import Timer

    from tui.models import Conversation
    from tui.screens.main import MainScreen

DRAFT_DELAY = 1.0  # seconds: a draft is written at most this often while typing, and this late
# After the history file refused a write (locked, full), drafts wait this long before the next
# try: a write waiting for a lock holds the one connection, and every read behind it waits too.
COOL_OFF = 10.0


class PromptMemory:
    """The drafts as the store holds them, and the one pending write while the user types."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.key: str | None = None  # the draft key of what is on screen; None before it opens
        self.stored: dict[str, str] = {}  # draft key -> the text kept for it ("" none)
        self.dirty: set[str] = set()  # keys whose draft changed since it was last written
        self.quiet_until = 0.0  # monotonic time before which no draft is written (COOL_OFF)
        self.timer: Timer | None = None
        self.writing = asyncio.Lock()
        self._prompt: PromptInput | None = None

    @property
    def prompt(self) -> PromptInput:
        """The screen's prompt, held once found: on quitting it is unmounted before the
        screen is, and its text is still what to keep."""
        if self._prompt is None:
            self._prompt = self.screen.query_one(PromptInput)
        return self._prompt

    # -- the questions ------------------------------------------------------------------------

    async def load_questions(self) -> None:
        """The project's questions from the store, for Up and the history search."""
        try:
            services = await self.screen.services()
            found = await services.store.questions_asked(services.settings.project)
        except StoreError:
            return  # the launch says why the history cannot be read, once
        self.prompt.questions.replace(found)

    def reload_questions(self) -> None:
        """Read them again (a conversation was deleted or restored), off the UI loop."""
        self.screen.run_worker(
            self.load_questions(), group="questions", exclusive=True, exit_on_error=False
        )

    def search(self) -> None:
        """The history search key: open the search, or, when open, go to the next older match."""
        bar = self.screen.query_one(HistorySearchBar)
        if bar.is_open:
            bar.action_older()
        else:
            bar.open(self.prompt.questions.entries)

    def take(self, index: int) -> None:
        """A search's pick goes into the prompt, as if walked to (Down leads back to the draft)."""
        self.prompt.take(index)
        self.prompt.focus()

    def sent(self, question: str) -> None:
        """A question went out: it is the newest in the history, and its draft is done."""
        self.prompt.questions.add(question)
        if self.key is not None:
            self._keep(self.key, "")
            self._schedule()

    # -- the drafts ---------------------------------------------------------------------------

    def key_of(self, conversation: Conversation | None) -> str:
        project = self.screen.host.settings.project
        return draft(project, conversation.id if conversation else None)

    def leave(self) -> None:
        """The conversation on screen is being left: its draft is kept (written off the loop)."""
        if self.key is not None:
            self._keep(self.key, self.prompt.draft())
            self._schedule()

    async def fetch(self, conversation: Conversation | None) -> None:
        """Read the draft of ``conversation`` from the store unless it is held already, so that
        ``enter`` shows it without a wait (the screen reads it with the rest of an opening)."""
        key = self.key_of(conversation)
        if key not in self.stored:
            kept = await (await self.screen.services()).store.state_get(key) or ""
            self.stored.setdefault(key, kept)

    async def enter(self, conversation: Conversation | None) -> None:
        """Show the draft of the conversation now on screen (from memory, else the store)."""
        key = self.key_of(conversation)
        await self.fetch(conversation)  # read with the opening's other reads, or now
        kept = self.stored[key]
        # From here on nothing waits: the key and the text change together, so a draft write
        # due meanwhile never files one conversation's text under another's key.
        first, self.key = self.key is None, key
        prompt = self.prompt
        typed = prompt.text if first else ""  # typed during the launch: nothing typed is lost
        prompt.questions.reset()
        prompt.load_text(_joined(kept, typed))
        prompt.move_cursor(prompt.document.end)
        if typed.strip():
            self.changed()

    def stored_as(self, conversation: Conversation) -> None:
        """The new chat's first question was stored: its draft belongs to the conversation."""
        old, self.key = self.key, self.key_of(conversation)
        if old is not None and old != self.key:
            self._keep(old, "")
        self._keep(self.key, self.prompt.draft())
        self._schedule()

    def changed(self) -> None:
        """The prompt's text changed: its draft is written within a second, not on every key."""
        if self.key is not None:
            self._schedule()

    def _schedule(self) -> None:
        if self.timer is None:
            self.timer = self.screen.set_timer(DRAFT_DELAY, self._due)

    def _keep(self, key: str, text: str) -> None:
        """Keep ``text`` as the draft of ``key`` now, and on disk with the next write."""
        if self.stored.get(key, "") != text:
            self.stored[key] = text
            self.dirty.add(key)

    def store_failing(self) -> None:
        """The history file just refused a write: drafts wait before trying it again."""
        self.quiet_until = time.monotonic() + COOL_OFF

    def _due(self) -> None:
        """Once a second at most: every draft changed since the last write, in one worker."""
        self.timer = None
        if self.key is not None:
            self._keep(self.key, self.prompt.draft())
        wait = self.quiet_until - time.monotonic()
        if wait > 0 and self.dirty:
            self.timer = self.screen.set_timer(wait, self._due)
        elif self.dirty:
            self.screen.run_worker(self._write(), group="drafts", exit_on_error=False)

    async def flush(self) -> None:
        """The app is quitting: what the drafts are now is written, the store still open."""
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        if self.key is not None:
            self._keep(self.key, self.prompt.draft())
        await self._write()

    async def _write(self) -> None:
        """Write every changed draft as it is now (the latest text, whichever write runs).

        Best effort, as every remembered UI fact: a read-only, locked or full history file
        must not stop the user typing. A draft that could not be written stays in memory for
        this run and is tried again with the next change.
        """
        try:
            store = (await self.screen.services()).store
        except StoreError:
            return  # no history file to write to: the launch said why
        async with self.writing:
            while self.dirty and not store.read_only:
                key = self.dirty.pop()
                text = self.stored.get(key, "")
                try:
                    if text.strip():
                        await store.state_set(key, text)
                    else:
                        await store.state_delete(key)
                except StoreError:
                    self.dirty.add(key)
                    self.store_failing()  # locked or full: tried again after the cool-off
                    return


def _joined(kept: str, typed: str) -> str:
    """The stored draft and what was typed before it was read, neither lost nor doubled."""
    if not typed.strip() or typed == kept:
        return kept
    return f"{kept}\n{typed}" if kept.strip() else typed
