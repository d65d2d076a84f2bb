"""A feature's fields as JSON Schema: one copy for the tools' input schemas and the backlog's own
checks, so an edit from the backlog pane (which calls the backlog without the tools) obeys
exactly the rules a create from the model obeys."""

from __future__ import annotations

from typing import Any

MAX_DEPENDENCIES = 20  # upstream's own cap per feature

ID: dict[str, Any] = {"type": "integer", "minimum": 1, "description": "The feature's id."}
STEPS: dict[str, Any] = {
    "type": "array",
    "minItems": 1,
    "maxItems": 50,
    "items": {"type": "string", "minLength": 1, "maxLength": 2000},
    "description": "Concrete steps that verify the feature works, in order.",
}
DESCRIPTION_LIMIT = 20_000
TEXT_FIELDS: dict[str, Any] = {
    "category": {
        "type": "string",
        "minLength": 1,
        "maxLength": 100,
        "description": "A short group name such as 'Authentication' or 'UI'.",
    },
    "name": {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "description": "What the feature does, as a short imperative title.",
    },
    "description": {
        "type": "string",
        "minLength": 1,
        "maxLength": DESCRIPTION_LIMIT,
        "description": "What to build and why, with enough detail to implement it.",
    },
    "steps": STEPS,
}
DEPENDENCY_IDS: dict[str, Any] = {
    "type": "array",
    "maxItems": MAX_DEPENDENCIES,
    "items": {"type": "integer", "minimum": 1},
    "description": "Ids of existing features that must pass before this one can start.",
}
FEATURE_FIELDS: dict[str, Any] = TEXT_FIELDS | {"dependencies": DEPENDENCY_IDS}
REASON: dict[str, Any] = {
    "type": "string",
    "minLength": 1,
    "maxLength": 2000,
    "description": "What is broken, as the coding agent should read it (appended to the "
    "feature's description).",
}
