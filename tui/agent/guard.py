"""The read-only rules, enforced in code as a PreToolUse hook (prompt text is not security).

Every tool call passes through ``Guard.decide`` before the CLI runs it:
- only the read tools and our backlog tools are allowed; everything else is denied;
- Read, Glob and Grep may only touch paths that resolve (symlinks followed) inside the project,
  checked on the path as given and on its NFKC form (look-alike characters such as U+2024);
- a file with a second name (hardlink), a FIFO or a device is denied (boundary.paths);
- files that usually hold secrets (.env, keys, tokens...) are denied by name, and a file whose
  first MiB holds a private key or a token of a known shape by content, unless allowed.
What runs inside the CLI (a recursive Grep) is bounded by the session's deny rules
(boundary.links) and by the redaction of every result (``redact_hook``).
The model receives the denial reason as the tool's result and the turn goes on.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from boundary.paths import (
    Refused,
    in_package_dir,
    inside,
    project_relative,
    read_nofollow,
    refuse_special,
)
from boundary.secrets import (
    CONTENT_LIMIT,
    cli_rules,
    redact_shape,
    secret_kind,
    secret_name,
    withheld_shape,
)
from mcp_server.tools import TOOLS
from tui.agent.web import WEB_TOOLS, WebPolicy
from tui.tool_lines import MCP_PREFIX

READ_TOOLS = ("Read", "Glob", "Grep", "WebFetch", "WebSearch")
# The server's own registry, so a tool added there is offered here without a second list.
BACKLOG_TOOLS = tuple(tool.name for tool in TOOLS)
ALLOWED_TOOLS = (*READ_TOOLS, *(MCP_PREFIX + t for t in BACKLOG_TOOLS))
# Named so the CLI drops them from the model's tool list too (defence in depth).
DISALLOWED_TOOLS = (
    "Write",
    "Edit",
    "MultiEdit",
    "NotebookEdit",
    "Bash",
    "BashOutput",
    "KillShell",
    "Task",
    "Agent",
    "Skill",
    "SlashCommand",
    "TodoWrite",
    "ExitPlanMode",
)
MAX_PATH = 4096


def secret_read_rules() -> list[str]:
    """Deny rules for the CLI itself: it turns Read denials into exclusions for Grep and Glob,
    so a recursive search never returns the contents or names of secret files."""
    return cli_rules()


@dataclass
class Guard:
    """Decides every tool call for one project; remembers which tool uses it denied."""

    project: Path
    allow_secrets: bool = False
    denied: set[str] = field(default_factory=set)
    web: WebPolicy = field(default_factory=WebPolicy)

    def __post_init__(self) -> None:
        self.root = Path(os.path.realpath(self.project))

    async def hook(self, data: dict[str, Any], tool_use_id: str | None, context: Any) -> Any:
        """The PreToolUse hook callback handed to the SDK."""
        reason = self.decide(str(data.get("tool_name", "")), data.get("tool_input") or {})
        if reason is None:
            return {}
        self.denied.add(str(data.get("tool_use_id") or tool_use_id or ""))
        return {
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "deny",
                "permissionDecisionReason": reason,
            }
        }

    async def redact_hook(
        self, data: dict[str, Any], tool_use_id: str | None, context: Any
    ) -> dict[str, Any]:
        """The PostToolUse hook: token shapes in any tool's result become [redacted].

        A recursive Grep runs inside the CLI, so a line holding a key in a file of an innocent
        name would otherwise reach the model. The CLI takes ``updatedToolOutput`` only in the
        shape of the tool's own output (else it silently keeps the original), so the result is
        rewritten in place; nothing is returned when nothing matched (a rewrite could race
        another hook's). A failure of the hook would let the original through (PostToolUse hooks
        fail open), so every error withholds the whole result instead.
        """
        if self.allow_secrets:
            return {}
        response = data.get("tool_response")
        try:
            cleaned, count = redact_shape(response)
            if not count:
                return {}
        except Exception:  # never raise here: see above
            cleaned = withheld_shape(response)
        return {
            "hookSpecificOutput": {"hookEventName": "PostToolUse", "updatedToolOutput": cleaned}
        }

    def decide(self, tool: str, tool_input: dict[str, Any]) -> str | None:
        """None to allow, else the reason for the denial (one sentence for the model)."""
        if tool not in ALLOWED_TOOLS:
            return f"{tool} is not available: this assistant is read-only and cannot change files."
        if tool == "Read":
            return self._check_path(tool_input.get("file_path"), "file_path", required=True)
        if tool == "Glob":
            return self._check_path(tool_input.get("path"), "path") or self._check_pattern(
                tool_input.get("pattern"), "pattern"
            )
        if tool == "Grep":
            return self._check_path(tool_input.get("path"), "path") or self._check_pattern(
                tool_input.get("glob"), "glob"
            )
        if tool in WEB_TOOLS:
            return self.web.decide(tool, tool_input)
        return None

    def _check_file(self, raw: str, target: Path) -> str | None:
        """A file about to be read: regular, one name, and no credential in its first MiB.

        A folder (Glob and Grep search them) and a missing path (the CLI says so) pass.
        """
        try:
            info = os.lstat(target)
        except OSError:
            return None
        if stat.S_ISDIR(info.st_mode):
            return None
        try:
            refuse_special(target, info, links_ok=_in_package(self.root, target))
            if self.allow_secrets:
                return None
            head = read_nofollow(self.root, target, CONTENT_LIMIT)
        except Refused as error:
            return f"Denied: {error}; this assistant reads only regular files of the project."
        except OSError as error:
            return f"Denied: {raw} cannot be read ({error.strerror})."
        kind = secret_kind(head.decode("utf-8", errors="replace"))
        if kind:
            return (
                f"Denied: {raw} holds {kind}, so it is not read; the user can allow it with "
                "--allow-secrets."
            )
        return None

    def _check_path(self, raw: Any, name: str, required: bool = False) -> str | None:
        if raw is None or raw == "":
            return f"{name} is required." if required else None
        if not isinstance(raw, str):
            return f"{name} must be a path string."
        problem = _suspicious(raw)
        if problem:
            return f"Denied: {name} {problem}."
        for form in _forms(raw):
            target = self._resolve(form)
            if not inside(target, self.root):
                return (
                    f"Denied: {raw} is outside the project {self.root}; this assistant may only "
                    "read files inside it."
                )
            if not self.allow_secrets and secret_name(project_relative(self.root, target)):
                return (
                    f"Denied: {raw} may hold secrets (keys, passwords, tokens), so it is not read; "
                    "the user can allow it with --allow-secrets."
                )
            problem = self._check_file(raw, target)
            if problem:
                return problem
        return None

    def _check_pattern(self, raw: Any, name: str) -> str | None:
        """A glob pattern is relative to the searched folder; it must not climb out of it."""
        if raw is None or raw == "":
            return None
        if not isinstance(raw, str):
            return f"{name} must be a string."
        problem = _suspicious(raw)
        if problem:
            return f"Denied: {name} {problem}."
        for form in _forms(raw):
            if form.startswith(("/", "~", "\\")) or ".." in PurePosixPath(form).parts:
                return (
                    f"Denied: the {name} {raw!r} reaches outside the project; use a pattern "
                    "relative to the project."
                )
            if not self.allow_secrets and secret_name(form):
                return f"Denied: the {name} {raw!r} targets files that may hold secrets."
        return None

    def _resolve(self, raw: str) -> Path:
        path = Path(os.path.expanduser(raw))
        if not path.is_absolute():
            path = self.root / path
        return Path(os.path.realpath(path))


def _forms(raw: str) -> Iterable[str]:
    """The path as given and, when different, its NFKC form (look-alike characters folded)."""
    yield raw
    folded = unicodedata.normalize("NFKC", raw)
    if folded != raw:
        yield folded


def _suspicious(raw: str) -> str | None:
    if "\x00" in raw:
        return "contains a NUL character"
    if len(raw) > MAX_PATH:
        return f"is longer than {MAX_PATH} characters"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in raw):
        return "contains control or invisible formatting characters"
    return None


def _in_package(root: Path, target: Path) -> bool:
    return in_package_dir(target.relative_to(root).parts)
