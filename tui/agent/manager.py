"""Sessions per conversation: connect ahead of need, resume by stored id, close every process.

A warm session answers as fast as the model, so the manager connects the session of the open
conversation (or a spare one for a new conversation) before the user presses Enter. Sessions
beyond a few are closed, oldest first, so CLI and MCP processes never pile up. The user's
standing answers (a host or backlog writes allowed for a conversation) outlive a closed session
while the app runs; hosts allowed for the project are kept in the history file.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from tui.agent.approval import Approvals, ProjectHosts
from tui.agent.events import Event, TurnFinished, TurnStarted
from tui.agent.fork import ForkPoint, fork_point
from tui.agent.runner import TurnRunner
from tui.agent.session import AgentSession, transcript_path
from tui.config import Settings
from tui.models import Conversation
from tui.storage import Store, StoreError, state_keys

MAX_WARM = 3


@dataclass(frozen=True)
class Choice:
    """The model and effort a conversation uses: ``model`` is the one its next question goes to,
    ``chosen`` what the user picked (None: the configured default); ``effort`` None is the
    CLI's own."""

    model: str
    chosen: str | None = None
    effort: str | None = None


@dataclass(frozen=True)
class Branch:
    """A conversation branched from another; ``forked`` when the model continues from the
    branch point in the CLI's own session, else its messages are sent with the next question."""

    conversation: Conversation
    forked: bool


class SessionManager:
    """Owns every AgentSession of the app; asyncio only, no threads."""

    def __init__(self, settings: Settings, store: Store, interactive: bool = False) -> None:
        self.settings = settings
        self.store = store
        self.interactive = interactive  # the app can ask the user; headless nobody can
        self.project_hosts = ProjectHosts(store, settings.project)
        self._approvals: dict[int | None, Approvals] = {}  # None: the new chat's
        self._runners: dict[int | None, TurnRunner] = {}  # None: the spare for a new chat
        self._forks: dict[int, ForkPoint] = {}  # branches whose first question forks a session
        self._new_choice: tuple[str | None, str | None] = (None, None)  # the new chat's

    def runner_for(self, conversation: Conversation | None) -> TurnRunner:
        """The runner of a conversation, creating its session (resume or replay) on first use."""
        key = conversation.id if conversation else None
        runner = self._runners.pop(key, None)
        if runner is None:
            resume = conversation.session_id if conversation else None
            fork = self._forks.get(key) if key is not None and not resume else None
            approvals = self.approvals_for(key)
            session = (
                AgentSession(self.settings, fork.session_id, fork_at=fork.at, approvals=approvals)
                if fork
                else AgentSession(self.settings, resume, approvals=approvals)
            )
            session.chosen_model, session.effort = (
                (conversation.chosen_model, conversation.effort)
                if conversation
                else self._new_choice
            )
            runner = TurnRunner(self.store, session)
            # Without a session to resume, earlier messages are pasted into the next prompt.
            runner.replay = (
                conversation is not None
                and not resume
                and not fork
                and conversation.message_count > 0
            )
        self._runners[key] = runner  # most recently used last
        return runner

    def approvals_for(self, key: int | None) -> Approvals:
        """A conversation's standing answers, made on first use."""
        found = self._approvals.get(key)
        if found is None:
            found = self._approvals[key] = Approvals(self.project_hosts, self.interactive)
        return found

    def choice(self, conversation: Conversation | None) -> Choice:
        """The model and effort of a conversation (or of the new chat) as they apply now."""
        runner = self._runners.get(conversation.id if conversation else None)
        if runner is not None:
            chosen, effort = runner.session.chosen_model, runner.session.effort
        elif conversation is not None:
            chosen, effort = conversation.chosen_model, conversation.effort
        else:
            chosen, effort = self._new_choice
        return Choice(chosen or self.settings.model, chosen, effort)

    async def choose(
        self, conversation: Conversation | None, chosen: str | None, effort: str | None
    ) -> Choice:
        """Set a conversation's model and effort from its next question, stored with it (the
        new chat's are stored when its first question creates it). StoreError if the
        conversation is gone or the file is read-only."""
        if conversation is not None:
            await self.store.conversation_choose(conversation.id, chosen, effort)
        else:
            self._new_choice = (chosen, effort)
        runner = self._runners.get(conversation.id if conversation else None)
        if runner is not None:
            runner.session.chosen_model, runner.session.effort = chosen, effort
        return self.choice(conversation)

    async def prewarm(self, conversation: Conversation | None) -> None:
        """Connect ahead of the first question; failures surface when the user asks.

        The connect is shielded: when the caller is cancelled (the user switched on quickly),
        the CLI still finishes starting and stays owned by this manager, which closes it later,
        instead of being left half-started.
        """
        await self._recall_fork(conversation)
        await self.project_hosts.load()
        runner = self.runner_for(conversation)
        await asyncio.shield(asyncio.ensure_future(self._connect_quietly(runner)))
        await self._trim()

    @staticmethod
    async def _connect_quietly(runner: TurnRunner) -> None:
        """Connect, and between answers switch to a model or effort chosen since."""
        with contextlib.suppress(Exception):
            await runner.session.connect()
            if not runner.busy:
                await runner.session.follow_choices()

    async def run(
        self, text: str, conversation: Conversation | None, retry_of: int | None = None
    ) -> AsyncGenerator[Event, None]:
        """Run one turn; a new conversation's spare session becomes that conversation's.

        ``retry_of``: the stored question asked again (see TurnRunner.run)."""
        await self._recall_fork(conversation)
        await self.project_hosts.load()
        runner = self.runner_for(conversation)
        # A caller that stops reading closes this generator: the runner's is closed with it,
        # so the turn stores its reply as interrupted now (see TurnRunner.run).
        turn = runner.run(text, conversation.id if conversation else None, retry_of)
        async with contextlib.aclosing(turn) as events:
            async for event in events:
                if isinstance(event, TurnStarted) and conversation is None:
                    self._new_choice = (None, None)  # the next new chat starts from the defaults
                    self._runners.pop(None, None)
                    self._runners[event.conversation_id] = runner
                    self._approvals[event.conversation_id] = self.approvals_for(None)
                    self._approvals.pop(None, None)
                if isinstance(event, TurnFinished) and event.session_id and conversation:
                    self._forks.pop(conversation.id, None)  # the branch has its own session
                yield event
        await self._close_if_stale(runner)
        await self._trim()

    async def branch(self, parent: Conversation, message_id: int) -> Branch:
        """Copy ``parent`` up to ``message_id`` into a new conversation and plan how it goes on:
        the store makes the copy, the manager decides how its first question reaches the model.
        """
        made = await self.store.conversation_branch(parent.id, message_id)
        return Branch(made, await self._plan_fork(parent, made))

    async def _plan_fork(self, parent: Conversation, branch: Conversation) -> bool:
        """Make the branch's first question continue the parent's session at the branch point.

        The CLI then resumes the parent's session as a new one cut after the turn the branch
        ends with, so the model keeps that history with its tool calls and nothing after it.
        False when the parent has no session transcript holding that turn: the branch's first
        question then replays its stored messages, as any conversation without a session does.
        The plan is kept in the history file too, so a branch opened after a restart forks.
        """
        if not parent.session_id or branch.parent_message_id is None:
            return False
        questions = await self.store.questions_from(parent.id, branch.parent_message_id)
        path = transcript_path(
            self.settings.claude_config_dir(), self.settings.project, parent.session_id
        )
        point = await asyncio.to_thread(fork_point, path, parent.session_id, questions)
        if point is None:
            return False
        self._forks[branch.id] = point
        if not self.store.read_only:
            with contextlib.suppress(StoreError):  # a locked file: only a restart forgets it
                await self.store.state_set(state_keys.fork(branch.id), point.dumps())
        return True

    async def _recall_fork(self, conversation: Conversation | None) -> None:
        """A branch that has not asked yet, opened after a restart: read its fork plan back."""
        if (
            conversation is None
            or conversation.session_id
            or conversation.parent_id is None
            or conversation.id in self._forks
            or conversation.id in self._runners
        ):
            return
        with contextlib.suppress(StoreError):
            saved = await self.store.state_get(state_keys.fork(conversation.id))
            point = ForkPoint.loads(saved) if saved else None
            if point is not None:
                self._forks[conversation.id] = point

    async def set_web(self, mode: str) -> None:
        """Web access for the rest of this run. A session's web tools, system prompt and guard
        are fixed when it connects, so idle sessions close now and the next question connects
        a new one that resumes the conversation; one still answering closes when it ends."""
        self.settings.web = mode
        for key, runner in list(self._runners.items()):
            if not runner.busy:
                await self.close(key)

    async def _close_if_stale(self, runner: TurnRunner) -> None:
        """A session that started under another web mode than the one set now is closed."""
        if runner.session.web == self.settings.web:
            return
        for key, kept in list(self._runners.items()):
            if kept is runner:
                await self.close(key)

    async def interrupt(self, conversation_id: int | None) -> None:
        runner = self._runners.get(conversation_id)
        if runner is not None:
            await runner.session.interrupt()

    async def close(self, conversation_id: int | None) -> None:
        runner = self._runners.pop(conversation_id, None)
        if runner is not None:
            await runner.session.close()

    async def finish_turns(self) -> None:
        """Store every answer still streaming as far as it was shown, marked interrupted."""
        runners = list(self._runners.values())
        await asyncio.gather(*(r.finish() for r in runners), return_exceptions=True)

    async def close_all(self) -> None:
        """Stop every CLI and MCP process (on exit)."""
        runners, self._runners = list(self._runners.values()), {}
        await asyncio.gather(*(r.session.close() for r in runners), return_exceptions=True)

    async def _trim(self) -> None:
        """Close the least recently used idle sessions beyond MAX_WARM (never one answering)."""
        idle = [key for key, runner in self._runners.items() if not runner.busy]
        while len(self._runners) > MAX_WARM and idle:
            await self.close(idle.pop(0))
