"""Which stretch of one conversation is on screen, and the next page to read either way.

A conversation can hold thousands of messages; the chat shows a window of them and reads more
as the user scrolls. The window is plain data over the store (no Textual), so the screen only
asks for a page and mounts it, and the paging rules are tested without an app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.models import Message
    from tui.storage import Store

PAGE = 20  # messages mounted when a conversation opens; older ones on scrolling up
OLDER_PAGE = 10  # messages added per step when scrolling: each step stays one short frame
FOUND_CONTEXT = 5  # messages shown above one opened from search


class MessageWindow:
    """The messages of one conversation from ``oldest_id`` down to the newest (or to
    ``newer_from`` when the window was opened in the middle, from search)."""

    def __init__(self, store: Store, conversation_id: int) -> None:
        self.store = store
        self.conversation_id = conversation_id
        self.oldest_id: int | None = None  # None: nothing above it
        self.newer_from: int | None = None  # the last message shown when newer ones are not

    @property
    def more_below(self) -> bool:
        """Newer messages exist that are not in the window (they load on scrolling down)."""
        return self.newer_from is not None

    async def first(self) -> list[Message]:
        """The newest page: what opening a conversation shows."""
        messages = await self.store.message_page(self.conversation_id, limit=PAGE)
        self.oldest_id = messages[0].id if messages else None
        self.newer_from = None
        return messages

    async def around(self, found: int) -> list[Message]:
        """A few messages above ``found`` and a page from it down."""
        above = await self.store.message_page(
            self.conversation_id, before_id=found, limit=FOUND_CONTEXT
        )
        below = await self.store.message_page_after(self.conversation_id, found - 1, PAGE + 1)
        messages = above + below[:PAGE]
        self.oldest_id = messages[0].id if messages else None
        self.newer_from = below[PAGE - 1].id if len(below) > PAGE else None
        return messages

    async def older(self) -> list[Message]:
        """The page above the window (none once the first message is shown)."""
        if self.oldest_id is None:
            return []
        older = await self.store.message_page(
            self.conversation_id, before_id=self.oldest_id, limit=OLDER_PAGE
        )
        self.oldest_id = older[0].id if older else None
        return older

    async def newer(self) -> list[Message]:
        """The page below the window, when it was opened in the middle."""
        if self.newer_from is None:
            return []
        newer = await self.store.message_page_after(
            self.conversation_id, self.newer_from, limit=OLDER_PAGE + 1
        )
        self.newer_from = newer[OLDER_PAGE - 1].id if len(newer) > OLDER_PAGE else None
        return newer[:OLDER_PAGE]
