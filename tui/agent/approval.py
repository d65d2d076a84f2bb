"""The user's say over what leaves the machine (WebFetch) and what is queued for the coding
agents (backlog writes): the question, its answers, and what is remembered.

A PreToolUse hook that needs a person awaits a ``Question``'s future. The turn's stream hands
the question to the screen (see tui.agent.runner), a dialog sets the answer, and the hook allows
or denies the call. Nothing here is decided by prompt text: the hook blocks the call until the
future holds an answer. When the CLI gives up on the call (the turn was interrupted), the hook's
task is cancelled, the future with it, and the dialog closes. Headless, nobody can answer: the
question is never asked and the call is denied with a sentence saying how to allow it.
The assistant's own questions (``ask_user``, tui.agent.ask_user) travel the same queue as a
``Pick`` and are given up the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcp_server.tools import TOOLS
from tui.storage import state_keys
from tui.tool_lines import MCP_PREFIX

if TYPE_CHECKING:
    from tui.agent.ask_user import Pick
    from tui.storage import Store
    from tui.user_questions import Answer

# Decided from the server's own table: a writing tool added there asks without a second list.
WRITE_TOOLS = frozenset(MCP_PREFIX + t.name for t in TOOLS if not t.annotations.get("readOnlyHint"))
PREVIEW_LIMIT = 100_000  # characters of a proposed backlog change drawn in the dialog
# How long the CLI waits for the hook before it blocks the call. A person may take minutes;
# a day is far below the 24.8 days past which a Node timer fires at once.
ANSWER_WAIT_S = 24 * 3600.0


class Choice(StrEnum):
    """The answers a question may offer."""

    ONCE = "once"
    CONVERSATION = "conversation"
    PROJECT = "project"
    DENY = "deny"


WEB_CHOICES = (Choice.ONCE, Choice.CONVERSATION, Choice.PROJECT, Choice.DENY)
BACKLOG_CHOICES = (Choice.ONCE, Choice.CONVERSATION, Choice.DENY)
BY_YOU = {
    Choice.ONCE: "allowed once by you",
    Choice.CONVERSATION: "allowed by you for this conversation",
    Choice.PROJECT: "allowed by you for this project",
    Choice.DENY: "denied by you",
}


@dataclass(eq=False)
class Question:
    """One call waiting for the user; ``answer`` is set by the dialog (or cancelled)."""

    kind: str  # "web" or "backlog"
    tool: str
    tool_use_id: str
    title: str  # one line saying what the assistant wants
    body: str  # plain text: the full URL and purpose, or the features as they will be written
    host: str | None
    choices: tuple[Choice, ...]
    answer: asyncio.Future[Choice] = field(repr=False)

    def choose(self, choice: Choice) -> None:
        """Answer once; a question already answered or given up on stays as it is."""
        if not self.answer.done():
            self.answer.set_result(choice)


class ProjectHosts:
    """Hosts the user always allows for this project, kept in the history database.

    Read once (before the first turn) and written on every change, so a relaunch, another
    conversation and the headless ``ask`` all see them; revoked from the command palette.
    """

    def __init__(self, store: Store | None, project: Path) -> None:
        self.store = store
        self.key = state_keys.web_allow(project)
        self.hosts: set[str] = set()
        self.loaded = False

    async def load(self) -> None:
        """Read the list once; an unreadable or damaged entry counts as no host allowed."""
        if self.loaded or self.store is None:
            return
        from tui.storage import StoreError

        with contextlib.suppress(StoreError, ValueError, TypeError):
            saved = await self.store.state_get(self.key)
            found = json.loads(saved) if saved else []
            self.hosts = {str(h) for h in found if isinstance(h, str)}
        self.loaded = True

    async def add(self, host: str) -> None:
        self.hosts.add(host)
        await self._save()

    async def remove(self, host: str) -> None:
        self.hosts.discard(host)
        await self._save()

    async def _save(self) -> None:
        if self.store is not None and not self.store.read_only:
            await self.store.state_set(self.key, json.dumps(sorted(self.hosts)))


class Approvals:
    """One session's standing answers and the questions it has open."""

    def __init__(self, project: ProjectHosts | None = None, interactive: bool = False) -> None:
        self.project = project
        self.interactive = interactive  # False headless: nobody could answer
        self.hosts: set[str] = set()  # allowed for this conversation
        self.backlog = False  # backlog writes allowed for this conversation
        self.questions: asyncio.Queue[Question | Pick] = asyncio.Queue()
        self.pending: dict[str, Question | Pick] = {}

    def give_up(self) -> None:
        """The turn ends: no open question can be answered any more (their hooks then block
        the calls, and each dialog closes)."""
        for question in list(self.pending.values()):
            question.answer.cancel()
        while not self.questions.empty():  # asked but never shown: nothing left to show
            self.questions.get_nowait().answer.cancel()

    def host_allowed(self, host: str) -> str | None:
        """Who allowed this host without asking again, or None."""
        if host in self.hosts:
            return "allowed: you allowed this host for this conversation"
        if self.project is not None and host in self.project.hosts:
            return "allowed: you always allow this host for this project"
        return None

    async def ask(self, question: Question) -> Choice:
        """Put the question to the user and wait; remember a standing answer."""
        self.pending[question.tool_use_id] = question
        self.questions.put_nowait(question)
        try:
            choice = await question.answer
        finally:
            self.pending.pop(question.tool_use_id, None)
        await self._remember(question, choice)
        return choice

    async def pick(self, pick: Pick) -> tuple[Answer, ...]:
        """Put the assistant's question to the user and wait for their choices."""
        self.pending[pick.tool_use_id] = pick
        self.questions.put_nowait(pick)
        try:
            return await pick.answer
        finally:
            self.pending.pop(pick.tool_use_id, None)

    async def _remember(self, question: Question, choice: Choice) -> None:
        if choice is Choice.DENY:
            return
        if question.kind == "backlog" and choice is Choice.CONVERSATION:
            self.backlog = True
        elif question.host and choice is Choice.CONVERSATION:
            self.hosts.add(question.host)
        elif question.host and choice is Choice.PROJECT and self.project is not None:
            from tui.storage import StoreError

            with contextlib.suppress(StoreError):  # a locked file: allowed now, asked next time
                await self.project.add(question.host)
        self._settle_covered(choice)

    def _settle_covered(self, choice: Choice) -> None:
        """Questions the standing answer just covers (parallel calls) need no second asking."""
        if choice is Choice.ONCE:
            return
        for other in list(self.pending.values()):
            if not isinstance(other, Question):
                continue  # the assistant's own question: no standing answer covers it
            covered = (other.kind == "backlog" and self.backlog) or (
                other.host is not None and self.host_allowed(other.host) is not None
            )
            if covered:
                other.choose(choice)


def new_question(kind: str, tool: str, tool_use_id: str, tool_input: dict[str, Any]) -> Question:
    """The question for one call, its text made from exactly what the call carries."""
    answer: asyncio.Future[Choice] = asyncio.get_running_loop().create_future()
    if kind == "web":
        url = str(tool_input.get("url") or "")
        from tui.agent.web import host_of

        host = host_of(url) or ""
        purpose = str(tool_input.get("prompt") or "(none given)")
        body = f"Address: {one_line(url)}\nHost: {host}\nThe model's stated purpose: "
        body += indented(purpose, "   ")
        title = f"The assistant wants to fetch a page from {host}"
        return Question(kind, tool, tool_use_id, title, body, host, WEB_CHOICES, answer)
    title = "The assistant wants to change the backlog the coding agents work from"
    body = backlog_preview(tool, tool_input)
    return Question(kind, tool, tool_use_id, title, body, None, BACKLOG_CHOICES, answer)


def backlog_preview(tool: str, tool_input: dict[str, Any]) -> str:
    """A backlog write as the features will appear, in plain text; long ones are cut with a
    note (the server still bounds a write to 2 MB)."""
    name = tool.removeprefix(MCP_PREFIX)
    if name == "feature_create":
        text = "Create one feature:\n\n" + _feature(tool_input)
    elif name == "feature_create_bulk":
        features = tool_input.get("features")
        items = features if isinstance(features, list) else []
        parts = [_feature(f, i) for i, f in enumerate(items) if isinstance(f, dict)]
        text = f"Create {len(items)} feature(s), all or nothing:\n\n" + "\n\n".join(parts)
    elif name == "feature_skip":
        text = f"Move feature #{one_line(tool_input.get('feature_id'))} to the end of the queue."
    elif name in EDIT_PREVIEWS:
        text = EDIT_PREVIEWS[name](tool_input)
    else:
        shown = json.dumps(tool_input, ensure_ascii=False, indent=2).split("\n")
        text = f"{name} with:\n" + "\n".join(one_line(line) for line in shown)
    if len(text) > PREVIEW_LIMIT:
        rest = len(text) - PREVIEW_LIMIT
        text = text[:PREVIEW_LIMIT] + f"\n… {rest:,} more characters are not shown; deny it "
        text += "unless you expect a change this large."
    return text


def _feature(feature: dict[str, Any], index: int | None = None) -> str:
    head = f"{index + 1}. " if index is not None else ""
    lines = [
        f"{head}[{one_line(feature.get('category', ''))}] {one_line(feature.get('name', ''))}",
        "   " + indented(feature.get("description", ""), "   "),
    ]
    steps = feature.get("steps")
    for number, step in enumerate(steps if isinstance(steps, list) else [], 1):
        lines.append(f"   step {number}: {one_line(step)}")
    depends = feature.get("dependencies")
    if isinstance(depends, list) and depends:
        shown_ids = (f"#{one_line(d)}" for d in depends)
        lines.append("   depends on existing features " + ", ".join(shown_ids))
    earlier = feature.get("depends_on_indices")
    if isinstance(earlier, list) and earlier:
        shown = (str(i + 1) if isinstance(i, int) else one_line(repr(i)) for i in earlier)
        lines.append("   depends on items " + ", ".join(shown))
    return "\n".join(lines)


def _update(tool_input: dict[str, Any]) -> str:
    """Only the fields the call replaces, each as it will be written."""
    lines = [f"Change feature #{one_line(tool_input.get('feature_id'))}:"]
    for key in ("name", "category"):
        if key in tool_input:
            lines.append(f"   new {key}: {one_line(tool_input[key])}")
    if "description" in tool_input:
        lines.append("   new description:\n      " + indented(tool_input["description"], "      "))
    steps = tool_input.get("steps")
    if isinstance(steps, list):
        lines.append("   new steps (replacing all of them):")
        lines += [f"      step {n}: {one_line(step)}" for n, step in enumerate(steps, 1)]
    return "\n".join(lines)


def _ids(value: Any) -> str:
    items = value if isinstance(value, list) else [value]
    return ", ".join(f"#{one_line(item)}" for item in items) or "none"


def _mark_failing(tool_input: dict[str, Any]) -> str:
    text = f"Reopen feature #{one_line(tool_input.get('feature_id'))} as failing: it no longer "
    text += "passes and goes back to the queue for the coding agents."
    reason = tool_input.get("reason")
    if reason is None:
        return text + "\nNo reason given: its description stays as it is."
    return text + "\nAppended to its description:\n   Reported failing: " + indented(reason, "   ")


EDIT_PREVIEWS: dict[str, Callable[[dict[str, Any]], str]] = {
    "feature_update": _update,
    "feature_add_dependency": lambda a: (
        f"Make feature #{one_line(a.get('feature_id'))} wait for feature "
        f"{_ids(a.get('dependency_id'))} (a new dependency)."
    ),
    "feature_remove_dependency": lambda a: (
        f"Feature #{one_line(a.get('feature_id'))} no longer waits for feature "
        f"{_ids(a.get('dependency_id'))} (the dependency is removed)."
    ),
    "feature_set_dependencies": lambda a: (
        f"Replace the dependencies of feature #{one_line(a.get('feature_id'))} with: "
        f"{_ids(a.get('dependency_ids'))}."
    ),
    "feature_mark_failing": _mark_failing,
}

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
BLANK_RUN = 3  # this many empty lines in a row or more are drawn as one line saying how many


def _hidden(char: str) -> bool:
    """A character that breaks a line, moves the text or shows nothing: controls, line and
    paragraph separators, and invisible formatting (bidi overrides reorder what the terminal
    shows, zero-width characters hide)."""
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def one_line(value: Any) -> str:
    """A field drawn on one line: each character that would start a line of its own, move the
    text or hide is written as an escape (\\n, \\u202e), so no value can pose as another line
    of the dialog ("Host: ...", a further feature)."""
    text = value if isinstance(value, str) else str(value)
    if not any(_hidden(char) for char in text):
        return text
    return "".join(
        (_ESCAPES.get(char) or f"\\u{ord(char):04x}") if _hidden(char) else char for char in text
    )


def indented(value: Any, indent: str) -> str:
    """Text that may hold paragraphs: each further line starts with ``indent``, so none can pose
    as a field or an item of its own, and a run of empty lines (pushing the rest out of sight) is
    one line saying how many; each line is drawn as ``one_line``."""
    text = value if isinstance(value, str) else str(value)
    lines: list[str] = []
    blank = 0
    for line in [*text.replace("\r\n", "\n").split("\n"), None]:
        if line is not None and not line.strip():
            blank += 1
            continue
        if blank >= BLANK_RUN:
            lines.append(f"({blank} empty lines)")
        else:
            lines.extend([""] * blank)
        blank = 0
        if line is not None:
            lines.append(one_line(line))
    return f"\n{indent}".join(lines)
