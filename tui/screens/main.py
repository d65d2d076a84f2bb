"""The main screen: the one coordinator between widgets, the store and the session manager.

Widgets get attributes and method calls; they post messages up. All I/O happens in workers here.
An answer keeps running when the user switches conversation: it is stored as it streams, marked
in the sidebar, and shown from the store when the user comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList
from textual.worker import Worker, WorkerState

from tui.config import ConfigError
from tui.models import Conversation, Message, MessageStatus, Role, SearchHit
from tui.storage import StoreError
from tui.text import code_blocks, inert
from tui.toast import toast
from tui.tool_lines import MCP_PREFIX
from tui.widgets.chat_pane import ChatPane, LiveText
from tui.widgets.conversation_list import ConversationList
from tui.widgets.inert_input import InertInput
from tui.widgets.key_bar import KeyBar
from tui.widgets.prompt_input import PromptInput
from tui.widgets.status_bar import StatusBar
from tui.widgets.title_bar import TitleBar
from tui.widgets.tool_log import ToolLog, ToolRow

if TYPE_CHECKING:
    from tui.agent.approval import Question
    from tui.agent.events import TurnFinished
    from tui.widgets.backlog_pane import BacklogPane

PAGE = 20  # messages mounted when a conversation opens; older ones on scrolling up
OLDER_PAGE = 10  # messages added per step when scrolling up: each step stays one short frame
TOOL_ROWS = 200  # newest tool calls listed when a conversation opens
SIDEBAR_PAGE = 200  # conversations listed at first; the next page near the end
FOUND_CONTEXT = 5  # messages shown above one opened from search
NARROW = 100
CHAT_MIN = 50  # columns the chat keeps when a side panel is shown: the other side makes room
UNANSWERED = (MessageStatus.ERROR, MessageStatus.INTERRUPTED)  # replies Ctrl+R asks again for


class ListedCommands(Provider):
    """Palette entries from a list of (title, what to run, help); titles drawn as Text."""

    def entries(self) -> list[tuple[str, Any, str]]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for title, run, help_text in self.entries():  # Text: a title may hold a model's host
            yield DiscoveryHit(Text(title), run, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, run, help_text in self.entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)


class ActionCommands(ListedCommands):
    """Every action of the main screen in the command palette (Ctrl+P), with its keys."""

    def entries(self) -> list[tuple[str, Any, str]]:
        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        found = []
        for binding in MainScreen.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                keys = ", ".join(
                    self.app.get_key_display(Binding(k, "")) for k in binding.key.split(",")
                )
                found.append(
                    (binding.description, partial(screen.run_action, binding.action), keys)
                )
        return found


class WebHostCommands(ListedCommands):
    """The hosts always allowed for this project, each with a palette entry that revokes it."""

    def entries(self) -> list[tuple[str, Any, str]]:
        screen = self.screen
        manager = getattr(self.app, "manager", None)
        if not isinstance(screen, MainScreen) or manager is None:
            return []
        return [
            (
                f"Stop always allowing web access to {inert(host)}",
                partial(screen.revoke, host),
                "remembered for this project",
            )
            for host in sorted(manager.project_hosts.hosts)
        ]


class MainScreen(Screen[None]):
    """Sidebar, chat, tool log and prompt for one project."""

    COMMANDS = Screen.COMMANDS | {ActionCommands, WebHostCommands}
    AUTO_FOCUS = "#prompt"  # from the start: a first focus elsewhere redrew the key hints

    # F-keys are priority bindings: the prompt's TextArea binds F6 and F7 (select line, select
    # all) and would otherwise swallow them while the user types.
    BINDINGS = [
        Binding("ctrl+n", "new", "New", id="new"),
        Binding("alt+down,ctrl+pagedown", "next", "Next chat", id="next"),
        Binding("alt+up,ctrl+pageup", "previous", "Prev chat", id="previous"),
        Binding("escape", "cancel", "Cancel answer", id="cancel"),
        Binding("ctrl+r", "retry", "Retry", id="retry"),
        Binding("slash,ctrl+f", "filter", "Filter", show=False, id="filter"),
        Binding("f2", "rename", "Rename", id="rename", priority=True),
        Binding("f8", "delete", "Delete", id="delete", priority=True),
        Binding("f9", "undo_delete", "Undo delete", show=False, id="undo_delete", priority=True),
        Binding("f7", "pin", "Pin", show=False, id="pin", priority=True),
        Binding("f6", "copy_answer", "Copy answer", show=False, id="copy_answer", priority=True),
        Binding("f5", "copy_code", "Copy a code block", show=False, id="copy_code", priority=True),
        # Priority: the prompt would type the "c" or "b" of a terminal's Alt+C or Alt+B.
        Binding(
            "ctrl+o,alt+c",
            "chat_cursor",
            "Copy by block",
            show=False,
            id="chat_cursor",
            priority=True,
        ),
        Binding("alt+b", "branch", "Branch from here", show=False, id="branch", priority=True),
        Binding("ctrl+b", "toggle_sidebar", "Sidebar", show=False, id="toggle_sidebar"),
        Binding("ctrl+t", "toggle_tools", "Tools", show=False, id="toggle_tools"),
        Binding("f4", "toggle_backlog", "Backlog", id="toggle_backlog", priority=True),
        Binding("f3", "all_projects", "All projects", show=False, id="all_projects", priority=True),
        Binding("ctrl+s", "export", "Export conversation", show=False, id="export"),
        # Most terminals send Ctrl+Shift+F as Ctrl+F (the filter); Ctrl+G reaches it in any.
        Binding(
            "ctrl+shift+f,ctrl+g", "search", "Search all", show=False, id="search", priority=True
        ),
        Binding("f1,question_mark", "help", "Help", id="help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.conversation: Conversation | None = None
        self.answering: dict[int | None, str] = {}  # conversation id -> the text being answered
        self.live: dict[int, LiveText] = {}  # conversation id -> its reply as it streams
        self.trashed: list[int] = []
        self.oldest_id: int | None = None
        self.newer_from: int | None = None  # last message shown when newer ones are not (yet)
        self.narrow = False
        self.all_projects = False
        self.last_usage: Any = None
        self.total_cost = 0.0
        self.tools_were_hidden = False  # the tool log's state before the backlog took its place
        self.opened = False  # a conversation (or a new chat) was put on screen
        self.questions: dict[int, list[Question]] = {}  # conversation id -> calls awaiting you

    @property
    def services(self) -> Any:
        return self.app

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield ConversationList(id="conversations")
            with Vertical(id="center"):
                yield ChatPane(id="chat")
                yield PromptInput(id="prompt")
                yield StatusBar("starting", id="status")
            yield ToolLog(id="tools")
        yield KeyBar(id="keys")

    def on_resize(self, event: Any) -> None:
        """Below 100 columns the side panels start hidden (Ctrl+B / Ctrl+T bring them back)."""
        narrow = event.size.width < NARROW
        if narrow != self.narrow:
            self.narrow = narrow
            self.query_one("#sidebar").set_class(narrow, "-hidden")
            self.query_one(ToolLog).set_class(narrow, "-hidden")

    async def on_mount(self) -> None:
        settings = self.services.settings
        self.title = f"assistant-tui · {settings.project.name}"
        self.query_one(TitleBar).path = str(settings.project)  # the first to go when narrow
        self.sub_title = f"{settings.project} · {settings.model}"
        self._first_focus()
        self.startup()

    def _first_focus(self) -> None:
        """Focus the prompt at launch, now, unless a key pressed meanwhile chose another widget.

        AUTO_FOCUS waits for the terminal's focus (web), so the prompt is focused here. In a
        terminal a key (F4) can be handled before this screen mounts: a focus it already set is
        kept, and one it queued comes after this one, which is set at once (not queued)."""
        if self.focused is None:
            self.set_focus(self.query_one(PromptInput))

    @work(exclusive=True, group="startup", exit_on_error=False)
    async def startup(self) -> None:
        """After the first paint: open the store, reopen the last conversation, pre-warm.

        A worker from mount on, so whoever waits for the app's workers waits for this too."""
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        await painted.wait()  # importing and opening the store would delay the first frame
        await self.services.open_services()
        store, project = self.services.store, self.services.settings.project
        if store.read_only:
            toast(
                self,
                f"The history database {store.path} is read-only: you can browse it, but new "
                "messages will not be saved; make it writable or pass --db PATH.",
                severity="warning",
                timeout=10,
            )
        last = await store.state_get(f"last:{project}")
        conversation = await store.conversation_get(int(last)) if last else None
        if conversation is not None and conversation.trashed:
            conversation = None
        if not self.opened:  # else a key pressed during the launch opened one: keep it
            await self.open_conversation(conversation)

    # -- loading ------------------------------------------------------------------------------

    @work(group="remember", exit_on_error=False)
    async def remember(self, key: str, value: str) -> None:
        """Note a UI fact for the next launch, off the path of browsing.

        Best effort: a read-only, locked or full history file must not stop the user reading it.
        """
        store = self.services.store
        if not store.read_only:
            with contextlib.suppress(StoreError):
                await store.state_set(key, value)

    async def reload_sidebar(self) -> None:
        await self.services.open_services()
        sidebar = self.query_one(ConversationList)
        wanted = max(SIDEBAR_PAGE, len(sidebar.conversations))  # keep the pages already seen
        found, more = await self.sidebar_page(wanted)
        sidebar.show_project = self.all_projects
        box = self._filter_box()
        sidebar.filtering = box is not None and bool(box.value.strip())
        sidebar.answering = {k for k in self.answering if k is not None}
        sidebar.asking = {k for k, waiting in self.questions.items() if waiting}
        selected = self.conversation.id if self.conversation else None
        sidebar.show(found, selected, more=more)

    async def sidebar_page(self, limit: int, offset: int = 0) -> tuple[list[Conversation], bool]:
        """A page of the sidebar as scoped and filtered now, and whether more rows follow it."""
        box = self._filter_box()
        text = (box.value.strip() if box is not None else "") or None
        scope = None if self.all_projects else self.services.settings.project
        found = await self.services.store.conversation_list(
            scope, title_filter=text, limit=limit + 1, offset=offset
        )
        return found[:limit], len(found) > limit

    @on(ConversationList.NearEnd)
    async def sidebar_next_page(self) -> None:
        """The user scrolled near the end of the listed conversations: list the next page."""
        sidebar = self.query_one(ConversationList)
        found, more = await self.sidebar_page(SIDEBAR_PAGE, offset=len(sidebar.conversations))
        sidebar.extend(found, more=more)

    async def open_conversation(
        self, conversation: Conversation | None, found: int | None = None
    ) -> None:
        """Show a conversation from the store (or a new one) and pre-warm its session.

        ``found`` is a message to show (from search), wherever it is in the conversation."""
        self.opened = True
        await self.services.open_services()
        store = self.services.store
        self.conversation = conversation
        chat, tools = self.query_one(ChatPane), self.query_one(ToolLog)
        self.newer_from = None
        if conversation is None:
            await chat.show([])
            tools.show([])
            self.oldest_id = None
        else:
            # Every read first, then the widgets change together: one layout instead of several.
            if found is None:
                messages = await store.message_page(conversation.id, limit=PAGE)
            else:
                messages, self.newer_from = await self.messages_around(conversation.id, found)
            events = await store.tool_event_list(conversation.id, newest=TOOL_ROWS)
            self.total_cost = await store.conversation_cost(conversation.id)
            self.oldest_id = messages[0].id if messages else None
            chat.more_below = self.newer_from is not None
            live = None if chat.more_below else self.live.get(conversation.id)
            await chat.show(messages, live, found)
            tools.show(
                [
                    ToolRow(
                        e.tool_use_id,
                        e.name,
                        e.input,
                        e.status,
                        e.result or "",
                        e.duration_s,
                        e.result_size,
                        decision=e.decision,
                    )
                    for e in events
                ]
            )
            if conversation.project_path == self.services.settings.project:
                self.remember(f"last:{self.services.settings.project}", str(conversation.id))
        if self.services.settings.credentials_missing():
            from tui.agent.errors import NO_CREDENTIALS

            await chat.warn(NO_CREDENTIALS)  # said from the start, not after a first send
        self.last_usage = None
        if conversation is None:
            self.total_cost = 0.0
        self.status(self.query_one(StatusBar).state)
        await self.reload_sidebar()
        self.prewarm(conversation)
        self.show_question()

    @on(ChatPane.NearTop)
    @work(group="older", exclusive=True, exit_on_error=False)
    async def load_older(self) -> None:
        """Mount the page of messages above the oldest one shown."""
        if self.conversation is None or self.oldest_id is None:
            return
        older = await self.services.store.message_page(
            self.conversation.id, before_id=self.oldest_id, limit=OLDER_PAGE
        )
        self.oldest_id = older[0].id if older else None
        await self.query_one(ChatPane).prepend(older)

    async def messages_around(
        self, conversation_id: int, found: int
    ) -> tuple[list[Message], int | None]:
        """A few messages above ``found`` and a page from it down; with the last one shown
        when newer ones follow (they load as the user scrolls down)."""
        store = self.services.store
        above = await store.message_page(conversation_id, before_id=found, limit=FOUND_CONTEXT)
        below = await store.message_page_after(conversation_id, found - 1, limit=PAGE + 1)
        more = len(below) > PAGE
        below = below[:PAGE]
        return above + below, below[-1].id if more else None

    @on(ChatPane.NearBottom)
    @work(group="newer", exclusive=True, exit_on_error=False)
    async def load_newer(self) -> None:
        """Mount the page of messages below the newest one shown (opened from search)."""
        conversation, after = self.conversation, self.newer_from
        if conversation is None or after is None:
            return
        newer = await self.services.store.message_page_after(
            conversation.id, after, limit=OLDER_PAGE + 1
        )
        shown = self.conversation
        if shown is None or shown.id != conversation.id or self.newer_from != after:
            return  # another conversation (or part of it) was opened meanwhile
        more = len(newer) > OLDER_PAGE
        newer = newer[:OLDER_PAGE]
        self.newer_from = newer[-1].id if more else None
        chat = self.query_one(ChatPane)
        chat.more_below = more
        await chat.append(newer, None if more else self.live.get(conversation.id))

    @work(group="prewarm", exclusive=True, exit_on_error=False)
    async def prewarm(self, conversation: Conversation | None) -> None:
        """Connect ahead of the first question, unless there are no credentials: then the
        header says so from the start and no CLI is started for nothing."""
        if self.services.settings.credentials_missing():
            if not self.answering:
                self.status("no credentials")
            return
        if not self.answering:
            self.status("connecting")
        await self.services.manager.prewarm(conversation)
        if not self.answering:
            self.status("ready")

    # -- sending ------------------------------------------------------------------------------

    @on(PromptInput.Submitted)
    async def submit(self, message: PromptInput.Submitted) -> None:
        if not await self._may_ask():
            return
        self.query_one(PromptInput).clear()
        live = LiveText()
        await self.query_one(ChatPane).add_user(message.text, live)
        self._start_turn(message.text, live)

    async def _may_ask(self) -> bool:
        """Whether a question may be sent in the open conversation now (else say why)."""
        here = self.services.settings.project
        if self.conversation is not None and self.conversation.project_path != here:
            toast(
                self,
                f"This conversation belongs to {self.conversation.project_path}; run "
                "assistant-tui there to continue it, or press Ctrl+N for a new one here.",
                severity="warning",
                timeout=8,
            )
            return False
        if self.services.settings.credentials_missing():  # checked again: a login may be new
            from tui.agent.errors import NO_CREDENTIALS

            toast(self, NO_CREDENTIALS, severity="error", timeout=10)
            self.status("no credentials")
            return False  # the question stays in the box, nothing is stored or sent
        if (self.conversation.id if self.conversation else None) in self.answering:
            toast(self, "Still answering; press Esc to cancel it first.", severity="warning")
            return False
        if self.newer_from is not None:  # opened from search mid-way: go to its end first
            await self.open_conversation(self.conversation)
        return True

    def _start_turn(self, text: str, live: LiveText, retry_of: int | None = None) -> None:
        self.answering[self.conversation.id if self.conversation else None] = text
        self.status("answering")
        self.run_turn(text, self.conversation, live, retry_of)

    @work(group="turns", exit_on_error=False)
    async def run_turn(
        self,
        text: str,
        conversation: Conversation | None,
        live: LiveText,
        retry_of: int | None = None,
    ) -> None:
        """Run one turn; its reply text is kept in ``live`` so any view of it can catch up.

        ``retry_of``: the stored question asked again (it is neither stored nor shown again)."""
        from tui.agent.events import (  # after the first screen
            Asked,
            TextDelta,
            TextReplaced,
            TurnStarted,
        )

        key = conversation.id if conversation else None
        shown, started = True, False
        try:
            await self.services.open_services()
            async for event in self.services.manager.run(text, conversation, retry_of):
                if isinstance(event, TurnStarted):
                    started = True
                    self.answering[event.conversation_id] = self.answering.pop(key, text)
                    key = event.conversation_id
                    self.live[key] = live
                    self.query_one(ChatPane).user_stored(live, event.user_message_id)
                    if conversation is None and self.conversation is None:
                        self.conversation = await self.services.store.conversation_get(key)
                        self.remember(f"last:{self.services.settings.project}", str(key))
                    await self.reload_sidebar()
                    continue
                if isinstance(event, Asked):
                    await self.question_asked(key, event.question)  # type: ignore[arg-type]
                    continue
                if isinstance(event, TextDelta):
                    live.add(event.text)
                elif isinstance(event, TextReplaced):
                    live.replace(event.text)
                shown = self.conversation is not None and self.conversation.id == key
                if shown:
                    await self.route(event, text, live)
        except StoreError as error:
            await self.store_failed(error, text, live, saved=started, shown=shown)
        finally:
            self.answering.pop(key, None)
            if key is not None:
                self.live.pop(key, None)
            if self.services.store is not None:  # None: the file could not be opened at all
                await self.after_turn(key, shown)

    async def route(self, event: Any, text: str, live: LiveText) -> None:
        """Hand one event of the conversation on screen to the widget it concerns."""
        from tui.agent.events import (
            Notice,
            Retrying,
            TextDelta,
            TextReplaced,
            ToolFinished,
            ToolStarted,
            TurnFailed,
            TurnFinished,
        )

        chat, tools = self.query_one(ChatPane), self.query_one(ToolLog)
        if self.query_one(StatusBar).state.startswith("retrying") and not isinstance(
            event, Retrying | Notice
        ):
            self.status("answering")  # the retry went through
        if isinstance(event, TextDelta | TextReplaced):
            await chat.follow(live)
        elif isinstance(event, ToolStarted):
            tools.start(event.id, event.name, event.input)
        elif isinstance(event, ToolFinished):
            tools.finish(event.id, event.status, event.result, event.duration_s, event.decision)
            row = tools.rows.get(event.id)
            if row is not None and row.name.startswith(MCP_PREFIX):
                from tui.widgets.backlog_pane import BacklogPane

                for pane in self.query(BacklogPane):  # none until F4 first opened it
                    pane.changed()
        elif isinstance(event, Notice):
            toast(self, event.text)
        elif isinstance(event, Retrying):
            self.status(event.line())  # stays until the answer goes on (Esc stops it)
        elif isinstance(event, TurnFinished):
            await chat.end(live, event.status, None)
            self.status("ready" if event.status is MessageStatus.COMPLETE else "interrupted", event)
        elif isinstance(event, TurnFailed):
            await chat.end(live, MessageStatus.ERROR, None, event.message)
            toast(self, event.message, severity="error", timeout=8)
            self.status("error")  # the question is stored and shown: Ctrl+R asks it again

    # -- questions to the user (tui.agent.approval) -------------------------------------------

    async def question_asked(self, key: int, question: Question) -> None:
        """A call of conversation ``key`` waits for the user: ask now if it is on screen, else
        mark it in the sidebar (●?) and ask when it is opened."""
        from tui.tool_lines import ASKED

        self.questions.setdefault(key, []).append(question)
        question.answer.add_done_callback(lambda _: self.question_settled(key, question))
        if self.conversation is not None and self.conversation.id == key:
            self.query_one(ToolLog).decide(question.tool_use_id, ASKED)
        await self.reload_sidebar()
        self.show_question()

    def question_settled(self, key: int, question: Question) -> None:
        """Answered, covered by a standing answer, or given up on with the turn."""
        waiting = self.questions.get(key, [])
        if question in waiting:
            waiting.remove(question)
        if not waiting:
            self.questions.pop(key, None)
        self.call_later(self.reload_sidebar)

    def show_question(self) -> None:
        """Open the dialog for the first open question of the conversation on screen."""
        from tui.screens.approval_dialog import ApprovalDialog

        if self.conversation is None or any(
            isinstance(s, ApprovalDialog) for s in self.app.screen_stack
        ):
            return
        waiting = [q for q in self.questions.get(self.conversation.id, []) if not q.answer.done()]
        if waiting:
            self.app.push_screen(ApprovalDialog(waiting[0]), lambda _: self.show_question())

    async def revoke(self, host: str) -> None:
        """The palette's "stop always allowing": the project forgets the host."""
        try:
            await self.services.manager.project_hosts.remove(host)
        except StoreError as error:
            toast(self, str(error), severity="error", timeout=8)
            return
        toast(self, f"Web access to {host} will be asked for again.")

    async def store_failed(
        self, error: StoreError, text: str, live: LiveText, saved: bool, shown: bool
    ) -> None:
        """The history file refused a write: say why, and keep an unsaved question in the box."""
        message = str(error)
        if not saved:
            message += " Your message was not saved; it is back in the input box."
            prompt = self.query_one(PromptInput)
            if not prompt.text.strip():
                prompt.load_text(text)
        if shown:
            await self.query_one(ChatPane).end(live, MessageStatus.ERROR, None, message)
        toast(self, message, severity="error", timeout=10)
        self.status("error")

    async def after_turn(self, key: int | None, shown: bool) -> None:
        if self.conversation is not None and self.conversation.id == key:
            self.conversation = await self.services.store.conversation_get(key)
            self.total_cost = await self.services.store.conversation_cost(key)
            self.status(self.query_one(StatusBar).state)
        await self.reload_sidebar()
        if not shown and key is not None:
            toast(self, "An answer finished in another conversation.")

    def status(self, state: str, finished: TurnFinished | None = None) -> None:
        """Session state in the header and the status bar, with the last turn's usage."""
        if finished is not None:
            self.last_usage = finished.usage
        self.query_one(StatusBar).show(state, self.last_usage, self.total_cost)
        settings = self.services.settings
        self.sub_title = f"{settings.project} · {settings.model} · {state}"

    @property
    def focus_chain(self) -> list[Any]:
        """Tab order as the panes read: sidebar, chat, tool log, then the prompt."""
        chain = super().focus_chain
        order = ["filter", "conversations", "chat", "tools", "prompt"]
        ranked = {name: index for index, name in enumerate(order)}
        return sorted(chain, key=lambda w: ranked.get(w.id or "", len(order)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place where a failed worker becomes one sentence for the user."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        known = isinstance(error, StoreError | ConfigError)
        message = str(error) if known else f"Unexpected error: {type(error).__name__}: {error}"
        toast(self, message, severity="error", timeout=10)
        self.status("error")

    # -- actions ------------------------------------------------------------------------------

    async def action_new(self) -> None:
        await self.open_conversation(None)
        self.query_one(PromptInput).focus()

    async def _move(self, step: int) -> None:
        sidebar = self.query_one(ConversationList)
        if not sidebar.conversations:
            return
        current = sidebar.highlighted if sidebar.highlighted is not None else -step
        index = max(0, min(len(sidebar.conversations) - 1, current + step))
        await self.open_conversation(sidebar.conversations[index])

    async def action_next(self) -> None:
        await self._move(1)

    async def action_previous(self) -> None:
        await self._move(-1)

    @on(OptionList.OptionSelected, "#conversations")
    async def picked(self, event: OptionList.OptionSelected) -> None:
        sidebar = self.query_one(ConversationList)
        conversation = sidebar.conversations[event.option_index]
        await self.open_conversation(conversation)
        self.query_one(PromptInput).focus()

    async def action_cancel(self) -> None:
        filter_box = self._filter_box()
        if filter_box is not None and filter_box.has_focus:
            filter_box.value = ""
            filter_box.add_class("-hidden")
            self.query_one(ConversationList).focus()
            return
        key = self.conversation.id if self.conversation else None
        if key in self.answering:
            await self.services.manager.interrupt(key)

    async def action_retry(self) -> None:
        """Ask the open conversation's unanswered question again (its answer failed or was
        cancelled), below the answer that did not come; else send what the prompt holds."""
        if not await self._may_ask():
            return
        question = await self._unanswered()
        if question is not None:
            live = LiveText()
            await self.query_one(ChatPane).add_answer(live)
            self._start_turn(question.content, live, retry_of=question.id)
        elif self.query_one(PromptInput).text.strip():
            self.query_one(PromptInput).post_message(
                PromptInput.Submitted(self.query_one(PromptInput).text)
            )
        elif self.conversation is None:
            toast(self, "Nothing to retry yet: type a question and press Enter.")
        else:
            toast(self, "Nothing to retry: the last question was answered.")

    async def _unanswered(self) -> Message | None:
        """The open conversation's last question, if its answer failed, was cancelled or never
        came; read from the store, so it holds after a switch or a restart too."""
        if self.conversation is None:
            return None
        last = await self.services.store.message_page(self.conversation.id, limit=2)
        if last and last[-1].role is Role.ASSISTANT and last[-1].status in UNANSWERED:
            last = last[:-1]
        return last[-1] if last and last[-1].role is Role.USER else None

    def _filter_box(self) -> Input | None:
        """The sidebar's filter box: none until the filter is first opened."""
        return next(self.query("#filter").results(Input), None)

    async def action_filter(self) -> None:
        box = self._filter_box()
        if box is None:  # built on first use, not on the first screen
            box = InertInput(placeholder="Filter conversations", id="filter")
            await self.query_one("#sidebar").mount(box, before=0)
        box.remove_class("-hidden")
        box.focus()

    @on(Input.Changed, "#filter")
    async def filtered(self) -> None:
        await self.reload_sidebar()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        """To the filtered list, on the open conversation if listed, else the first match."""
        sidebar = self.query_one(ConversationList)
        if sidebar.highlighted is None and sidebar.conversations:
            sidebar.highlighted = 0  # Enter then opens it, as the user expects
        sidebar.focus()

    def _target(self) -> Conversation | None:
        sidebar = self.query_one(ConversationList)
        return sidebar.current if sidebar.has_focus else self.conversation

    def action_rename(self) -> None:
        target = self._target()
        if target is None:
            return

        async def done(title: str | None) -> None:
            if title:
                await self.services.store.conversation_rename(target.id, title)
                await self.refresh_current(target.id)
                await self.reload_sidebar()

        from tui.screens.dialogs import RenameDialog

        self.app.push_screen(RenameDialog(target.title), done)

    async def refresh_current(self, changed: int) -> None:
        """Re-read the open conversation after a change, so the next F2 or F7 sees it."""
        if self.conversation is not None and self.conversation.id == changed:
            self.conversation = await self.services.store.conversation_get(changed)

    def action_delete(self) -> None:
        target = self._target()
        if target is None:
            return

        async def done(yes: bool | None) -> None:
            if not yes:
                return
            await self.services.store.conversation_trash(target.id)
            self.trashed.append(target.id)
            if self.conversation and self.conversation.id == target.id:
                await self.open_conversation(None)
            await self.reload_sidebar()
            toast(
                self, f'Moved "{target.title}" to the trash; F9 (or u in the sidebar) restores it.'
            )

        from tui.screens.dialogs import ConfirmDialog

        self.app.push_screen(ConfirmDialog(f'Delete "{target.title}"?'), done)

    async def action_undo_delete(self) -> None:
        if self.trashed:
            conversation_id = self.trashed.pop()
            await self.services.store.conversation_restore(conversation_id)
            await self.open_conversation(
                await self.services.store.conversation_get(conversation_id)
            )

    async def action_pin(self) -> None:
        target = self._target()
        if target is not None:
            await self.services.store.conversation_pin(target.id, not target.pinned)
            await self.refresh_current(target.id)
            await self.reload_sidebar()

    def action_copy_answer(self) -> None:
        answers = [a.text for a in self.query_one(ChatPane).query(".answer")]  # type: ignore[attr-defined]
        if answers:
            self.app.copy_to_clipboard(answers[-1])
            toast(self, "Copied the last answer.")

    def action_copy_code(self) -> None:
        """Pick one of the conversation's code blocks (newest first) and copy it."""
        texts = [a.text for a in self.query_one(ChatPane).query(".answer")]  # type: ignore[attr-defined]
        blocks = [b for text in reversed(texts) for b in reversed(code_blocks(text))]
        if not blocks:
            toast(self, "There is no code block in this conversation.")
            return

        def done(block: str | None) -> None:
            if block is not None:
                self.app.copy_to_clipboard(block)
                toast(self, f"Copied a code block ({len(block.splitlines())} lines).")

        from tui.screens.dialogs import CodePicker

        self.app.push_screen(CodePicker(blocks), done)

    def action_export(self) -> None:
        """Write the open (or, from the sidebar, the highlighted) conversation as Markdown."""
        target = self._target()
        if target is None:
            toast(self, "There is nothing to export yet: ask something first.")
            return
        from tui.screens.export_dialog import ExportDialog  # not needed for the first screen

        self.app.push_screen(ExportDialog(target, self.services))

    def action_chat_cursor(self) -> None:
        """Focus the chat: its block cursor walks messages and code blocks to copy or branch."""
        self.query_one(ChatPane).focus()

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
        from tui.screens.branching import branch_from

        await branch_from(self, message_id)

    @on(ChatPane.Leave)
    def chat_left(self) -> None:
        self.query_one(PromptInput).focus()

    async def action_all_projects(self) -> None:
        """Show every project's conversations (browsable) or only this project's."""
        self.all_projects = not self.all_projects
        await self.reload_sidebar()
        toast(self, "Showing all projects." if self.all_projects else "Showing this project.")

    def action_search(self) -> None:
        """Search every conversation; Enter opens the hit here, at its message."""
        from tui.screens.search import SearchScreen

        project = self.services.settings.project
        self.app.push_screen(SearchScreen(project, self.all_projects), self.open_hit)

    async def open_hit(self, hit: SearchHit | None) -> None:
        if hit is None:
            return
        conversation = await self.services.store.conversation_get(hit.conversation_id)
        if conversation is None or conversation.trashed:
            toast(self, "That conversation was deleted meanwhile; search again.")
            return
        if conversation.project_path != self.services.settings.project and not self.all_projects:
            self.all_projects = True  # as F3 would: another project's conversation, browsable
            toast(
                self,
                f"Showing all projects: this conversation is from {conversation.project_name}.",
            )
        await self.open_conversation(conversation, hit.message_id)

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one("#sidebar")
        sidebar.toggle_class("-hidden")
        self._make_room(sidebar)

    def action_toggle_tools(self) -> None:
        tools = self.query_one(ToolLog)
        tools.toggle_class("-hidden")
        self._make_room(tools)

    def _make_room(self, shown: Widget) -> None:
        """Hide the other side's panel if ``shown`` and it would leave the chat under CHAT_MIN.

        At 80 columns the sidebar and the tool log together left the chat 6 columns wide: on a
        narrow terminal one side panel at a time is what can be read."""
        if shown.has_class("-hidden"):
            return
        left = [self.query_one("#sidebar")]
        right = [w for w in self.query("#body > *") if w.id in ("tools", "backlog")]
        others = [w for w in (right if shown in left else left) if not w.has_class("-hidden")]
        taken = sum(self._panel_width(w) for w in [shown, *others])
        if others and self.size.width - taken < CHAT_MIN:
            for other in others:
                other.add_class("-hidden")
                if other.has_focus_within:
                    self.query_one(PromptInput).focus()

    def _panel_width(self, panel: Widget) -> int:
        """A side panel's width as styled (it may be hidden, so not its laid-out size)."""
        width = panel.styles.width
        return int(width.resolve(self.size, self.app.size)) if width is not None else 0

    async def action_toggle_backlog(self) -> None:
        """Show the backlog in the tool log's place (F4 again brings the log back)."""
        pane, tools = await self._backlog_pane(), self.query_one(ToolLog)
        showing = pane.has_class("-hidden")
        pane.set_class(not showing, "-hidden")
        if showing:
            self.tools_were_hidden = tools.has_class("-hidden")
            tools.add_class("-hidden")
            self._make_room(pane)
            pane.shown()
            pane.query_one("#backlog-ready").focus()
        else:
            tools.set_class(self.tools_were_hidden, "-hidden")
            if pane.has_focus_within:
                self.query_one(PromptInput).focus()

    async def _backlog_pane(self) -> BacklogPane:
        """The backlog pane, built (hidden) when F4 first asks for it: most launches never do."""
        from tui.backlog_reader import BacklogReader
        from tui.screens.feature_details import FeatureDetails
        from tui.widgets.backlog_pane import BacklogPane

        found = self.query(BacklogPane)
        if found:
            return found.first()
        reader = BacklogReader(self.services.settings.project)

        def open_feature(feature_id: int) -> None:
            self.app.push_screen(FeatureDetails(reader, feature_id))

        pane = BacklogPane(reader, open_feature, id="backlog", classes="-hidden")
        await self.query_one("#body").mount(pane)
        return pane

    def action_help(self) -> None:
        as_bindings = [
            b if isinstance(b, Binding) else Binding(*b) for b in ConversationList.BINDINGS
        ]
        groups = {
            "Anywhere": [b for b in self.BINDINGS if isinstance(b, Binding)],
            "In the sidebar": as_bindings,
            "In the prompt": [
                Binding("enter", "", "Send"),
                Binding("shift+enter,ctrl+j", "", "New line"),
            ],
            "In the tool log": [Binding("enter", "", "Expand a row")],
            "In the backlog (F4)": [
                Binding("enter", "", "A feature's details"),
                Binding("escape", "", "Close the details"),
            ],
            "In search": [
                Binding("up,down", "", "Choose a hit"),
                Binding("enter", "", "Open it at that message"),
                Binding("f3", "", "This project / all projects"),
            ],
            "In the chat (block cursor)": [
                Binding("up,down,k,j", "", "Previous / next block"),
                Binding("home,end", "", "First / last block"),
                Binding("c,y,enter", "", "Copy the block"),
                Binding("b", "", "Branch from here"),
                Binding("escape", "", "Back to the prompt"),
            ],
        }
        from tui.screens.dialogs import HelpScreen

        self.app.push_screen(HelpScreen(groups))
