"""Schema upgrades keep data; files that are not ours, newer or damaged are refused clearly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.helpers.assistant_db import history_counts, make_upstream
from tests.helpers.files import set_read_only
from tui.models import Role, ToolStatus
from tui.storage import Store, StoreError
from tui.storage.database import _split_sql
from tui.storage.importer import import_autocoder
from tui.storage.schema import APPLICATION_ID, LATEST, STEPS


def old_file(path: Path, version: int) -> sqlite3.Connection:
    """A file as schema ``version`` left it, holding conversation 1 and nothing else yet;
    the caller adds its rows, then ``finish`` stamps the version."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    for step in STEPS[:version]:
        for statement in _split_sql(step):
            conn.execute(statement)
    conn.execute(
        "INSERT INTO conversations (id, project_path, project_name, title, created_at, updated_at)"
        " VALUES (1, '/p', 'p', 'old chat', '2025-01-01T10:00:00+00:00',"
        " '2025-01-01T10:05:00+00:00')"
    )
    return conn


def finish(conn: sqlite3.Connection, version: int) -> None:
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def make_version_1(path: Path) -> None:
    """A file as the first release wrote it: core tables only, no FTS, no message counts."""
    conn = old_file(path, 1)
    conn.executemany(
        "INSERT INTO messages (conversation_id, role, content, created_at) VALUES (1, ?, ?, ?)",
        [
            ("user", "where is the lexer", "2025-01-01T10:00:00+00:00"),
            ("assistant", "The lexer lives in lex.py", "2025-01-01T10:05:00+00:00"),
        ],
    )
    finish(conn, 1)


async def test_old_version_upgrades_and_keeps_data(db_path: Path) -> None:
    make_version_1(db_path)
    store = await Store.open(db_path)
    try:
        conv = await store.conversation_get(1)
        hits = await store.search("lexer")
        await store.message_add(1, Role.USER, "thanks")
        after = await store.conversation_get(1)
    finally:
        await store.close()
    assert conv is not None and conv.title == "old chat" and conv.message_count == 2
    assert {h.message_id for h in hits} == {1, 2}
    assert after is not None and after.message_count == 3
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


async def test_newer_database_is_refused_untouched(db_path: Path) -> None:
    make_version_1(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as info:
        await Store.open(db_path)
    assert str(info.value).startswith(
        f"The history database {db_path} was written by a newer assistant-tui "
        f"(schema {LATEST + 1}, this one knows {LATEST}); upgrade assistant-tui or pass --db"
    )
    assert db_path.read_bytes() == before


async def test_not_sqlite_is_refused_and_not_overwritten(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_text("my notes, not a database\n" * 200)
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as info:
        await Store.open(db_path)
    assert str(info.value) == (
        f"{db_path} is not a SQLite database; move it aside or pass --db PATH or set "
        "ASSISTANT_TUI_DB to use another file."
    )
    assert db_path.read_bytes() == before


async def test_another_programs_database_is_refused(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="is a SQLite database of another program"):
        await Store.open(db_path)
    conn = sqlite3.connect(db_path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["invoices"]
    conn.close()


async def test_damaged_pages_give_a_clear_error(db_path: Path, project: Path) -> None:
    store = await Store.open(db_path)
    conv, _ = await store.conversation_create(project, "q")
    for i in range(300):
        await store.message_add(conv.id, Role.ASSISTANT, f"{i} " + "text " * 100)
    await store.close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db_path.read_bytes())
    page = 4096
    for start in range(page * 3, len(data) - page, page * 2):
        data[start : start + page] = b"\xff" * page  # smash every other page past the header
    db_path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as info:
        store = await Store.open(db_path)
        try:
            await store.message_page(conv.id, limit=1000)
            await store.search("text")
        finally:
            await store.close()
    assert str(info.value).startswith(f"The history database {db_path} is damaged")
    assert "move it aside" in str(info.value)


async def test_missing_directory_is_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c" / "history.db"
    store = await Store.open(path)
    await store.close()
    assert path.is_file()


async def test_directory_or_unwritable_place_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "adir").mkdir()
    with pytest.raises(StoreError, match="is a directory, not a database file"):
        await Store.open(tmp_path / "adir")
    locked = tmp_path / "locked"
    locked.mkdir()
    set_read_only(locked, True)
    try:
        with pytest.raises(StoreError) as info:
            await Store.open(locked / "sub" / "history.db")
    finally:
        set_read_only(locked, False)
    assert "cannot be created or opened" in str(info.value)
    assert "pass --db PATH or set ASSISTANT_TUI_DB" in str(info.value)


async def test_read_only_database_is_browsable_but_refuses_writes(
    db_path: Path, project: Path
) -> None:
    store = await Store.open(db_path)
    conv, _ = await store.conversation_create(project, "kept history")
    await store.close()
    set_read_only(db_path, True)
    set_read_only(db_path.parent, True)
    try:
        store = await Store.open(db_path)
        try:
            listed = await store.conversation_list(project)
            with pytest.raises(StoreError) as info:
                await store.message_add(conv.id, Role.USER, "new")
        finally:
            await store.close()
    finally:
        set_read_only(db_path.parent, False)
        set_read_only(db_path, False)
    assert store.read_only and [c.title for c in listed] == ["kept history"]
    assert str(info.value).startswith(
        f"The history database {db_path} is read-only, so this change was not saved"
    )


def make_version_6(path: Path) -> None:
    """A file as schema 6 left it: tool calls unique per conversation and tool_use_id."""
    conn = old_file(path, 6)
    conn.executemany(
        "INSERT INTO messages (id, conversation_id, role, content, created_at)"
        " VALUES (?, 1, ?, ?, '2025-01-01T10:00:00+00:00')",
        [(1, "user", "read it"), (2, "assistant", "Read.")],
    )
    conn.executemany(
        "INSERT INTO tool_events (conversation_id, message_id, tool_use_id, name, input, result,"
        " result_size, status, started_at, finished_at) VALUES (1, ?, ?, 'Read', ?, ?, ?, 'ok',"
        " '2025-01-01T10:00:01+00:00', '2025-01-01T10:00:03+00:00')",
        [
            (2, "toolu_000003", '{"file_path": "a.py"}', "print(1)", 8),
            (None, "toolu_000004", '{"file_path": "gone.py"}', None, 0),  # its reply is gone
        ],
    )
    finish(conn, 6)


async def test_tool_calls_become_their_own_messages_and_keep_data(db_path: Path) -> None:
    """Schema 6 keyed a call by conversation, so a later answer reusing the id took the row of
    an earlier one; after the upgrade each answer keeps its own, and the old rows are intact."""
    make_version_6(db_path)
    store = await Store.open(db_path)
    try:
        kept = await store.tool_event_list(1)
        later = await store.message_add(1, Role.ASSISTANT, "Again.")
        await store.tool_event_upsert(
            1, "toolu_000003", "Glob", {"pattern": "*.py"}, message_id=later.id
        )
        await store.tool_event_upsert(
            1,
            "toolu_000003",
            "",
            {},
            message_id=later.id,
            status=ToolStatus.OK,
            result="b.py",
            decision="allowed",
        )
        both = await store.tool_event_list(1)
    finally:
        await store.close()
    assert [(e.message_id, e.tool_use_id, e.input, e.result, e.decision) for e in kept] == [
        (2, "toolu_000003", {"file_path": "a.py"}, "print(1)", None),
        (None, "toolu_000004", {"file_path": "gone.py"}, None, None),
    ]
    assert kept[0].duration_s == 2.0 and kept[0].status is ToolStatus.OK
    assert [(e.message_id, e.name, e.result, e.decision) for e in both] == [
        (2, "Read", "print(1)", None),
        (None, "Read", None, None),
        (later.id, "Glob", "b.py", "allowed"),
    ]
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def make_version_7_with_imports(path: Path, project: Path, *folders: str) -> None:
    """A file as schema 7 left it after importing make_upstream's file from each folder, keyed
    as that version did: "<the file's path>#<upstream id>#<upstream created_at>"."""
    conn = old_file(path, 7)
    build = [("user", "Explain the build"), ("assistant", "It uses **make**.")]
    question = "What does the importer module in this package do exactly?"
    upstream = [
        (1, "Explain the build", "2025-03-01 09:00:00.000000", build),
        (
            2,
            "What does the importer…",
            "2025-03-02 10:00:00",
            [("user", question), ("system", "odd role")],
        ),
    ]
    for folder in folders:
        file = project / folder / "assistant.db" if folder else project / "assistant.db"
        for upstream_id, title, created, messages in upstream:
            cursor = conn.execute(
                "INSERT INTO conversations (project_path, project_name, title, created_at,"
                " updated_at, source, source_key) VALUES (?, ?, ?, '2025-03-01T09:00:00+00:00',"
                " '2025-03-01T09:01:00+00:00', 'autocoder', ?)",
                (str(project), project.name, title, f"{file}#{upstream_id}#{created}"),
            )
            conn.executemany(
                "INSERT INTO messages (conversation_id, role, content, created_at)"
                " VALUES (?, ?, ?, '2025-03-01T09:00:00+00:00')",
                [(cursor.lastrowid, role, text) for role, text in messages],
            )
    conn.execute(
        "INSERT INTO conversations (project_path, project_name, title, created_at, updated_at,"
        " source, source_key) VALUES ('/elsewhere', 'elsewhere', 'bench', '2025-01-01T00:00:00'"
        "'+00:00', '2025-01-01T00:00:00+00:00', 'bench', '/elsewhere/assistant.db#1#x')"
    )
    finish(conn, 7)


def source_keys(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT source, source_key FROM conversations WHERE source IS NOT NULL ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


async def test_path_keyed_imports_are_rekeyed_so_the_moved_file_adds_nothing(
    db_path: Path, project: Path
) -> None:
    """Schema 7 keyed an import by the file's path; upstream then moved the file into
    .autoforge/. After the upgrade, importing the moved file finds every conversation."""
    project = project.resolve()
    make_version_7_with_imports(db_path, project, "")
    make_upstream(project / ".autoforge" / "assistant.db")
    store = await Store.open(db_path)
    try:
        report = await import_autocoder(store, project)
    finally:
        await store.close()
    assert (report.imported, report.extended, report.skipped) == (0, 0, 2)
    assert history_counts(db_path) == (4, 4)  # old chat, two imports, bench: as before
    assert source_keys(db_path) == [
        ("autocoder", f"1#2025-03-01 09:00:00.000000#{project}"),
        ("autocoder", f"2#2025-03-02 10:00:00#{project}"),
        ("bench", "/elsewhere/assistant.db#1#x"),  # another source: not ours to re-key
    ]


async def test_duplicates_made_by_path_keys_keep_their_data(db_path: Path, project: Path) -> None:
    """Both places imported under schema 7 (the bug): the first copy takes the new key, the
    second keeps its old key and messages, since it may have been continued here."""
    project = project.resolve()
    make_version_7_with_imports(db_path, project, "", ".autoforge")
    make_upstream(project / ".autoforge" / "assistant.db")
    store = await Store.open(db_path)
    try:
        report = await import_autocoder(store, project)
    finally:
        await store.close()
    assert (report.imported, report.skipped) == (0, 2)
    assert history_counts(db_path) == (6, 8)
    assert [key for _, key in source_keys(db_path)][:4] == [
        f"1#2025-03-01 09:00:00.000000#{project}",
        f"2#2025-03-02 10:00:00#{project}",
        f"{project}/.autoforge/assistant.db#1#2025-03-01 09:00:00.000000",
        f"{project}/.autoforge/assistant.db#2#2025-03-02 10:00:00",
    ]


async def test_a_version_9_file_gains_choices_that_start_at_the_defaults(
    db_path: Path, project: Path
) -> None:
    """Step 10: ``model`` kept what the default was (never a choice), the new choice columns
    start empty, so an old conversation follows the configured model; a choice is kept, and
    a branch takes its parent's."""
    conn = old_file(db_path, 9)
    conn.execute("UPDATE conversations SET model = 'opus' WHERE id = 1")
    conn.execute(
        "INSERT INTO messages (conversation_id, role, content, created_at, cost_usd, duration_ms)"
        " VALUES (1, 'assistant', 'old answer', '2025-01-01T10:05:00+00:00', 0.1, 5)"
    )
    finish(conn, 9)
    store = await Store.open(db_path)
    try:
        old = await store.conversation_get(1)
        (answer,) = await store.message_page(1)
        await store.conversation_choose(1, "claude-sonnet-4-5", "low")
        chosen = await store.conversation_get(1)
        made, _ = await store.conversation_create(project, "q", chosen=("haiku", None))
        branch = await store.conversation_branch(1, answer.id)
        named = await store.models_chosen()
    finally:
        await store.close()
    assert old is not None and (old.model, old.chosen_model, old.effort) == ("opus", None, None)
    assert answer.usage is not None and answer.usage.context_tokens == 0
    assert chosen is not None and (chosen.chosen_model, chosen.effort) == (
        "claude-sonnet-4-5",
        "low",
    )
    assert (made.chosen_model, made.effort) == ("haiku", None)
    assert (branch.chosen_model, branch.effort) == ("claude-sonnet-4-5", "low")
    assert set(named) == {"claude-sonnet-4-5", "haiku"}
