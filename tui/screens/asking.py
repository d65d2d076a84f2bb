"""The calls waiting for the user, for the main screen: approvals (in a dialog) and the
assistant's own questions (a choice card in the chat), per conversation.

A question may come while its conversation is not on screen: the sidebar marks it (●?) and it
is asked when the conversation is opened. Whatever settles it (an answer, a standing answer,
the turn given up) takes it off the list and off the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from tui.tool_lines import ASKED
from tui.widgets.chat_pane import ChatPane
from tui.widgets.prompt_input import PromptInput
from tui.widgets.tool_log import ToolLog

if TYPE_CHECKING:
    from tui.agent.approval import Question
    from tui.agent.ask_user import Pick
    from tui.screens.in_flight import Turn
    from tui.screens.main import MainScreen


class Asking:
    """Conversation id -> the calls awaiting the user there, and how they are shown."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.waiting: dict[int, list[Question | Pick]] = {}

    def conversations(self) -> set[int]:
        """The conversations with a call waiting (the sidebar's ●?)."""
        return {key for key, waiting in self.waiting.items() if waiting}

    async def asked(self, turn: Turn, question: Question | Pick) -> None:
        """A call waits for the user: ask now if its conversation is on screen, else mark it
        in the sidebar and ask when it is opened."""
        screen = self.screen
        key = cast(int, turn.conversation_id)  # asked only after the question was stored
        self.waiting.setdefault(key, []).append(question)
        question.answer.add_done_callback(lambda _: self._settled(key, question))
        if screen.showing(key):
            screen.query_one(ToolLog).decide(question.tool_use_id, ASKED)
        await screen.reload_sidebar()
        self.show()

    def _settled(self, key: int, question: Question | Pick) -> None:
        """Answered, covered by a standing answer, or given up on with the turn."""
        waiting = self.waiting.get(key, [])
        if question in waiting:
            waiting.remove(question)
        if not waiting:
            self.waiting.pop(key, None)
        self.screen.call_later(self.screen.reload_sidebar)
        self.screen.call_later(self._unask, question)

    async def _unask(self, question: Question | Pick) -> None:
        """A question of the chat is settled: its card goes, the next one (if any) comes."""
        screen = self.screen
        chat = screen.query_one(ChatPane)
        if chat.card is not None and chat.card.token is question:
            focused = screen.focused is not None and chat.card in screen.focused.ancestors
            await chat.unask()
            if focused:
                screen.set_focus(screen.query_one(PromptInput))
            self.show()

    def show(self) -> None:
        """Ask the first open question of the conversation on screen: the assistant's own in
        the chat, an approval in its dialog."""
        from tui.agent.approval import Question  # not on the first screen's path
        from tui.agent.ask_user import Pick
        from tui.screens.approval_dialog import ApprovalDialog

        screen = self.screen
        if screen.conversation is None:
            return
        waiting = [q for q in self.waiting.get(screen.conversation.id, []) if not q.answer.done()]
        picks = [q for q in waiting if isinstance(q, Pick)]
        if picks:
            pick = picks[0]
            screen.call_later(screen.query_one(ChatPane).ask, pick.questions, pick, pick.given)
        if any(isinstance(s, ApprovalDialog) for s in screen.app.screen_stack):
            return
        approvals = [q for q in waiting if isinstance(q, Question)]
        if approvals:
            screen.app.push_screen(ApprovalDialog(approvals[0]), lambda _: self.show())
