"""The backlog tools as MCP sees them: names, titles, descriptions, schemas, annotations, handlers.

Each tool validates its arguments against its own advertised input schema, calls one Backlog
method, and returns JSON text. Failures are ToolFailure with one sentence, which the protocol
layer turns into an ``isError`` result the model can read and correct.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from boundary.secrets import secret_kind
from mcp_server.backlog import STATUSES, Backlog, NewFeature
from mcp_server.fields import (
    DEPENDENCY_IDS,
    FEATURE_FIELDS,
    ID,
    MAX_DEPENDENCIES,
    REASON,
    TEXT_FIELDS,
)
from mcp_server.records import BacklogError
from mcp_server.validate import ArgumentError, check

MAX_BULK = 200
MAX_WRITE_BYTES = 2_000_000  # text one write may carry (UTF-8), whatever the schema allows
SESSION_CREATE_LIMIT = 1_000  # features one server process (one model session) may create
READ = {"readOnlyHint": True, "destructiveHint": False, "idempotentHint": True}
WRITE = {"readOnlyHint": False, "destructiveHint": False, "idempotentHint": False}
# An edit overwrites what was there (destructive), and repeating it changes nothing more.
EDIT = {"readOnlyHint": False, "destructiveHint": True, "idempotentHint": True}
LOCAL = {"openWorldHint": False}

_ID = ID
_FEATURE_FIELDS = FEATURE_FIELDS
_BULK_ITEM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["category", "name", "description", "steps"],
    "properties": _FEATURE_FIELDS
    | {
        "depends_on_indices": {
            "type": "array",
            "maxItems": MAX_DEPENDENCIES,
            "items": {"type": "integer", "minimum": 0},
            "description": "0-based positions of EARLIER features in this same list.",
        }
    },
}


class ToolFailure(Exception):
    """A tool call that failed for a reason the caller can fix; the text is one sentence."""


@dataclass(frozen=True)
class Tool:
    """One MCP tool: what the client is told about it and the function that runs it."""

    name: str
    title: str
    description: str
    properties: dict[str, Any]
    required: tuple[str, ...]
    annotations: dict[str, Any]
    run: Callable[[Backlog, dict[str, Any]], Any]

    @property
    def input_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": self.properties,
            "required": list(self.required),
            "additionalProperties": False,
        }

    def describe(self) -> dict[str, Any]:
        """The entry of this tool in a ``tools/list`` result."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "inputSchema": self.input_schema,
            "annotations": {"title": self.title, **self.annotations, **LOCAL},
        }

    def call(self, backlog: Backlog, arguments: Any) -> str:
        """Validate, run, and return the result as JSON text; raise ToolFailure on bad input."""
        if arguments is None:
            arguments = {}
        try:
            args = check(arguments, self.input_schema, "arguments")
            if not self.annotations.get("readOnlyHint"):
                check_written_text(args)
            result = self.run(backlog, args)
        except (ArgumentError, BacklogError) as error:
            raise ToolFailure(str(error)) from error
        return json.dumps(result, ensure_ascii=False, separators=(",", ":"))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def check_written_text(args: dict[str, Any]) -> None:
    """Refuse a write over 2 MB of text, or one holding a credential.

    The backlog is read by autonomous coding agents and often committed with the project: a
    key pasted into a feature (or smuggled there by a prompt injection) would travel on.
    """
    texts = _strings(args)
    size = sum(len(text.encode("utf-8", errors="replace")) for text in texts)
    if size > MAX_WRITE_BYTES:
        raise ArgumentError(
            f"These features carry {size:,} bytes of text, more than the {MAX_WRITE_BYTES:,} one "
            "write may hold; create them in smaller batches."
        )
    for text in texts:
        kind = secret_kind(text)
        if kind:
            raise ArgumentError(
                f"The feature text holds {kind}; credentials are never written into the backlog "
                "(coding agents read it), so nothing was written: leave the credential out."
            )


def _new_feature(item: dict[str, Any]) -> NewFeature:
    return NewFeature(
        category=item["category"].strip(),
        name=item["name"].strip(),
        description=item["description"].strip(),
        steps=[step.strip() for step in item["steps"]],
        dependencies=tuple(item.get("dependencies", ())),
        depends_on_indices=tuple(item.get("depends_on_indices", ())),
    )


def _bulk(backlog: Backlog, args: dict[str, Any]) -> Any:
    return backlog.create_bulk([_new_feature(item) for item in args["features"]])


TOOLS: tuple[Tool, ...] = (
    Tool(
        "feature_get_stats",
        "Backlog progress",
        "Count the backlog's features: passing, in progress, waiting for the user's input "
        "(needs_human_input), total, and the percentage passing; path names the backlog file "
        "used, relative to the project (null: no backlog yet). Use it to answer 'how far along "
        "is the project?'.",
        {},
        (),
        READ,
        lambda b, a: b.stats(),
    ),
    Tool(
        "feature_get_by_id",
        "Feature details",
        "Get one feature in full: category, name, description, steps, priority, status and "
        "dependencies (plus any extra fields the backlog keeps).",
        {"feature_id": _ID},
        ("feature_id",),
        READ,
        lambda b, a: b.get(a["feature_id"]),
    ),
    Tool(
        "feature_get_ready",
        "Features ready to work on",
        "List the features that can be started now (not passing, not in progress, not waiting "
        "for the user's input, every dependency passing), in queue order: priority, then id. "
        "Also returns how many are ready.",
        {"limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}},
        (),
        READ,
        lambda b, a: b.ready(a.get("limit", 10)),
    ),
    Tool(
        "feature_get_blocked",
        "Blocked features",
        "List features that cannot start because a dependency does not pass yet; each names the "
        "ids it waits on in blocked_by. Also returns how many are blocked.",
        {"limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
        (),
        READ,
        lambda b, a: b.blocked(a.get("limit", 20)),
    ),
    Tool(
        "feature_list",
        "Search the backlog",
        "List features filtered by status (passing, in_progress, ready, blocked, "
        "needs_human_input = waiting for the user's answer, pending = not passing and not in "
        "progress), by category, and by text found in name or description; "
        "paginated with limit and offset. Returns short entries; use feature_get_by_id for one "
        "feature in full.",
        {
            "status": {"type": "string", "enum": list(STATUSES)},
            "category": {"type": "string", "maxLength": 100},
            "query": {"type": "string", "maxLength": 500},
            "limit": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
            "offset": {"type": "integer", "minimum": 0, "default": 0},
        },
        (),
        READ,
        lambda b, a: b.find(**a),
    ),
    Tool(
        "feature_get_graph",
        "Dependency graph",
        "Get every feature as a node (id, name, category, status, priority, dependencies, "
        "detail) and every dependency as an edge from the required feature (source) to the one "
        "that waits for it (target). status is one of done, blocked, needs_human_input, "
        "in_progress, pending (the first that applies); detail is the status feature_list shows; "
        "missing marks an edge from an id that does not exist.",
        {},
        (),
        READ,
        lambda b, a: b.graph(),
    ),
    Tool(
        "feature_create",
        "Create a feature",
        "Add one feature at the end of the queue. Give a category, a short name, a description "
        "with enough detail to build it, and concrete steps that verify it works. Optional "
        f"dependencies: ids of existing features (at most {MAX_DEPENDENCIES}).",
        _FEATURE_FIELDS,
        ("category", "name", "description", "steps"),
        WRITE,
        lambda b, a: b.create(_new_feature(a)),
    ),
    Tool(
        "feature_create_bulk",
        "Create several features",
        "Add several features at once, all or nothing, in the order given. An item may depend on "
        "EARLIER items of the same list through depends_on_indices (0-based) and on existing "
        f"features through dependencies; at most {MAX_DEPENDENCIES} dependencies per feature. "
        "Returns the ids created.",
        {
            "features": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_BULK,
                "items": _BULK_ITEM,
                "description": "The features to create.",
            }
        },
        ("features",),
        WRITE,
        _bulk,
    ),
    Tool(
        "feature_skip",
        "Skip a feature",
        "Move a feature that does not pass yet to the end of the queue and clear its in-progress "
        "flag, so other ready features come first. Refuses a passing feature.",
        {"feature_id": _ID},
        ("feature_id",),
        {**WRITE, "idempotentHint": False},
        lambda b, a: b.skip(a["feature_id"]),
    ),
)

_DEPENDENCY_ID = {"type": "integer", "minimum": 1, "description": "The id of the other feature."}


def _update(backlog: Backlog, args: dict[str, Any]) -> Any:
    fields = {key: args[key] for key in TEXT_FIELDS if key in args}
    return backlog.update(args["feature_id"], **fields)


EDIT_TOOLS: tuple[Tool, ...] = (
    Tool(
        "feature_update",
        "Edit a feature",
        "Change an existing feature's name, description, steps or category (give only the "
        "fields to change, at least one; the same limits as feature_create). Never changes "
        "whether it passes or is in progress. Returns the feature after the change.",
        {"feature_id": _ID} | TEXT_FIELDS,
        ("feature_id",),
        EDIT,
        _update,
    ),
    Tool(
        "feature_add_dependency",
        "Add a dependency",
        "Make a feature wait until another existing feature passes. Refused for the feature "
        f"itself, a missing id, one already listed, more than {MAX_DEPENDENCIES} dependencies, "
        "or a cycle (the cycle is named). Returns the feature after the change.",
        {"feature_id": _ID, "dependency_id": _DEPENDENCY_ID},
        ("feature_id", "dependency_id"),
        EDIT,
        lambda b, a: b.add_dependency(a["feature_id"], a["dependency_id"]),
    ),
    Tool(
        "feature_remove_dependency",
        "Remove a dependency",
        "Stop a feature waiting for another one (also removes a dependency on a feature that no "
        "longer exists). Returns the feature after the change.",
        {"feature_id": _ID, "dependency_id": _DEPENDENCY_ID},
        ("feature_id", "dependency_id"),
        EDIT,
        lambda b, a: b.remove_dependency(a["feature_id"], a["dependency_id"]),
    ),
    Tool(
        "feature_set_dependencies",
        "Set the dependencies",
        "Replace a feature's whole dependency list (an empty list clears it). Refused for the "
        f"feature itself, missing ids, duplicates, more than {MAX_DEPENDENCIES}, or a cycle (the "
        "cycle is named). Returns the feature after the change.",
        {"feature_id": _ID, "dependency_ids": DEPENDENCY_IDS},
        ("feature_id", "dependency_ids"),
        EDIT,
        lambda b, a: b.set_dependencies(a["feature_id"], a["dependency_ids"]),
    ),
    Tool(
        "feature_mark_failing",
        "Reopen a feature as failing",
        "Report a bug in a passing feature: it becomes pending again (not passing, not in "
        "progress) so the coding agents pick it up, and the reason is appended to its "
        "description as a line 'Reported failing: <reason>'. Refuses a feature that does not "
        "pass. Returns the feature after the change.",
        {"feature_id": _ID, "reason": REASON},
        ("feature_id",),
        EDIT,
        lambda b, a: b.mark_failing(a["feature_id"], a.get("reason")),
    ),
)
TOOLS += EDIT_TOOLS

BY_NAME = {tool.name: tool for tool in TOOLS}
