"""The message window over a real history file: which pages the chat is given, either way."""

from __future__ import annotations

from pathlib import Path

from tui.models import Role
from tui.paging import FOUND_CONTEXT, OLDER_PAGE, PAGE, MessageWindow
from tui.storage import Store

COUNT = 57  # not a multiple of any page


async def conversation_of(tmp_path: Path, count: int = COUNT) -> tuple[Store, int, list[int]]:
    store = await Store.open(tmp_path / "history.db")
    conversation, first = await store.conversation_create(tmp_path, "m0")
    ids = [first.id]
    for n in range(1, count):
        role = Role.ASSISTANT if n % 2 else Role.USER
        ids.append((await store.message_add(conversation.id, role, f"m{n}")).id)
    return store, conversation.id, ids


async def test_first_then_older_pages_reach_the_first_message_once(tmp_path: Path) -> None:
    store, conversation_id, ids = await conversation_of(tmp_path)
    window = MessageWindow(store, conversation_id)
    shown = [m.id for m in await window.first()]
    assert shown == ids[-PAGE:] and not window.more_below
    while older := await window.older():
        assert len(older) <= OLDER_PAGE
        shown = [m.id for m in older] + shown
    assert shown == ids  # every message once, in order
    assert window.oldest_id is None and await window.older() == []
    await store.close()


async def test_around_a_found_message_then_newer_pages_reach_the_last(tmp_path: Path) -> None:
    store, conversation_id, ids = await conversation_of(tmp_path)
    found = ids[10]
    window = MessageWindow(store, conversation_id)
    shown = [m.id for m in await window.around(found)]
    assert shown == ids[10 - FOUND_CONTEXT : 10 + PAGE]
    assert window.more_below and window.newer_from == ids[10 + PAGE - 1]
    while window.more_below:
        newer = await window.newer()
        assert 0 < len(newer) <= OLDER_PAGE
        shown += [m.id for m in newer]
    assert shown == ids[10 - FOUND_CONTEXT :]
    assert await window.newer() == []
    older = await window.older()
    assert [m.id for m in older] == ids[: 10 - FOUND_CONTEXT]
    await store.close()


async def test_a_found_message_near_the_end_shows_all_below_it(tmp_path: Path) -> None:
    store, conversation_id, ids = await conversation_of(tmp_path, count=12)
    window = MessageWindow(store, conversation_id)
    shown = [m.id for m in await window.around(ids[3])]
    assert shown == ids and not window.more_below and window.oldest_id == ids[0]
    await store.close()


async def test_an_empty_window_reads_nothing_more(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "history.db")
    window = MessageWindow(store, 12345)
    assert await window.first() == [] and window.oldest_id is None
    assert await window.older() == [] and await window.newer() == []
    await store.close()
