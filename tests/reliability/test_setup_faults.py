"""What is missing before a turn can start: credentials, the CLI. The app says which and how to
fix it, keeps the question stored, and answers once the cause is gone."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.helpers.figures import Figures
from tests.helpers.pilot import SIZE, paste, settle
from tests.helpers.processes import children_of
from tests.helpers.screen import notes, screen_rows
from tui.agent.session import AgentSession
from tui.demo.model_server import Turn
from tui.models import MessageStatus, Role
from tui.widgets.prompt_input import PromptInput


async def stored(app: Any) -> list[tuple[Role, str, MessageStatus]]:
    conversation = app.screen.conversation
    return [(m.role, m.content, m.status) for m in await app.store.message_page(conversation.id)]


async def test_no_credentials_then_a_key(
    app_factory: Any, monkeypatch: pytest.MonkeyPatch, figures: Figures
) -> None:
    """Said at launch, in the header and the chat, without starting the CLI; a question typed
    meanwhile stays in the box, unsent and unstored, until a key is there."""
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    async with (
        app_factory([Turn(text="Hello.")]) as (app, server),
        app.run_test(size=SIZE) as pilot,
    ):
        await settle(pilot)
        shown = "\n".join(screen_rows(app))
        assert "no credentials" in shown.splitlines()[0]  # the header
        assert "No Claude credentials were found; set ANTHROPIC_API_KEY" in shown
        assert children_of(os.getpid()) == set()  # no CLI was started for nothing
        await paste(pilot, "hello")
        assert notes(app)[-1].startswith("No Claude credentials were found; set ANTHROPIC_API_KEY")
        assert app.screen.query_one(PromptInput).text == "hello"
        assert server.message_requests == [] and app.screen.conversation is None
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-0000-FAKEKEY")
        await paste(pilot)  # the question still in the box
        assert await stored(app) == [
            (Role.USER, "hello", MessageStatus.COMPLETE),
            (Role.ASSISTANT, "Hello.", MessageStatus.COMPLETE),
        ]
    figures.record("faults", "no credentials", 1, of=1)


async def test_missing_cli_then_found(
    app_factory: Any, monkeypatch: pytest.MonkeyPatch, figures: Figures
) -> None:
    original = AgentSession.options

    def without_cli(self: AgentSession) -> Any:
        options = original(self)
        options.cli_path = "/nonexistent/claude"
        return options

    monkeypatch.setattr(AgentSession, "options", without_cli)
    async with app_factory([Turn(text="Hello.")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await paste(pilot, "hello")
        assert notes(app)[-1].startswith("The Claude Code CLI was not found; reinstall")
        monkeypatch.setattr(AgentSession, "options", original)
        await pilot.press("ctrl+r")  # the stored question asked again, not stored twice
        await settle(pilot)
        assert [m for _, m, _ in await stored(app)] == ["hello", "", "Hello."]
    figures.record("faults", "no Claude CLI binary", 1, of=1)
