"""The model and effort of a conversation, through the real SDK and CLI against the scripted
server: a choice reaches the next request the CLI sends, is stored, and is shown in the header,
also after a restart; the conversation goes on in the same CLI session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from tests.helpers.pilot import SIZE, ask, settle, until
from tests.helpers.screen import notes, screen_rows
from tui.demo.model_server import ModelServer, Turn
from tui.screens.choice_dialog import ChoiceDialog
from tui.widgets.conversation_list import ConversationList


def header(app: Any) -> str:
    return screen_rows(app)[0].strip()


def session_of(body: dict[str, Any]) -> str:
    """The CLI's session id, which it sends with every request of the session."""
    return str(json.loads(body["metadata"]["user_id"])["session_id"])


def sent(server: ModelServer) -> list[dict[str, Any]]:
    """The bodies of the requests that carried the conversation, oldest first: not the CLI's
    one-token check that a model it is switched to answers (a "Hi" with max_tokens 1)."""
    return [r.body for r in server.message_requests if r.body.get("max_tokens", 0) > 1]


async def choose_in_dialog(pilot: Any, key: str, typed: str | None = None, down: int = 0) -> None:
    """Open a picker by its key; pick the entry ``down`` rows below the first, or type a name."""
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, ChoiceDialog), "the picker opened")
    await pilot.pause()
    if typed is not None:
        pilot.app.screen.query_one("#choice-typed").focus()
        await pilot.pause()
        for char in typed:
            await pilot.press(char)
    else:
        await pilot.press("home", *["down"] * down)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_model_named_reaches_the_next_request_and_stays_after_a_restart(
    app_factory: Any, tmp_path: Path, project: Path
) -> None:
    db = tmp_path / "history.db"
    async with (
        app_factory([Turn(text="ok")], db=db) as (app, server),
        app.run_test(size=SIZE) as pilot,
    ):
        await ask(pilot, "first")
        await choose_in_dialog(pilot, "alt+m", typed="claude-sonnet-4-5")
        assert header(app).endswith("· claude-sonnet-4-5 · ready")
        await ask(pilot, "second")
        first, second = sent(server)
        assert (first["model"], second["model"]) == ("scripted", "claude-sonnet-4-5")
        assert session_of(first) == session_of(second)  # switched on the live CLI
        (conversation,) = app.screen.query_one(ConversationList).conversations
        stored = await app.store.conversation_get(conversation.id)
        assert stored is not None and stored.chosen_model == "claude-sonnet-4-5"
    async with (
        app_factory([Turn(text="again")], db=db) as (app, server),
        app.run_test(size=SIZE) as pilot,
    ):
        await settle(pilot)
        assert header(app) == (
            f"assistant-tui · {project.name} — {project} · claude-sonnet-4-5 · ready"
        )
        await ask(pilot, "third")
        (third,) = sent(server)
        assert third["model"] == "claude-sonnet-4-5"
        assert session_of(third) == session_of(second)  # the same session, resumed
        assert "first" in json.dumps(third["messages"])


async def test_an_alias_from_the_palette_command_and_back_to_the_default(
    app_factory: Any, monkeypatch: Any
) -> None:
    """``/model haiku`` runs action_model("haiku"); the CLI resolves an alias through
    ANTHROPIC_DEFAULT_HAIKU_MODEL, so the request names the model that variable gives."""
    monkeypatch.setenv("ANTHROPIC_DEFAULT_HAIKU_MODEL", "scripted-haiku")
    async with app_factory([Turn(text="ok")]) as (app, server), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.screen.action_model("haiku")  # before the conversation exists
        await settle(pilot)
        assert "· haiku · ready" in header(app)
        await ask(pilot, "first")
        await app.screen.action_model("default")
        await settle(pilot)
        assert "· scripted · ready" in header(app)
        await ask(pilot, "second")
        assert [b["model"] for b in sent(server)] == ["scripted-haiku", "scripted"]
        (conversation,) = app.screen.query_one(ConversationList).conversations
        stored = await app.store.conversation_get(conversation.id)
        assert stored is not None and stored.chosen_model is None


async def test_a_name_the_cli_would_read_as_a_flag_is_refused_in_one_sentence(
    app_factory: Any,
) -> None:
    async with app_factory([Turn(text="ok")]) as (app, server), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "first")
        await app.screen.action_model("--dangerously-skip-permissions")
        await app.screen.action_model("two words")
        await app.screen.action_effort("extreme")
        await settle(pilot)
        said = notes(app)
        assert any("--dangerously-skip-permissions is not a model name" in n for n in said)
        assert any("two words is not a model name" in n for n in said)
        assert any("extreme is not an effort level" in n for n in said)
        assert "· scripted · ready" in header(app)
        await ask(pilot, "second")
        assert [b["model"] for b in sent(server)] == ["scripted", "scripted"]


async def test_an_effort_chosen_restarts_the_cli_resuming_and_goes_with_each_request(
    app_factory: Any, tmp_path: Path
) -> None:
    db = tmp_path / "history.db"
    async with (
        app_factory([Turn(text="ok")], db=db) as (app, server),
        app.run_test(size=SIZE) as pilot,
    ):
        await ask(pilot, "first")
        await choose_in_dialog(pilot, "alt+e", down=1)  # default, then low
        assert header(app).endswith("· scripted · low effort · ready")
        await ask(pilot, "second")
        first, second = sent(server)
        assert first.get("output_config", {}).get("effort") != "low"
        assert second["output_config"]["effort"] == "low"
        assert session_of(second) == session_of(first)  # resumed, not a new session
        assert "first" in json.dumps(second["messages"])  # with the earlier turn
        assert len(app.screen.query(".answer")) == 2 and not notes(app)[1:]
    async with (
        app_factory([Turn(text="again")], db=db) as (app, server),
        app.run_test(size=SIZE) as pilot,
    ):
        await settle(pilot)
        assert header(app).endswith("· scripted · low effort · ready")
        await ask(pilot, "third")
        (third,) = sent(server)
        assert third["output_config"]["effort"] == "low"
        assert session_of(third) == session_of(first)


REBOUND = '[keys]\nmodel = "f11"\nretry = "f12"\n'


@pytest.mark.parametrize(
    ("keymap", "model", "retry"),
    [("", "alt+m or /model", "^r"), (REBOUND, "f11 or /model", "f12")],
)
async def test_a_model_the_api_does_not_know_fails_the_question_in_one_sentence(
    app_factory: Any, isolated: Path, keymap: str, model: str, retry: str
) -> None:
    """The CLI checks a model it is switched to with a one-token request; a 404 there keeps it
    on the old model. The question waits (stored) for another choice and the retry key. The
    sentence names the model and retry keys as config.toml binds them (it said Alt+M and
    ctrl+r after a rebinding too)."""
    if keymap:
        config = isolated / "config" / "assistant-tui" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(keymap)
    turns = [Turn(match="Hi", status=404), Turn(text="answered")]
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "first")
        await app.screen.action_model("claude-nope")
        await ask(pilot, "second")
        said = (
            "The model claude-nope is not available (Model 'claude-nope' not found); choose "
            f"another model ({model}), then press {retry} (or type /retry) to retry."
        )
        assert said in notes(app)
        assert any(said[:40] in row for row in screen_rows(app))
        stored = await app.store.message_page(app.screen.conversation.id)
        assert stored[-1].error == said  # stored as shown
        await app.screen.action_model("default")
        await pilot.press("ctrl+r" if retry == "^r" else retry)
        await settle(pilot)
        assert [b["model"] for b in sent(server)] == ["scripted", "scripted"]
        assert "second" in json.dumps(sent(server)[-1]["messages"])


async def test_the_palette_lists_the_models_and_efforts_and_sets_one(app_factory: Any) -> None:
    async with app_factory([Turn(text="ok")]) as (app, server), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "first")
        await app.screen.action_model("claude-nope-1")  # named once: listed from now on
        await app.screen.action_model("claude-sonnet-4-5")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette opened")
        app.screen.query_one(Input).value = "Model: "
        await until(pilot, lambda: "Model: haiku" in "\n".join(screen_rows(app)), "models listed")
        listed = "\n".join(screen_rows(app))
        for model in ("opus", "sonnet", "haiku", "scripted", "claude-sonnet-4-5", "claude-nope-1"):
            assert f"Model: {model}" in listed
        app.screen.query_one(Input).value = "Effort: max"
        await until(pilot, lambda: "Effort: max" in "\n".join(screen_rows(app)), "effort listed")
        await pilot.press("down", "enter")  # the input holds the focus: down to the best hit
        await settle(pilot)
        assert header(app).endswith("· claude-sonnet-4-5 · max effort · ready")
        await ask(pilot, "second")
        assert "output_config" not in sent(server)[-1]  # the CLI sends none for Sonnet 4.5
        await app.screen.action_model("opus")
        await ask(pilot, "third")
        assert sent(server)[-1]["output_config"]["effort"] == "max"
