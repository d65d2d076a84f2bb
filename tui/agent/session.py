"""One read-only Claude session over the project: options, the guard, resume, connect and close.

claude_agent_sdk is imported here lazily (it costs ~0.5 s), so the first screen never waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from tui.agent.approval import ANSWER_WAIT_S, Approvals
from tui.agent.errors import ModelRefused
from tui.agent.guard import ALLOWED_TOOLS, DISALLOWED_TOOLS, READ_TOOLS, Guard
from tui.agent.prompt import write_prompt_file, write_settings_file
from tui.agent.web import WEB_TOOLS, WebPolicy
from tui.config import Settings
from tui.tool_lines import ASK_USER_SERVER, MCP_SERVER


def transcript_path(config_dir: Path, project: Path, session_id: str) -> Path:
    """Where the CLI keeps a session's transcript (non-alphanumerics of the cwd become '-')."""
    return (
        config_dir / "projects" / re.sub(r"[^A-Za-z0-9]", "-", str(project)) / f"{session_id}.jsonl"
    )


MAX_LINE_BYTES = 64 * 1024 * 1024
# Newer Opus models send only a thinking block's signature unless its text is asked for, and the
# CLI asks for a display of its own ("updates") otherwise; "summarized" streams thinking_delta
# text. Adaptive is what the CLI picks for models that have it; for the others it keeps its own
# budget (checked with the bundled CLI 2.1.332 against Opus 4.7, Sonnet 4.5 and Haiku 4.5).
THINKING: Any = {"type": "adaptive", "display": "summarized"}
INTERRUPT_WAIT_S = 2.0  # for the CLI to confirm an interrupt before it is closed anyway
# The SDK logs a dying CLI with logger.error; with no handler Python prints it to stderr, which
# tears the full-screen UI. The turn's own failure sentence already says it.
logging.getLogger("claude_agent_sdk").addHandler(logging.NullHandler())


def _session_of(message: Any) -> str | None:
    """The session id a message carries (the first one, the CLI's init, has it in ``data``)."""
    found = getattr(message, "session_id", None)
    if found is None and isinstance(getattr(message, "data", None), dict):
        found = message.data.get("session_id")
    return str(found) if found else None


def as_text(prompt: str) -> str:
    """The prompt as the CLI must read it: as words for the model, never as a CLI command.

    The CLI runs a user message whose first character is "/" as its own slash command, in
    streaming-JSON input too (``/model sonnet`` switches its model unseen by the app, ``/clear``
    empties its context, an unknown name reaches the model wrapped in a note), and the
    ``--disable-slash-commands`` flag only makes it answer "isn't available". It reads a message
    that starts with a space as plain text and passes it on unchanged, so one space goes before
    a leading slash (checked against the bundled CLI: tests/e2e/test_slash_text.py).
    """
    return " " + prompt if prompt.startswith("/") else prompt


class AgentSession:
    """A connected ClaudeSDKClient with our options; one per open conversation."""

    def __init__(
        self,
        settings: Settings,
        resume: str | None = None,
        fork_at: str | None = None,
        approvals: Approvals | None = None,
    ) -> None:
        self.settings = settings
        self.resume = resume
        # A branch's first connect: resume ``resume`` as a new session cut after this entry.
        self.fork_at = fork_at
        self.session_id: str | None = None  # the CLI's id for this session, once it said it
        self.web = settings.web  # the mode this session's tools and guard were made for
        web = WebPolicy(settings.web, frozenset(settings.allow_web))
        self.approvals = approvals or Approvals()  # the user's say; headless: nobody asked
        self.guard = Guard(
            settings.project,
            settings.allow_secrets,
            web=web,
            approvals=self.approvals,
            backlog_writes=settings.backlog_writes,
        )
        # The user's choices for the conversation (None: the configured model, the CLI's
        # effort); a change applies from the next question (see follow_choices).
        self.chosen_model: str | None = None
        self.effort: str | None = None
        self._running: tuple[str, str | None] | None = None  # model and effort the CLI has
        self._client: Any = None
        self._settings_file: Path | None = None  # written at each connect
        self._connecting = asyncio.Lock()  # prewarm and a first question may race to connect
        self.answering = False  # a question was sent and its result has not come yet

    @property
    def connected(self) -> bool:
        return self._client is not None

    @property
    def model(self) -> str:
        """The model the next question goes to."""
        return self.chosen_model or self.settings.model

    def options(self) -> Any:
        from claude_agent_sdk import ClaudeAgentOptions, HookMatcher

        settings = self.settings
        hook: Any = self.guard.hook
        redact: Any = self.guard.redact_hook
        prompt = write_prompt_file(settings.project, settings.state_dir / "prompts", self.web)
        rules = self._settings_file or self.write_settings()
        off = WEB_TOOLS if self.web == "off" else ()  # not offered to the model at all
        effort: Any = self.effort  # one of tui.choices.EFFORTS, checked where it was chosen
        mcp: Any = {
            "type": "stdio",
            "command": sys.executable,
            "args": ["-m", "mcp_server", "--project", str(settings.project)],
        }
        # The assistant's questions to the user run in this process (tui.agent.ask_user).
        servers: dict[str, Any] = {MCP_SERVER: mcp, ASK_USER_SERVER: self.guard.ask_user.server()}
        return ClaudeAgentOptions(
            cwd=str(settings.project),
            tools=[t for t in READ_TOOLS if t not in off],
            allowed_tools=[t for t in ALLOWED_TOOLS if t not in off],
            disallowed_tools=[*DISALLOWED_TOOLS, *off],
            settings=str(rules),
            system_prompt={"type": "file", "path": str(prompt)},
            mcp_servers=servers,
            strict_mcp_config=True,
            setting_sources=[],  # a project's .claude/settings.json must not run hooks here
            include_partial_messages=True,
            thinking=THINKING,
            model=self.model,
            effort=effort,
            resume=self.resume,
            fork_session=self.fork_at is not None and self.resume is not None,
            resume_session_at=self.fork_at if self.resume is not None else None,
            env=settings.cli_env(),
            hooks={
                # The guard may wait for the user (tui.agent.approval): the CLI's default of
                # 60 s would block a call the user is still reading about.
                "PreToolUse": [
                    HookMatcher(hooks=[hook], on_failure="block", timeout=ANSWER_WAIT_S)
                ],
                "PostToolUse": [HookMatcher(hooks=[redact])],
            },
            stderr=self._keep_stderr,
            # One JSON line carries a whole tool result; a recursive Grep can pass 1 MB (the
            # SDK's default), which would end the turn with a decode error.
            max_buffer_size=MAX_LINE_BYTES,
        )

    def write_settings(self) -> Path:
        """The session's CLI settings: Read deny rules (secret names, the tree's hardlinks),
        which the CLI applies to Grep and Glob too. A file, since one argument holds at most
        128 KiB."""
        settings = self.settings
        return write_settings_file(
            settings.project, settings.allow_secrets, settings.state_dir / "settings"
        )

    def resumable(self) -> bool:
        """Whether the session to resume still has its transcript on disk (the CLI needs it)."""
        if self.resume is None:
            return True
        config = self.settings.claude_config_dir()
        return transcript_path(config, self.settings.project, self.resume).is_file()

    def _keep_stderr(self, line: str) -> None:
        """Swallow the CLI's stderr: written to the terminal it would tear the full-screen UI."""

    async def connect(self) -> None:
        """Start the CLI and our MCP server; raises the SDK's errors for the runner to explain."""
        async with self._connecting:
            if self._client is not None:
                return
            from claude_agent_sdk import ClaudeSDKClient

            # The walk for hardlinks runs off the event loop: a large project takes a while.
            self._settings_file = await asyncio.to_thread(self.write_settings)
            options = self.options()
            client = ClaudeSDKClient(options)
            await client.connect()
            self._client = client
            self._running = (options.model, options.effort)

    async def follow_choices(self) -> None:
        """Make the connected CLI use the model and effort chosen now, between answers.

        The model changes on the live CLI (its set_model). The effort is a launch flag only, so
        a changed effort restarts the CLI resuming the same session: the conversation goes on
        with its history, and the user sees nothing but the new setting.
        """
        if self._client is None or self.answering or self._running is None:
            return
        model, effort = self._running
        if effort != self.effort:
            await self.close()  # keeps the session id to resume
            await self.connect()
            return
        if model != self.model:
            try:
                await self._client.set_model(self.model)
            except Exception as error:
                if type(error) is not Exception:  # the SDK's own errors: the CLI stopped
                    raise
                raise ModelRefused(self.model, str(error)) from error  # a control request's
            self._running = (self.model, effort)

    async def ask(self, prompt: str) -> AsyncIterator[Any]:
        """Send one user message and yield the SDK's messages until its result."""
        await self.connect()
        await self.follow_choices()
        self.answering = True
        await self._client.query(as_text(prompt))
        async for message in self._client.receive_response():
            if self.session_id is None:
                self.session_id = _session_of(message)
            yield message
        self.answering = False

    async def interrupt(self) -> None:
        """Stop the answer; a call waiting for the user is given up (its dialog closes)."""
        self.approvals.give_up()
        if self._client is not None:
            await self._client.interrupt()

    async def close(self) -> None:
        """Stop the CLI and, with it, our MCP server; safe to call twice.

        Waits for a connect in flight (a shielded pre-warm) so it cannot finish after us.
        """
        self.approvals.give_up()
        async with self._connecting:
            client, self._client, self._running = self._client, None, None
            if client is not None and self.answering:
                # Mid-answer the CLI ignores the end of its input until the stream ends, and
                # the SDK waits 5 s for it before a SIGTERM: stopping the answer first lets it
                # save its session and exit at once (a quit takes well under a second).
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(client.interrupt(), INTERRUPT_WAIT_S)
            self.answering = False
            if self.session_id is not None:  # a crash or a cancel: the next connect resumes it
                self.resume, self.session_id, self.fork_at = self.session_id, None, None
            if client is not None:
                with contextlib.suppress(Exception):  # closing must never raise into the caller
                    await client.disconnect()
