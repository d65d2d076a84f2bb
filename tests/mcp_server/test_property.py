"""Random tool calls against the real server: the backlog's invariants hold after every call."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcp_server.records import parse_dependencies
from tests.helpers.backlog_db import dump, make_backlog
from tests.helpers.mcp import backlog_client

junk = st.one_of(st.none(), st.booleans(), st.floats(allow_nan=False), st.text(max_size=5))
ids = st.one_of(st.integers(-2, 25), junk)
text = st.one_of(st.text(max_size=120), st.sampled_from(["", "  ", "x" * 300, "é\u200b🙂"]))
steps = st.one_of(st.lists(text, max_size=3), junk)
feature = st.fixed_dictionaries(
    {"category": text, "name": text, "description": text, "steps": steps},
    optional={
        "depends_on_indices": st.lists(st.integers(-2, 5), max_size=4),
        "dependencies": st.lists(ids, max_size=4),
        "bogus": junk,
    },
)
tool_call = st.one_of(
    st.tuples(st.just("feature_get_stats"), st.just({})),
    st.tuples(st.just("feature_get_by_id"), st.fixed_dictionaries({"feature_id": ids})),
    st.tuples(
        st.sampled_from(["feature_get_ready", "feature_get_blocked"]),
        st.fixed_dictionaries({}, optional={"limit": ids}),
    ),
    st.tuples(
        st.just("feature_list"),
        st.fixed_dictionaries(
            {},
            optional={
                "status": st.sampled_from(["ready", "blocked", "pending", "x"]),
                "query": text,
                "category": text,
                "limit": ids,
                "offset": ids,
            },
        ),
    ),
    st.tuples(st.just("feature_get_graph"), st.just({})),
    st.tuples(st.just("feature_create"), feature),
    st.tuples(
        st.just("feature_create_bulk"),
        st.fixed_dictionaries({"features": st.one_of(st.lists(feature, max_size=5), junk)}),
    ),
    st.tuples(st.just("feature_skip"), st.fixed_dictionaries({"feature_id": ids})),
)
seed_rows = st.lists(
    st.fixed_dictionaries(
        {
            "passes": st.sampled_from([None, 0, 1]),
            "in_progress": st.sampled_from([None, 0, 1]),
            "dependencies": st.one_of(st.none(), st.lists(st.integers(1, 8), max_size=3)),
        }
    ),
    max_size=8,
)


def acyclic_deps(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Seed rows may only depend on lower ids, so the starting backlog has no cycle."""
    for i, row in enumerate(rows, start=1):
        if row["dependencies"]:
            row["dependencies"] = [d for d in row["dependencies"] if d < i] or None
    return rows


def check_invariants(db: Path, known_ids: set[int]) -> set[int]:
    """integrity_check ok, no cycle, every dependency names a known id; returns the ids."""
    if not db.exists():
        return known_ids
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        graph = {
            fid: parse_dependencies(deps)
            for fid, deps in conn.execute("SELECT id, dependencies FROM features")
        }
        priorities = [r[0] for r in conn.execute("SELECT priority FROM features")]
    finally:
        conn.close()
    ids_now = known_ids | set(graph)
    for deps in graph.values():
        assert set(deps) <= ids_now
    assert_no_cycle(graph)
    assert len(priorities) == len(graph)
    return ids_now


def assert_no_cycle(graph: dict[int, list[int]]) -> None:
    state: dict[int, int] = {}

    def visit(node: int) -> None:
        state[node] = 1
        for nxt in graph.get(node, []):
            assert state.get(nxt) != 1, f"cycle through {node} -> {nxt}"
            if nxt not in state:
                visit(nxt)
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node)


async def run_calls(project: Path, calls: list[tuple[str, Any]], known: set[int]) -> None:
    db = project / "features.db"
    async with backlog_client(project) as client:
        for tool, arguments in calls:
            before = dump(db) if db.exists() else None
            result = await client.call_tool(tool, arguments)
            text = result.content[0].text
            if result.is_error:
                assert text.endswith(".") and "Traceback" not in text, text
                assert (dump(db) if db.exists() else None) == before, f"{tool} failed but wrote"
            else:
                json.loads(text)
            known = check_invariants(db, known)
        assert (await client.call_tool("feature_get_stats", {})).is_error is False


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(rows=seed_rows, calls=st.lists(tool_call, min_size=1, max_size=12))
def test_random_tool_calls_keep_the_backlog_sound(
    rows: list[dict[str, Any]], calls: list[tuple[str, Any]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        known: set[int] = set()
        if rows:
            make_backlog(project / "features.db", acyclic_deps(rows))
            known = set(range(1, len(rows) + 1))
        asyncio.run(run_calls(project, calls, known))
