"""The read-only rules, enforced in code as a PreToolUse hook (prompt text is not security).

Every tool call passes through ``Guard.decide`` before the CLI runs it:
- only the read tools and our backlog tools are allowed; everything else is denied;
- Read, Glob and Grep may only touch paths that resolve (symlinks followed) inside the project,
  checked on the path as given and on its NFKC form (look-alike characters such as U+2024);
- a file with a second name (hardlink), a FIFO or a device is denied (boundary.paths);
- files that usually hold secrets (.env, keys, tokens...) are denied by name, and a file whose
  first MiB holds a private key or a token of a known shape by content, unless allowed;
- a WebFetch to a host nobody allowed, and any writing backlog tool, wait for the user's answer
  in the app (tui.agent.approval) and are denied headless unless a flag allows them;
- the assistant's own question to the user (``ask_user``, tui.agent.ask_user) reads and changes
  nothing: it is allowed when its arguments hold a question the user can answer, else refused
  with one sentence saying what is wrong.
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
    special,
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
from tui.agent.approval import BY_YOU, WRITE_TOOLS, Approvals, Choice, new_question
from tui.agent.ask_user import AskUser
from tui.agent.web import WEB_TOOLS, Verdict, WebPolicy
from tui.tool_lines import ASK_USER, MCP_PREFIX
from tui.user_questions import BadQuestions, parse

READ_TOOLS = ("Read", "Glob", "Grep", "WebFetch", "WebSearch")
# The server's own registry, so a tool added there is offered here without a second list.
BACKLOG_TOOLS = tuple(tool.name for tool in TOOLS)
ALLOWED_TOOLS = (*READ_TOOLS, *(MCP_PREFIX + t for t in BACKLOG_TOOLS), ASK_USER)
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
BACKLOG_NOT_ALLOWED = (
    "Denied: the user has not allowed backlog writes (allow them with --allow-backlog-writes, "
    'or backlog_writes = "on"); describe the change in the answer instead.'
)


def secret_read_rules() -> list[str]:
    """Deny rules for the CLI itself: it turns Read denials into exclusions for Grep and Glob,
    so a recursive search never returns the contents or names of secret files."""
    return cli_rules()


@dataclass
class Guard:
    """Decides every tool call for one project; remembers which tool uses it denied."""

    project: Path
    allow_secrets: bool = False
    spellings: tuple[Path, ...] = ()  # other absolute names of the project (Settings.spellings)
    denied: set[str] = field(default_factory=set)
    web: WebPolicy = field(default_factory=WebPolicy)
    approvals: Approvals = field(default_factory=Approvals)
    backlog_writes: str = "ask"  # "ask" | "on"
    # tool use id -> who allowed or denied a web call or a backlog write, for the tool log
    decisions: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root = Path(os.path.realpath(self.project))
        # The names a cited absolute path may start with: the real root, then each spelling
        # that still leads to it (a path under one is then walked from the real root).
        also = (s for s in self.spellings if Path(os.path.realpath(s)) == self.root)
        self.roots = (self.root, *(s for s in also if s != self.root))
        self.ask_user = AskUser(self.approvals, self.decisions)  # the tool's handler

    async def hook(self, data: dict[str, Any], tool_use_id: str | None, context: Any) -> Any:
        """The PreToolUse hook callback handed to the SDK; it may wait for the user's answer."""
        use_id = str(data.get("tool_use_id") or tool_use_id or "")
        reason = await self.check(
            str(data.get("tool_name", "")), data.get("tool_input") or {}, use_id
        )
        if reason is None:
            return {}
        self.denied.add(use_id)
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
            return self._web_rules(tool, tool_input).denial(tool_input)
        if tool in WRITE_TOOLS and not self._backlog_allowed():
            return BACKLOG_NOT_ALLOWED
        if tool == ASK_USER:
            return _bad_questions(tool_input)
        return None

    async def check(self, tool: str, tool_input: dict[str, Any], use_id: str) -> str | None:
        """``decide``, except that in the app a call needing the user's say waits for it; the
        decision on a web call or a backlog write is kept for the tool log."""
        interactive = self.approvals.interactive
        if tool in WEB_TOOLS:  # allowed tools both: the rest of ``decide`` has nothing to add
            verdict = self._web_rules(tool, tool_input)
            if verdict.action == "ask" and interactive:
                return await self._ask("web", tool, tool_input, use_id)
            self.decisions[use_id] = _decision(verdict)
            return verdict.denial(tool_input)
        if tool in WRITE_TOOLS:
            who = self._backlog_allowed()
            if who is None and interactive:
                return await self._ask("backlog", tool, tool_input, use_id)
            self.decisions[use_id] = who or "denied: backlog writes not allowed (nobody to ask)"
            return None if who else BACKLOG_NOT_ALLOWED
        reason = self.decide(tool, tool_input)
        if tool == ASK_USER and reason is None:
            self.ask_user.expect(tool_input, use_id)  # its handler learns which call it runs
        return reason

    def _web_rules(self, tool: str, tool_input: dict[str, Any]) -> Verdict:
        verdict = self.web.judge(tool, tool_input)
        if verdict.action == "ask":
            who = self.approvals.host_allowed(verdict.text)
            if who is not None:
                return Verdict("allow", who)
        return verdict

    def _backlog_allowed(self) -> str | None:
        """Who allowed backlog writes without asking, or None."""
        if self.backlog_writes == "on":
            return 'allowed: backlog_writes = "on"'
        if self.approvals.backlog:
            return "allowed: you allowed backlog writes for this conversation"
        return None

    async def _ask(
        self, kind: str, tool: str, tool_input: dict[str, Any], use_id: str
    ) -> str | None:
        """Wait for the user's answer; None when they allowed the call."""
        self.decisions[use_id] = "asked: the turn ended before an answer"
        question = new_question(kind, tool, use_id, tool_input)
        choice = await self.approvals.ask(question)
        self.decisions[use_id] = BY_YOU[choice]
        if choice is not Choice.DENY:
            return None
        if kind == "web":
            return (
                f"Denied: the user declined this fetch of {tool_input.get('url')}; answer "
                "without it."
            )
        return (
            "Denied: the user declined this backlog change; do not retry it, describe it instead."
        )

    def may_list(self, parts: tuple[str, ...], info: os.stat_result) -> bool:
        """Whether a file found by a walk that follows no link is one Read would open, by
        every check here that needs no reading: its name (and NFKC form), its kind and its
        link count. The content check runs when the file is mentioned (``decide``)."""
        if special(info, links_ok=in_package_dir(parts)):
            return False
        relative = "/".join(parts)
        return not (_suspicious(relative) or self._secret(relative))

    def may_list_folder(self, parts: tuple[str, ...], info: os.stat_result) -> bool:
        """Whether a folder found by the same walk may be listed and entered: not a link, a
        name without control characters, and not a folder whose files are all secrets."""
        relative = "/".join(parts)
        if not stat.S_ISDIR(info.st_mode) or _suspicious(relative):
            return False
        return not self._secret(relative + "/-")  # "-": any file in it

    def _secret(self, relative: str) -> bool:
        return not self.allow_secrets and any(secret_name(form) for form in _forms(relative))

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
    if raw.isascii() and raw.isprintable():  # no control or format character: skip the scan
        return None
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in raw):
        return "contains control or invisible formatting characters"
    return None


def _in_package(root: Path, target: Path) -> bool:
    return in_package_dir(target.relative_to(root).parts)


def _bad_questions(tool_input: dict[str, Any]) -> str | None:
    """Why a question to the user cannot be asked as sent (one sentence), or None."""
    try:
        parse(tool_input)
    except BadQuestions as error:
        return str(error)
    return None


def _decision(verdict: Verdict) -> str:
    """What the tool log says about a web call the rules decided alone."""
    if verdict.action == "allow":
        return verdict.text
    if verdict.action == "ask":  # headless: nobody to ask
        return "denied: host not allowed (nobody to ask)"
    return "denied by the rules"
