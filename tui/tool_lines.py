"""Friendly one-line descriptions of tool calls, for the tool log and `ask`'s stderr."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from tui.user_questions import visible

MCP_SERVER = "features"  # the name our backlog server is configured under (tui.agent.session)
MCP_PREFIX = f"mcp__{MCP_SERVER}__"  # how the CLI names that server's tools
ASKED = "asked: waiting for your answer"  # a call's decision while the user is asked about it
ASK_USER_SERVER = "assistant"  # the app's in-process server (tui.agent.ask_user)
ASK_USER_TOOL = "ask_user"
ASK_USER = f"mcp__{ASK_USER_SERVER}__{ASK_USER_TOOL}"


def describe(name: str, tool_input: dict[str, Any]) -> str:
    """'Reading file: app.py', 'Creating feature: "X" in Auth', else 'Using tool: name'.

    Always one line: the input is the model's, and a line break in a URL or a name would
    otherwise draw a row of its own in the tool log (a fake "Host:" line under a fetch)."""
    return " ".join(_describe(name, tool_input).split()) or "Using a tool"


def _describe(name: str, tool_input: dict[str, Any]) -> str:
    short = name.removeprefix(MCP_PREFIX)
    if name == "Read":
        return f"Reading file: {PurePath(str(tool_input.get('file_path', ''))).name}"
    if name == "Glob":
        return f"Searching for files: {tool_input.get('pattern', '')}"
    if name == "Grep":
        return f"Searching for: {tool_input.get('pattern', '')}"
    if name == "WebFetch":
        return f"Fetching: {tool_input.get('url', '')}"
    if name == "WebSearch":
        return f"Searching the web: {tool_input.get('query', '')}"
    if name == ASK_USER:
        return _asking(tool_input)
    if short == "feature_create":
        return (
            f'Creating feature: "{tool_input.get("name", "")}" in {tool_input.get("category", "")}'
        )
    if short == "feature_create_bulk":
        count = len(tool_input.get("features") or [])
        return f"Creating {count} features"
    if short == "feature_get_stats":
        return "Checking project progress"
    if short == "feature_get_ready":
        return "Finding features ready to work on"
    if short == "feature_get_blocked":
        return "Finding blocked features"
    if short == "feature_get_by_id":
        return f"Reading feature #{tool_input.get('feature_id', '?')}"
    if short == "feature_list":
        return "Listing features"
    if short == "feature_get_graph":
        return "Reading the dependency graph"
    if short == "feature_skip":
        return f"Skipping feature #{tool_input.get('feature_id', '?')}"
    if short in _EDITS:
        return _EDITS[short].format_map(_Missing(tool_input))
    return f"Using tool: {short}"


def _asking(tool_input: dict[str, Any]) -> str:
    """'Asking you: Which database?', or how many questions when there are several."""
    questions = tool_input.get("questions")
    items = questions if isinstance(questions, list) else []
    first = items[0] if items and isinstance(items[0], dict) else {}
    text = visible(" ".join(str(first.get("question") or "").split()))
    if len(text) > 120:
        text = text[:119] + "…"
    more = f" (and {len(items) - 1} more)" if len(items) > 1 else ""
    return f"Asking you: {text}{more}" if text else "Asking you a question"


class _Missing(dict[str, Any]):
    """A call's input for ``format_map``: a field the model left out reads as "?"."""

    def __missing__(self, key: str) -> str:
        return "?"


_EDITS = {
    "feature_update": "Editing feature #{feature_id}",
    "feature_add_dependency": "Making feature #{feature_id} wait for #{dependency_id}",
    "feature_remove_dependency": "Feature #{feature_id} no longer waits for #{dependency_id}",
    "feature_set_dependencies": "Setting the dependencies of feature #{feature_id}",
    "feature_mark_failing": "Reopening feature #{feature_id} as failing",
}
