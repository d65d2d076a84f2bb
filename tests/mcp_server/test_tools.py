"""The backlog tools through a real MCP client and the server as a subprocess."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.helpers.backlog_db import dump, make_backlog
from tests.helpers.mcp import backlog_client, call, fail

FEATURE = {"category": "Auth", "name": "Login", "description": "Users log in.", "steps": ["open"]}


async def test_lists_all_tools_with_titles_and_annotations(project: Path) -> None:
    async with backlog_client(project) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) == {
        "feature_get_stats",
        "feature_get_by_id",
        "feature_get_ready",
        "feature_get_blocked",
        "feature_list",
        "feature_get_graph",
        "feature_create",
        "feature_create_bulk",
        "feature_skip",
        "feature_update",
        "feature_add_dependency",
        "feature_remove_dependency",
        "feature_set_dependencies",
        "feature_mark_failing",
    }
    for name, tool in tools.items():
        assert tool.title and tool.description
        read_only = name.startswith(("feature_get", "feature_list"))
        assert tool.annotations is not None
        assert tool.annotations.read_only_hint is read_only, name


async def test_empty_project_reads_as_empty_and_creates_nothing(project: Path) -> None:
    async with backlog_client(project) as client:
        stats = await call(client, "feature_get_stats")
        ready = await call(client, "feature_get_ready")
        listing = await call(client, "feature_list")
        error = await fail(client, "feature_get_by_id", {"feature_id": 1})
    assert stats == {
        "passing": 0,
        "in_progress": 0,
        "needs_human_input": 0,
        "total": 0,
        "percentage": 0.0,
        "path": None,
    }
    assert ready["features"] == [] and ready["total_ready"] == 0
    assert listing["total"] == 0
    assert error == "Feature 1 does not exist."
    assert sorted(p.name for p in project.iterdir()) == ["README.md", "app.py"]


async def test_first_write_creates_features_db_with_upstream_schema(project: Path) -> None:
    async with backlog_client(project) as client:
        created = await call(client, "feature_create", **FEATURE)
        again = await call(client, "feature_get_by_id", feature_id=created["id"])
    assert (project / "features.db").is_file()
    conn = sqlite3.connect(project / "features.db")
    columns = [r[1] for r in conn.execute("PRAGMA table_info(features)")]
    indexes = {r[1] for r in conn.execute("PRAGMA index_list(features)")}
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.close()
    assert columns == [
        "id",
        "priority",
        "category",
        "name",
        "description",
        "steps",
        "passes",
        "in_progress",
        "dependencies",
    ]
    assert "ix_feature_status" in indexes
    assert mode == "wal"
    assert again["name"] == "Login" and again["steps"] == ["open"] and again["status"] == "ready"


async def test_autoforge_layout_wins_and_extra_columns_survive(project: Path) -> None:
    make_backlog(project / "features.db", [{"name": "old layout"}])
    newer = make_backlog(
        project / ".autoforge" / "features.db",
        [{"name": "A", "passes": None, "in_progress": None}],
        newer=True,
    )
    async with backlog_client(project) as client:
        first = await call(client, "feature_get_by_id", feature_id=1)
        created = await call(client, "feature_create", **FEATURE)
        stats = await call(client, "feature_get_stats")
    assert first["name"] == "A"
    assert first["passes"] is False and first["in_progress"] is False
    assert first["needs_human_input"] is False and first["human_input_request"] is None
    assert created["id"] == 2 and stats["total"] == 2
    conn = sqlite3.connect(newer)
    assert conn.execute("SELECT name FROM schedules").fetchall() == [("nightly",)]
    assert conn.execute("SELECT needs_human_input FROM features WHERE id=2").fetchone() == (0,)
    conn.close()


async def test_stats_count_passing_and_in_progress_with_null_booleans(project: Path) -> None:
    rows = [
        {"passes": 1},
        {"passes": 1},
        {"passes": None, "in_progress": 1},
        {"passes": None, "in_progress": None},
    ]
    make_backlog(project / "features.db", rows)
    async with backlog_client(project) as client:
        stats = await call(client, "feature_get_stats")
    assert stats == {
        "passing": 2,
        "in_progress": 1,
        "needs_human_input": 0,
        "total": 4,
        "percentage": 50.0,
        "path": "features.db",
    }


async def test_ready_and_blocked_follow_dependencies(project: Path) -> None:
    rows = [
        {"name": "done", "passes": 1},
        {"name": "needs done", "dependencies": [1], "priority": 5},
        {"name": "needs 2", "dependencies": [2], "priority": 2},
        {"name": "needs missing", "dependencies": [99]},
        {"name": "busy", "in_progress": 1},
        {"name": "free", "priority": 3, "dependencies": None},
        {"name": "junk deps", "priority": 9, "dependencies": "not json"},
    ]
    make_backlog(project / "features.db", rows)
    async with backlog_client(project) as client:
        ready = await call(client, "feature_get_ready", limit=2)
        blocked = await call(client, "feature_get_blocked")
    assert [f["name"] for f in ready["features"]] == ["free", "needs done"]
    assert ready["count"] == 2 and ready["total_ready"] == 3
    assert [(f["name"], f["blocked_by"]) for f in blocked["features"]] == [
        ("needs 2", [2]),
        ("needs missing", [99]),
    ]
    assert blocked["total_blocked"] == 2


async def test_skip_moves_feature_to_end_of_ready_order(project: Path) -> None:
    make_backlog(project / "features.db", [{"name": n} for n in "ABC"] + [{"passes": 1}])
    async with backlog_client(project) as client:
        skipped = await call(client, "feature_skip", feature_id=1)
        ready = await call(client, "feature_get_ready")
        refused = await fail(client, "feature_skip", {"feature_id": 4})
        missing = await fail(client, "feature_skip", {"feature_id": 40})
    assert [f["name"] for f in ready["features"]] == ["B", "C", "A"]
    assert skipped["new_priority"] == 5
    assert refused == "Feature 4 already passes; only unfinished features can be skipped."
    assert missing == "Feature 40 does not exist."


async def test_skip_clears_in_progress(project: Path) -> None:
    make_backlog(project / "features.db", [{"name": "A", "in_progress": 1}, {"name": "B"}])
    async with backlog_client(project) as client:
        await call(client, "feature_skip", feature_id=1)
        feature = await call(client, "feature_get_by_id", feature_id=1)
        ready = await call(client, "feature_get_ready")
    assert feature["in_progress"] is False
    assert [f["name"] for f in ready["features"]] == ["B", "A"]


async def test_bulk_create_with_batch_dependencies(project: Path) -> None:
    make_backlog(project / "features.db", [{"name": "base", "passes": 1}])
    batch = [
        FEATURE | {"name": "schema"},
        FEATURE | {"name": "api", "depends_on_indices": [0], "dependencies": [1]},
        FEATURE | {"name": "ui", "depends_on_indices": [0, 1]},
    ]
    async with backlog_client(project) as client:
        created = await call(client, "feature_create_bulk", features=batch)
        api = await call(client, "feature_get_by_id", feature_id=created["ids"][1])
        ui = await call(client, "feature_get_by_id", feature_id=created["ids"][2])
        ready = await call(client, "feature_get_ready")
    assert created["created"] == 3 and created["ids"] == [2, 3, 4]
    assert [f["priority"] for f in created["features"]] == [2, 3, 4]
    assert sorted(api["dependencies"]) == [1, 2] and ui["dependencies"] == [2, 3]
    assert [f["name"] for f in ready["features"]] == ["schema"]


async def test_bulk_create_rejects_bad_batches_and_changes_nothing(project: Path) -> None:
    db = make_backlog(project / "features.db", [{"name": "base"}])
    before = dump(db)
    bad_batches = {
        "forward": [FEATURE | {"depends_on_indices": [1]}, FEATURE],
        "self": [FEATURE, FEATURE | {"depends_on_indices": [1]}],
        "negative": [FEATURE, FEATURE | {"depends_on_indices": [-1]}],
        "duplicate": [FEATURE, FEATURE | {"depends_on_indices": [0, 0]}],
        "missing id": [FEATURE, FEATURE | {"dependencies": [77]}],
        "too many": [FEATURE] * 21 + [FEATURE | {"depends_on_indices": list(range(21))}],
        "empty name": [FEATURE, FEATURE | {"name": "   "}],
        "no steps": [FEATURE | {"steps": []}],
        "wrong type": [FEATURE | {"steps": "open"}],
        "unknown field": [FEATURE | {"priority": 1}],
        "empty batch": [],
    }
    async with backlog_client(project) as client:
        messages = {
            k: await fail(client, "feature_create_bulk", {"features": v})
            for k, v in bad_batches.items()
        }
    assert dump(db) == before
    assert "indices must point to earlier features" in messages["forward"]
    assert "indices must point to earlier features" in messages["self"]
    assert (
        "features[1].depends_on_indices[0] must be a whole number of at least 0"
        in messages["negative"]
    )
    assert "same dependency twice" in messages["duplicate"]
    assert "depends on feature 77, which does not exist" in messages["missing id"]
    assert "holds 21 items; the limit is 20" in messages["too many"]
    assert messages["empty name"] == "features[1].name must not be empty."
    assert "must hold at least 1 item" in messages["no steps"]
    assert messages["wrong type"] == "features[0].steps must be a list; got 'open'."
    assert "features[0] has unknown field 'priority'" in messages["unknown field"]
    assert messages["empty batch"] == "'features' must hold at least 1 item."
    for text in messages.values():
        assert text.endswith(".") and "\n" not in text


async def test_bad_arguments_are_tool_errors(project: Path) -> None:
    async with backlog_client(project) as client:
        cases = {
            "string id": ("feature_get_by_id", {"feature_id": "5"}),
            "bool id": ("feature_get_by_id", {"feature_id": True}),
            "zero id": ("feature_get_by_id", {"feature_id": 0}),
            "missing id": ("feature_get_by_id", {}),
            "limit high": ("feature_get_ready", {"limit": 51}),
            "long category": ("feature_create", FEATURE | {"category": "x" * 101}),
            "long name": ("feature_create", FEATURE | {"name": "x" * 256}),
            "empty description": ("feature_create", FEATURE | {"description": ""}),
            "nul": ("feature_create", FEATURE | {"name": "a\x00b"}),
            "bad status": ("feature_list", {"status": "done"}),
            "not object": ("feature_get_stats", {"extra": 1}),
        }
        messages = {k: await fail(client, tool, args) for k, (tool, args) in cases.items()}
    assert messages["string id"] == "'feature_id' must be an integer; got '5'."
    assert messages["zero id"] == "'feature_id' must be a whole number of at least 1; got 0."
    assert messages["missing id"] == "'feature_id' is required."
    assert messages["limit high"] == "'limit' must be a whole number from 1 to 50; got 51."
    assert messages["long category"] == "'category' is 101 characters long; the limit is 100."
    assert messages["bad status"].startswith("'status' must be one of passing, in_progress")
    assert sorted(p.name for p in project.iterdir()) == ["README.md", "app.py"]


async def test_feature_list_filters_and_pages(project: Path) -> None:
    rows = [
        {"name": "Login page", "category": "Auth", "passes": 1},
        {"name": "Logout", "category": "auth", "in_progress": 1},
        {"name": "Charts", "category": "UI", "dependencies": [2]},
        {"name": "Table 100%_done", "category": "UI", "description": "grid"},
        {"name": "Export", "category": "UI", "description": "CSV login link"},
    ]
    make_backlog(project / "features.db", rows)
    async with backlog_client(project) as client:

        async def names(**args: object) -> list[str]:
            return [f["name"] for f in (await call(client, "feature_list", **args))["features"]]

        assert await names(status="passing") == ["Login page"]
        assert await names(status="in_progress") == ["Logout"]
        assert await names(status="blocked") == ["Charts"]
        assert await names(status="ready") == ["Table 100%_done", "Export"]
        assert await names(status="pending") == ["Charts", "Table 100%_done", "Export"]
        assert await names(category="AUTH") == ["Login page", "Logout"]
        assert await names(query="login") == ["Login page", "Export"]
        assert await names(query="100%_") == ["Table 100%_done"]
        assert await names(query="%") == ["Table 100%_done"]
        assert await names(limit=2, offset=1) == ["Logout", "Charts"]
        page = await call(client, "feature_list", category="UI", limit=1)
    assert page["total"] == 3 and page["count"] == 1
    assert page["features"][0]["status"] == "blocked"


async def test_graph_has_upstreams_nodes_and_edges(project: Path) -> None:
    """Upstream's shape: status done/blocked/in_progress/pending with blocked outranking
    in_progress, our finer status in detail, edges source -> target (missing beside them)."""
    make_backlog(
        project / "features.db",
        [
            {"name": "A", "passes": 1},
            {"name": "B", "dependencies": [1, 9], "in_progress": 1},
            {"name": "C", "in_progress": 1, "priority": 7},
            {"name": "D", "dependencies": [1]},
        ],
    )
    async with backlog_client(project) as client:
        graph = await call(client, "feature_get_graph")
    assert graph["nodes"][1] == {
        "id": 2,
        "name": "B",
        "category": "Core",
        "status": "blocked",
        "priority": 2,
        "dependencies": [1, 9],
        "detail": "in_progress",
    }
    assert [(n["id"], n["status"], n["detail"]) for n in graph["nodes"]] == [
        (1, "done", "passing"),
        (2, "blocked", "in_progress"),
        (4, "pending", "ready"),
        (3, "in_progress", "in_progress"),
    ]
    assert graph["edges"] == [
        {"source": 1, "target": 2, "missing": False},
        {"source": 9, "target": 2, "missing": True},
        {"source": 1, "target": 4, "missing": False},
    ]


async def test_database_created_later_by_another_process_is_picked_up(project: Path) -> None:
    async with backlog_client(project) as client:
        assert (await call(client, "feature_get_stats"))["total"] == 0
        make_backlog(project / ".autoforge" / "features.db", [{"name": "late"}])
        stats = await call(client, "feature_get_stats")
    assert stats["total"] == 1


async def test_extra_columns_with_keyword_names_are_filled(project: Path) -> None:
    """A newer schema may add NOT NULL columns without defaults, even with awkward names."""
    conn = sqlite3.connect(project / "features.db")
    conn.execute(
        "CREATE TABLE features (id INTEGER PRIMARY KEY, priority INTEGER NOT NULL DEFAULT 999,"
        " category VARCHAR(100) NOT NULL, name VARCHAR(255) NOT NULL, description TEXT NOT NULL,"
        " steps JSON NOT NULL, passes BOOLEAN NOT NULL DEFAULT 0, in_progress BOOLEAN NOT NULL"
        ' DEFAULT 0, dependencies JSON, "order" INTEGER NOT NULL, "odd ""name""" TEXT NOT NULL)'
    )
    conn.commit()
    conn.close()
    async with backlog_client(project) as client:
        created = await call(client, "feature_create", **FEATURE)
        feature = await call(client, "feature_get_by_id", feature_id=created["id"])
    assert feature["order"] == 0 and feature['odd "name"'] == "" and feature["name"] == "Login"
