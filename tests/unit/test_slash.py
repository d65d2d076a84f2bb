"""Slash commands read from the bindings once: names, parsing, the picker's matches, the docs."""

from __future__ import annotations

from pathlib import Path

from tui.app import AssistantApp
from tui.screens import slash
from tui.screens.main import MainScreen
from tui.screens.slash import Typed, declared, docs_table, offer, read

USAGE = Path(__file__).resolve().parents[2] / "docs" / "usage.md"
ASKED_FOR = {"new", "rename", "delete", "pin", "search", "backlog", "export", "copy", "branch"}
ASKED_FOR |= {"model", "effort", "web", "theme", "help", "quit"}


def test_every_command_asked_for_is_declared_once() -> None:
    names = [c.name for c in declared()]
    assert len(names) == len(set(names)), names
    assert set(names) >= ASKED_FOR
    arguments = {c.name: c.argument for c in declared()}
    assert arguments["export"] == "[path]" and arguments["model"] == "[name]"
    assert arguments["new"] == ""


def test_the_commands_offered_are_those_whose_action_exists() -> None:
    class Screen:  # a screen with one action only
        action_new = MainScreen.action_new

    commands = [c for c in declared() if c.name in ("new", "quit", "model", "rename")]
    assert [c.name for c in slash.runnable(Screen, AssistantApp, commands)] == ["new", "quit"]
    everything = slash.runnable(MainScreen, AssistantApp, declared())
    missing = {c.name for c in declared()} - {c.name for c in everything}
    assert missing == set()  # every declared command runs on the main screen


def test_what_the_user_sent_is_read_as_meant() -> None:
    assert read("//model sonnet") == Typed(question="/model sonnet")
    assert read("what does /etc/hosts do") == Typed(question="what does /etc/hosts do")
    assert read("/export ~/my notes.md") == Typed(command="export", argument="~/my notes.md")
    assert read("/new") == Typed(command="new")
    assert read("/") == Typed(command="")
    assert read("/ new") == Typed(command="", argument="new")
    assert read("/rename a\nb  ") == Typed(command="rename", argument="a\nb")


def test_the_picker_offers_while_the_name_is_typed_at_the_start() -> None:
    commands = declared()
    found = offer("/pi", (0, 3), commands, {"pin": "F7"})
    assert found is not None and found.submit and found.start == (0, 0)
    assert [(c.insert, c.hint) for c in found.candidates] == [("/pin", "F7")]
    exported = offer("/exp", (0, 4), commands, {})
    assert exported is not None and exported.candidates[0].insert == "/export "
    assert offer("/pin x", (0, 6), commands, {}) is None  # past the name: its argument
    assert offer("//pi", (0, 4), commands, {}) is None  # text, not a command
    assert offer("/pin", (0, 2), commands, {}) is None  # the cursor inside the name
    assert offer("a\n/pi", (1, 3), commands, {}) is None  # not at the start of the prompt
    assert offer("/zzz", (0, 4), commands, {}) is None  # no command holds it: nothing shown
    inside = offer("/xpo", (0, 4), commands, {})
    assert inside is not None and inside.candidates[0].label == "/export [path]"
    assert inside.candidates[0].matched == (2, 3, 4)  # the typed letters, marked in the label


def test_the_usage_page_lists_the_commands_the_bindings_make() -> None:
    text = USAGE.read_text(encoding="utf-8")
    table = text.split("<!-- slash:begin -->\n")[1].split("\n<!-- slash:end -->")[0]
    assert table == docs_table(), (
        "docs/usage.md's slash table differs from the bindings; paste "
        "`python -c 'from tui.screens.slash import docs_table; print(docs_table())'`"
    )


def test_a_name_typed_in_full_comes_first() -> None:
    made = [
        slash.Command("codex", "x", ""),
        slash.Command("code", "y", ""),
        slash.Command("c", "z", ""),
    ]
    assert [c.name for c in slash.matching("code", made)] == ["code", "codex"]
    assert [c.name for c in slash.matching("c", made)] == ["c", "codex", "code"]
    assert [c.name for c in slash.matching("de", made)] == ["codex", "code"]
