"""One turn: store the user message, send it, stream events, and persist what streams.

Promises kept here: the user's message is stored before anything is sent; the reply is stored
while it streams (at most ~0.5 s behind); tool calls are stored as they start and finish; cancel
and errors keep the text shown so far, marked interrupted or error. One turn stores at most
50 MB (tui.agent.budget): past that, results are markers and the reply is cut with a note.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, AsyncIterator
from datetime import timedelta
from typing import Any

from tui.agent.approval import Question
from tui.agent.ask_user import Pick
from tui.agent.budget import TurnBudget
from tui.agent.errors import NO_CREDENTIALS, connection_failure, unreachable
from tui.agent.events import (
    Asked,
    Compacted,
    Event,
    Notice,
    Retrying,
    TextDelta,
    TextReplaced,
    ThinkingDelta,
    ThinkingReplaced,
    ToolFinished,
    ToolStarted,
    TurnFailed,
    TurnFinished,
    TurnStarted,
)
from tui.agent.fork import REPLAY_END, before_last_turn
from tui.agent.session import AgentSession, transcript_path
from tui.agent.translate import Translator
from tui.clock import now
from tui.mentions.note import Mentions, resolve
from tui.models import Message, MessageStatus, Role, Thought, ToolStatus
from tui.storage import Store, StoreError
from tui.tool_lines import ASKED

FLUSH_INTERVAL = 0.5
# Retries of a request that got no answer at all before the turn fails. The CLI would go on for
# ten, backing off to minutes; three take about 4 s. Retries of an answer (429, 529, a dropped
# stream) keep the CLI's backoff.
UNREACHABLE_AFTER = 3


def replay_prompt(history: list[Message], text: str) -> str:
    """The fallback when a session's transcript is gone: earlier turns pasted before the question.

    The last 20 messages; the 5 newest up to 1,500 characters each, older ones up to 100.
    """
    recent = [m for m in history if m.role is not Role.SYSTEM and m.content][-20:]
    lines = []
    for index, message in enumerate(recent):
        limit = 1500 if index >= len(recent) - 5 else 100
        body = message.content if len(message.content) <= limit else message.content[:limit] + "…"
        lines.append(f"{message.role.value}: {body}")
    earlier = "\n\n".join(lines)
    return (
        "The earlier part of this conversation (the session could not be resumed):\n"
        f"<earlier_conversation>\n{earlier}\n{REPLAY_END}\n\n{text}"
    )


STALLED = object()  # yielded by incoming() when the stream has been quiet too long
_DONE = object()


async def _next(source: AsyncIterator[Any]) -> Any:
    try:
        return await anext(source)
    except StopAsyncIteration:  # cannot travel through a Task; a sentinel can
        return _DONE


async def incoming(
    source: AsyncIterator[Any], questions: asyncio.Queue[Any], quiet: float
) -> AsyncIterator[Any]:
    """The SDK's messages, each question a hook puts to the user as it is asked, and STALLED
    once each time neither came for ``quiet`` seconds.

    A question arrives while the SDK's stream is silent (the CLI waits for the hook), so the
    two reads are raced; neither is lost, the quiet check cancels neither, and both are
    cancelled on exit. The CLI only gives up on a silent stream after five minutes; the user
    should hear of it long before. One wait per message: with a task and a wait in each of
    two layers, a thousand deltas a second cost twice the trips through the event loop.
    """
    message: asyncio.Future[Any] | None = None
    question: asyncio.Future[Any] | None = None
    told = False
    try:
        while True:
            message = message or asyncio.ensure_future(_next(source))
            question = question or asyncio.ensure_future(questions.get())
            done, _ = await asyncio.wait(
                {message, question},
                timeout=None if told else quiet,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if not done:
                told = True
                yield STALLED
                continue
            told = False
            if message.done():  # first: the call's own message before the question on it
                item, message = message.result(), None
                if item is _DONE:
                    return
                yield item
                continue
            item, question = question.result(), None
            yield item
    finally:
        for pending in (message, question):
            if pending is not None:
                pending.cancel()
                await asyncio.gather(pending, return_exceptions=True)


class TurnRunner:
    """Runs turns for one conversation's session and writes everything to the store."""

    def __init__(self, store: Store, session: AgentSession) -> None:
        self.store = store
        self.session = session
        self.replay = False  # set when resume was impossible: paste history into the next prompt
        self.busy = False  # a turn is running: the manager must not close this session
        self.turn: _Turn | None = None  # the turn running now, for a quit to finish it
        # The question (text, message id) of a failed turn: the session still holds it.
        self.unanswered: tuple[str, int] | None = None

    async def run(
        self, text: str, conversation_id: int | None, retry_of: int | None = None
    ) -> AsyncGenerator[Event, None]:
        """Yield the turn's events; the conversation is created with its first message.

        ``retry_of`` is the stored question being asked again (its answer failed or was
        cancelled): it is not stored a second time, and the session forgets its first asking.
        """
        settings, session = self.session.settings, self.session
        if conversation_id is None:
            conv, user = await self.store.conversation_create(
                settings.project,
                text,
                session.model,
                chosen=(session.chosen_model, session.effort),
            )
            conversation_id, user_id = conv.id, user.id
        elif retry_of is not None:
            user_id = retry_of
        else:
            user_id = (await self.store.message_add(conversation_id, Role.USER, text)).id
        yield TurnStarted(conversation_id, user_id)
        turn = self.turn = _Turn(self.store, conversation_id, self.session)
        self.busy = True
        try:
            if settings.credentials_missing():
                await self.session.close()  # a CLI started without them would never see a login
                yield await turn.fail(NO_CREDENTIALS)
                return
            unanswered = (text, retry_of) if retry_of is not None else self.unanswered
            self.unanswered = None
            if unanswered is not None:
                await self._forget(conversation_id, *unanswered)
            prompt, notices = await self._prompt(text, conversation_id, user_id)
            for notice in notices:
                yield notice
            # Closed here, not by the garbage collector, when the caller stops reading (a
            # closed pipe): then the reply is finished below while the store is still open.
            async with contextlib.aclosing(turn.stream(prompt)) as events:
                async for event in events:
                    if isinstance(event, TurnFailed):
                        self.unanswered = (text, user_id)
                    yield event
            self.replay = False
        finally:
            self.busy = False
            await asyncio.shield(turn.close())
            self.turn = None

    async def finish(self) -> None:
        """The app quits mid-answer: store the reply as shown, marked interrupted, now."""
        if self.turn is not None:
            await self.turn.close()

    async def _prompt(
        self, text: str, conversation_id: int, user_id: int
    ) -> tuple[str, list[Notice]]:
        """The question as sent: after the note on the files it @mentions (tui.mentions.note;
        the store keeps the question as typed), alone or after the stored messages no session
        holds. A mention the guard refuses is said to the user in a notice."""
        # Reading the mentioned files is file I/O: off the loop, unless nothing is mentioned.
        guard = self.session.guard
        mentions = await asyncio.to_thread(resolve, text, guard) if "@" in text else Mentions(text)
        notices = [Notice(refused) for refused in mentions.refused]
        if not self.session.connected and not self.session.resumable():
            self.session.resume, self.replay = None, True  # its transcript is gone
        if not self.replay:
            return mentions.prompt, notices
        history = await self.store.message_page(conversation_id, before_id=user_id, limit=20)
        if not history:  # the question is the first: nothing earlier to send along
            return mentions.prompt, notices
        notice = Notice(
            "The earlier session could not be resumed; recent messages were sent along instead."
        )
        return replay_prompt(history, mentions.prompt), [notice, *notices]

    async def _forget(self, conversation_id: int, question: str, question_id: int) -> None:
        """Take an unanswered question out of the session before the next prompt is sent.

        The CLI keeps a failed or cancelled question in its history, and the next prompt
        reached the model joined to it (a retried question arrived twice, issue 15 D11). The
        session restarts from its transcript cut just before that question; when nothing came
        before it, as a fresh session, which replays the stored messages, if any came before.
        """
        session = self.session
        await session.close()
        if session.resume is None:
            return  # the CLI never started a session: nothing holds the question
        config, project = session.settings.claude_config_dir(), session.settings.project
        path = transcript_path(config, project, session.resume)
        found, end = await asyncio.to_thread(before_last_turn, path, question)
        if not found:
            return
        if end is None:
            session.resume = None
            earlier = await self.store.message_page(conversation_id, before_id=question_id, limit=1)
            self.replay = bool(earlier)  # a replayed prompt had been the session's first
        else:
            session.fork_at = end  # resume as a new session, holding the transcript up to ``end``


class _Turn:
    """The mutable state of one turn: the reply row, the translator, the flush clock."""

    def __init__(self, store: Store, conversation_id: int, session: AgentSession) -> None:
        self.store = store
        self.conversation_id = conversation_id
        self.session = session
        self.translator = Translator(
            session.guard.denied, session.guard.decisions, session.settings.retry
        )
        self.budget = TurnBudget()  # at most 50 MB stored per turn, whatever streams
        self.reply_id: int | None = None
        self.flushed_at = 0.0
        self.done = False
        self._closing: asyncio.Future[None] | None = None
        self.unanswered = 0  # retries in a row that got no answer at all (see _no_answer)
        self.retrying = False  # the CLI waits to try a request again

    async def _reply(self) -> int:
        if self.reply_id is None:
            reply = await self.store.message_add(
                self.conversation_id, Role.ASSISTANT, "", MessageStatus.STREAMING
            )
            self.reply_id = reply.id
        return self.reply_id

    async def stream(self, prompt: str) -> AsyncGenerator[Event, None]:
        quiet = self.session.settings.stall_notice_s
        approvals = self.session.approvals
        try:
            source = incoming(self.session.ask(prompt), approvals.questions, quiet)
            async for message in source:
                if isinstance(message, Question | Pick):
                    yield await self.asked(message)
                    continue
                if message is STALLED:
                    # A long tool call, one waiting for the user, or the CLI backing off before
                    # a retry (the status line says so) is not a stall.
                    calm = self.translator.running_tools or approvals.pending or self.retrying
                    if not calm:
                        settings = self.session.settings
                        yield Notice(
                            f"The model has sent nothing for {quiet:g} s; {settings.stop} to "
                            f"stop waiting, then {settings.retry}."
                        )
                    continue
                for event in self.translator.feed(message):
                    yield await self.persist(event)
                    if self._no_answer(event) >= UNREACHABLE_AFTER:
                        url = self.session.settings.api_url()
                        retry = self.session.settings.retry
                        yield await self.fail(unreachable(url, self.unanswered, retry))
                        await self.session.close()  # the failure is on screen; the CLI stops
                        return
        except Exception as error:  # the SDK's errors: missing CLI, process died, bad JSON
            await self.session.close()
            settings = self.session.settings
            yield await self.fail(connection_failure(error, settings.choose_model, settings.retry))
            return
        if not self.done:
            await self.session.close()
            yield await self.fail(
                f"The Claude CLI ended the answer without a result; {self.session.settings.retry}."
            )

    def _no_answer(self, event: Event) -> int:
        """How many retries in a row got no answer at all (0 once anything came)."""
        if isinstance(event, Retrying):
            self.unanswered = 0 if event.answered or event.status else self.unanswered + 1
            self.retrying = True
        elif not isinstance(event, Notice):
            self.unanswered, self.retrying = 0, False
        return self.unanswered

    async def asked(self, question: Question | Pick) -> Asked:
        """The turn pauses on the user: what streamed so far is stored before they are asked,
        so a crash while the dialog is open loses nothing."""
        reply = await self._reply()
        await self._flush(reply)
        started = question.tool_use_id in self.translator.running_tools
        if started and question.tool_use_id not in self.budget.skipped:
            await self.store.tool_event_upsert(
                self.conversation_id,
                question.tool_use_id,
                "",
                {},
                message_id=reply,
                decision=ASKED,
            )
        return Asked(question)

    async def persist(self, event: Event) -> Event:
        """Store what the event changes, then hand it on."""
        if isinstance(event, TextDelta | TextReplaced | ThinkingDelta | ThinkingReplaced):
            reply = await self._reply()
            if time.monotonic() - self.flushed_at >= FLUSH_INTERVAL:
                self.flushed_at = time.monotonic()
                await self._flush(reply)
        elif isinstance(event, ToolStarted):
            reply = await self._reply()
            self._text()  # the text before this tool keeps its room in the turn's budget
            tool_input = self.budget.tool_input(event.id, event.input)
            if tool_input is not None:
                await self.store.tool_event_upsert(
                    self.conversation_id, event.id, event.name, tool_input, message_id=reply
                )
        elif isinstance(event, ToolFinished):
            await self._tool_finished(event)
        elif isinstance(event, TurnFinished):
            self.done = True
            await self._end_running_tools("Interrupted before the tool finished.")
            reply = await self._reply()
            await self.store.message_finish(
                reply, self._text(), event.status, event.usage, thinking=self._thought()
            )
            if event.session_id:
                await self.store.conversation_set_session(
                    self.conversation_id, event.session_id, self.session.model
                )
        elif isinstance(event, TurnFailed):
            return await self.fail(event.message)
        elif isinstance(event, Compacted):
            # Kept in the history where the chat shows it (above the answer), so it says it
            # again in the same place when reopened.
            if self.reply_id is None:
                await self.store.message_add(self.conversation_id, Role.SYSTEM, event.line())
            else:
                self.reply_id = await self.store.message_note_before(self.reply_id, event.line())
        return event

    async def _tool_finished(self, event: ToolFinished) -> None:
        self._text()  # the text before this result keeps its room in the turn's budget
        result = self.budget.tool_result(event.id, event.result)
        if result is None:
            return  # past even the budget's reserve: this call has no row
        finished = now()
        await self.store.tool_event_upsert(
            self.conversation_id,
            event.id,
            "",
            {},
            message_id=await self._reply(),  # the model may reuse an id in a later reply
            status=event.status,
            result=result,
            finished_at=finished,
            started_at=finished - timedelta(seconds=event.duration_s),
            result_size=len(event.result),
            decision=event.decision,
        )

    def _text(self) -> str:
        """The reply as it is stored: all of it, or up to the turn's budget with a note."""
        return self.budget.reply_text(self.translator.text)

    def _thought(self) -> Thought:
        """The reply's thinking as it is stored (after the reply, in what the budget leaves)."""
        thinking = self.translator.thinking
        return self.budget.thinking_text(thinking.text), thinking.milliseconds

    async def _flush(self, reply: int) -> None:
        """Save the reply so far; a locked or full database only delays it.

        The whole text stays in the translator, so the next flush or the final write saves
        everything; failing the turn here would stop an answer the user is reading.
        """
        try:
            await self.store.message_update_text(reply, self._text(), thinking=self._thought())
        except StoreError:
            self.flushed_at = time.monotonic()

    async def fail(self, message: str) -> TurnFailed:
        """Keep what streamed so far with status error and the sentence explaining why."""
        if self._closing is not None:  # closed by a quit: the CLI's end is ours, not an error
            return TurnFailed(message)
        self.done = True
        reply = await self._reply()
        await self.store.message_finish(
            reply, self._text(), MessageStatus.ERROR, error=message, thinking=self._thought()
        )
        await self._end_running_tools("The turn failed before the tool finished.")
        return TurnFailed(message)

    async def _end_running_tools(self, reason: str) -> None:
        """Tools still running when a turn ends never finish: store them as errors."""
        for tool_id in self.translator.running_tools:
            if tool_id in self.budget.skipped or self.reply_id is None:
                continue  # stored no row: past the turn's budget, or before any reply
            await self.store.tool_event_upsert(
                self.conversation_id,
                tool_id,
                "",
                {},
                message_id=self.reply_id,
                status=ToolStatus.ERROR,
                result=reason,
                finished_at=now(),
                decision=self.session.guard.decisions.get(tool_id),
            )

    async def close(self) -> None:
        """On cancel or an abandoned stream: keep the partial answer, marked interrupted.

        The CLI is still mid-answer then, and its leftover output would leak into the next
        turn, so the session is closed; the next question reconnects and resumes. Every caller
        waits for the same closing (a quit and the cancelled stream may both ask for it), and
        the reply is written before the CLI is stopped: a quit must not wait on the CLI first.
        """
        if self._closing is None:
            if self.done:
                return
            self.done = True
            self._closing = asyncio.ensure_future(self._close())
        await asyncio.shield(self._closing)

    async def _close(self) -> None:
        # Also reached when a store write failed mid-turn: that error is what the user must
        # see, so a second failure here is not raised over it (the next start marks the reply).
        with contextlib.suppress(StoreError):
            if self.reply_id is not None:
                await self.store.message_finish(
                    self.reply_id, self._text(), MessageStatus.INTERRUPTED, thinking=self._thought()
                )
            await self._end_running_tools("Interrupted before the tool finished.")
        await self.session.close()
