"""Full-text search over messages and titles, kept in step by triggers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.models import Role
from tui.storage import Store, search


async def seed(store: Store, project: Path) -> tuple[int, int]:
    a, _ = await store.conversation_create(project, "Parser questions")
    await store.message_add(a.id, Role.ASSISTANT, "The tokenizer feeds a recursive descent parser.")
    b, _ = await store.conversation_create(project, "Café menu")
    await store.message_add(
        b.id, Role.ASSISTANT, 'He said "naïve façade" twice — ünïcödé 日本語 テスト'
    )
    return a.id, b.id


async def test_words_match_with_prefix_and_snippets(store: Store, project: Path) -> None:
    a, _ = await seed(store, project)
    hits = await store.search("recursive pars")
    assert [(h.conversation_id, h.role) for h in hits] == [(a, Role.ASSISTANT)]
    assert "\x02recursive\x03" in hits[0].snippet and "\x02parser\x03" in hits[0].snippet
    titles = await store.search("parser")
    assert titles[0].message_id is None and titles[0].conversation_title == "Parser questions"


async def test_unicode_diacritics_and_quotes(store: Store, project: Path) -> None:
    _, b = await seed(store, project)
    assert {h.conversation_id for h in await store.search("naive facade")} == {b}
    assert {h.conversation_id for h in await store.search("cafe")} == {b}
    assert {h.conversation_id for h in await store.search("unicode")} == {b}
    assert {h.conversation_id for h in await store.search('"naïve')} == {b}
    assert {h.conversation_id for h in await store.search("日本語")} == {b}
    for hostile in ['"', "AND", "OR NOT", "a:b", "(", "*", "NEAR(x y)", "'; DROP TABLE", "   "]:
        await store.search(hostile)  # never a syntax error
    assert await store.search("") == []


async def test_search_follows_updates_deletes_trash_and_scope(
    store: Store, project: Path, tmp_path: Path
) -> None:
    a, b = await seed(store, project)
    other = tmp_path / "other"
    other.mkdir()
    c, _ = await store.conversation_create(other, "tokenizer elsewhere")
    reply = await store.message_add(a, Role.ASSISTANT, "streaming start")
    await store.message_update_text(reply.id, "streaming zebra")
    assert [h.message_id for h in await store.search("zebra")] == [reply.id]
    assert await store.search("start") == []
    assert {h.conversation_id for h in await store.search("tokenizer")} == {a, c.id}
    assert {h.conversation_id for h in await store.search("tokenizer", project)} == {a}
    await store.conversation_rename(b, "Renamed menu")
    assert [h.conversation_id for h in await store.search("renamed")] == [b]
    await store.conversation_trash(a)
    assert {h.conversation_id for h in await store.search("tokenizer")} == {c.id}
    await store.conversation_purge(a)
    await store.conversation_restore(b)
    assert await store.search("zebra") == []


async def test_scoped_search_finds_rare_hits_behind_many_others(
    store: Store, project: Path, tmp_path: Path
) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    noisy, _ = await store.conversation_create(busy, "noise")
    for i in range(400):
        await store.message_add(noisy.id, Role.ASSISTANT, f"alpha alpha alpha short {i}")
    quiet, _ = await store.conversation_create(project, "quiet")
    rare = [
        await store.message_add(quiet.id, Role.ASSISTANT, "alpha " + "padding words " * 40 + str(i))
        for i in range(3)
    ]
    hits = await store.search("alpha", project)
    assert {h.message_id for h in hits} == {m.id for m in rare}
    page = await store.search("alpha", project, limit=2, offset=1)
    assert len(page) == 2
    assert len(await store.search("alpha", limit=500)) == 403


def index_is_whole(db_path: Path) -> None:
    """FTS5's own check of both indexes against the text they were made from."""
    conn = sqlite3.connect(db_path)
    try:
        for table in ("messages_fts", "titles_fts"):
            conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


async def test_index_stays_whole_through_edits_trash_and_purge(
    store: Store, project: Path, tmp_path: Path, db_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    a, _ = await store.conversation_create(project, "kept here")
    b, _ = await store.conversation_create(other, "purged there")
    reply = await store.message_add(a.id, Role.ASSISTANT, "first draft")
    await store.message_update_text(reply.id, "final wording")
    await store.message_add(b.id, Role.ASSISTANT, "wording gone soon")
    await store.conversation_rename(a.id, "kept and renamed")
    await store.conversation_trash(b.id)
    await store.conversation_purge(b.id)
    c, _ = await store.conversation_create(other, "wording again")
    await store.conversation_trash(c.id)
    assert await store.trash_purge() == 1
    index_is_whole(db_path)
    assert [h.message_id for h in await store.search("wording")] == [reply.id]
    assert [h.conversation_id for h in await store.search("renamed", project)] == [a.id]


async def test_project_scope_is_exact_and_never_matched_as_text(
    store: Store, tmp_path: Path
) -> None:
    paths = [tmp_path / "app", tmp_path / "app-2", tmp_path / "app" / "sub"]
    ids = []
    for path in paths:
        path.mkdir(parents=True)
        conversation, _ = await store.conversation_create(path, "shared words here")
        ids.append(conversation.id)
    for path, conversation_id in zip(paths, ids, strict=True):
        hits = await store.search("shared", path)
        assert {h.conversation_id for h in hits} == {conversation_id}
    token = str(paths[0].resolve()).encode().hex()
    for probe in (token, token[:3], "2f", "project", "content", "title"):
        assert await store.search(probe) == [], probe


async def test_broad_query_ranks_its_newest_window_and_skips_the_trash(
    store: Store, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "WINDOW", 4)
    old, _ = await store.conversation_create(project, "old one")
    best = await store.message_add(old.id, Role.ASSISTANT, "alpha alpha alpha alpha")
    new, _ = await store.conversation_create(project, "new one")
    recent = [
        await store.message_add(new.id, Role.ASSISTANT, f"alpha and words {i}") for i in range(6)
    ]
    hits = await store.search("alpha", limit=3)
    assert [h.message_id for h in hits] == [m.id for m in reversed(recent[-3:])]
    await store.conversation_trash(new.id)  # the whole window is in the trash now
    assert [h.message_id for h in await store.search("alpha", limit=3)] == [best.id]
