"""What one event of a turn changes on the main screen: the turn's record always, the chat,
the tool log, the status bar and the sidebar when its conversation is on screen.

The screen runs each turn in a worker and hands every event here under its view lock (a
conversation opening never sees half an event); an answer whose conversation is not on screen
only grows its ``LiveText``, which the chat shows from when the user comes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
from tui.models import MessageStatus
from tui.storage.state_keys import last_conversation
from tui.toast import toast
from tui.tool_lines import MCP_PREFIX
from tui.widgets.chat_pane import ChatPane
from tui.widgets.prompt_input import PromptInput
from tui.widgets.status_bar import StatusBar
from tui.widgets.tool_log import ToolLog

if TYPE_CHECKING:
    from tui.screens.in_flight import Turn
    from tui.screens.main import MainScreen
    from tui.storage import StoreError


class TurnEvents:
    """The screen's side of a turn's events (the caller holds the view lock)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    async def shown(self, turn: Turn, event: Event) -> None:
        """Record the event in the turn and show it if its conversation is on screen."""
        screen = self.screen
        if isinstance(event, TurnStarted):
            await self._stored(turn, event)
            return
        turn.shown = shown = screen.showing(turn.conversation_id)
        chat, tools = screen.query_one(ChatPane), screen.query_one(ToolLog)
        if shown and not isinstance(event, Retrying | Notice | Asked):
            self._went_on()
        match event:
            case Asked(question=question):
                await screen.asking.asked(turn, question)
            case TextDelta(text=text):
                turn.live.add(text)
                if shown:
                    await chat.follow(turn.live)
            case TextReplaced(text=text):
                turn.live.replace(text)
                if shown:
                    await chat.follow(turn.live)
            case ThinkingDelta(text=text, seconds=seconds):
                turn.live.thinking.add(text, seconds)
                if shown:
                    await chat.think(turn.live)
            case ThinkingReplaced(text=text, seconds=seconds):
                turn.live.thinking.replace(text, seconds)
                if shown:
                    await chat.think(turn.live)
            case ToolStarted(id=tool_id, name=name, input=tool_input) if shown:
                tools.start(tool_id, name, tool_input)
            case ToolFinished() as done:
                if shown:
                    tools.finish(done.id, done.status, done.result, done.duration_s, done.decision)
                if done.name.startswith(MCP_PREFIX):
                    screen.backlog_changed()
            case Notice(text=text) if shown:
                toast(screen, text)
            case Compacted() if shown:
                await chat.note(turn.live, event.line())
            case Retrying() if shown:
                screen.status(event.line())  # stays until the answer goes on (Esc stops it)
            case TurnFinished(status=status) if shown:
                await chat.end(turn.live, status, None)
                screen.last_usage = event.usage
                screen.context_tokens = event.usage.context_tokens or screen.context_tokens
                screen.status("ready" if status is MessageStatus.COMPLETE else "interrupted")
            case TurnFailed(message=message) if shown:
                await chat.end(turn.live, MessageStatus.ERROR, None, message)
                toast(screen, message, severity="error", timeout=8)
                screen.status("error")  # the question is stored and shown: Ctrl+R asks again

    async def _stored(self, turn: Turn, event: TurnStarted) -> None:
        """The question is in the history file: a new conversation exists from now on."""
        screen = self.screen
        new = turn.conversation_id is None
        turn.conversation_id, turn.stored = event.conversation_id, True
        if turn.live.after is None:  # a retry's is its last answer, set when it was asked
            turn.live.after = event.user_message_id
        screen.query_one(ChatPane).user_stored(turn.live, event.user_message_id)
        if new and screen.conversation is None:
            services = await screen.services()
            screen.conversation = await services.store.conversation_get(event.conversation_id)
            key = last_conversation(services.settings.project)
            screen.remember(key, str(turn.conversation_id))
            if screen.conversation is not None:
                screen.memory.stored_as(screen.conversation)
        await screen.reload_sidebar()

    def _went_on(self) -> None:
        """An event after a retry: the retry went through, the status says so."""
        if self.screen.query_one(StatusBar).state.startswith("retrying"):
            self.screen.status("answering")

    async def store_failed(self, error: StoreError, turn: Turn) -> None:
        """The history file refused a write: say why, and keep an unsaved question in the box."""
        screen = self.screen
        screen.memory.store_failing()  # its drafts wait too, instead of holding the file's reads
        turn.ended = True
        message = str(error)
        if not turn.stored:
            message += " Your message was not saved; it is back in the input box."
            prompt = screen.query_one(PromptInput)
            if not prompt.text.strip():
                prompt.load_text(turn.text)
        if turn.shown:
            await screen.query_one(ChatPane).end(turn.live, MessageStatus.ERROR, None, message)
        toast(screen, message, severity="error", timeout=10)
        screen.status("error")
