"""How full the context window is, through the real SDK and CLI against the scripted server:
the status bar's figure is the last request's tokens as the server reported them, against the
model's window; amber above 80%; a compaction is said in the chat, and again when reopened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.style import Style
from textual.color import Color

from tests.helpers.pilot import SIZE, ask, settle
from tests.helpers.screen import screen_rows
from tui.demo.model_server import ToolCall, Turn
from tui.widgets.chat_pane import SystemNote


def status_line(app: Any) -> str:
    (line,) = [row for row in screen_rows(app) if "context " in row]
    return line.strip(" │")


def chat_text(row: str) -> str:
    """The chat pane's part of a painted row (between the sidebar's and the tool log's edge)."""
    parts = row.split("│")
    return parts[1].strip() if len(parts) > 2 else ""


def painted_style(app: Any, needle: str) -> Style:
    """The style the screen draws ``needle`` in (the first segment holding it)."""
    update = app.screen._compositor.render_update(full=True)
    for line in update.strips:  # each line: the strips of the widgets it crosses
        for strip in line:
            for segment in strip:
                if needle in segment.text:
                    return segment.style or Style()
    raise AssertionError(f"{needle!r} is not on the screen")


def is_amber(app: Any, style: Style) -> bool:
    """Drawn in the theme's warning colour (to within the rounding of Textual's blending)."""
    warning = Color.parse(app.theme_variables["warning"])
    if style.color is None or style.color.triplet is None:
        return False
    return all(abs(a - b) <= 3 for a, b in zip(style.color.triplet, warning.rgb, strict=True))


def usage(input_tokens: int, cache_read: int, cache_write: int) -> dict[str, int]:
    return {
        "input_tokens": input_tokens,
        "cache_read_input_tokens": cache_read,
        "cache_creation_input_tokens": cache_write,
    }


async def test_the_figure_is_the_last_requests_tokens_against_the_window(
    app_factory: Any, tmp_path: Path
) -> None:
    """Two requests in one turn (a tool call between): the figure is the second's 190,000 of
    a million, not the 300,000 the turn's result adds up; it is shown again after a restart."""
    turns = [
        Turn(
            match="look",
            tools=[ToolCall("Read", {"file_path": "app.py"})],
            usage=usage(3_000, 100_000, 7_000),
        ),
        Turn(match="return 42", text="It returns 42.", usage=usage(2_000, 180_000, 8_000)),
    ]
    db = tmp_path / "history.db"
    async with app_factory(turns, db=db) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "look at app.py")
        assert status_line(app).startswith("ready  ·  context ██░░░░░░░░ 19% of 1M  ·  last ")
        assert not is_amber(app, painted_style(app, "19% of 1M"))
    async with app_factory([], db=db) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert status_line(app).startswith("ready  ·  context ██░░░░░░░░ 19% of 1M")


async def test_above_80_percent_the_figure_turns_amber(app_factory: Any) -> None:
    """The window comes from config.toml's [context_windows] when it names the model."""
    turns = [
        Turn(match="one", text="ok", usage=usage(1_000, 150_000, 9_000)),  # 160,000: 80%
        Turn(match="two", text="ok", usage=usage(1_000, 152_000, 9_000)),  # 162,000: 81%
    ]
    async with app_factory(turns) as (app, _):
        app.settings.context_windows = {"scripted": 200_000}
        async with app.run_test(size=SIZE) as pilot:
            await ask(pilot, "one")
            assert status_line(app).startswith("ready  ·  context ████████░░ 80% of 200k")
            assert not is_amber(app, painted_style(app, "80% of 200k"))
            await ask(pilot, "two")
            assert status_line(app).startswith("ready  ·  context ████████░░ 81% of 200k")
            assert is_amber(app, painted_style(app, "81% of 200k"))


async def test_a_compaction_is_one_line_in_the_chat_and_again_after_a_restart(
    app_factory: Any, tmp_path: Path
) -> None:
    """The CLI compacts when the last request filled its window (a million for this model,
    compacting above 967,000): the next question is preceded by a summary request, the chat
    says so above the answer, and the figure falls to the new request's size."""
    turns = [
        Turn(match="first", text="one", usage=usage(100, 990_000, 0), times=1),
        Turn(match="second", text="two", usage=usage(30_000, 0, 0)),
    ]
    line = "· Context compacted at 990,103 tokens into a summary."
    db = tmp_path / "history.db"
    async with app_factory(turns, db=db) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "first")
        assert status_line(app).startswith("ready  ·  context ██████████ 99% of 1M")
        await ask(pilot, "second")
        rows = screen_rows(app)
        noted = [i for i, row in enumerate(rows) if chat_text(row) == line]  # one line
        answered = [i for i, row in enumerate(rows) if chat_text(row) == "two"]
        assert len(noted) == 1 and answered and noted[0] < answered[0]
        assert status_line(app).startswith("ready  ·  context ░░░░░░░░░░ 3% of 1M")
    async with app_factory([], db=db) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = [n.text for n in app.screen.query(SystemNote)]
        assert notes == [line.removeprefix("· ")]
        assert any(line in row for row in screen_rows(app))


def chat_order(app: Any, wanted: list[str]) -> list[str]:
    """The chat's lines among ``wanted``, top to bottom as painted."""
    return [text for row in screen_rows(app) if (text := chat_text(row)) in wanted]


async def test_a_compaction_in_the_middle_of_an_answer_is_kept_where_it_was_shown(
    app_factory: Any, tmp_path: Path
) -> None:
    """The CLI compacts between a tool call and the answer's next request: the reply's row
    already existed, so its line was stored after the answer and shown below it once reopened
    (above it live). The line, the answer and its tool call read the same after a restart."""
    turns = [
        Turn(
            match="look",
            text="Let me look.",
            tools=[ToolCall("Read", {"file_path": "app.py"})],
            usage=usage(100, 990_000, 0),
            times=1,
        ),
        Turn(match="Respond with TEXT ONLY", text="Summary: app.py was read."),
        Turn(match="continued from a previous", text="It returns 42."),
    ]
    line = "· Context compacted at 990,118 tokens into a summary."
    wanted = ["look at app.py", line, "Let me look.", "It returns 42."]
    db = tmp_path / "history.db"
    async with app_factory(turns, db=db) as (app, _), app.run_test(size=SIZE) as pilot:
        await ask(pilot, "look at app.py")
        live = chat_order(app, wanted)
        assert live == wanted
    async with app_factory([], db=db) as (app, _), app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert chat_order(app, wanted) == live
        assert "Reading file: app.py" in "\n".join(screen_rows(app))  # its tool call went along
        conversation = app.screen.conversation
        stored = await app.store.message_page(conversation.id)
        assert [m.role.value for m in stored] == ["user", "system", "assistant"]
        (tool,) = await app.store.tool_event_list(conversation.id)
        assert tool.message_id == stored[-1].id
