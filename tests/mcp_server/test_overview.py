"""``Backlog.overview`` (statuses counted and cut in SQL, for the TUI's pane) agrees with the
Python rules every tool uses (``Backlog.find``, ``Backlog.blocked``), on real files holding
what older and odder writers leave: NULL and text booleans, missing dependency ids, dependency
cells that are not JSON arrays of integers, and files without the human-input columns."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcp_server.backlog import Backlog
from tests.helpers.backlog_db import make_backlog

# Cells as stored: what Python's bool and SQL's tests could read differently.
CELLS: list[Any] = [None, 0, 1, 2, -1, 0.0, 0.5, "", "0", "1", "yes", "no", b"", b"\x00", " "]
DEPENDENCIES: list[Any] = [
    None,
    "[]",
    "[1]",
    "[2, 3]",
    "[99]",  # a missing id: never passes, so it blocks
    "[1, 99]",
    '["2", " 3 "]',
    "[1.0, 2.5]",
    "[true, 1]",
    "[[1]]",
    '{"a": 1}',
    "7",
    "null",
    "not json",
    "[1,]",
    " [ 4 ] ",
    b"[2]",
    5,
    "[99999999999999999999]",
]


def varied(path: Path, newer: bool, count: int = 150) -> None:
    """A file cycling through every odd cell and dependencies cell, in a few priorities (ties
    broken by id). Features 2 and 4 pass; 3's passes is the text "yes" (Python true, SQL 0)."""
    n = len(CELLS)
    features = [
        {
            "name": f"Feature {i}",
            "priority": (i * 7) % 11,
            "passes": {2: 1, 3: "yes", 4: 1}.get(i, CELLS[i % n] if i % 3 == 0 else None),
            "in_progress": CELLS[(i // 3) % n] if i % 4 == 1 else 0,
        }
        for i in range(1, count + 1)
    ]
    make_backlog(path, features, newer=newer)
    conn = sqlite3.connect(path)
    for i in range(1, count + 1):
        conn.execute(
            "UPDATE features SET dependencies = ? WHERE id = ?",
            (DEPENDENCIES[i % len(DEPENDENCIES)], i),
        )
        if newer and i % 5 == 2:
            conn.execute(
                "UPDATE features SET needs_human_input = ? WHERE id = ?",
                (CELLS[(i // 5) % n] or 0, i),  # NOT NULL in upstream's schema
            )
    conn.commit()
    conn.close()


def assert_agrees(project: Path, first: int = 1_000, keep: int | None = None) -> dict[str, int]:
    """Compare, and return the counts (so a test can show its file exercised every rule)."""
    backlog = Backlog(project)
    try:
        everything = backlog.find(limit=1_000_000)["features"]
        shown = backlog.overview(first, keep)
        blocked = {f["id"]: f["blocked_by"] for f in backlog.blocked(limit=1_000_000)["features"]}
        stats = backlog.stats()
    finally:
        backlog.close()
    counts: dict[str, int] = {}
    for feature in everything:
        counts[feature["status"]] = counts.get(feature["status"], 0) + 1
    assert shown["counts"] == counts
    assert shown["stats"] == stats
    expected = []
    for status in counts:
        of_status = [f for f in everything if f["status"] == status]
        expected += [f | {"beyond_cut": False} for f in of_status[:first]]
        expected += [f | {"beyond_cut": True} for f in of_status[first:] if f["id"] == keep]
    for feature in expected:
        if feature["status"] == "blocked":
            feature["blocked_by"] = blocked[feature["id"]]
    assert sorted(shown["features"], key=lambda f: f["id"]) == sorted(
        expected, key=lambda f: f["id"]
    )
    return counts


def test_statuses_agree_on_a_varied_file_without_the_human_input_columns(tmp_path: Path) -> None:
    varied(tmp_path / "features.db", newer=False)
    assert set(assert_agrees(tmp_path)) == {"ready", "blocked", "in_progress", "passing"}


def test_statuses_agree_on_a_varied_file_with_the_human_input_columns(tmp_path: Path) -> None:
    varied(tmp_path / "features.db", newer=True)
    assert len(assert_agrees(tmp_path)) == 5  # every status, waiting for you too


def test_each_status_is_cut_in_queue_order_and_the_kept_feature_comes_after(
    tmp_path: Path,
) -> None:
    varied(tmp_path / "features.db", newer=True)
    for keep in (None, 1, 149, 150, 404):
        assert_agrees(tmp_path, first=2, keep=keep)


def test_no_file_reads_as_nothing(tmp_path: Path) -> None:
    shown = Backlog(tmp_path).overview(40)
    assert (shown["counts"], shown["features"], shown["stats"]["total"]) == ({}, [], 0)


cell = st.one_of(
    st.none(),
    st.integers(-3, 3),
    st.floats(allow_nan=False),
    st.text(max_size=3),
    st.binary(max_size=2),
)
dependency = st.one_of(
    st.none(),
    st.sampled_from(DEPENDENCIES),
    st.lists(st.integers(-1, 12), max_size=3).map(str),
    st.lists(st.one_of(st.integers(0, 12), st.text("0123 ", max_size=3)), max_size=3).map(
        lambda items: str(items).replace("'", '"')
    ),
)
row = st.tuples(cell, cell, cell, dependency, st.integers(0, 3))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=1, max_size=12), newer=st.booleans(), first=st.integers(1, 3))
def test_statuses_agree_on_random_cells(
    rows: list[tuple[Any, Any, Any, Any, int]], newer: bool, first: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "features.db"
        make_backlog(path, [{"priority": r[4]} for r in rows], newer=newer)
        conn = sqlite3.connect(path)
        for fid, (passes, working, human, deps, _) in enumerate(rows, start=1):
            conn.execute(
                "UPDATE features SET passes = ?, in_progress = ?, dependencies = ? WHERE id = ?",
                (passes, working, deps, fid),
            )
            if newer:
                conn.execute(
                    "UPDATE features SET needs_human_input = ? WHERE id = ?",
                    (0 if human is None else human, fid),
                )
        conn.commit()
        conn.close()
        assert_agrees(Path(folder), first=first, keep=len(rows))
