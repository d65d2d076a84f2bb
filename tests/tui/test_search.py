"""The search screen in the real app, over a real history file: typing, scope, opening a hit."""

from __future__ import annotations

import asyncio
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.pilot import SIZE, settle
from tui.app import AssistantApp
from tui.config import Settings
from tui.demo.model_server import Turn
from tui.models import Role, SearchHit
from tui.paging import PAGE
from tui.screens.main import MainScreen
from tui.screens.search import SearchScreen
from tui.storage import Store
from tui.widgets.chat_pane import ChatPane
from tui.widgets.conversation_list import ConversationList
from tui.widgets.inert_input import InertInput
from tui.widgets.search_results import MATCH_STYLE, SearchResults

START = datetime(2025, 3, 2, 14, 5, tzinfo=UTC)


async def imported(
    store: Store, project: Path, title: str, texts: list[str], key: str | None = None
) -> int:
    """A conversation with pinned times (user and assistant taking turns); returns its id."""
    rows = [
        (Role.USER if i % 2 == 0 else Role.ASSISTANT, text, START + timedelta(minutes=i))
        for i, text in enumerate(texts)
    ]
    await store.conversation_import(project, "test", key or title, title, START, rows)
    listed = await store.conversation_list(None, limit=1000)
    return next(c.id for c in listed if c.title == title)


async def open_search(pilot: Any, key: str = "ctrl+shift+f") -> SearchResults:
    await settle(pilot)
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, SearchScreen)
    return pilot.app.screen.query_one(SearchResults)


async def search_for(pilot: Any, text: str, typed: bool = True) -> None:
    """Type the words key by key (or paste them), then wait for the answer on screen."""
    box = pilot.app.screen.query_one("#query", InertInput)
    if typed:
        for char in text:
            await pilot.press("space" if char == " " else char)
    else:
        box.value = text
    await settle(pilot)


async def open_hit(pilot: Any, text: str) -> None:
    """Search this project for ``text`` and open the first hit with Enter."""
    await open_search(pilot)
    await search_for(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


def rows_shown(results: SearchResults) -> list[str]:
    return [option.prompt.plain for option in results.options]


def marked(results: SearchResults) -> set[str]:
    """The words drawn highlighted in the hits listed."""
    words = set()
    for option in results.options:
        text = option.prompt
        for span in text.spans:
            if span.style == MATCH_STYLE:
                words.add(text.plain[span.start : span.end].lower())
    return words


def text_of(view: Any) -> str:
    """The text of a message as shown: an answer keeps its Markdown, a question is plain."""
    return view.text if hasattr(view, "text") else str(view.render())


def texts_shown(chat: ChatPane) -> list[str]:
    return [text_of(view) for view in chat.children]


def status(app: Any) -> str:
    return str(app.screen.query_one("#search-status").render())


async def test_typing_shows_hits_grouped_by_conversation_and_highlighted(
    app_factory: Any, project: Path
) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.open_services()
        await imported(
            app.store,
            project,
            "Parser questions",
            ["How does the parser work?", "The parser is a recursive descent parser."],
        )
        await imported(app.store, project, "Lexer", ["and the lexer?", "It feeds the parser."])
        await imported(app.store, project, "Unrelated", ["weather", "sunny"])
        results = await open_search(pilot)
        assert "Every word must match" in status(app) and results.option_count == 0
        await search_for(pilot, "pars")
        shown = rows_shown(results)
        headers = [r for r, hit in zip(shown, results.hits, strict=True) if hit is None]
        assert headers == ["Parser questions", "Lexer"]
        assert shown[1].startswith("  Title     2025-")  # the title hit comes first in its group
        assert any(r.startswith("  Assistant 2025-03-02") and "recursive" in r for r in shown)
        assert marked(results) == {"parser"}
        assert "4 matches in 2 conversations" in status(app)
        assert results.current is not None and results.current.conversation_title == (
            "Parser questions"
        )
        await search_for(pilot, "er recur")
        assert rows_shown(results)[0] == "Parser questions"
        assert marked(results) == {"parser", "recursive"}
        assert results.count == 1


async def test_scope_switches_between_this_project_and_all(
    app_factory: Any, project: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other-project"
    other.mkdir()
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.open_services()
        await imported(app.store, project, "Here", ["the cache is warm", "yes"])
        await imported(app.store, other, "There", ["the cache is cold", "no"])
        results = await open_search(pilot)
        scope = app.screen.query_one("#search-scope")
        assert "Searching this project (project)" in str(scope.render())
        await search_for(pilot, "cache")
        assert [h.conversation_title for h in results.hits if h] == ["Here"]
        await pilot.press("f3")
        await settle(pilot)
        assert "Searching all projects" in str(scope.render())
        assert {h.conversation_title for h in results.hits if h} == {"Here", "There"}
        assert "There  · other-project" in rows_shown(results)
        await search_for(pilot, " cold")
        assert [h.conversation_title for h in results.hits if h] == ["There"]
        await pilot.press("f3")
        await settle(pilot)
        assert results.option_count == 0
        assert status(app) == 'No matches for "cache cold" in this project (F3: all).'


async def test_enter_opens_a_hit_older_than_the_first_page_and_reads_down(
    app_factory: Any, project: Path
) -> None:
    texts = [f"message {i} about nothing" for i in range(130)]
    texts[3] = "message 3 mentions the zeppelin once"
    async with (
        app_factory([Turn(text="fresh answer")]) as (app, _),
        app.run_test(size=SIZE) as pilot,
    ):
        await app.open_services()
        long_id = await imported(app.store, project, "Long talk", texts)
        await open_hit(pilot, "zeppelin")
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.conversation.id == long_id
        chat = screen.query_one(ChatPane)
        found = list(chat.query(".-found"))
        assert len(found) == 1 and "zeppelin" in text_of(found[0])
        top, height = chat.scroll_y, chat.scrollable_content_region.height
        assert top <= found[0].virtual_region.y < top + height  # on screen
        assert chat.more_below and not any("message 129" in t for t in texts_shown(chat))
        for _ in range(30):  # read down to the end: newer pages load as the bottom is reached
            if not chat.more_below:
                break
            chat.scroll_end(animate=False)
            await settle(pilot)
        assert not chat.more_below
        shown = texts_shown(chat)
        assert "message 129" in shown[-1]
        assert len(shown) == len(set(shown))  # no message twice
        selected = screen.query_one(ConversationList).current
        assert selected is not None and selected.id == long_id


async def test_sending_after_opening_mid_conversation_goes_to_its_end(
    app_factory: Any, project: Path
) -> None:
    texts = [f"filler {i}" for i in range(PAGE * 3)]
    texts[1] = "the needle answer"
    async with (
        app_factory([Turn(text="fresh answer")]) as (app, _),
        app.run_test(size=SIZE) as pilot,
    ):
        await app.open_services()
        conversation_id = await imported(app.store, project, "Haystack", texts)
        await open_hit(pilot, "needle")
        assert app.screen.window.more_below  # the messages below are not shown yet
        await pilot.press(*"go on", "enter")
        await settle(pilot)
        chat = app.screen.query_one(ChatPane)
        assert not list(chat.query(".-found")) and not app.screen.window.more_below
        assert text_of(chat.children[-1]) == "fresh answer"
        stored = await app.store.message_page(conversation_id, limit=2)
        assert [m.content for m in stored] == ["go on", "fresh answer"]
        shown = texts_shown(chat)
        assert any(f"filler {PAGE * 3 - 1}" in t for t in shown)  # the end, then the new turn


async def test_hit_in_another_project_opens_it_browsable(
    app_factory: Any, project: Path, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.open_services()
        theirs = await imported(app.store, other, "Their chat", ["a walrus", "indeed"])
        await open_search(pilot, key="ctrl+g")
        await pilot.press("f3")
        await search_for(pilot, "walrus")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert screen.conversation.id == theirs and screen.all_projects
        sidebar = screen.query_one(ConversationList)
        assert sidebar.current is not None and sidebar.current.id == theirs
        assert any("Showing all projects" in n.message for n in app._notifications)
        found = screen.query_one(ChatPane).query(".-found")
        assert ["a walrus" in text_of(view) for view in found] == [True]


async def test_escape_closes_and_keeps_the_conversation(app_factory: Any, project: Path) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.open_services()
        await imported(app.store, project, "Kept", ["the otter", "swims"])
        await open_search(pilot)
        await search_for(pilot, "otter")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.screen.conversation is None
        await pilot.press("ctrl+p")  # the palette offers it too
        await pilot.pause()
        await pilot.press(*"Search all", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#query", InertInput).value == ""  # a fresh search


HOSTILE = [
    '"',
    '""',
    "AND",
    "OR NOT",
    "NOT otter",
    "NEAR(otter swims)",
    "otter NEAR swims",
    "*",
    "ott*",
    "o*t",
    "content: otter",
    "project: x",
    "{content}: otter",
    "(",
    ")",
    "^otter",
    "-otter",
    "+",
    "'; DROP TABLE messages; --",
    "ünïcödé",
    "日本語",
    "🦦",
    "\x1b[31m",
    "[bold]otter[/bold]",
    "[/]",
    "a" * 500,
]


async def test_hostile_queries_never_crash_and_show_hits_or_no_matches(
    app_factory: Any, project: Path
) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.open_services()
        await imported(
            app.store,
            project,
            "Otters [bold]",
            ["the otter swims", "[bold]markup[/bold] [/] and \x1b]0;pwned\x07 ünïcödé 日本語"],
        )
        results = await open_search(pilot)
        for text in HOSTILE:
            await search_for(pilot, text, typed=False)
            assert isinstance(app.screen, SearchScreen), text
            said = status(app)
            assert re.match(r'No matches for "|\d+\+? match(es)? in \d', said), (text, said)
        for text, found in [("otter", True), ("unicode", True), ("日本語", True), ("bold", True)]:
            await search_for(pilot, text, typed=False)
            assert (results.count > 0) is found, text
        await search_for(pilot, "markup", typed=False)
        row = next(r for r in rows_shown(results) if "markup" in r)
        assert "[bold]markup[/bold] [/] and ␛]0;pwned^G" in row
        shown = app.export_screenshot()
        assert "\x1b]0;pwned" not in shown and "pwned" in shown
        assert len(await app.store.message_page(1)) == 2  # nothing dropped


async def test_an_older_slower_query_never_replaces_newer_results(
    app_factory: Any, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app_factory([Turn(text="ok")]) as (app, _), app.run_test(size=SIZE) as pilot:
        await app.open_services()
        await imported(app.store, project, "Alps", ["alpine meadows", "alpha particles"])
        real = app.store.search
        held, release, newer_done = asyncio.Event(), asyncio.Event(), asyncio.Event()

        async def slow_for_alp(text: str, *args: Any, **kwargs: Any) -> list[SearchHit]:
            hits = await real(text, *args, **kwargs)
            if text == "alp":  # this answer arrives only after the newer one
                held.set()
                await release.wait()
            if text == "alpha":
                newer_done.set()
            return hits

        monkeypatch.setattr(app.store, "search", slow_for_alp)
        results = await open_search(pilot)
        await pilot.press(*"alp")
        await held.wait()
        await pilot.press(*"ha")
        await newer_done.wait()
        await pilot.pause()
        assert {h.snippet for h in results.hits if h} == {"\x02alpha\x03 particles"}
        release.set()
        await settle(pilot)
        assert {h.snippet for h in results.hits if h} == {"\x02alpha\x03 particles"}
        assert "1 match in 1 conversation." in status(app)


SNAPSHOT_PROJECT = Path("/tmp/assistant-tui-snapshots/search-project")


@pytest.fixture
def search_app(isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The app on a fixed project path, with a history whose times are pinned."""
    monkeypatch.setattr("tui.widgets.search_results.when", lambda moment: "2025-03-02 14:05")
    monkeypatch.setattr("tui.widgets.conversation_list.relative", lambda moment: "2 days ago")
    shutil.rmtree(SNAPSHOT_PROJECT, ignore_errors=True)
    SNAPSHOT_PROJECT.mkdir(parents=True)
    db = tmp_path / "h.db"

    async def seed() -> None:
        store = await Store.open(db)
        await imported(
            store,
            SNAPSHOT_PROJECT,
            "How does the parser work?",
            [
                "How does the parser work?",
                "It is a **recursive descent** parser: `parse()` calls `expression()`.",
                "And where are the parser tests?",
                "In tests/test_parser.py, one test per grammar rule.",
            ],
        )
        await imported(
            store,
            SNAPSHOT_PROJECT,
            "Speed up the tokenizer",
            ["The tokenizer is slow", "Cache the compiled patterns before the parser runs."],
        )
        await store.close()

    asyncio.run(seed())
    settings = Settings.build(project=SNAPSHOT_PROJECT, db=str(db), model="scripted")
    return AssistantApp(settings, script=[Turn(text="ok")])


def test_search_screen_with_results(snap_compare: Any, search_app: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("ctrl+shift+f", *"parser")
        await settle(pilot)
        for widget in pilot.app.screen.query("Input"):
            widget.cursor_blink = False
        await pilot.pause()

    assert snap_compare(search_app, terminal_size=(120, 34), run_before=run_before)
