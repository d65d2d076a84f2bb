"""Hostile text typed or pasted anywhere the user can type: the app neither crashes nor alters it.

Hypothesis draws text from all of Unicode (astral emoji, right-to-left scripts, combining marks)
mixed with the nasty parts: ESC and whole escape sequences, NUL, CR and CRLF, bidi overrides,
C1 controls, Rich markup, and 100 KB pastes. Each text is pasted, as a terminal delivers a
bracketed paste, into the prompt, the sidebar filter and the rename dialog of the real app.

Starting the app per drawn text would be too slow, so each Hypothesis example is a list of texts
fed one after the other to a single app. The search is derandomized so CI sees the same inputs on
every run; the explicit examples name the cases that must always be covered.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from textual import events
from textual.widgets import Input, Label

from tests.helpers.figures import Figures
from tests.helpers.pilot import SIZE, settle
from tests.helpers.processes import children_of
from tui.models import Conversation, Message, MessageStatus, Role
from tui.screens.dialogs import ConfirmDialog, RenameDialog
from tui.text import inert
from tui.widgets.conversation_list import ConversationList
from tui.widgets.prompt_input import PromptInput

PASTE = 100_000  # characters in a big paste
HOSTILE_PIECES = [
    "\x1b",
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\x1b]52;c;SGVsbG8=\x07",
    "\x9b31m",
    "\x00",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\x07",
    "\x08",
    "\x7f",
    "\x85",
    "\u2028",
    "\u202e",
    "\u202d",
    "\u2067",
    "\u2069",
    "\u200f",
    "\u200b",
    "\ufeff",
    "e\u0301\u0336",
    "👩\u200d👩\u200d👧",
    "\U0001f600",
    "\U0001d54f",
    "שלום",
    "مرحبا",
    "[b]",
    "[/]",
    "%",
    "_",
    "\\",
    " ",
]
# Any code point but lone surrogates (a terminal cannot deliver those), or a hostile piece.
PIECE = st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(HOSTILE_PIECES))


class BigPaste(str):
    """A 100 KB paste: a unit repeated; failure reports show the unit, not 100 KB."""

    unit: str

    def __new__(cls, unit: str) -> BigPaste:
        made = super().__new__(cls, (unit * PASTE)[:PASTE])
        made.unit = unit
        return made

    def __repr__(self) -> str:
        return f"BigPaste({self.unit!r})"


SHORT = st.lists(PIECE, max_size=40).map("".join)
BIG = st.lists(PIECE, min_size=1, max_size=30).map(lambda pieces: BigPaste("".join(pieces)))


def texts_with_a_big_paste(count: int) -> st.SearchStrategy[list[str]]:
    """``count`` short texts with one 100 KB paste at a drawn position."""
    drawn = st.tuples(st.lists(SHORT, min_size=count, max_size=count), BIG, st.integers(0, count))
    return drawn.map(lambda d: [*d[0][: d[2]], d[1], *d[0][d[2] :]])


MUST_COVER = [
    "clip \x1b]52;c;SGVsbG8=\x07 title \x1b]0;pwned\x07 clear \x1b[2J c1 \x9b31m",
    "nul\x00 cr\r crlf\r\n bidi \u202eevil\u202c \u2067rtl\u2069 [b]markup[/]",
    "e\u0301\u0336 👩\u200d👩\u200d👧 \U0001f600 שלום مرحبا \u200b%_\\",
    " \t\x1c\x1f\u2028 ",  # whitespace only to Python: the app must not send it
    "/model sonnet \x1b]0;pwned\x07 [b]x[/]",  # sent as text after "//", the CLI runs nothing
    BigPaste("mixed [/] \x1b[31m 100 KB \U0001f600\r\n"),  # Rich markup in the last title
]
_databases = itertools.count()
FUZZ = settings(
    max_examples=3,  # the first is Hypothesis' simplest (empty texts), then two random
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # shrinking would restart the app per step
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def as_text_area(pasted: str) -> str:
    """What a TextArea holds after a paste into it when empty: every line break becomes \\n.

    Textual's document splits on all of str.splitlines' separators (CR, CRLF, U+2028, FS...) and
    joins with the first newline style; a trailing CR, LF or CRLF leaves an empty last line.
    """
    lines = pasted.splitlines()
    if pasted.endswith(("\r\n", "\n", "\r")):
        lines.append("")
    return "\n".join(lines)


def as_input(pasted: str, max_length: int = 0) -> str:
    """What an empty Input holds after a paste: the first line with its control characters
    made visible (tui.text.inert); nothing if that is too long."""
    line = inert(pasted.splitlines()[0]) if pasted else ""
    return "" if max_length and len(line) > max_length else line


def ascii_fold(text: str) -> str:
    """Case folding as SQLite's lower() does it: ASCII letters only."""
    return text.translate({code: code + 32 for code in range(ord("A"), ord("Z") + 1)})


def assert_alive(app: Any) -> None:
    """The app still runs and has reported no error (a crashed handler or worker shows one)."""
    assert app.is_running
    errors = [n.message for n in app._notifications if n.severity == "error"]
    assert not errors, errors


async def assert_answers_keys(pilot: Any) -> None:
    """The screen still answers keys: F1 opens the help, Esc closes it."""
    assert_alive(pilot.app)
    await pilot.press("f1")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "HelpScreen"
    await pilot.press("escape")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "MainScreen"


async def shown_messages(app: Any) -> list[Message]:
    """Every stored message of the conversation on screen (none before the first send)."""
    conversation: Conversation | None = app.screen.conversation
    if conversation is None:
        return []
    return await app.store.message_page(conversation.id, limit=100_000)


def test_prompt_sends_and_stores_pasted_text_exactly(
    app_factory: Any, tmp_path: Path, figures: Figures
) -> None:
    """A pasted prompt reaches the model and the history unchanged, 100 KB pastes included.

    The one designed change is the TextArea's: all line breaks become \\n, and what the box shows
    is exactly what is sent. Text that is only whitespace is not sent and stays in the box. Text
    that starts with "/" is pasted after one more "/", as a user sends it (a single one starts a
    slash command), and is then stored and sent with one.
    """

    async def scenario(texts: list[str]) -> int:
        db = tmp_path / f"fuzz-{next(_databases)}.db"  # each example starts from an empty history
        async with app_factory([], db) as (app, server), app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            prompt = app.screen.query_one(PromptInput)
            for text in texts:
                await pilot.click(PromptInput)
                prompt.clear()  # F7 is the screen's pin key; the box is emptied directly
                assert prompt.text == ""
                pasted = "/" + text if text.startswith("/") else text
                app.post_message(events.Paste(pasted))
                await pilot.pause()
                in_box = prompt.text
                assert in_box == as_text_area(pasted)
                sent = in_box.removeprefix("/") if in_box.startswith("//") else in_box
                before = await shown_messages(app)
                await pilot.press("enter")
                await settle(pilot)
                after = await shown_messages(app)
                if in_box.strip():
                    assert [(m.role, m.content) for m in after[len(before) :]] == [
                        (Role.USER, sent),
                        (Role.ASSISTANT, "OK."),
                    ]
                    assert after[-1].status is MessageStatus.COMPLETE
                    assert sent in server.message_requests[-1].last_user_text()  # as sent
                    assert prompt.text == ""
                else:
                    assert after == before and prompt.text == in_box
                assert_alive(app)
            await assert_answers_keys(pilot)
        assert children_of(os.getpid()) == set()
        return len(texts)

    counted: list[int] = []

    @FUZZ
    @given(texts_with_a_big_paste(2))
    @example(MUST_COVER)
    def check(texts: list[str]) -> None:
        counted.append(asyncio.run(scenario(texts)))  # one app per example

    check()
    figures.record("hostile input", "fuzzed inputs without a crash", sum(counted), of=sum(counted))


def test_filter_box_shows_only_matching_conversations(
    app_factory: Any, project: Path, tmp_path: Path, figures: Figures
) -> None:
    """Whatever is pasted into the filter, the sidebar lists exactly the titles containing it.

    The filter is the first pasted line, trimmed, matched anywhere in the title with ASCII-only
    case folding; %, _, \\ and NUL are literal characters. Esc clears it and lists everything.
    """

    async def scenario(texts: list[str]) -> int:
        db = tmp_path / f"fuzz-{next(_databases)}.db"  # each example starts from an empty history
        async with app_factory([], db) as (app, _), app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            drawn_titles = []
            for first in [*texts, "Beta TOPIC", "100% sure_thing", "École"]:
                if first.strip():
                    made, _m = await app.store.conversation_create(project, first)
                    drawn_titles.append(made.title)
            await app.screen.reload_sidebar()
            await pilot.pause()
            sidebar = app.screen.query_one(ConversationList)
            everything = {c.id: c.title for c in sidebar.conversations}
            # Filters that surely hit: the middle of drawn titles, in the other ASCII case.
            pieces = [t[len(t) // 3 : 2 * len(t) // 3].swapcase() for t in drawn_titles]
            filters = [*texts, *pieces[:3]]
            sidebar.focus()
            await pilot.press("slash")  # the filter box is built on first use
            box = app.screen.query_one("#filter", Input)
            for text in filters:
                assert box.has_focus and box.value == ""
                app.post_message(events.Paste(text))
                await pilot.pause()
                assert box.value == as_input(text)
                needle = ascii_fold(box.value.strip())
                expected = {i for i, title in everything.items() if needle in ascii_fold(title)}
                assert {c.id for c in sidebar.conversations} == expected, repr(text)
                assert sidebar.option_count == len(expected)
                assert_alive(app)
                await pilot.press("ctrl+u")  # empty again: the cursor is after the paste
                await pilot.pause()
                assert len(sidebar.conversations) == len(everything)
            await pilot.press("escape")
            await pilot.pause()
            assert box.has_class("-hidden") and sidebar.has_focus
            await assert_answers_keys(pilot)
            return len(filters)

    counted: list[int] = []

    @FUZZ
    @given(st.lists(SHORT, min_size=4, max_size=4))
    @example(MUST_COVER)
    def check(texts: list[str]) -> None:
        counted.append(asyncio.run(scenario(texts)))  # one app per example

    check()
    figures.record("hostile input", "fuzzed inputs without a crash", sum(counted), of=sum(counted))


def test_rename_stores_the_cleaned_title(
    app_factory: Any, project: Path, tmp_path: Path, figures: Figures
) -> None:
    """A pasted title is stored as the dialog and store define it, and shown inert.

    The dialog keeps the first pasted line (Input, max 200 characters: a longer paste is refused
    whole); Enter saves it with whitespace runs collapsed, and blank keeps the old title. The
    delete confirmation that quotes the title shows it as plain text (a "[/]" once crashed it).
    """

    async def scenario(texts: list[str]) -> int:
        db = tmp_path / f"fuzz-{next(_databases)}.db"  # each example starts from an empty history
        async with app_factory([], db) as (app, _), app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            conversation, _m = await app.store.conversation_create(project, "original title")
            await app.screen.open_conversation(conversation)
            await pilot.pause()
            title = "original title"
            await pilot.click(PromptInput)
            for text in texts:
                await pilot.press("f2")
                await pilot.pause()
                dialog = app.screen
                assert isinstance(dialog, RenameDialog)
                field = dialog.query_one("#title", Input)
                assert field.value == title
                await pilot.press("ctrl+u")  # clear to the start: the cursor is at the end
                app.post_message(events.Paste(text))
                await pilot.pause()
                assert field.value == as_input(text, max_length=200)
                await pilot.press("enter")
                await pilot.pause()
                if field.value.strip():
                    title = " ".join(field.value.split())[:200]
                stored = await app.store.conversation_get(conversation.id)
                assert stored is not None and stored.title == title
                sidebar = app.screen.query_one(ConversationList)
                assert [c.title for c in sidebar.conversations] == [title]
                assert inert(title) in str(sidebar.get_option_at_index(0).prompt)
                assert_alive(app)
            # The delete confirmation quotes the final title: shown as text, never as markup.
            await pilot.press("f8")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            assert f'Delete "{inert(title)}"?' in str(app.screen.query(Label).first().render())
            await pilot.press("n")
            await pilot.pause()
            await assert_answers_keys(pilot)
            return len(texts)

    counted: list[int] = []

    @FUZZ
    @given(texts_with_a_big_paste(3))
    @example(MUST_COVER)
    def check(texts: list[str]) -> None:
        counted.append(asyncio.run(scenario(texts)))  # one app per example

    check()
    figures.record("hostile input", "fuzzed inputs without a crash", sum(counted), of=sum(counted))
