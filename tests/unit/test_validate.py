"""The schema checker that guards every tool call (pure code)."""

from __future__ import annotations

import pytest

from mcp_server.records import parse_dependencies
from mcp_server.validate import ArgumentError, check

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["n"],
    "properties": {
        "n": {"type": "integer", "minimum": 1, "maximum": 5},
        "tags": {"type": "array", "maxItems": 2, "items": {"type": "string", "minLength": 1}},
    },
}


def test_accepts_and_normalizes_integral_floats() -> None:
    assert check({"n": 2.0, "tags": ["a"]}, SCHEMA, "arguments") == {"n": 2, "tags": ["a"]}


def test_optional_null_is_treated_as_absent() -> None:
    assert check({"n": 1, "tags": None}, SCHEMA, "arguments") == {"n": 1}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({}, "'n' is required."),
        ({"n": 2.5}, "'n' must be an integer; got 2.5."),
        ({"n": 9}, "'n' must be a whole number from 1 to 5; got 9."),
        ({"n": 2**70}, "'n' is out of range; got 1180591620717411303424."),
        ({"n": 1, "tags": ["a", "b", "c"]}, "'tags' holds 3 items; the limit is 2."),
        ({"n": 1, "tags": [" "]}, "tags[0] must not be empty."),
        ({"n": 1, "x": 1}, "Unknown argument 'x'; the accepted ones are n, tags."),
        ([], "The arguments must be an object; got []."),
    ],
)
def test_rejects_with_one_sentence(value: object, message: str) -> None:
    with pytest.raises(ArgumentError) as info:
        check(value, SCHEMA, "arguments")
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("raw", "ids"),
    [
        (None, []),
        ("[1, 2]", [1, 2]),
        ("not json", []),
        ('{"a": 1}', []),
        ('[1, "2", true, 3.0, 2.5, null]', [1, 2, 3]),
    ],
)
def test_dependencies_are_read_leniently(raw: object, ids: list[int]) -> None:
    assert parse_dependencies(raw) == ids


def test_code_blocks_are_found_without_fences() -> None:
    from tui.text import code_blocks

    text = "intro\n```python\nx = 1\ny = 2\n```\nmiddle\n~~~\nplain\n~~~\n```\nunclosed"
    assert code_blocks(text) == ["x = 1\ny = 2", "plain"]
