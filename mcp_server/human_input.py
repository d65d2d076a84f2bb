"""Answering a feature that waits for human input, stored as upstream's web UI stores it.

The request is upstream's form (``human_input_request``: a prompt and fields of type text,
textarea, select or boolean). The answer is checked against that form, field by field, before
anything is written: an agent resumes from ``human_input_response`` and would otherwise act on
an answer its own form does not allow. Not an MCP tool: only the person at the pane answers.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from mcp_server.fields import DESCRIPTION_LIMIT
from mcp_server.records import BacklogError
from mcp_server.validate import ArgumentError, check

COLUMNS = ("needs_human_input", "human_input_request", "human_input_response")
ANSWER_LIMIT = DESCRIPTION_LIMIT  # characters of one text answer
_TEXT = {"type": "string", "maxLength": ANSWER_LIMIT}


def answer(
    conn: sqlite3.Connection,
    columns: Sequence[str],
    feature_id: int,
    fields: Mapping[str, Any],
) -> None:
    """Store the answer and clear ``needs_human_input`` (passes and in_progress stay 0, so the
    feature returns to the queue and the agent picks it up with the answer)."""
    if not set(COLUMNS) <= set(columns):
        raise BacklogError(
            "This backlog has no human-input columns (an AutoCoder version before them), so "
            f"feature {feature_id} cannot be waiting for an answer."
        )
    row = conn.execute(
        "SELECT needs_human_input, human_input_request FROM features WHERE id = ?", (feature_id,)
    ).fetchone()
    if row is None:
        raise BacklogError(f"Feature {feature_id} does not exist.")
    if not row[0]:
        raise BacklogError(
            f"Feature {feature_id} is not waiting for human input; nothing was stored."
        )
    form = request_fields(row[1], feature_id)
    answers = checked_answers(form, fields, feature_id)
    response = {"fields": answers, "responded_at": datetime.now(UTC).isoformat()}
    conn.execute(
        "UPDATE features SET human_input_response = ?, needs_human_input = 0 WHERE id = ?",
        (json.dumps(response, ensure_ascii=False), feature_id),
    )


def request_fields(raw: Any, feature_id: int) -> list[dict[str, Any]]:
    """The form's fields, each a dict with a string id; an unreadable form is refused."""
    try:
        request = json.loads(raw) if isinstance(raw, str | bytes) else raw
    except ValueError:
        request = None
    fields = request.get("fields", []) if isinstance(request, dict) else None
    if not isinstance(fields, list) or not all(
        isinstance(f, dict) and isinstance(f.get("id"), str) for f in fields
    ):
        raise BacklogError(
            f"Feature {feature_id}'s request for input is not the form upstream defines, so it "
            "cannot be answered here; answer it in upstream's web UI."
        )
    return fields


def checked_answers(
    form: Sequence[dict[str, Any]], given: Mapping[str, Any], feature_id: int
) -> dict[str, str | bool | list[str]]:
    """Every given id in the form, every required field answered, each value of its type."""
    by_id = {field["id"]: field for field in form}
    for key in given:
        if key not in by_id:
            known = ", ".join(by_id) or "none"
            raise BacklogError(
                f"Feature {feature_id}'s request has no field {key!r} (its fields: {known}); "
                "nothing was stored."
            )
    answers: dict[str, str | bool | list[str]] = {}
    for field in form:
        value = given.get(field["id"])
        if value is None:
            if field.get("required", True):
                raise BacklogError(f"{_label(field)} needs an answer; nothing was stored.")
            continue
        answers[field["id"]] = _checked_value(field, value)
    return answers


def _label(field: Mapping[str, Any]) -> str:
    label = field.get("label")
    name = label if isinstance(label, str) and label.strip() else field["id"]
    return f'The field "{name}"'


def _checked_value(field: Mapping[str, Any], value: Any) -> str | bool | list[str]:
    """One answer of the field's type: text, textarea (and unknown types) take text, select
    one of its options (or a list of them), boolean true or false."""
    kind = field.get("type") or "text"
    required = bool(field.get("required", True))
    if kind == "boolean":
        if not isinstance(value, bool):
            raise BacklogError(f"{_label(field)} takes true or false; nothing was stored.")
        return value
    if kind == "select":
        return _checked_choice(field, value, required)
    if not isinstance(value, str):
        raise BacklogError(f"{_label(field)} takes text; nothing was stored.")
    try:
        check(value, _TEXT, _label(field))
    except ArgumentError as error:
        raise BacklogError(str(error)) from error
    if required and not value.strip():
        raise BacklogError(f"{_label(field)} needs an answer; nothing was stored.")
    return value


def _checked_choice(field: Mapping[str, Any], value: Any, required: bool) -> str | list[str]:
    options = field.get("options")
    allowed = [
        o["value"]
        for o in (options if isinstance(options, list) else [])
        if isinstance(o, dict) and isinstance(o.get("value"), str)
    ]
    chosen = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in chosen):
        raise BacklogError(f"{_label(field)} takes one of its options; nothing was stored.")
    if required and not any(item for item in chosen):
        raise BacklogError(f"{_label(field)} needs an answer; nothing was stored.")
    for item in chosen:
        if item and item not in allowed:
            shown = ", ".join(allowed) or "none"
            raise BacklogError(
                f"{_label(field)} has no option {item!r} (its options: {shown}); "
                "nothing was stored."
            )
    if len(set(chosen)) != len(chosen):
        raise BacklogError(f"{_label(field)} names the same option twice; nothing was stored.")
    return list(chosen) if isinstance(value, list) else chosen[0]
