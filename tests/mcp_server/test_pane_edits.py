"""The pane's own edits (never MCP tools): delete with unlinking, and answering a feature that
waits for human input, on real SQLite files in upstream's newer shape."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mcp_server.backlog import Backlog
from mcp_server.records import BacklogError
from tests.helpers.backlog_db import dump, make_backlog

FORM = {
    "prompt": "How should the app reach the database?",
    "fields": [
        {"id": "url", "label": "Database URL", "type": "text", "placeholder": "postgres://"},
        {"id": "notes", "label": "Notes", "type": "textarea", "required": False},
        {
            "id": "engine",
            "label": "Engine",
            "type": "select",
            "options": [
                {"value": "pg", "label": "PostgreSQL"},
                {"value": "lite", "label": "SQLite"},
            ],
        },
        {"id": "pool", "label": "Use a pool", "type": "boolean"},
        {"id": "plain"},  # type defaults to text, required to true
    ],
}
ANSWER: dict[str, str | bool | list[str]] = {
    "url": "postgres://db/app",
    "engine": "pg",
    "pool": False,
    "plain": "yes",
}


def waiting(project: Path, request: Any = FORM) -> Path:
    """A newer backlog whose feature 1 waits for input (as an agent's request leaves it)."""
    db = make_backlog(
        project / "features.db",
        [{"name": n, "passes": 0, "in_progress": 0} for n in ("Connect", "Other")],
        newer=True,
    )
    conn = sqlite3.connect(db)
    stored = request if isinstance(request, str) else json.dumps(request)
    conn.execute(
        "UPDATE features SET needs_human_input = 1, human_input_request = ? WHERE id = 1",
        (stored,),
    )
    conn.commit()
    conn.close()
    return db


def test_an_answer_is_stored_as_upstream_stores_it(project: Path) -> None:
    db = waiting(project)
    backlog = Backlog(project)
    after = backlog.answer_human_input(1, ANSWER | {"notes": ""})
    backlog.close()
    conn = sqlite3.connect(db)
    row = conn.execute(
        "SELECT needs_human_input, in_progress, passes, human_input_response, human_input_request"
        " FROM features WHERE id = 1"
    ).fetchone()
    conn.close()
    assert row[:3] == (0, 0, 0)
    response = json.loads(row[3])
    assert response["fields"] == ANSWER | {"notes": ""}
    responded = datetime.fromisoformat(response["responded_at"])
    assert responded.utcoffset() is not None and responded.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - responded).total_seconds()) < 60
    assert json.loads(row[4]) == FORM  # the request stays, for the agent's context
    assert after["needs_human_input"] is False and after["human_input_response"] == response
    assert after["status"] == "ready"  # back in the queue for the agent


def test_an_optional_field_may_be_left_out_and_a_select_may_take_a_list(project: Path) -> None:
    waiting(project)
    backlog = Backlog(project)
    after = backlog.answer_human_input(1, ANSWER | {"engine": ["pg", "lite"]})
    backlog.close()
    assert after["human_input_response"]["fields"] == ANSWER | {"engine": ["pg", "lite"]}


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            ANSWER | {"color": "red"},
            "Feature 1's request has no field 'color' (its fields: url, notes, engine, pool, "
            "plain); nothing was stored.",
        ),
        (
            {k: v for k, v in ANSWER.items() if k != "url"},
            'The field "Database URL" needs an answer; nothing was stored.',
        ),
        (ANSWER | {"url": "  "}, 'The field "Database URL" needs an answer; nothing was stored.'),
        (ANSWER | {"plain": ""}, 'The field "plain" needs an answer; nothing was stored.'),
        (
            ANSWER | {"engine": "mysql"},
            "The field \"Engine\" has no option 'mysql' (its options: pg, lite); nothing was "
            "stored.",
        ),
        (ANSWER | {"engine": ""}, 'The field "Engine" needs an answer; nothing was stored.'),
        (
            ANSWER | {"engine": ["pg", "pg"]},
            'The field "Engine" names the same option twice; nothing was stored.',
        ),
        (
            ANSWER | {"pool": "yes"},
            'The field "Use a pool" takes true or false; nothing was stored.',
        ),
        (ANSWER | {"url": ["a"]}, 'The field "Database URL" takes text; nothing was stored.'),
        (ANSWER | {"url": True}, 'The field "Database URL" takes text; nothing was stored.'),
        (
            ANSWER | {"notes": "x" * 20_001},
            'The field "Notes" is 20001 characters long; the limit is 20000.',
        ),
    ],
)
def test_an_answer_the_form_does_not_allow_is_refused(
    project: Path, answer: dict[str, Any], message: str
) -> None:
    db = waiting(project)
    before = dump(db)
    backlog = Backlog(project)
    with pytest.raises(BacklogError) as refused:
        backlog.answer_human_input(1, answer)
    backlog.close()
    assert str(refused.value) == message
    assert dump(db) == before


@pytest.mark.parametrize(
    ("request_cell", "feature", "message"),
    [
        (FORM, 2, "Feature 2 is not waiting for human input; nothing was stored."),
        (FORM, 7, "Feature 7 does not exist."),
        (
            "not json",
            1,
            "Feature 1's request for input is not the form upstream defines, so it cannot be "
            "answered here; answer it in upstream's web UI.",
        ),
        (
            {"fields": [{"label": "no id"}]},
            1,
            "Feature 1's request for input is not the form upstream defines, so it cannot be "
            "answered here; answer it in upstream's web UI.",
        ),
    ],
)
def test_a_feature_that_is_not_waiting_or_a_damaged_form_is_refused(
    project: Path, request_cell: Any, feature: int, message: str
) -> None:
    db = waiting(project, request_cell)
    before = dump(db)
    backlog = Backlog(project)
    with pytest.raises(BacklogError) as refused:
        backlog.answer_human_input(feature, {})
    backlog.close()
    assert str(refused.value) == message
    assert dump(db) == before


def test_an_old_backlog_without_the_columns_is_refused(project: Path) -> None:
    db = make_backlog(project / "features.db", [{"name": "A"}])
    before = dump(db)
    with pytest.raises(BacklogError) as refused:
        Backlog(project).answer_human_input(1, {})
    assert str(refused.value) == (
        "This backlog has no human-input columns (an AutoCoder version before them), so "
        "feature 1 cannot be waiting for an answer."
    )
    assert dump(db) == before


def test_delete_removes_the_id_from_every_dependency_list(project: Path) -> None:
    rows = [{}, {"dependencies": [1]}, {"dependencies": [1, 2]}, {"dependencies": [2]}]
    db = make_backlog(project / "features.db", rows, newer=True)
    backlog = Backlog(project)
    assert backlog.delete(1) == {"deleted": 1, "unlinked": [2, 3]}
    with pytest.raises(BacklogError) as again:
        backlog.delete(1)
    backlog.close()
    conn = sqlite3.connect(db)
    left = conn.execute("SELECT id, dependencies FROM features ORDER BY id").fetchall()
    schedules = conn.execute("SELECT name FROM schedules").fetchall()
    conn.close()
    assert left == [(2, None), (3, "[2]"), (4, "[2]")]
    assert str(again.value) == "Feature 1 does not exist."
    assert schedules == [("nightly",)]  # other tables are never touched


def test_pane_edits_of_an_empty_project_create_nothing(project: Path) -> None:
    backlog = Backlog(project)
    for edit in (lambda: backlog.delete(1), lambda: backlog.answer_human_input(1, {})):
        with pytest.raises(BacklogError, match=r"^Feature 1 does not exist\.$"):
            edit()
    assert sorted(p.name for p in project.iterdir()) == ["README.md", "app.py"]


def test_direct_calls_obey_the_tools_rules(project: Path) -> None:
    """The pane calls the backlog without the tools: the same schema rules still apply."""
    db = make_backlog(project / "features.db", [{}, {}])
    before = dump(db)
    backlog = Backlog(project)
    calls = {
        "name": lambda: backlog.update(1, name="x" * 256),
        "steps": lambda: backlog.update(1, steps=["ok", " "]),
        "ids": lambda: backlog.set_dependencies(1, [True]),  # type: ignore[list-item]
        "reason": lambda: backlog.mark_failing(1, " "),
    }
    messages = {}
    for key, edit in calls.items():
        with pytest.raises(BacklogError) as refused:
            edit()
        messages[key] = str(refused.value)
    backlog.close()
    assert messages == {
        "name": "'name' is 256 characters long; the limit is 255.",
        "steps": "steps[1] must not be empty.",
        "ids": "dependency_ids[0] must be an integer; got True.",
        "reason": "'reason' must not be empty.",
    }
    assert dump(db) == before


def test_delete_reads_old_cells_as_the_readers_do(project: Path) -> None:
    """Ids stored as text or 1.0 are unlinked too; an id merely containing the digits is not."""
    rows = [{}, {"dependencies": [15]}, {"dependencies": '["1", 2]'}, {"dependencies": "[1.0]"}]
    db = make_backlog(project / "features.db", rows)
    assert Backlog(project).delete(1) == {"deleted": 1, "unlinked": [3, 4]}
    conn = sqlite3.connect(db)
    left = conn.execute("SELECT id, dependencies FROM features ORDER BY id").fetchall()
    conn.close()
    assert left == [(2, "[15]"), (3, "[2]"), (4, None)]
