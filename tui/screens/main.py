"""The main screen: the one coordinator between the widgets, the store and the session manager.

Widgets get attributes and method calls; they post messages up. All I/O happens in workers here.
An answer keeps running when the user switches conversation: it is stored as it streams, marked
in the sidebar, and shown from the store when the user comes back. What is not coordination
lives elsewhere: the keys in ``keys``, the palette in ``palette``, paging in ``tui.paging``, the
turns in flight in ``in_flight``, what a turn's event shows in ``turn_events``, the calls
waiting for the user in ``asking``, how a branch is made in the session manager.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import TextArea
from textual.worker import Worker, WorkerState

from tui.agent.errors import NO_CREDENTIALS
from tui.agent.events import (
    Event,
    TurnFailed,
    TurnFinished,
)
from tui.agent.web import WEB_MEANINGS, WEB_MODES
from tui.config import ConfigError
from tui.frames import after_refresh
from tui.models import Conversation, Message, MessageStatus, Role, SearchHit, TurnUsage
from tui.paging import MessageWindow
from tui.references import Reference
from tui.screens import opening, slash
from tui.screens.asking import Asking
from tui.screens.choosing import Choosing
from tui.screens.in_flight import InFlight, Turn
from tui.screens.keys import MAIN_KEYS, PROMPT_GROUP, help_groups
from tui.screens.mention_picker import MentionPicker
from tui.screens.palette import ActionCommands, ChoiceCommands, WebHostCommands
from tui.screens.prompt_memory import PromptMemory
from tui.screens.turn_events import TurnEvents
from tui.screens.viewing import Viewing
from tui.services import Host, Services
from tui.storage import Store, StoreError
from tui.storage.state_keys import last_conversation
from tui.text import code_blocks
from tui.toast import toast
from tui.widgets.backlog_pane import BacklogPane
from tui.widgets.chat_pane import ChatPane, LiveText
from tui.widgets.choice_card import ChoiceCard
from tui.widgets.completions import Completions, Offer
from tui.widgets.conversation_list import ConversationList
from tui.widgets.history_search import HistorySearchBar
from tui.widgets.kept_switcher import KeptSwitcher
from tui.widgets.key_bar import KeyBar
from tui.widgets.markdown_block import MarkdownBlock
from tui.widgets.panels import Body
from tui.widgets.prompt_input import PromptInput
from tui.widgets.sidebar import Rows, Sidebar
from tui.widgets.status_bar import StatusBar
from tui.widgets.title_bar import TitleBar
from tui.widgets.tool_log import ToolLog, ToolRow

if TYPE_CHECKING:
    from tui.backlog_reader import BacklogReader

SIDEBAR_PAGE = 200  # conversations listed at first; the next page near the end
UNANSWERED = (MessageStatus.ERROR, MessageStatus.INTERRUPTED)  # replies Ctrl+R asks again for


class MainScreen(Screen[None]):
    """Sidebar, chat, tool log (or backlog) and prompt for one project."""

    COMMANDS = Screen.COMMANDS | {ActionCommands, ChoiceCommands, WebHostCommands}
    # Textual repaints the whole screen whenever the focus moves, a second full frame after the
    # one that drew the change (F4, a conversation switch). The widgets that gain and lose the
    # focus restyle and redraw themselves (their :focus rules, a cursor), so nothing else needs it.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    AUTO_FOCUS = "#prompt"  # from the start: a first focus elsewhere redrew the key hints
    BINDINGS = MAIN_KEYS

    def __init__(self) -> None:
        super().__init__()
        self.conversation: Conversation | None = None
        self.window: MessageWindow | None = None  # the open conversation's messages shown
        self.in_flight = InFlight()
        # What the chat and tool log show changes one step at a time: a conversation opening
        # (its reads and its widgets), or one event of a turn. Else an answer ending while its
        # conversation's history is read is lost to both: the read is from before the end,
        # and the end finds no view of it yet.
        self.view_lock = asyncio.Lock()
        self.asking = Asking(self)  # the calls awaiting you: approvals, the assistant's questions
        self.turn_events = TurnEvents(self)  # what each event of a turn changes on screen
        self.trashed: list[int] = []
        self.all_projects = False
        self.last_usage: TurnUsage | None = None
        self.context_tokens = 0  # the last request's, stored with its answer (tui.choices)
        self.choosing = Choosing(self)  # the open conversation's model and effort
        self.total_cost = 0.0
        self.opened = False  # a conversation (or a new chat) was put on screen
        self._commands: list[slash.Command] | None = None
        self._command_keys: dict[str, str] = {}
        self.memory = PromptMemory(self)  # the prompt's questions and drafts
        self.viewing = Viewing(self)  # answers' file references and the code viewer

    @property
    def host(self) -> Host:
        return cast(Host, self.app)

    async def services(self) -> Services:
        """The store and the sessions, opened after the first paint (a key waits for them)."""
        return await self.host.open_services()

    def showing(self, conversation_id: int | None) -> bool:
        return self.conversation is not None and self.conversation.id == conversation_id

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        with Body(id="body"):
            yield Sidebar(id="sidebar")
            with Vertical(id="center"):
                yield ChatPane(id="chat")
                yield (popup := Completions(id="completions"))
                yield HistorySearchBar(id="history-search")
                yield PromptInput(popup, id="prompt")
                yield StatusBar("starting", id="status")
            with KeptSwitcher(id="side", initial="tools"):
                yield ToolLog(id="tools")
        yield KeyBar(id="keys")

    async def on_mount(self) -> None:
        project = self.host.settings.project
        self.title = f"assistant-tui · {project.name}"
        self.query_one(TitleBar).path = str(project)  # the first to go when narrow
        self.sub_title = f"{project} · {self.host.settings.model}"
        # AUTO_FOCUS waits for the terminal's focus (web): focus the prompt now, unless a key
        # pressed during the launch (F4) already chose another widget.
        prompt = self.query_one(PromptInput)
        if self.focused is None:
            self.set_focus(prompt)
        settings = self.host.settings
        self.mentions = MentionPicker(
            project, settings.allow_secrets, self._store, self._offer_again
        )
        prompt.completers += [self.slash_offer, self.mentions.offer]
        self.startup()

    async def _store(self) -> Store:
        return (await self.services()).store

    @work(exclusive=True, group="startup", exit_on_error=False)
    async def startup(self) -> None:
        """After the first paint: open the store, reopen the last conversation, pre-warm.

        A worker from mount on, so whoever waits for the app's workers waits for this too."""
        await after_refresh(self)  # importing and opening the store would delay the first frame
        services = await self.services()
        store = services.store
        if store.read_only:
            toast(
                self,
                f"The history database {store.path} is read-only: you can browse it, but new "
                "messages will not be saved; make it writable or pass --db PATH.",
                severity="warning",
                timeout=10,
            )
        last = await store.state_get(last_conversation(services.settings.project))
        conversation = await store.conversation_get(int(last)) if last else None
        if conversation is not None and conversation.trashed:
            conversation = None
        # Read before the prewarm's SDK import holds the event loop for a moment: Up works at once.
        self.memory.reload_questions()
        if not self.opened:  # else a key pressed during the launch opened one: keep it
            await self.open_conversation(conversation)

    @work(group="remember", exit_on_error=False)
    async def remember(self, key: str, value: str) -> None:
        """Note a UI fact for the next launch; best effort: a read-only, locked or full
        history file must not stop the user reading it."""
        store = (await self.services()).store
        if not store.read_only:
            with contextlib.suppress(StoreError):
                await store.state_set(key, value)

    # -- opening a conversation ---------------------------------------------------------------

    async def open_conversation(
        self, conversation: Conversation | None, found: int | None = None
    ) -> None:
        """Show a conversation from the store (or a new one) and pre-warm its session.

        ``found`` is a message to show (from search), wherever it is in the conversation. Every
        read comes first (``opening``); then the screen changes in one batch, painted once."""
        self.opened = True
        self.memory.leave()
        services = await self.services()
        async with self.view_lock:
            read = await opening.read(
                services.store,
                conversation,
                found,
                self._sidebar_rows(),
                self.memory.fetch(conversation),
            )
            with self.app.batch_update():
                self.conversation = conversation
                await self.choosing.opened()
                await self._show_read(services, conversation, read, found)
                self.last_usage = None
                self.status(self.query_one(StatusBar).state)
                self._list(*read.listed)
                await self.memory.enter(conversation)
                if services.settings.credentials_missing():
                    await self.query_one(ChatPane).warn(NO_CREDENTIALS)  # said from the start
        self.prewarm(conversation)
        self.asking.show()

    async def _show_read(
        self,
        services: Services,
        conversation: Conversation | None,
        read: opening.Opening,
        found: int | None,
    ) -> None:
        """The chat and the tool log of what was read (nothing of a new chat)."""
        self.window, self.total_cost = read.window, read.cost
        self.context_tokens = read.context_tokens
        window, chat = read.window, self.query_one(ChatPane)
        chat.more_below = window is not None and window.more_below
        live = None
        if conversation is not None and not chat.more_below:
            live = self.in_flight.live(conversation.id)
        await chat.show(read.messages, live, found)
        self.query_one(ToolLog).show([ToolRow.of(event) for event in read.tools])
        if conversation is not None and conversation.project_path == services.settings.project:
            self.remember(last_conversation(services.settings.project), str(conversation.id))

    @on(ChatPane.NearTop)
    @work(group="older", exit_on_error=False)  # never cancelled midway: a page read is shown
    async def load_older(self) -> None:
        """Mount the page of messages above the oldest one shown."""
        window = self.window
        if window is None:
            return
        async with self.view_lock:  # the read and the mount, with no switch between
            older = await window.older()
            if window is self.window:  # not another conversation opened meanwhile
                await self.query_one(ChatPane).prepend(older)

    @on(ChatPane.NearBottom)
    @work(group="newer", exit_on_error=False)  # never cancelled midway: a page read is shown
    async def load_newer(self) -> None:
        """Mount the page of messages below the newest one shown (opened from search)."""
        window = self.window
        if window is None or not window.more_below:
            return
        async with self.view_lock:  # the read and the mount, with no turn's end between
            newer = await window.newer()
            if window is not self.window:
                return  # another conversation was opened meanwhile
            chat = self.query_one(ChatPane)
            chat.more_below = window.more_below
            live = self.in_flight.live(window.conversation_id)
            await chat.append(newer, live if not window.more_below else None)

    @work(group="prewarm", exclusive=True, exit_on_error=False)
    async def prewarm(self, conversation: Conversation | None) -> None:
        """Connect ahead of the first question, unless there are no credentials: then the
        header says so from the start and no CLI is started for nothing."""
        services = await self.services()
        if services.settings.credentials_missing():
            if not self.in_flight:
                self.status("no credentials")
            return
        if not self.in_flight:
            self.status("connecting")
        await services.manager.prewarm(conversation)
        if not self.in_flight:
            self.status("ready")

    # -- the sidebar --------------------------------------------------------------------------

    async def reload_sidebar(self) -> None:
        self._list(*await self._sidebar_rows())

    async def _sidebar_rows(self) -> tuple[list[Conversation], bool]:
        """The rows to list again: as many as are listed now (the pages seen), at least one."""
        wanted = max(SIDEBAR_PAGE, len(self.query_one(Sidebar).rows.conversations))
        return await self.sidebar_page(wanted)

    def _list(self, found: list[Conversation], more: bool) -> None:
        """The sidebar's rows as read, marked as the conversations stand now."""
        self.query_one(Sidebar).show(
            Rows(
                found,
                self.conversation.id if self.conversation else None,
                more,
                answering=self.in_flight.conversations(),
                asking=self.asking.conversations(),
                show_project=self.all_projects,
            )
        )

    async def sidebar_page(self, limit: int, offset: int = 0) -> tuple[list[Conversation], bool]:
        """A page of the sidebar as scoped and filtered now, and whether more rows follow it."""
        services = await self.services()
        scope = None if self.all_projects else services.settings.project
        text = self.query_one(Sidebar).filter_text
        found = await services.store.conversation_list(
            scope, title_filter=text, limit=limit + 1, offset=offset
        )
        return found[:limit], len(found) > limit

    @on(ConversationList.NearEnd)
    async def sidebar_next_page(self) -> None:
        rows = self.query_one(Sidebar).rows
        found, more = await self.sidebar_page(SIDEBAR_PAGE, offset=len(rows.conversations))
        rows.extend(found, more=more)

    @on(Sidebar.FilterChanged)
    async def filtered(self) -> None:
        await self.reload_sidebar()

    @on(Sidebar.Picked)
    async def picked(self, message: Sidebar.Picked) -> None:
        await self.open_conversation(message.conversation)
        self.query_one(PromptInput).focus()

    # -- a turn -------------------------------------------------------------------------------

    @on(PromptInput.Submitted)
    async def submit(self, message: PromptInput.Submitted) -> None:
        typed = slash.read(message.text)
        if typed.question is None:
            await self.run_command(typed.command or "", typed.argument)
            return
        if not await self._may_ask():
            return
        self.memory.sent(typed.question)
        self.query_one(PromptInput).clear()
        live = LiveText()
        await self.query_one(ChatPane).add_user(typed.question, live)
        self._start_turn(Turn(typed.question, live, self._open_id()))
        await self.mentions.sent(typed.question)

    # -- slash commands (tui.screens.slash) ---------------------------------------------------

    @property
    def commands(self) -> list[slash.Command]:
        """The slash commands this screen can run, read from the bindings once."""
        if self._commands is None:
            self._commands = slash.runnable(self, self.app, slash.declared())
            self._command_keys = slash.shown_keys(self)
        return self._commands

    def slash_offer(self, text: str, cursor: tuple[int, int]) -> Offer | None:
        """The prompt's picker while a command name is being typed."""
        return slash.offer(text, cursor, self.commands, self._command_keys)

    async def run_command(self, name: str, argument: str) -> None:
        """Run a typed command; a name no command has, or a stray argument, is said in one
        sentence and the text stays in the prompt to be corrected."""
        found = next((c for c in self.commands if c.name == name), None)
        if found is None:
            toast(self, slash.unknown(name), severity="warning", timeout=8)
        elif argument and not found.argument:
            toast(self, slash.no_argument(found, argument), severity="warning", timeout=8)
        else:
            self.query_one(PromptInput).clear()
            try:
                await self.run_action(found.call(argument))
            except StoreError as error:  # a locked or read-only history file: one sentence
                toast(self, str(error), severity="error", timeout=10)

    def _offer_again(self) -> None:
        """The file list came (or failed) after the prompt's offer said it was on its way."""
        if self.is_attached:
            self.query_one(PromptInput).refresh_offer()

    def _open_id(self) -> int | None:
        return self.conversation.id if self.conversation else None

    async def _may_ask(self) -> bool:
        """Whether a question may be sent in the open conversation now (else say why)."""
        here = self.host.settings.project
        if self.conversation is not None and self.conversation.project_path != here:
            toast(
                self,
                f"This conversation belongs to {self.conversation.project_path}; run "
                "assistant-tui there to continue it, or press Ctrl+N for a new one here.",
                severity="warning",
                timeout=8,
            )
            return False
        if self.host.settings.credentials_missing():  # checked again: a login may be new
            toast(self, NO_CREDENTIALS, severity="error", timeout=10)
            self.status("no credentials")
            return False  # the question stays in the box, nothing is stored or sent
        if self.in_flight.of(self._open_id()) is not None:
            stop = slash.stop_words(self)
            toast(self, f"Still answering; {stop} to cancel it first.", severity="warning")
            return False
        if self.window is not None and self.window.more_below:  # opened mid-way from search
            await self.open_conversation(self.conversation)
        return True

    def _start_turn(self, turn: Turn) -> None:
        self.in_flight.start(turn)
        self.status("answering")
        self.run_turn(turn, self.conversation)

    @work(group="turns", exit_on_error=False)
    async def run_turn(self, turn: Turn, conversation: Conversation | None) -> None:
        """Run one turn to its end; its reply is kept in ``turn.live`` so any view catches up."""
        opened = False  # the history file could be opened at all
        try:
            services = await self.services()
            opened = True
            slash.name_keys(self, services.settings)  # as a failure's sentence names them
            async for event in services.manager.run(turn.text, conversation, turn.retry_of):
                await self.turn_event(turn, event)
        except StoreError as error:
            async with self.view_lock:  # its end is shown as an event's would be
                await self.turn_events.store_failed(error, turn)
        finally:
            self.in_flight.end(turn)
            if opened:
                await self.after_turn(turn)

    async def turn_event(self, turn: Turn, event: Event) -> None:
        """Everything one event changes: the turn's record always, the widgets when its
        conversation is on screen (never halfway through a conversation opening)."""
        async with self.view_lock:
            if isinstance(event, TurnFinished | TurnFailed):
                turn.ended = True
            await self.turn_events.shown(turn, event)

    async def after_turn(self, turn: Turn) -> None:
        key = turn.conversation_id
        if key is not None and self.showing(key):
            store = (await self.services()).store
            self.conversation = await store.conversation_get(key)
            self.total_cost = await store.conversation_cost(key)
            self.status(self.query_one(StatusBar).state)
        await self.reload_sidebar()
        if not turn.shown and key is not None:
            toast(self, "An answer finished in another conversation.")

    def status(self, state: str) -> None:
        """Session state in the header and the status bar, with the last turn's usage."""
        context = self.choosing.context(self.context_tokens)
        self.query_one(StatusBar).show(state, self.last_usage, self.total_cost, context)
        self.sub_title = f"{self.host.settings.project} · {self.choosing.label()} · {state}"

    # -- the assistant's questions in the chat (what waits for you: tui.screens.asking) -------

    @on(ChoiceCard.GaveUp)
    async def choices_given_up(self) -> None:
        """Esc on the assistant's question stops the answer, as Esc anywhere else does."""
        await self.action_cancel()

    @on(ChoiceCard.Answered)
    def choices_answered(self, message: ChoiceCard.Answered) -> None:
        """The user answered the assistant's question: the waiting tool call gets it."""
        from tui.agent.ask_user import Pick

        if isinstance(message.card.token, Pick):
            message.card.token.choose(message.answers)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place where a failed worker becomes one sentence for the user."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        known = isinstance(error, StoreError | ConfigError)
        message = str(error) if known else f"Unexpected error: {type(error).__name__}: {error}"
        toast(self, message, severity="error", timeout=10)
        self.status("error")

    # -- actions on conversations -------------------------------------------------------------

    async def action_new(self) -> None:
        await self.open_conversation(None)
        self.query_one(PromptInput).focus()

    async def _move(self, step: int) -> None:
        rows = self.query_one(Sidebar).rows
        if not rows.conversations:
            return
        current = rows.highlighted if rows.highlighted is not None else -step
        index = max(0, min(len(rows.conversations) - 1, current + step))
        await self.open_conversation(rows.conversations[index])

    async def action_next(self) -> None:
        await self._move(1)

    async def action_previous(self) -> None:
        await self._move(-1)

    async def action_cancel(self) -> None:
        if self.in_flight.of(self._open_id()) is not None:
            await (await self.services()).manager.interrupt(self._open_id())

    async def action_retry(self) -> None:
        """Ask the open conversation's unanswered question again (its answer failed or was
        cancelled), below the answer that did not come; else send what the prompt holds."""
        if not await self._may_ask():
            return
        unanswered = await self._unanswered()
        prompt = self.query_one(PromptInput)
        if unanswered is not None:
            question, live = unanswered[0], LiveText()
            live.after = unanswered[1]  # the answer that did not come stays shown above
            await self.query_one(ChatPane).add_answer(live)
            self._start_turn(Turn(question.content, live, self._open_id(), question.id))
        elif prompt.text.strip():
            prompt.post_message(PromptInput.Submitted(prompt.text))
        elif self.conversation is None:
            toast(self, "Nothing to retry yet: type a question and press Enter.")
        else:
            toast(self, "Nothing to retry: the last question was answered.")

    async def _unanswered(self) -> tuple[Message, int] | None:
        """The open conversation's last question, if its answer failed, was cancelled or never
        came, and the newest message id; read from the store, so it holds after a switch or a
        restart too."""
        if self.conversation is None:
            return None
        page = await (await self.services()).store.message_page(self.conversation.id, limit=3)
        last = [m for m in page if m.role is not Role.SYSTEM]  # a compaction note between
        if last and last[-1].role is Role.ASSISTANT and last[-1].status in UNANSWERED:
            last = last[:-1]
        return (last[-1], page[-1].id) if last and last[-1].role is Role.USER else None

    async def action_model(self, name: str | None = None) -> None:
        """The open conversation's model from its next question: ``name``, else a picker."""
        if name is None:
            await self.choosing.pick_model()
        else:
            await self.choosing.set_model(name)

    async def action_effort(self, level: str | None = None) -> None:
        """The open conversation's effort from its next question: ``level``, else a picker."""
        if level is None:
            await self.choosing.pick_effort()
        else:
            await self.choosing.set_effort(level)

    async def action_filter(self) -> None:
        await self.query_one(Sidebar).open_filter()

    def _target(self) -> Conversation | None:
        """The conversation an action means: the highlighted one from the sidebar, else the
        open one."""
        rows = self.query_one(Sidebar).rows
        return rows.current if rows.has_focus else self.conversation

    async def action_rename(self, title: str | None = None) -> None:
        """Rename in a dialog, or at once to ``title`` (``/rename TITLE``)."""
        from tui.screens.dialogs import RenameDialog

        target = self._target()
        if target is None:
            toast(self, "There is nothing to rename yet: ask something first.")
            return

        async def done(title: str | None) -> None:
            if title:
                await (await self.services()).store.conversation_rename(target.id, title)
                await self.changed(target.id)

        if title:
            await done(title)
        else:
            self.app.push_screen(RenameDialog(target.title), done)

    async def changed(self, conversation_id: int) -> None:
        """Re-read a changed conversation (if open: so the next F2 or F7 sees it) and list."""
        if self.showing(conversation_id):
            store = (await self.services()).store
            self.conversation = await store.conversation_get(conversation_id)
        await self.reload_sidebar()

    def action_delete(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        target = self._target()
        if target is None:
            return

        async def done(yes: bool | None) -> None:
            if not yes:
                return
            await (await self.services()).store.conversation_trash(target.id)
            self.trashed.append(target.id)
            self.memory.reload_questions()  # its questions leave the history
            if self.showing(target.id):
                await self.open_conversation(None)
            await self.reload_sidebar()
            said = f'Moved "{target.title}" to the trash; F9 (or u in the sidebar) restores it.'
            toast(self, said)

        self.app.push_screen(ConfirmDialog(f'Delete "{target.title}"?'), done)

    async def action_undo_delete(self) -> None:
        if self.trashed:
            store = (await self.services()).store
            conversation_id = self.trashed.pop()
            await store.conversation_restore(conversation_id)
            self.memory.reload_questions()
            await self.open_conversation(await store.conversation_get(conversation_id))

    async def action_pin(self) -> None:
        target = self._target()
        if target is not None:
            await (await self.services()).store.conversation_pin(target.id, not target.pinned)
            await self.changed(target.id)

    async def action_all_projects(self) -> None:
        """Show every project's conversations (browsable) or only this project's."""
        self.all_projects = not self.all_projects
        await self.reload_sidebar()
        toast(self, "Showing all projects." if self.all_projects else "Showing this project.")

    def action_search(self) -> None:
        """Search every conversation; Enter opens the hit here, at its message."""
        from tui.screens.search import SearchScreen

        project = self.host.settings.project
        self.app.push_screen(SearchScreen(project, self.all_projects), self.open_hit)

    async def open_hit(self, hit: SearchHit | None) -> None:
        if hit is None:
            return
        services = await self.services()
        conversation = await services.store.conversation_get(hit.conversation_id)
        if conversation is None or conversation.trashed:
            toast(self, "That conversation was deleted meanwhile; search again.")
            return
        if conversation.project_path != services.settings.project and not self.all_projects:
            self.all_projects = True  # as F3 would: another project's conversation, browsable
            toast(
                self,
                f"Showing all projects: this conversation is from {conversation.project_name}.",
            )
        await self.open_conversation(conversation, hit.message_id)

    def action_export(self, path: str | None = None) -> None:
        """Write the open (or, from the sidebar, the highlighted) conversation as Markdown; with
        a path (``/export PATH``) the dialog writes it at once, and stays open if it cannot."""
        from tui.screens.export_dialog import ExportDialog  # not needed for the first screen

        target = self._target()
        if target is None:
            toast(self, "There is nothing to export yet: ask something first.")
        else:
            self.app.push_screen(ExportDialog(target, self.host, path))

    # -- copy and branch ----------------------------------------------------------------------

    def _answers(self) -> list[str]:
        return [a.text for a in self.query_one(ChatPane).query(".answer")]  # type: ignore[attr-defined]

    def action_copy_answer(self) -> None:
        answers = self._answers()
        if answers:
            self.app.copy_to_clipboard(answers[-1])
            toast(self, "Copied the last answer.")

    def action_copy_code(self) -> None:
        """Pick one of the conversation's code blocks (newest first) and copy it."""
        from tui.screens.dialogs import CodePicker

        blocks = [b for text in reversed(self._answers()) for b in reversed(code_blocks(text))]
        if not blocks:
            toast(self, "There is no code block in this conversation.")
            return

        def done(block: str | None) -> None:
            if block is not None:
                self.app.copy_to_clipboard(block)
                toast(self, f"Copied a code block ({len(block.splitlines())} lines).")

        self.app.push_screen(CodePicker(blocks), done)

    def action_chat_cursor(self) -> None:
        """Focus the chat: its block cursor walks messages and code blocks to copy or branch."""
        self.query_one(ChatPane).focus()

    @on(ChatPane.Leave)
    def chat_left(self) -> None:
        self.query_one(PromptInput).focus()

    @on(MarkdownBlock.Settled)
    def block_settled(self, message: MarkdownBlock.Settled) -> None:
        self.viewing.scan(message.block)

    @on(ToolLog.OpenFile)
    def read_opened(self, message: ToolLog.OpenFile) -> None:
        self.viewing.open(Reference(message.path, message.first, message.last, message.path))

    @on(ToolLog.OpenFound)
    def found_opened(self, message: ToolLog.OpenFound) -> None:
        self.viewing.open_found(message.result)

    @on(ChatPane.OpenReference)
    def reference_opened(self, message: ChatPane.OpenReference) -> None:
        self.viewing.open(message.reference, message.siblings)

    # -- the prompt's history and drafts (tui.screens.prompt_memory) ----------------------------

    @on(TextArea.Changed, "#prompt")
    def prompt_changed(self) -> None:
        self.memory.changed()

    def action_history_search(self) -> None:
        """Search the questions of this project (again: the next older match)."""
        self.memory.search()

    @on(HistorySearchBar.Taken)
    def history_taken(self, message: HistorySearchBar.Taken) -> None:
        self.memory.take(message.index)

    @on(HistorySearchBar.Closed)
    def history_closed(self) -> None:
        self.query_one(PromptInput).focus()

    async def on_unmount(self) -> None:
        """Quitting: a file walk in progress stops (a huge tree must not hold the exit), and the
        draft typed in the last second is written before the store closes."""
        self.mentions.stopped.set()
        await self.memory.flush()

    def action_branch(self) -> None:
        """Branch from the block under the chat's cursor, else from the last message."""
        chat = self.query_one(ChatPane)
        stop = chat.current() or next(reversed(chat.stops()), None)
        self.branch(chat.branch_point(stop) if stop is not None else None)

    @on(ChatPane.Branch)
    def branch_asked(self, message: ChatPane.Branch) -> None:
        self.branch(message.message_id)

    @work(group="branch", exclusive=True, exit_on_error=False)
    async def branch(self, message_id: int | None) -> None:
        """The manager makes the branch; the screen says why not, or opens it and says how
        its next question continues."""
        parent = self.conversation
        problem = self._branch_refusal(parent, message_id)
        if problem is not None or parent is None or message_id is None:
            toast(self, problem or "", severity="warning", timeout=8)
            return
        made = await (await self.services()).manager.branch(parent, message_id)
        await self.open_conversation(made.conversation)
        self.query_one(PromptInput).focus()
        how = (
            "the model continues from that point"
            if made.forked
            else "its messages are sent along with your next question"
        )
        title, count = made.conversation.title, made.conversation.message_count
        toast(self, f'Branched "{title}" with {count} messages; {how}.', timeout=6)

    def _branch_refusal(self, parent: Conversation | None, message_id: int | None) -> str | None:
        """The sentence saying why no branch can start from ``message_id`` now, or None."""
        if parent is None or message_id is None:
            return "This message is not saved yet, so no branch can start from it."
        if parent.project_path != self.host.settings.project:
            return (
                f"This conversation belongs to {parent.project_path}; branch it from "
                "assistant-tui run there."
            )
        if self.in_flight.of(parent.id) is not None:
            stop = slash.stop_words(self)
            return f"Wait until the answer has finished (or {stop} to stop it), then branch."
        return None

    # -- settings for this run ----------------------------------------------------------------

    async def action_web(self, mode: str | None = None) -> None:
        """Web access for the rest of this run: picked from a list, or given (``/web on``)."""
        from tui.screens.dialogs import ChoiceDialog

        if mode is None:
            current = self.host.settings.web
            dialog = ChoiceDialog("Web access for this run", WEB_MEANINGS, current)
            self.app.push_screen(dialog, self.set_web)
        else:
            await self.set_web(mode)

    async def set_web(self, mode: str | None) -> None:
        if mode is None:
            return
        mode = mode.lower()
        if mode not in WEB_MODES:
            toast(
                self, f"There is no web mode {mode!r}; choose ask, on or off.", severity="warning"
            )
            return
        await (await self.services()).manager.set_web(mode)
        toast(self, f"Web access is {mode} for this run: {WEB_MEANINGS[mode]}.")
        self.prewarm(self.conversation)

    # -- layout -------------------------------------------------------------------------------

    def action_toggle_sidebar(self) -> None:
        self.query_one(Body).toggle_sidebar()

    def action_toggle_tools(self) -> None:
        self.query_one(Body).toggle_tools()

    async def action_toggle_backlog(self) -> None:
        if not self.query("#side"):  # F4 pressed during the launch: the panes come next
            self.call_after_refresh(self.run_action, "toggle_backlog")
            return
        await self.query_one(Body).toggle_backlog(self._backlog_reader)

    @on(BacklogPane.FeatureChosen)
    def feature_chosen(self, message: BacklogPane.FeatureChosen) -> None:
        """A feature of the backlog pane was chosen: its details, read from the same file."""
        from tui.screens.feature_details import FeatureDetails

        self.app.push_screen(FeatureDetails(self._backlog_reader(), message.feature_id))

    @on(BacklogPane.Asked)
    def backlog_asked(self, message: BacklogPane.Asked) -> None:
        """A key in the backlog pane asked for a change: its dialog, then the write."""
        from tui.screens.backlog_actions import BacklogActions

        pane = self.query_one(BacklogPane)
        BacklogActions(self, self._backlog_reader(), pane).asked(message)

    def _backlog_reader(self) -> BacklogReader:
        """The project's backlog reader, made where the pane, details and actions need it."""
        from tui.backlog_reader import BacklogReader  # not on the first screen's path

        return BacklogReader(self.host.settings.project)

    def backlog_changed(self) -> None:
        """A backlog tool ran: the pane (if ever opened) reads the file again."""
        for pane in self.query(BacklogPane):
            pane.changed()

    @property
    def focus_chain(self) -> list[Widget]:
        """Tab order as the panes read: sidebar, chat, tool log, then the prompt."""
        order = ["filter", "conversations", "chat", "tools", "prompt"]
        ranked = {name: index for index, name in enumerate(order)}
        return sorted(super().focus_chain, key=lambda w: ranked.get(w.id or "", len(order)))

    def action_help(self) -> None:
        from tui.screens.dialogs import HelpScreen

        commands = [(c.usage, c.tooltip) for c in self.commands]
        self.app.push_screen(HelpScreen(help_groups(), commands, PROMPT_GROUP))
