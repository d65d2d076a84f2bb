"""Every Store method against a real SQLite file."""

from __future__ import annotations

import asyncio
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from tui.models import MessageStatus, Role, ToolStatus, TurnUsage
from tui.storage import RESULT_CAP, Store, StoreError


async def test_conversation_exists_only_with_its_first_message(store: Store, project: Path) -> None:
    assert await store.conversation_list(project) == []
    long_first = "  How does\nthe parser handle deeply nested expressions in the config files?"
    conv, first = await store.conversation_create(project, long_first, model="opus")
    assert conv.title == "How does the parser handle deeply nested expressi…"
    assert len(conv.title) == 50
    assert conv.project_path == project.resolve() and conv.project_name == "project"
    assert conv.model == "opus" and conv.message_count == 1
    assert first.role is Role.USER and first.content == long_first
    assert conv.created_at.tzinfo is not None and conv.created_at.utcoffset() == timedelta(0)


async def test_messages_stream_finish_and_page(store: Store, project: Path) -> None:
    conv, _ = await store.conversation_create(project, "question")
    reply = await store.message_add(conv.id, Role.ASSISTANT, "", MessageStatus.STREAMING)
    await store.message_update_text(reply.id, "partial answ")
    streaming = await store.message_get(reply.id)
    assert streaming is not None and streaming.content == "partial answ"
    assert streaming.status is MessageStatus.STREAMING
    usage = TurnUsage(10, 20, 30, 40, 0.0123, 1500)
    await store.message_finish(reply.id, "partial answer.", MessageStatus.COMPLETE, usage)
    done = await store.message_get(reply.id)
    assert done is not None and done.content == "partial answer." and done.usage == usage
    assert done.usage.total_tokens == 100
    for i in range(120):
        await store.message_add(conv.id, Role.USER, f"m{i}")
    newest = await store.message_page(conv.id, limit=50)
    assert [m.content for m in newest] == [f"m{i}" for i in range(70, 120)]
    older = await store.message_page(conv.id, before_id=newest[0].id, limit=50)
    assert [m.content for m in older] == [f"m{i}" for i in range(20, 70)]
    oldest = await store.message_page(conv.id, before_id=older[0].id, limit=50)
    assert [m.content for m in oldest] == ["question", "partial answer."] + [
        f"m{i}" for i in range(20)
    ]
    listed = await store.conversation_get(conv.id)
    assert listed is not None and listed.message_count == 122
    assert listed.updated_at >= conv.updated_at


async def test_error_status_keeps_partial_text(store: Store, project: Path) -> None:
    conv, _ = await store.conversation_create(project, "q")
    reply = await store.message_add(conv.id, Role.ASSISTANT, "", MessageStatus.STREAMING)
    await store.message_finish(reply.id, "half", MessageStatus.ERROR, error="API error 529.")
    got = await store.message_get(reply.id)
    assert got is not None and got.content == "half" and got.error == "API error 529."
    assert got.status is MessageStatus.ERROR and got.usage is None


async def test_listing_orders_filters_and_pages(store: Store, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    made = [(await store.conversation_create(one, f"topic {i}"))[0] for i in range(5)]
    other, _ = await store.conversation_create(two, "topic elsewhere")
    await store.message_add(made[1].id, Role.USER, "bump")  # newest activity
    await store.conversation_pin(made[3].id, True)
    titles = [c.title for c in await store.conversation_list(one)]
    assert titles == ["topic 3", "topic 1", "topic 4", "topic 2", "topic 0"]
    page = await store.conversation_list(one, limit=2, offset=2)
    assert [c.title for c in page] == ["topic 4", "topic 2"]
    assert await store.conversation_count(one) == 5
    assert await store.conversation_count() == 6
    assert [c.title for c in await store.conversation_list(one, title_filter="PIC 4")] == [
        "topic 4"
    ]
    assert await store.conversation_list(one, title_filter="%") == []
    assert [c.id for c in await store.conversation_list(two)] == [other.id]
    assert (await store.conversation_list(one))[0].pinned is True


async def test_rename_archive_trash_restore_purge(store: Store, project: Path) -> None:
    conv, _ = await store.conversation_create(project, "original")
    await store.conversation_rename(conv.id, "  New\nname  ")
    assert (await store.conversation_get(conv.id)).title == "New name"  # type: ignore[union-attr]
    await store.conversation_archive(conv.id, True)
    assert await store.conversation_list(project) == []
    assert len(await store.conversation_list(project, archived=True)) == 1
    await store.conversation_archive(conv.id, False)
    await store.conversation_trash(conv.id)
    assert await store.conversation_list(project) == []
    trashed = await store.conversation_list(project, trashed=True)
    assert [c.id for c in trashed] == [conv.id] and trashed[0].trashed
    # a reply still streaming into a trashed conversation is kept, not dropped
    await store.message_add(conv.id, Role.ASSISTANT, "late reply")
    await store.conversation_restore(conv.id)
    restored = await store.conversation_list(project)
    assert [c.message_count for c in restored] == [2] and not restored[0].trashed
    with pytest.raises(StoreError, match="is not in the trash"):
        await store.conversation_purge(conv.id)
    await store.conversation_trash(conv.id)
    await store.conversation_purge(conv.id)
    assert await store.conversation_get(conv.id) is None
    assert await store.message_page(conv.id) == []
    with pytest.raises(StoreError, match=f"Conversation {conv.id} no longer exists"):
        await store.message_add(conv.id, Role.USER, "hello?")
    with pytest.raises(StoreError, match="no longer exists"):
        await store.conversation_rename(conv.id, "x")


async def test_trash_purge_respects_age(store: Store, project: Path) -> None:
    a, _ = await store.conversation_create(project, "a")
    b, _ = await store.conversation_create(project, "b")
    await store.conversation_trash(a.id)
    await store.conversation_trash(b.id)
    assert await store.trash_purge(older_than=timedelta(days=30)) == 0
    assert await store.trash_purge() == 2
    assert await store.conversation_count(project, trashed=True) == 0


async def test_session_id_and_state(store: Store, project: Path) -> None:
    conv, _ = await store.conversation_create(project, "q", model="m1")
    await store.conversation_set_session(conv.id, "sess-123")
    got = await store.conversation_get(conv.id)
    assert got is not None and got.session_id == "sess-123" and got.model == "m1"
    await store.conversation_set_session(conv.id, None, "m2")
    got = await store.conversation_get(conv.id)
    assert got is not None and got.session_id is None and got.model == "m2"
    assert await store.state_get("last") is None
    await store.state_set("last", "1")
    await store.state_set("last", "2")
    assert await store.state_get("last") == "2"


async def test_tool_events_upsert_cap_and_cascade(store: Store, project: Path) -> None:
    conv, _ = await store.conversation_create(project, "q")
    reply = await store.message_add(conv.id, Role.ASSISTANT, "", MessageStatus.STREAMING)
    await store.tool_event_upsert(
        conv.id, "tu_1", "Read", {"file_path": "a.py"}, message_id=reply.id
    )
    running = await store.tool_event_list(conv.id)
    assert [(e.name, e.status, e.finished_at) for e in running] == [
        ("Read", ToolStatus.RUNNING, None)
    ]
    big = "x" * (RESULT_CAP + 5000)
    finished_at = running[0].started_at + timedelta(seconds=2)
    await store.tool_event_upsert(
        conv.id,
        "tu_1",
        "Read",
        {"file_path": "a.py"},
        message_id=reply.id,
        status=ToolStatus.OK,
        result=big,
        finished_at=finished_at,
    )
    await store.tool_event_upsert(
        conv.id,
        "tu_2",
        "Bash",
        {"command": "rm -rf /"},
        message_id=reply.id,
        status=ToolStatus.DENIED,
        result="Denied: Bash is not allowed.",
        finished_at=finished_at,
    )
    events = await store.tool_event_list(conv.id)
    assert [e.tool_use_id for e in events] == ["tu_1", "tu_2"]
    first, second = events
    assert first.status is ToolStatus.OK and first.message_id == reply.id
    assert len(first.result or "") == RESULT_CAP and first.result_size == RESULT_CAP + 5000
    assert first.truncated and first.duration_s == pytest.approx(2.0)
    assert first.input == {"file_path": "a.py"}
    assert second.is_error and second.status is ToolStatus.DENIED
    assert await store.tool_event_list(conv.id, [reply.id + 99]) == []
    assert len(await store.tool_event_list(conv.id, [reply.id])) == 2
    await store.conversation_trash(conv.id)
    await store.conversation_purge(conv.id)
    assert await store.tool_event_list(conv.id) == []


async def test_times_are_utc_and_survive_a_reopen(db_path: Path, project: Path) -> None:
    store = await Store.open(db_path)
    _, msg = await store.conversation_create(project, "q")
    await store.close()
    again = await Store.open(db_path)
    try:
        got = await again.message_get(msg.id)
    finally:
        await again.close()
    assert got is not None and got.created_at == msg.created_at
    assert got.created_at.tzinfo is not None
    assert got.created_at.astimezone(UTC) == msg.created_at


async def test_two_connections_write_at_once(db_path: Path, project: Path) -> None:
    first, second = await Store.open(db_path), await Store.open(db_path)
    try:
        conv, _ = await first.conversation_create(project, "shared")

        async def writer(store: Store, tag: str) -> None:
            for i in range(60):
                await store.message_add(conv.id, Role.USER, f"{tag}{i}")

        await asyncio.gather(writer(first, "a"), writer(second, "b"), writer(first, "c"))
        messages = await second.message_page(conv.id, limit=500)
    finally:
        await first.close()
        await second.close()
    texts = [m.content for m in messages]
    assert len(texts) == 181
    for tag in "abc":
        mine = [t for t in texts if t.startswith(tag) and t != "shared"]
        assert mine == [f"{tag}{i}" for i in range(60)]


async def test_concurrent_coroutines_on_one_connection(store: Store, project: Path) -> None:
    conv, question = await store.conversation_create(project, "q")
    await asyncio.gather(
        *(store.message_add(conv.id, Role.USER, str(i)) for i in range(50)),
        *(
            store.tool_event_upsert(conv.id, f"t{i}", "Read", {}, message_id=question.id)
            for i in range(50)
        ),
    )
    assert (await store.conversation_get(conv.id)).message_count == 51  # type: ignore[union-attr]
    assert len(await store.tool_event_list(conv.id)) == 50


async def test_orphaned_streaming_replies_become_interrupted(store: Store, project: Path) -> None:
    conv, _ = await store.conversation_create(project, "q")
    stale = await store.message_add(conv.id, Role.ASSISTANT, "", MessageStatus.STREAMING)
    await store.message_update_text(stale.id, "half an answ")
    live = await store.message_add(conv.id, Role.ASSISTANT, "", MessageStatus.STREAMING)
    await store.message_update_text(live.id, "still coming")
    async with store.db.writing() as conn:
        await conn.execute(
            "UPDATE messages SET updated_at = '2020-01-01T00:00:00+00:00' WHERE id = ?",
            (stale.id,),
        )
    assert await store.messages_orphaned() == 1
    after = {m.id: m for m in await store.message_page(conv.id)}
    assert after[stale.id].status is MessageStatus.INTERRUPTED
    assert after[stale.id].content == "half an answ"
    assert after[live.id].status is MessageStatus.STREAMING  # a live writer is left alone


async def test_a_note_before_a_streaming_reply_takes_its_place(store: Store, project: Path) -> None:
    """A compaction mid-answer: the line goes above the reply, which moves to a new id with its
    text, thinking and tool calls; search finds both under their ids; the count is one more."""
    conv, _ = await store.conversation_create(project, "question")
    reply = await store.message_add(conv.id, Role.ASSISTANT, "", MessageStatus.STREAMING)
    await store.message_update_text(reply.id, "halfway through zebras")
    await store.tool_event_upsert(
        conv.id, "tu_1", "Read", {"file_path": "a.py"}, message_id=reply.id
    )
    moved = await store.message_note_before(reply.id, "Context compacted into a summary.")
    assert moved > reply.id
    listed = await store.message_page(conv.id)
    assert [(m.role, m.content) for m in listed] == [
        (Role.USER, "question"),
        (Role.SYSTEM, "Context compacted into a summary."),
        (Role.ASSISTANT, "halfway through zebras"),
    ]
    assert [m.id for m in listed[1:]] == [reply.id, moved]
    assert listed[2].status is MessageStatus.STREAMING
    assert [e.message_id for e in await store.tool_event_list(conv.id)] == [moved]
    assert [h.message_id for h in await store.search("zebras")] == [moved]
    assert [h.message_id for h in await store.search("compacted")] == [reply.id]
    found = await store.conversation_get(conv.id)
    assert found is not None and found.message_count == 3
    with pytest.raises(StoreError, match="no longer exists"):
        await store.message_note_before(999_999, "late")
