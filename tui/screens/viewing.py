"""The main screen's side of the code viewer: finding an answer's references, opening one.

Why the look-up runs in a thread and is kept per answer text: deciding a reference is the
model's Read decision (tui.references.refusal), which lstats every component and reads up to
1 MiB of the file for credentials; an answer citing twenty files could hold the UI for tens of
milliseconds, so it never runs on the event loop. A settled text is the key: a past answer, a
frozen segment of a streaming one, the tail once the answer ends (the live tail is never
scanned, so streaming pays nothing). The same text shown again (back to a conversation, older
messages loaded) takes its references from the cache without touching a file. A file that
changed since is caught when it is opened: the viewer decides it again before reading.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from tui.models import ToolStatus
from tui.references import Reference, lines_read, resolve, search_hits
from tui.services import Host
from tui.storage import StoreError
from tui.toast import toast
from tui.viewed_file import NotViewable, ViewedFile, read_for_viewer
from tui.widgets.markdown_block import MarkdownBlock

if TYPE_CHECKING:
    from tui.agent.guard import Guard
    from tui.screens.viewer import Opened

CACHED_TEXTS = 512  # answer texts whose references are kept


class Viewing:
    """References looked up for the chat's blocks, and the viewer opened on one."""

    def __init__(self, screen: Screen[None]) -> None:
        self.screen = screen
        self.cache: OrderedDict[str, list[Reference]] = OrderedDict()
        self._waiting: dict[str, list[MarkdownBlock]] = {}
        self._scheduled = False
        self._guard: Guard | None = None

    def guard(self) -> Guard:
        """The model's rules for this project (loaded on first use, off the first screen)."""
        if self._guard is None:
            from tui.agent.guard import Guard

            settings = cast(Host, self.screen.app).settings
            self._guard = Guard(
                settings.project, allow_secrets=settings.allow_secrets, spellings=settings.spellings
            )
        return self._guard

    def scan(self, block: MarkdownBlock) -> None:
        """Give a settled block its references: from the cache, or looked up in a thread
        (the blocks of a conversation opened together are looked up in one go)."""
        text = block.markdown
        if not text.strip():
            return
        if text in self.cache:
            self.cache.move_to_end(text)
            block.set_references(text, self.cache[text])
            return
        self._waiting.setdefault(text, []).append(block)
        if not self._scheduled:
            self._scheduled = True
            self.screen.call_later(self._start)

    def _start(self) -> None:
        self._scheduled = False
        batch, self._waiting = self._waiting, {}
        if batch:
            self.screen.run_worker(self._look_up(batch), group="references", exit_on_error=False)

    async def _look_up(self, batch: dict[str, list[MarkdownBlock]]) -> None:
        guard = self.guard()
        texts = list(batch)
        found = await asyncio.to_thread(lambda: [resolve(text, guard) for text in texts])
        for text, references in zip(texts, found, strict=True):
            self.cache[text] = references
            for block in batch[text]:
                block.set_references(text, references)
        while len(self.cache) > CACHED_TEXTS:
            self.cache.popitem(last=False)

    def open(self, reference: Reference, siblings: list[Reference] | None = None) -> None:
        """Open the viewer at a reference, or say in one sentence why it cannot be;
        ``siblings`` are its answer's references, which ] and [ go through."""
        self.screen.run_worker(
            self._open(reference, siblings or [reference]),
            group="viewer",
            exclusive=True,
            exit_on_error=False,
        )

    def open_found(self, result: str) -> None:
        """Open the files a search's result names (``path:line:`` lines, or paths), the first
        one at once and the others one ] away; those the guard refuses are left out."""
        self.screen.run_worker(
            self._open_found(result), group="viewer", exclusive=True, exit_on_error=False
        )

    async def _open_found(self, result: str) -> None:
        guard = self.guard()
        found = await asyncio.to_thread(search_hits, result, guard)
        if not found:
            toast(self.screen, "No file this search found can be opened.", severity="warning")
            return
        await self._open(found[0], found)

    async def _open(self, reference: Reference, siblings: list[Reference]) -> None:
        from tui.screens.viewer import ViewerScreen

        try:
            opened = await self.opened(reference)
        except NotViewable as refused:
            toast(self.screen, str(refused), severity="warning", timeout=8)
            return
        index = next((i for i, r in enumerate(siblings) if r is reference), 0)
        viewer = ViewerScreen(opened, siblings, index, self.opened)
        await self.screen.app.push_screen(viewer)

    async def opened(self, reference: Reference) -> Opened:
        """The file of a reference read (in a thread, through the boundary), with the lines
        the assistant read of it in this conversation; raises NotViewable."""
        from tui.screens.viewer import Opened

        guard = self.guard()
        path = reference.relative or reference.path
        viewed: ViewedFile = await asyncio.to_thread(read_for_viewer, path, guard)
        read = lines_read(await self._read_calls(), viewed.relative, guard.roots)
        return Opened(viewed, reference.first, reference.last, tuple(read))

    async def _read_calls(self) -> list[dict[str, object]]:
        """The inputs of the open conversation's Read calls that succeeded, from the store."""
        conversation = getattr(self.screen, "conversation", None)
        if conversation is None or conversation.id is None:
            return []
        store = (await cast(Host, self.screen.app).open_services()).store
        try:
            events = await store.tool_event_list(conversation.id)
        except StoreError:
            return []  # the gutter is a help, not a reason to refuse the file
        return [dict(e.input) for e in events if e.name == "Read" and e.status is ToolStatus.OK]
