"""The edit tools through a real MCP client and the server as a subprocess: every change, and
every refusal as one sentence (isError) that leaves the file exactly as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.helpers.backlog_db import dump, make_backlog
from tests.helpers.mcp import backlog_client, call, fail

EDIT_TOOLS = {
    "feature_update",
    "feature_add_dependency",
    "feature_remove_dependency",
    "feature_set_dependencies",
    "feature_mark_failing",
}


async def test_the_edit_tools_are_offered_as_writes_and_the_pane_only_ones_are_not(
    project: Path,
) -> None:
    async with backlog_client(project) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) >= EDIT_TOOLS
    for name in EDIT_TOOLS:
        hints = tools[name].annotations
        assert hints is not None and hints.read_only_hint is False, name
        assert hints.destructive_hint is True and hints.open_world_hint is False, name
    assert not {"feature_delete", "feature_answer_human_input"} & set(tools)
    for tool in tools.values():  # no tool can set a status: not passing, not in progress
        assert not {"passes", "in_progress"} & set(tool.input_schema["properties"]), tool.name


async def test_update_changes_only_the_given_text(project: Path) -> None:
    make_backlog(
        project / "features.db",
        [{"name": "A", "in_progress": 1, "dependencies": [2]}, {"name": "B", "passes": 1}],
    )
    async with backlog_client(project) as client:
        after = await call(
            client, "feature_update", feature_id=1, name="  Login  ", steps=[" open ", "submit"]
        )
        category = await call(client, "feature_update", feature_id=2, category="Auth")
        again = await call(client, "feature_get_by_id", feature_id=1)
    assert after == again
    assert after["name"] == "Login" and after["steps"] == ["open", "submit"]
    assert after["description"] == "Description 1" and after["category"] == "Core"
    assert after["in_progress"] is True and after["dependencies"] == [2]
    assert category["category"] == "Auth" and category["passes"] is True


async def test_update_refusals_change_nothing(project: Path) -> None:
    db = make_backlog(project / "features.db", [{"name": "A"}])
    before = dump(db)
    async with backlog_client(project) as client:
        refusals = {
            "no field": await fail(client, "feature_update", {"feature_id": 1}),
            "blank": await fail(client, "feature_update", {"feature_id": 1, "name": "   "}),
            "long": await fail(client, "feature_update", {"feature_id": 1, "name": "x" * 256}),
            "no steps": await fail(client, "feature_update", {"feature_id": 1, "steps": []}),
            "status": await fail(client, "feature_update", {"feature_id": 1, "passes": True}),
            "missing": await fail(client, "feature_update", {"feature_id": 9, "name": "B"}),
            "secret": await fail(
                client, "feature_update", {"feature_id": 1, "description": "AKIAABCDEFGHIJKLMNOP"}
            ),
        }
    assert refusals == {
        "no field": "Give at least one field to change: name, description, steps or category.",
        "blank": "'name' must not be empty.",
        "long": "'name' is 256 characters long; the limit is 255.",
        "no steps": "'steps' must hold at least 1 item.",
        "status": "Unknown argument 'passes'; the accepted ones are feature_id, category, name, "
        "description, steps.",
        "missing": "Feature 9 does not exist.",
        "secret": "The feature text holds an AWS access key; credentials are never written into "
        "the backlog (coding agents read it), so nothing was written: leave the credential out.",
    }
    assert dump(db) == before


def raw_dependencies(db: Path, feature_id: int) -> str | None:
    conn = sqlite3.connect(db)
    try:
        cell: str | None = conn.execute(
            "SELECT dependencies FROM features WHERE id = ?", (feature_id,)
        ).fetchone()[0]
        return cell
    finally:
        conn.close()


async def test_dependencies_are_added_removed_and_set(project: Path) -> None:
    rows = [{"passes": 1}, {}, {}, {"dependencies": [99]}]
    db = make_backlog(project / "features.db", rows)
    async with backlog_client(project) as client:
        added = await call(client, "feature_add_dependency", feature_id=2, dependency_id=1)
        second = await call(client, "feature_add_dependency", feature_id=2, dependency_id=3)
        removed = await call(client, "feature_remove_dependency", feature_id=2, dependency_id=1)
        replaced = await call(
            client, "feature_set_dependencies", feature_id=2, dependency_ids=[1, 4]
        )
        dangling = await call(client, "feature_remove_dependency", feature_id=4, dependency_id=99)
        assert raw_dependencies(db, 2) == "[1, 4]"
        cleared = await call(client, "feature_set_dependencies", feature_id=2, dependency_ids=[])
    assert (added["dependencies"], added["status"]) == ([1], "ready")
    assert (second["dependencies"], second["status"]) == ([1, 3], "blocked")
    assert removed["dependencies"] == [3] and replaced["dependencies"] == [1, 4]
    assert dangling["dependencies"] == [] and cleared["dependencies"] == []
    assert raw_dependencies(db, 2) is None and raw_dependencies(db, 4) is None  # as create does


async def test_dependency_refusals_name_the_problem_and_change_nothing(project: Path) -> None:
    rows: list[dict[str, object]] = [{} for _ in range(30)]
    rows[4]["dependencies"] = [3]  # 5 -> 3
    rows[5]["dependencies"] = list(range(7, 27))  # 6 has the 20 allowed
    rows[9]["dependencies"] = [11]  # 10 -> 11 -> 12
    rows[10]["dependencies"] = [12]
    rows[19]["dependencies"] = [21]  # an old cycle elsewhere (20 <-> 21) blocks nothing else
    rows[20]["dependencies"] = [20]
    db = make_backlog(project / "features.db", rows)
    before = dump(db)

    async def add(feature: object, dep: object) -> str:
        args = {"feature_id": feature, "dependency_id": dep}
        return await fail(client, "feature_add_dependency", args)

    async def put(feature: int, deps: list[int]) -> str:
        args = {"feature_id": feature, "dependency_ids": deps}
        return await fail(client, "feature_set_dependencies", args)

    async with backlog_client(project) as client:
        refusals = {
            "self": await add(3, 3),
            "missing dependency": await add(3, 99),
            "missing feature": await add(99, 3),
            "duplicate": await add(5, 3),
            "duplicate in a list": await put(3, [1, 2, 1]),
            "more than 20": await put(3, list(range(7, 28))),
            "the 21st": await add(6, 1),
            "cycle": await add(3, 5),
            "long cycle": await put(12, [1, 10]),
            "self in a list": await put(3, [1, 3]),
            "not listed": await fail(
                client, "feature_remove_dependency", {"feature_id": 3, "dependency_id": 1}
            ),
            "not an id": await add(3, "5"),
            "zero": await add(3, 0),
        }
        assert dump(db) == before
        ok = await call(client, "feature_add_dependency", feature_id=22, dependency_id=20)
    assert refusals == {
        "self": "Feature 3 cannot depend on itself; nothing was changed.",
        "missing dependency": "Feature 99 does not exist, so feature 3 cannot depend on it; "
        "nothing was changed.",
        "missing feature": "Feature 99 does not exist.",
        "duplicate": "Feature 5 already depends on feature 3; nothing was changed.",
        "duplicate in a list": "The list names feature 1 twice; nothing was changed.",
        "more than 20": "'dependency_ids' holds 21 items; the limit is 20.",
        "the 21st": "Feature 6 already has 20 dependencies, the limit is 20; remove one first.",
        "cycle": "Feature 3 cannot depend on feature 5: that would make the cycle 3 -> 5 -> 3 "
        "(each waiting for the next, none could ever start); nothing was changed.",
        "long cycle": "Feature 12 cannot depend on feature 10: that would make the cycle "
        "12 -> 10 -> 11 -> 12 (each waiting for the next, none could ever start); nothing was "
        "changed.",
        "self in a list": "Feature 3 cannot depend on itself; nothing was changed.",
        "not listed": "Feature 3 does not depend on feature 1; nothing was changed.",
        "not an id": "'dependency_id' must be an integer; got '5'.",
        "zero": "'dependency_id' must be a whole number of at least 1; got 0.",
    }
    assert ok["dependencies"] == [20]  # an old cycle not through 22 does not block it


async def test_mark_failing_reopens_a_passing_feature_with_the_reason(project: Path) -> None:
    rows = [
        {"name": "Login", "passes": 1, "in_progress": 1},
        {"name": "Profile", "dependencies": [1]},
        {"name": "Quiet", "passes": 1},
        {"name": "Open"},
    ]
    db = make_backlog(project / "features.db", rows)
    async with backlog_client(project) as client:
        reason = "  An empty password logs in.  "
        after = await call(client, "feature_mark_failing", feature_id=1, reason=reason)
        ready = await call(client, "feature_get_ready")
        blocked = await call(client, "feature_get_blocked")
        quiet = await call(client, "feature_mark_failing", feature_id=3)
        before = dump(db)
        refusals = [
            await fail(client, "feature_mark_failing", {"feature_id": 1}),
            await fail(client, "feature_mark_failing", {"feature_id": 4, "reason": "x"}),
            await fail(client, "feature_mark_failing", {"feature_id": 9}),
            await fail(client, "feature_mark_failing", {"feature_id": 3, "reason": " "}),
        ]
        assert dump(db) == before
    assert after["passes"] is False and after["in_progress"] is False
    assert after["status"] == "ready" and after["priority"] == 1  # the queue keeps its place
    assert after["description"] == "Description 1\n\nReported failing: An empty password logs in."
    assert [f["name"] for f in ready["features"]] == ["Login", "Open"]
    assert [f["name"] for f in blocked["features"]] == ["Profile"]
    assert quiet["description"] == "Description 3" and quiet["passes"] is False
    not_passing = (
        "does not pass, so it cannot be marked failing (it is already in the queue); to say "
        "what is wrong, change its description with feature_update."
    )
    assert refusals == [
        f"Feature 1 {not_passing}",
        f"Feature 4 {not_passing}",
        "Feature 9 does not exist.",
        "'reason' must not be empty.",
    ]


async def test_a_reason_past_the_description_limit_is_refused(project: Path) -> None:
    db = make_backlog(project / "features.db", [{"passes": 1}])
    async with backlog_client(project) as client:
        await call(client, "feature_update", feature_id=1, description="d" * 19_990)
        before = dump(db)
        message = await fail(client, "feature_mark_failing", {"feature_id": 1, "reason": "broken"})
    assert message == (
        "With this reason the description would be 20,016 characters, more than the limit of "
        "20,000; give a shorter reason."
    )
    assert dump(db) == before


async def test_edits_of_an_empty_project_create_nothing(project: Path) -> None:
    async with backlog_client(project) as client:
        messages = {
            await fail(client, "feature_update", {"feature_id": 1, "name": "x"}),
            await fail(client, "feature_add_dependency", {"feature_id": 1, "dependency_id": 2}),
            await fail(client, "feature_set_dependencies", {"feature_id": 1, "dependency_ids": []}),
            await fail(client, "feature_mark_failing", {"feature_id": 1}),
        }
    assert messages == {"Feature 1 does not exist."}
    assert sorted(p.name for p in project.iterdir()) == ["README.md", "app.py"]


async def test_a_long_cycle_is_named_by_its_ends(project: Path) -> None:
    rows = [{"dependencies": [i - 1] if i > 1 else None} for i in range(1, 31)]
    make_backlog(project / "features.db", rows)
    async with backlog_client(project) as client:
        message = await fail(
            client, "feature_add_dependency", {"feature_id": 1, "dependency_id": 30}
        )
    assert message == (
        "Feature 1 cannot depend on feature 30: that would make the cycle 1 -> 30 -> 29 -> 28 -> "
        "27 -> 26 -> ... -> 6 -> 5 -> 4 -> 3 -> 2 -> 1 (30 features) (each waiting for the next, "
        "none could ever start); nothing was changed."
    )
