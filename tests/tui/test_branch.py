"""Branching in the app: from the block cursor, shown under its parent, refused mid-answer."""

from __future__ import annotations

from typing import Any

from tests.helpers.engine import said
from tests.helpers.pilot import SIZE, ask, settle
from tests.helpers.screen import notes
from tui.demo.model_server import Turn
from tui.widgets.chat_pane import ChatPane, UserMessage
from tui.widgets.conversation_list import ConversationList
from tui.widgets.prompt_input import PromptInput

TURNS = [
    Turn(match="Q1 ", text="A1 first answer."),
    Turn(match="Q2 ", text="A2 second answer."),
    Turn(match="Q3 ", text="A3 third answer."),
    Turn(match="Q4 ", text="A4 branch answer."),
    Turn(match="slow", text="word " * 400, hold_after=40),
]


def sidebar_rows(app: Any) -> list[str]:
    """The sidebar's rows as drawn (first line of each), markers and indentation included."""
    sidebar = app.screen.query_one(ConversationList)
    return [
        str(sidebar.get_option_at_index(i).prompt).split("\n")[0].replace("\xa0", " ")
        for i in range(sidebar.option_count)
    ]


async def test_branch_from_a_question_continues_after_its_answer(app_factory: Any) -> None:
    async with app_factory(TURNS) as (app, server), app.run_test(size=SIZE) as pilot:
        for question in ("Q1 one", "Q2 two", "Q3 three"):
            await ask(pilot, question)
        parent = app.screen.conversation
        chat = app.screen.query_one(ChatPane)
        await pilot.press("ctrl+o")
        while (stop := chat.current()) is None or stop.text != "Q2 two":
            await pilot.press("up")
        assert isinstance(stop.message, UserMessage)
        await pilot.press("b")
        await settle(pilot)

        branch = app.screen.conversation
        assert branch.id != parent.id and branch.parent_id == parent.id
        assert isinstance(app.focused, PromptInput)
        shown = [getattr(c, "text", None) for c in chat.children if hasattr(c, "text")]
        assert shown == ["Q1 one", "A1 first answer.", "Q2 two", "A2 second answer."]
        assert "the model continues from that point" in notes(app)[-1]
        assert sidebar_rows(app) == ["  Q1 one", "    ↳ Q2 two"]

        await ask(pilot, "Q4 four")
        received = said(server.message_requests[-1].body)
        assert "A2 second answer." in received and "Q4 four" in received
        assert "Q3" not in received and "A3" not in received
        stored = await app.store.conversation_get(branch.id)
        assert stored is not None and stored.parent_id == parent.id
        assert stored.parent_message_id is not None
        assert (
            await app.store.message_get(stored.parent_message_id)
        ).content == "A2 second answer."  # type: ignore[union-attr]

        await app.screen.open_conversation(parent)  # trashing the parent keeps the branch
        await pilot.press("f8", "y")
        await settle(pilot)
        assert sidebar_rows(app) == ["  ↳ Q2 two"]
        assert (await app.store.conversation_get(branch.id)).parent_id == parent.id  # type: ignore[union-attr]


async def test_branch_is_refused_while_the_answer_streams(app_factory: Any) -> None:
    async with app_factory(TURNS) as (app, server), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "Q1 one")
        await pilot.click(PromptInput)
        for char in "slow":
            await pilot.press(char)
        await pilot.press("enter")
        chat = app.screen.query_one(ChatPane)
        while chat.answer is None or not chat.answer.text:
            await pilot.pause()
        parent = app.screen.conversation
        await pilot.press("ctrl+o", "home", "b")
        await pilot.pause()
        assert notes(app)[-1] == (
            "Wait until the answer has finished (or press esc to stop it), then branch."
        )
        assert app.screen.conversation.id == parent.id
        assert len(await app.store.conversation_list()) == 1
        server.release()
        await settle(pilot)


async def test_palette_branches_from_the_last_message(app_factory: Any) -> None:
    async with app_factory(TURNS) as (app, _), app.run_test(size=SIZE) as pilot:
        for question in ("Q1 one", "Q2 two"):
            await ask(pilot, question)
        parent = app.screen.conversation
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "Branch from here":
            await pilot.press(char if char != " " else "space")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        branch = app.screen.conversation
        assert branch.parent_id == parent.id and branch.message_count == 4
