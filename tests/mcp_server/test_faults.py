"""A locked, corrupt or unwritable backlog gives one clear sentence and changes nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.helpers.backlog_db import dump, make_backlog
from tests.helpers.files import set_read_only
from tests.helpers.mcp import backlog_client, call, fail

FEATURE = {"category": "C", "name": "N", "description": "D", "steps": ["s"]}


async def test_locked_database_is_a_tool_error_and_unchanged(project: Path) -> None:
    db = make_backlog(project / "features.db", [{"name": "A"}])
    before = dump(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        async with backlog_client(project, "--busy-timeout", "0.2") as client:
            message = await fail(client, "feature_create", FEATURE)
            skip = await fail(client, "feature_skip", {"feature_id": 1})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    expected = f"The backlog database {db} is locked by another process; try again in a moment."
    assert message == expected and skip == expected
    assert dump(db) == before


async def test_corrupt_database_is_a_tool_error_and_left_alone(project: Path) -> None:
    db = project / "features.db"
    db.write_bytes(b"this is not a sqlite database at all" * 100)
    before = db.read_bytes()
    async with backlog_client(project) as client:
        read = await fail(client, "feature_get_stats", {})
        write = await fail(client, "feature_create", FEATURE)
    assert read == (
        f"The backlog database {db} is damaged or not a SQLite file; "
        "restore it from a backup or move it aside."
    )
    assert write == read
    assert db.read_bytes() == before


async def test_database_without_features_table(project: Path) -> None:
    db = project / "features.db"
    sqlite3.connect(db).execute("CREATE TABLE other (x)").connection.commit()
    async with backlog_client(project) as client:
        message = await fail(client, "feature_get_ready", {})
    assert "has no usable features table" in message


async def test_read_only_project_cannot_create_a_backlog(project: Path) -> None:
    set_read_only(project, True)
    try:
        async with backlog_client(project) as client:
            stats = await call(client, "feature_get_stats")
            message = await fail(client, "feature_create", FEATURE)
    finally:
        set_read_only(project, False)
    assert stats["total"] == 0
    assert message.startswith(f"The backlog database {project / 'features.db'} cannot be opened")
    assert sorted(p.name for p in project.iterdir()) == ["README.md", "app.py"]


async def test_read_only_database_refuses_writes_keeps_reads(project: Path) -> None:
    db = make_backlog(project / "features.db", [{"name": "A"}])
    sqlite3.connect(db).execute("PRAGMA journal_mode=DELETE").connection.close()
    before = dump(db)
    set_read_only(db, True)
    set_read_only(project, True)
    try:
        async with backlog_client(project) as client:
            stats = await call(client, "feature_get_stats")
            message = await fail(client, "feature_skip", {"feature_id": 1})
    finally:
        set_read_only(project, False)
        set_read_only(db, False)
    assert stats["total"] == 1
    assert message.startswith(f"The backlog database {db}")
    assert "read-only" in message or "cannot be opened" in message
    assert dump(db) == before


def test_stdout_carries_only_protocol_and_survives_junk(project: Path) -> None:
    lines = [
        "not json",
        json.dumps({"jsonrpc": "2.0", "id": 1, "method": "nope"}),
        json.dumps([1, 2]),
        json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": []}),
        json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json.dumps({"jsonrpc": "2.0", "id": 3, "method": "ping"}),
        json.dumps({"jsonrpc": "2.0", "id": "\ud800", "method": "ping"}),
        json.dumps({"jsonrpc": "2.0", "id": 4, "method": ["x"]}),
        "[]",
        json.dumps({"jsonrpc": "2.0", "id": 5, "method": "ping"}),
    ]
    done = subprocess.run(
        [sys.executable, "-m", "mcp_server", "--project", str(project)],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    codes = [r["error"]["code"] for r in (replies[0], replies[1], replies[3])]
    assert codes == [-32700, -32601, -32602]
    assert (
        replies[2]
        == [
            {
                "jsonrpc": "2.0",
                "id": None,
                "error": {"code": -32600, "message": "Expected a JSON-RPC 2.0 object."},
            }
        ]
        * 2
    )
    assert replies[4] == {"jsonrpc": "2.0", "id": 3, "result": {}}
    assert replies[5]["result"] == {}
    assert replies[6]["error"]["code"] == -32600 and replies[7]["error"]["code"] == -32600
    assert replies[8] == {"jsonrpc": "2.0", "id": 5, "result": {}}  # still serving
    assert len(replies) == 9


def test_missing_project_is_one_sentence_on_stderr(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mcp_server", "--project", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == (
        f"assistant-features-mcp: project directory {tmp_path / 'nope'} does not exist; "
        "pass --project DIR or set PROJECT_DIR."
    )


def test_project_dir_from_environment(project: Path) -> None:
    make_backlog(project / "features.db", [{"name": "from env"}])
    request = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "feature_get_by_id", "arguments": {"feature_id": 1}},
    }
    done = subprocess.run(
        [sys.executable, "-m", "mcp_server"],
        input=json.dumps(request) + "\n",
        capture_output=True,
        text=True,
        timeout=30,
        env={"PROJECT_DIR": str(project), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    result = json.loads(done.stdout)["result"]
    assert json.loads(result["content"][0]["text"])["name"] == "from env"


def test_lone_surrogate_in_arguments_is_a_tool_error_and_creates_nothing(project: Path) -> None:
    """A JSON client may send "\\udc00"; it must become a tool error, not a crash or a file."""
    arguments = {**FEATURE, "name": "bad \udc00 name"}
    request = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "feature_create", "arguments": arguments},
    }
    done = subprocess.run(
        [sys.executable, "-m", "mcp_server", "--project", str(project)],
        input=json.dumps(request) + "\n",
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    result = json.loads(done.stdout)["result"]
    assert result["isError"] is True
    assert result["content"][0]["text"] == (
        "'name' must be valid Unicode text (it holds a lone surrogate)."
    )
    assert sorted(p.name for p in project.iterdir()) == ["README.md", "app.py"]
