"""The assistant asks, the user picks: an ``ask_user`` call through the real SDK, CLI and app.

The scripted model calls the tool; the question is drawn in the chat as a choice list; the answer
the model received is read from the scripted server's requests; what was kept, from the history
file and the export.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.pilot import SIZE, send, settle, until
from tests.helpers.processes import children_of
from tests.helpers.screen import notes, screen_rows
from tui.demo.model_server import ModelServer, ToolCall, Turn
from tui.export import render
from tui.screens.main import MainScreen
from tui.tool_lines import ASK_USER
from tui.widgets.chat_pane import ChatPane
from tui.widgets.tool_log import ToolLog

QUESTION = "Which store should the history use?"
OPTIONS = [
    {"label": "SQLite", "description": "one file, no server"},
    {"label": "Postgres", "description": "a server to run"},
    {"label": "JSON files", "description": "one file per chat"},
]


def ask_call(questions: list[dict[str, Any]] | None = None) -> ToolCall:
    """The scripted model's ``ask_user`` call (one question, three options, by default)."""
    asked = questions or [{"question": QUESTION, "header": "Store", "options": OPTIONS}]
    return ToolCall(ASK_USER, {"questions": asked})


def asking_turns(call: ToolCall | None = None) -> list[Turn]:
    """'design it' makes the model ask; the user's answer (any) makes it go on."""
    return [
        Turn(match="The user answered", text="Going with your choice."),
        Turn(match="ask_user", text="I could not ask."),  # a refusal names the tool
        Turn(match="design it", text="Let me ask you first.", tools=[call or ask_call()]),
        Turn(text="Done."),
    ]


@pytest.fixture(autouse=True)
def armed_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The half-second guard against keys typed before the card came has its own test."""
    monkeypatch.setattr("tui.widgets.choice_card.ARMED_AFTER_S", 0.0)


def painted(app: Any) -> str:
    return "\n".join(screen_rows(app))


def main_screen(app: Any) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


def card_shown(app: Any) -> bool:
    return main_screen(app).query_one(ChatPane).card is not None


def tool_log_text(app: Any) -> str:
    region = main_screen(app).query_one(ToolLog).region
    rows = screen_rows(app)[region.y : region.bottom]
    return " ".join(" ".join(row[region.x : region.right].strip("│ ") for row in rows).split())


def tool_results(server: ModelServer) -> list[str]:
    """What the model received back for each of its tool calls, in order."""
    found = []
    for request in server.message_requests:
        for message in request.body.get("messages", [])[-1:]:
            for block in message.get("content") or []:
                if isinstance(block, dict) and block.get("type") == "tool_result":
                    found.append(request.last_user_text())
    return found


def stored_calls(db: Path) -> list[tuple[str, dict[str, Any], str, str, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT name, input, status, result, decision FROM tool_events ORDER BY id"
        ).fetchall()
    return [(n, json.loads(i), s, r, d) for n, i, s, r, d in rows]


async def exported_text(app: Any) -> str:
    """The open conversation as ``export`` writes it, read through the app's own store."""
    screen = main_screen(app)
    assert screen.conversation is not None
    services = await screen.services()
    return (await render(services.store, screen.conversation.id, []))[1]


async def asked(pilot: Any) -> None:
    await until(pilot, lambda: card_shown(pilot.app), "the choice list was shown")
    await pilot.pause()


async def test_a_question_answered_by_its_number_reaches_the_model_and_is_kept(
    app_factory: Any, tmp_path: Path
) -> None:
    async with app_factory(asking_turns()) as (app, server), app.run_test(size=SIZE) as pilot:
        await send(pilot, "design it")
        await asked(pilot)
        shown = painted(app)
        assert QUESTION in shown and "The assistant asks · Store" in shown
        assert "1  SQLite — one file, no server" in shown and "3  JSON files" in shown
        assert "asked: waiting for your answer" in tool_log_text(app)
        keys = screen_rows(app)[-1]  # the key bar: Esc gives the question up, no chat letters
        assert "esc Cancel answer" in keys and "Copy block" not in keys and "Branch" not in keys
        await pilot.press("2")
        await settle(pilot)
        assert not card_shown(app) and "Going with your choice." in painted(app)
        assert tool_results(server) == [f"The user answered:\n- {QUESTION} → Postgres"]
        log = tool_log_text(app)
        assert f"Asking you: {QUESTION}" in log and "answered by you: Postgres" in log
        ((name, tool_input, status, result, decision),) = stored_calls(app.settings.db)
        assert (name, status, decision) == (ASK_USER, "ok", "answered by you: Postgres")
        assert tool_input["questions"][0]["question"] == QUESTION
        assert result == f"The user answered:\n- {QUESTION} → Postgres"
        exported = await exported_text(app)
        assert f"Tool: Asking you: {QUESTION} — ok" in exported
        assert f"- {QUESTION} → Postgres" in exported


async def test_a_typed_answer_and_several_questions_one_after_the_other(
    app_factory: Any,
) -> None:
    """The first question allows several options (ticked by number), the second is answered
    in the user's own words; the model gets both in one result."""
    questions = [
        {"question": "Which parts?", "header": "Scope", "options": OPTIONS, "multiSelect": True},
        {"question": QUESTION, "options": OPTIONS},
    ]
    turns = asking_turns(ask_call(questions))
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await send(pilot, "design it")
        await asked(pilot)
        assert "The assistant asks · Scope · 1 of 2" in painted(app)
        await pilot.press("1", "3")
        await pilot.pause()
        assert "1  [x] SQLite" in painted(app) and "2  [ ] Postgres" in painted(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "The assistant asks · 2 of 2" in painted(app) and QUESTION in painted(app)
        for key in ["m", "a", "y", "b", "e", "space", "l", "a", "t", "e", "r"]:
            await pilot.press(key)
        await pilot.pause()
        assert "maybe later" in painted(app)  # typed into the answer line, not picked
        await pilot.press("enter")
        await settle(pilot)
        assert tool_results(server) == [
            "The user answered:\n- Which parts? → SQLite, JSON files\n"
            f"- {QUESTION} → in their own words: maybe later"
        ]
        assert not card_shown(app) and "Going with your choice." in painted(app)
        ((*_, decision),) = stored_calls(app.settings.db)
        assert decision == "answered by you: SQLite, JSON files; maybe later"


async def test_text_from_the_model_is_drawn_as_it_is_never_as_markup_or_escapes(
    app_factory: Any,
) -> None:
    hostile = [
        {
            "question": "Pick [bold red]one[/] \x1b]52;c;ZXZpbA==\x07\u202e",
            "header": "[link=x]H[/]",
            "options": [
                {"label": "[b]A[/b]", "description": "\x1b[2J clear"},
                {"label": "B", "description": "[i]fine[/i]"},
            ],
        }
    ]
    turns = asking_turns(ask_call(hostile))
    async with app_factory(turns) as (app, _server), app.run_test(size=SIZE) as pilot:
        await send(pilot, "design it")
        await asked(pilot)
        shown = painted(app)
        assert "Pick [bold red]one[/] \\u001b]52;c;ZXZpbA==\\u0007\\u202e" in shown
        assert "The assistant asks · [link=x]H[/]" in shown
        assert "1  [b]A[/b] — \\u001b[2J clear" in shown and "[i]fine[/i]" in shown
        assert "\x1b" not in shown and "\u202e" not in shown
        await pilot.press("1")
        await settle(pilot)
        assert "answered by you: [b]A[/b]" in tool_log_text(app)


async def test_bad_arguments_are_refused_in_one_sentence_and_nothing_is_asked(
    app_factory: Any,
) -> None:
    five = [{"label": f"Option {n}"} for n in range(5)]
    call = ask_call([{"question": QUESTION, "options": five}])
    async with app_factory(asking_turns(call)) as (app, server), app.run_test(size=SIZE) as pilot:
        await send(pilot, "design it")
        await settle(pilot)
        assert not card_shown(app) and "I could not ask." in painted(app)
        sentence = (
            "ask_user: question 1 needs 2 to 4 options, each with a label and a description "
            "(the user can always type an answer of their own)."
        )
        # The CLI puts its own words before a hook's reason ("PreToolUse:... hook error: ").
        (received,) = tool_results(server)
        assert received.endswith(f"hook error: {sentence}")
        ((_name, _input, status, result, _decision),) = stored_calls(app.settings.db)
        assert (status, result) == ("denied", received)


def interrupted_rows(db: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    with sqlite3.connect(db) as conn:
        messages = conn.execute("SELECT content, status FROM messages WHERE role = 'assistant'")
        tools = conn.execute("SELECT name, status, result FROM tool_events")
        return messages.fetchall(), tools.fetchall()


async def test_esc_on_the_question_gives_it_up_and_the_next_question_is_answered(
    app_factory: Any,
) -> None:
    async with app_factory(asking_turns()) as (app, server), app.run_test(size=SIZE) as pilot:
        await send(pilot, "design it")
        await asked(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not card_shown(app) and "interrupted" in painted(app)
        messages, tools = interrupted_rows(app.settings.db)
        assert messages == [("Let me ask you first.", "interrupted")]
        assert [(name, status) for name, status, _ in tools] == [(ASK_USER, "error")]
        assert not tool_results(server)  # the model never got an answer
        await send(pilot, "and now?")
        await settle(pilot)
        assert "Done." in painted(app)


async def test_quitting_while_asked_keeps_everything_and_leaves_no_process(
    app_factory: Any,
) -> None:
    async with app_factory(asking_turns()) as (app, _server):
        async with app.run_test(size=SIZE) as pilot:
            await send(pilot, "design it")
            await asked(pilot)
            await pilot.press("ctrl+q")
        assert interrupted_rows(app.settings.db) == (
            [("Let me ask you first.", "interrupted")],
            [(ASK_USER, "error", "Interrupted before the tool finished.")],
        )
    assert children_of(os.getpid()) == set()


async def test_a_question_in_the_background_waits_marked_in_the_sidebar(
    app_factory: Any,
) -> None:
    """Asked while the user is in another conversation: ●? on its row, the choice list when
    the user comes back."""
    turns = asking_turns()
    turns[2].hold_after = 4  # the question comes once the user has gone elsewhere
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await send(pilot, "design it")
        await until(pilot, lambda: "Let " in painted(app), "the answer began")
        await pilot.press("ctrl+n")
        await pilot.pause()
        server.release()
        await until(pilot, lambda: "●?design it" in painted(app), "the sidebar mark")
        assert not card_shown(app) and QUESTION not in painted(app)
        await pilot.press("alt+down")
        await asked(pilot)
        assert QUESTION in painted(app)
        await pilot.press("1")
        await settle(pilot)
        assert "●?" not in painted(app) and "Going with your choice." in painted(app)
        assert tool_results(server) == [f"The user answered:\n- {QUESTION} → SQLite"]


async def test_an_answer_slower_than_the_mcp_tool_timeout_still_reaches_the_model(
    app_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app gives the CLI MCP_TOOL_TIMEOUT (a minute, for a hung backlog server), and the CLI
    applies it to in-process servers too: without this server's own timeout the call failed
    with "timed out after 1s" while the user was still choosing. And a user whose environment
    turns on the CLI's background tasks would have seen the call moved to the background ("is
    still running after 1s. It was moved to the background") and the question dropped."""
    monkeypatch.setenv("MCP_TOOL_TIMEOUT", "1000")  # the CLI's shortest; the app's is 60000
    monkeypatch.setenv("CLAUDE_AUTO_BACKGROUND_TASKS", "1")
    monkeypatch.setenv("CLAUDE_CODE_MCP_AUTO_BACKGROUND_MS", "1000")
    async with app_factory(asking_turns()) as (app, server), app.run_test(size=SIZE) as pilot:
        await send(pilot, "design it")
        await asked(pilot)
        await asyncio.sleep(2.0)  # the user taking their time is what is tested, not a wait
        await pilot.press("3")
        await settle(pilot)
        assert tool_results(server) == [f"The user answered:\n- {QUESTION} → JSON files"]


async def test_no_answer_is_taken_until_half_a_second_without_a_key(
    app_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys the user was typing when the card took the focus (a digit, an Enter) are swallowed."""
    now = [1000.0]
    monkeypatch.setattr("tui.widgets.choice_card.ARMED_AFTER_S", 0.5)
    monkeypatch.setattr("tui.widgets.choice_card.clock", lambda: now[0])
    async with app_factory(asking_turns()) as (app, server), app.run_test(size=SIZE) as pilot:
        await send(pilot, "design it")
        await asked(pilot)
        await pilot.press("2", "enter", "x")
        now[0] += 0.4
        await pilot.press("1")  # still typing: each key waits again
        now[0] += 0.4
        await pilot.press("enter")
        await pilot.pause()
        assert card_shown(app) and not tool_results(server)
        assert "…or type your own answer" in painted(app)  # nothing was typed into it
        now[0] += 0.5  # half a second without a key
        await pilot.press("down", "enter")  # the second option
        await settle(pilot)
        assert tool_results(server) == [f"The user answered:\n- {QUESTION} → Postgres"]


async def test_the_pick_keys_are_rebindable(app_factory: Any, isolated: Path) -> None:
    config = isolated / "config" / "assistant-tui" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keys]\npick_2 = "f10"\n')
    async with app_factory(asking_turns()) as (app, server), app.run_test(size=SIZE) as pilot:
        await send(pilot, "design it")
        await asked(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert tool_results(server) == [f"The user answered:\n- {QUESTION} → Postgres"]
        assert not [n for n in notes(app) if "no action is named" in n]


async def test_two_questions_at_once_are_asked_one_after_the_other(app_factory: Any) -> None:
    other = {"question": "How much detail?", "options": [{"label": "Short"}, {"label": "Long"}]}
    calls = [ask_call(), ask_call([other])]
    turns = asking_turns()
    turns[2].tools = calls
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await send(pilot, "design it")
        await asked(pilot)
        first = main_screen(app).query_one(ChatPane).card
        await pilot.press("1")
        await until(
            pilot,
            lambda: card_shown(app) and main_screen(app).query_one(ChatPane).card is not first,
            "the second question",
        )
        await pilot.pause()
        await pilot.press("2")
        await settle(pilot)
        received = server.message_requests[-1].body["messages"][-1]["content"]
        results = {b["content"][0]["text"] for b in received if b["type"] == "tool_result"}
        picked = {QUESTION: ["SQLite", "Postgres"], "How much detail?": ["Short", "Long"]}
        assert first is not None
        asked_first = first.questions[0].question
        asked_second = next(q for q in picked if q != asked_first)
        assert results == {
            f"The user answered:\n- {asked_first} → {picked[asked_first][0]}",
            f"The user answered:\n- {asked_second} → {picked[asked_second][1]}",
        }


async def test_answers_given_survive_a_switch_away_and_the_card_resumes_where_it_was(
    app_factory: Any,
) -> None:
    """Three questions in one call: the first answered, then the user goes to a new chat and
    comes back. The card drawn again asked from question 1 (the answer given was lost with the
    old card); it goes on at question 2, and the model gets all three answers."""
    detail = {"question": "How much detail?", "options": [{"label": "Short"}, {"label": "Long"}]}
    tests = {"question": "Tests too?", "options": [{"label": "Yes"}, {"label": "No"}]}
    questions = [{"question": QUESTION, "header": "Store", "options": OPTIONS}, detail, tests]
    turns = asking_turns(ask_call(questions))
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await send(pilot, "design it")
        await asked(pilot)
        await pilot.press("2")
        await until(pilot, lambda: "2 of 3" in painted(app), "the second question")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: not card_shown(app), "the new chat")
        await pilot.press("alt+down")
        await asked(pilot)
        shown = painted(app)
        assert "The assistant asks · 2 of 3" in shown and "How much detail?" in shown
        assert QUESTION not in shown.split("The assistant asks")[-1]
        await pilot.press("2")
        await until(pilot, lambda: "3 of 3" in painted(app), "the third question")
        await pilot.press("1")
        await settle(pilot)
        assert tool_results(server) == [
            f"The user answered:\n- {QUESTION} → Postgres\n- How much detail? → Long\n"
            "- Tests too? → Yes"
        ]
