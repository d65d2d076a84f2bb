"""Check tool arguments against the JSON Schema the server advertises.

Only the subset our tool schemas use is supported (type, bounds, lengths, items, properties,
required, additionalProperties, enum), which keeps the server free of heavy dependencies while the
schema a client sees stays the single source of truth for what is accepted.
"""

from __future__ import annotations

from typing import Any

_TYPE_NAMES = {
    "integer": "an integer",
    "string": "a string",
    "array": "a list",
    "object": "an object",
    "boolean": "true or false",
}


class ArgumentError(ValueError):
    """Arguments that do not fit the schema, explained in one sentence."""


def _show(value: Any) -> str:
    """A short rendering of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_type(value: Any, kind: str) -> bool:
    if kind == "integer":
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if kind == "string":
        return isinstance(value, str)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "boolean":
        return isinstance(value, bool)
    return True


def check(value: Any, schema: dict[str, Any], where: str) -> Any:
    """Return the value normalized (integral floats become ints) or raise ArgumentError."""
    kind = schema.get("type")
    if kind and not _is_type(value, kind):
        subject = "The arguments" if where == "arguments" else where
        raise ArgumentError(f"{subject} must be {_TYPE_NAMES[kind]}; got {_show(value)}.")
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(str(v) for v in schema["enum"])
        raise ArgumentError(f"{where} must be one of {allowed}; got {_show(value)}.")
    if kind == "integer":
        return _check_integer(int(value), schema, where)
    if kind == "string":
        return _check_string(value, schema, where)
    if kind == "array":
        return _check_array(value, schema, where)
    if kind == "object":
        return _check_object(value, schema, where)
    return value


def _check_integer(value: int, schema: dict[str, Any], where: str) -> int:
    if not -(2**63) <= value < 2**63:
        raise ArgumentError(f"{where} is out of range; got {_show(value)}.")
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
        raise ArgumentError(f"{where} must be a whole number {bounds}; got {value}.")
    return value


def _check_string(value: str, schema: dict[str, Any], where: str) -> str:
    if "\x00" in value:
        raise ArgumentError(f"{where} must not contain NUL characters.")
    if any("\ud800" <= char <= "\udfff" for char in value):
        raise ArgumentError(f"{where} must be valid Unicode text (it holds a lone surrogate).")
    length = len(value.strip())
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if length < low:
        raise ArgumentError(f"{where} must not be empty.")
    if high is not None and len(value) > high:
        raise ArgumentError(f"{where} is {len(value)} characters long; the limit is {high}.")
    return value


def _check_array(value: list[Any], schema: dict[str, Any], where: str) -> list[Any]:
    low, high = schema.get("minItems", 0), schema.get("maxItems")
    if len(value) < low:
        raise ArgumentError(f"{where} must hold at least {low} item{'s' * (low != 1)}.")
    if high is not None and len(value) > high:
        raise ArgumentError(f"{where} holds {len(value)} items; the limit is {high}.")
    items = schema.get("items", {})
    return [check(item, items, f"{_bare(where)}[{i}]") for i, item in enumerate(value)]


def _check_object(value: dict[str, Any], schema: dict[str, Any], where: str) -> dict[str, Any]:
    props: dict[str, Any] = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value or value[name] is None:
            raise ArgumentError(f"{_join(where, name)} is required.")
    if schema.get("additionalProperties") is False:
        unknown = sorted(set(value) - set(props))
        if unknown:
            known = ", ".join(props) or "none"
            if where == "arguments":
                raise ArgumentError(
                    f"Unknown argument {unknown[0]!r}; the accepted ones are {known}."
                )
            raise ArgumentError(
                f"{where} has unknown field {unknown[0]!r}; the accepted ones are {known}."
            )
    out: dict[str, Any] = {}
    for name, item in value.items():
        if item is None and name not in schema.get("required", []):
            continue
        out[name] = check(item, props.get(name, {}), _join(where, name))
    return out


def _join(where: str, name: str) -> str:
    """Name a nested argument: 'limit' at the top level, features[2].name below it."""
    return f"'{name}'" if where == "arguments" else f"{_bare(where)}.{name}"


def _bare(where: str) -> str:
    return where.strip("'")
