"""Slash commands in the real app: the picker as typed, commands run from it, an argument, an
unknown name, and ``//`` sending the text to the model (the real CLI over the scripted server)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events

from tests.helpers.pilot import SIZE, ask, settle, until
from tests.helpers.popup import popup_rows, popup_title
from tests.helpers.screen import notes, screen_rows  # run_test paints no toasts: notes
from tui.demo.model_server import Turn
from tui.screens.dialogs import ChoiceDialog, HelpScreen
from tui.widgets.prompt_input import PromptInput


async def type_keys(pilot: Any, text: str) -> None:
    """Type into the prompt key by key, as a user does (each key redraws the picker)."""
    pilot.app.screen.query_one(PromptInput).focus()
    for char in text:
        await pilot.press({" ": "space", "/": "slash"}.get(char, char))
    await pilot.pause()


def picker_rows(app: Any) -> list[str]:
    """The picker as painted: the popup's rows inside its border, stripped."""
    return popup_rows(app)


def painted(app: Any) -> str:
    return "\n".join(screen_rows(app))


async def test_the_picker_filters_as_the_name_is_typed(app_factory: Any) -> None:
    async with app_factory([Turn(text="Answer.")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert picker_rows(app) == []
        await type_keys(pilot, "/")
        rows = picker_rows(app)
        assert rows[0].startswith("/new") and "^n" in rows[0] and "New conversation" in rows[0]
        await type_keys(pilot, "p")
        rows = picker_rows(app)
        assert rows[0].split()[:2] == ["/pin", "f7"] and "Pin / unpin" in rows[0]
        assert not any(row.startswith("/new") for row in rows)
        assert any(row.startswith("/export [path]") for row in rows)  # "p" inside the name
        await type_keys(pilot, "i")
        assert [row.split()[0] for row in picker_rows(app)] == ["/pin"]
        await type_keys(pilot, "x")
        assert picker_rows(app) == []  # no command has "pix": the list goes away


async def test_enter_runs_the_highlighted_command_and_tab_completes(app_factory: Any) -> None:
    async with app_factory([Turn(text="Answer.")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "first question")
        conversation = app.screen.conversation
        assert conversation is not None and not conversation.pinned
        await type_keys(pilot, "/pi")
        await pilot.press("enter")
        await settle(pilot)
        stored = await app.store.conversation_get(conversation.id)
        assert stored is not None and stored.pinned
        prompt = app.screen.query_one(PromptInput)
        assert prompt.text == "" and picker_rows(app) == []
        await type_keys(pilot, "/ne")
        await pilot.press("tab")
        await pilot.pause()
        assert prompt.text == "/new" and [r.split()[0] for r in picker_rows(app)] == ["/new"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.conversation is None and prompt.text == ""


async def test_arrows_choose_and_escape_closes_without_cancelling(app_factory: Any) -> None:
    async with app_factory([Turn(text="Answer.")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "first question")
        await type_keys(pilot, "/re")
        assert [r.split()[0] for r in picker_rows(app)][:2] == ["/retry", "/rename"]
        await pilot.press("down", "tab")
        await pilot.pause()
        prompt = app.screen.query_one(PromptInput)
        assert prompt.text == "/rename "  # it takes a title: the space is there for it
        await type_keys(pilot, "Parser notes")
        await pilot.press("enter")
        await settle(pilot)
        stored = await app.store.conversation_get(app.screen.conversation.id)
        assert stored is not None and stored.title == "Parser notes"
        assert "Parser notes" in painted(app)  # the sidebar shows the new title
        await type_keys(pilot, "/he")
        assert popup_title(app) == "Commands · Tab completes · Enter runs"
        await pilot.press("escape")
        await pilot.pause()
        assert picker_rows(app) == [] and prompt.text == "/he"
        await type_keys(pilot, "l")  # the same word: Esc closed it for this one
        assert picker_rows(app) == [] and prompt.text == "/hel"
        prompt.clear()
        await type_keys(pilot, "/")  # a new word: it opens again
        assert picker_rows(app)[0].startswith("/new")


async def test_export_with_a_path_writes_it(app_factory: Any, tmp_path: Path) -> None:
    target = tmp_path / "out" / "notes.md"
    target.parent.mkdir()
    async with (
        app_factory([Turn(text="The answer.")]) as (app, _),
        app.run_test(size=SIZE) as pilot,
    ):
        await ask(pilot, "what is this")
        await type_keys(pilot, f"/export {target}")
        assert picker_rows(app) == []  # past the name the picker is gone
        await pilot.press("enter")
        await until(pilot, target.exists, "the export was written")
        await settle(pilot)
        written = target.read_text()
        assert "what is this" in written and "The answer." in written
        assert notes(app)[-1] == f"Exported the conversation to {target}."


async def test_an_unknown_command_is_said_and_kept(app_factory: Any) -> None:
    async with (
        app_factory([Turn(text="Answer.")]) as (app, server),
        app.run_test(size=SIZE) as pilot,
    ):
        await settle(pilot)
        await type_keys(pilot, "/nosuch thing")
        await pilot.press("enter")
        await settle(pilot)
        assert notes(app) == [
            "There is no command /nosuch; type / to list the commands, or start with // to "
            "send text that begins with a slash."
        ]
        assert app.screen.query_one(PromptInput).text == "/nosuch thing"
        await type_keys(pilot, "")
        prompt = app.screen.query_one(PromptInput)
        prompt.load_text("/new now")
        await pilot.press("enter")
        await settle(pilot)
        assert "/new takes nothing after it" in notes(app)[-1] and prompt.text == "/new now"
        prompt.load_text("/ new")
        await pilot.press("enter")
        await settle(pilot)
        assert notes(app)[-1].startswith("A / must be followed by a command's name;")
        assert server.message_requests == []  # nothing reached the model
        assert await app.store.conversation_list(None) == []


async def test_double_slash_sends_the_text_to_the_model(app_factory: Any) -> None:
    turns = [Turn(match="/model sonnet", text="Read as text."), Turn(text="Still me.")]
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_keys(pilot, "//model sonnet")
        assert picker_rows(app) == []  # "//" is text, not a command being typed
        await pilot.press("enter")
        await settle(pilot)
        assert server.message_requests[-1].last_user_text() == " /model sonnet"  # words
        await ask(pilot, "and now")
        later = server.message_requests[-1]
        assert later.body["model"] == "scripted"  # the CLI did not switch its model
        said = str(later.body["messages"])
        assert "command-message" not in said and "/model sonnet" in said
        assert "Read as text." in painted(app) and "Still me." in painted(app)
        stored = await app.store.message_page(app.screen.conversation.id)
        assert [m.content for m in stored][::2] == ["/model sonnet", "and now"]


async def test_web_off_reconnects_without_the_web_tools(app_factory: Any) -> None:
    async with (
        app_factory([Turn(text="Answer.")]) as (app, server),
        app.run_test(size=SIZE) as pilot,
    ):
        await ask(pilot, "first question")
        tools = {t["name"] for t in server.message_requests[-1].body.get("tools", [])}
        assert "WebFetch" in tools
        await type_keys(pilot, "/web off")
        await pilot.press("enter")
        await settle(pilot)
        assert notes(app)[-1] == (
            "Web access is off for this run: the model is offered no web tool at all."
        )
        await ask(pilot, "second question")
        last = server.message_requests[-1].body
        assert "WebFetch" not in {t["name"] for t in last.get("tools", [])}
        assert "first question" in str(last["messages"])  # the session was resumed
        await type_keys(pilot, "/web")
        await pilot.press("enter")  # without a mode: the three are offered, the current first
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        shown = painted(app)
        assert "Web access for this run" in shown and "on  fetches from public hosts" in shown
        await pilot.press("up", "enter")
        await settle(pilot)
        assert app.settings.web == "on" and notes(app)[-1].startswith("Web access is on")


async def test_help_and_palette_list_the_commands(app_factory: Any) -> None:
    async with app_factory([Turn(text="Answer.")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_keys(pilot, "/help")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = painted(app)
        for _ in range(30):  # after the prompt's keys, page by page: every page read
            if "/theme" in shown:
                break
            await pilot.press("pagedown")
            await pilot.pause()
            shown += painted(app)
        assert "/web [ask|on|off]" in shown and "/quit" in shown and "/theme" in shown
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "web":
            await pilot.press(char)
        await until(pilot, lambda: "alt+w · /web" in painted(app), "the palette lists /web")


async def test_the_picker_shows_a_key_the_user_rebound(app_factory: Any, isolated: Path) -> None:
    config = isolated / "config" / "assistant-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[keys]\npin = "f10"\n')
    async with app_factory([Turn(text="Answer.")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_keys(pilot, "/pin")
        assert picker_rows(app)[0].split()[:2] == ["/pin", "f10"]


async def test_keys_typed_faster_than_the_picker_updates_keep_the_argument(
    app_factory: Any,
) -> None:
    """Found by the tmux test in CI: "/model sonnet" and Enter arriving in one burst (as a
    terminal delivers typed-ahead keys) reached Enter while the picker still offered what it
    found for "/model"; Enter completed that, replacing " sonnet", and opened the model list
    instead of choosing sonnet. Every key is queued here before any is handled."""
    async with app_factory([]) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prompt = app.screen.query_one(PromptInput)
        prompt.focus()
        await type_keys(pilot, "/mo")  # the picker is open, offering /model
        assert picker_rows(app)
        for char in "del sonnet":
            prompt.post_message(events.Key("space" if char == " " else char, char))
        prompt.post_message(events.Key("enter", "\r"))
        await until(pilot, lambda: "· sonnet · ready" in screen_rows(app)[0], "sonnet chosen")
        assert not isinstance(app.screen, ChoiceDialog)
