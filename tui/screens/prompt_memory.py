"""What the prompt remembers, for the main screen: the project's questions (Up, the history
search) and each conversation's draft, read from and written to the store off the UI loop.

The screen calls in at a few points (a conversation opened or left, the text changed, a question
sent, the app quitting); the rules of walking the questions are in ``tui.prompt_history``.
"""

from __future__ import annotations

import asyncio
import contextlib
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


class PromptMemory:
    """The drafts as the store holds them, and the one pending write while the user types."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.key: str | None = None  # the draft key of what is on screen; None before it opens
        self.stored: dict[str, str] = {}  # draft key -> the text kept for it ("" none)
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
        services = await self.screen.services()
        found = await services.store.questions_asked(services.settings.project)
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

    # -- the drafts ---------------------------------------------------------------------------

    def key_of(self, conversation: Conversation | None) -> str:
        project = self.screen.host.settings.project
        return draft(project, conversation.id if conversation else None)

    def leave(self) -> None:
        """The conversation on screen is being left: its draft is kept (written off the loop)."""
        if self.key is not None:
            self._keep(self.key, self.prompt.draft())

    async def enter(self, conversation: Conversation | None) -> None:
        """Show the draft of the conversation now on screen (from memory, else the store)."""
        key, first = self.key_of(conversation), self.key is None
        self.key = key
        kept = self.stored.get(key)
        if kept is None:
            kept = await (await self.screen.services()).store.state_get(key) or ""
            self.stored.setdefault(key, kept)
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

    def changed(self) -> None:
        """The prompt's text changed: write the draft within a second, not on every key."""
        if self.key is not None and self.timer is None:
            self.timer = self.screen.set_timer(DRAFT_DELAY, self._due)

    def _due(self) -> None:
        self.timer = None
        if self.key is not None:
            self._keep(self.key, self.prompt.draft())

    def _keep(self, key: str, text: str) -> None:
        if self.stored.get(key, "") != text:
            self.stored[key] = text
            self.screen.run_worker(self._write(key), group="drafts", exit_on_error=False)

    async def flush(self) -> None:
        """The app is quitting: the draft on screen is written now, the store still open."""
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        if self.key is not None and self.stored.get(self.key, "") != self.prompt.draft():
            self.stored[self.key] = self.prompt.draft()
            await self._write(self.key)

    async def _write(self, key: str) -> None:
        """Write what is kept for ``key`` now (the latest text, whichever write runs last).

        Best effort, as every remembered UI fact: a read-only, locked or full history file
        must not stop the user typing; the draft stays in memory for this run.
        """
        store = (await self.screen.services()).store
        if store.read_only:
            return
        async with self.writing:
            text = self.stored.get(key, "")
            with contextlib.suppress(StoreError):
                if text.strip():
                    await store.state_set(key, text)
                else:
                    await store.state_delete(key)


def _joined(kept: str, typed: str) -> str:
    """The stored draft and what was typed before it was read, neither lost nor doubled."""
    if not typed.strip() or typed == kept:
        return kept
    return f"{kept}\n{typed}" if kept.strip() else typed
