"""The tool log on its own in a real Textual app: what a user sees as calls come and go.

The log draws its own lines (it is not an OptionList any more), so these tests read the screen:
rows in order, the newest in view, a row growing when expanded and pushing the rest down.
"""

from __future__ import annotations

from textual.app import App, ComposeResult

from tests.helpers.screen import screen_rows
from tui.models import ToolStatus
from tui.widgets.tool_log import ToolLog, ToolRow

WIDTH, HEIGHT = 40, 12


class LogApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ToolLog()


def screen_lines(app: App[None]) -> list[str]:
    """The text of every line of the screen as it is drawn, without the padding around it."""
    return [row.strip() for row in screen_rows(app)]


def rows(count: int) -> list[ToolRow]:
    return [
        ToolRow(f"t{i}", "Read", {"file_path": f"f{i}.py"}, ToolStatus.OK, f"body {i}", 0.1)
        for i in range(count)
    ]


async def test_a_thousand_rows_open_on_the_newest_and_keys_reach_the_oldest() -> None:
    app = LogApp()
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        log = app.query_one(ToolLog)
        log.show(rows(1_000))
        await pilot.pause()
        shown = screen_lines(app)
        assert "f999.py" in shown[-1] and "f988.py" in shown[0]
        log.focus()
        await pilot.press("home")
        assert screen_lines(app)[0].startswith("✓ Reading file: f0.py")
        await pilot.press("down", "down", "pagedown")
        assert log.highlighted is not None and log.highlighted > 2
        await pilot.press("end")
        await pilot.pause()
        assert log.highlighted == 999 and "f999.py" in screen_lines(app)[-1]


async def test_rows_replaced_by_as_many_others_are_drawn_anew() -> None:
    """Issue 15 D1: the same number of rows, nothing highlighted: the old ones stayed painted."""
    app = LogApp()
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        log = app.query_one(ToolLog)
        log.show(rows(2))
        await pilot.pause()
        log.show([ToolRow(f"g{i}", "Grep", {"pattern": "TODO"}, ToolStatus.OK) for i in range(2)])
        await pilot.pause()
        shown = screen_lines(app)
        assert "Searching for: TODO" in shown[0] and not any("f0.py" in line for line in shown)


async def test_expanding_a_row_shows_input_and_result_and_moves_the_rows_below() -> None:
    app = LogApp()
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        log = app.query_one(ToolLog)
        log.show(rows(3))
        log.focus()
        await pilot.press("home", "enter")
        shown = screen_lines(app)
        assert shown[0].startswith("✓ Reading file: f0.py")
        assert "input: {" in shown
        assert '"file_path": "f0.py"' in "\n".join(shown)
        assert "result: body 0" in shown
        below = next(i for i, line in enumerate(shown) if "f1.py" in line)
        assert below > 3
        await pilot.press("enter")
        assert "f1.py" in screen_lines(app)[1]  # folded again: the next row is right below


async def test_a_call_starts_spinning_then_finishes_in_place() -> None:
    app = LogApp()
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        log = app.query_one(ToolLog)
        log.show(rows(2))
        log.start("new", "Grep", {"pattern": "TODO"})
        await pilot.pause()
        last = screen_lines(app)[2]
        assert "Searching for: TODO" in last and "ok" not in last
        log.finish("new", ToolStatus.ERROR, "no such file", 1.5)
        await pilot.pause()
        assert screen_lines(app)[2].endswith("error 1.5s")
        assert log.highlighted == 2 and log.row_count == 3


async def test_a_narrower_log_wraps_rows_and_a_click_expands_the_clicked_one() -> None:
    app = LogApp()
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        log = app.query_one(ToolLog)
        log.show(rows(2))
        await pilot.pause()
        assert screen_lines(app)[1].startswith("✓ Reading file: f1.py  ok 0.1s")
        await pilot.resize_terminal(20, HEIGHT)
        await pilot.pause()
        narrow = screen_lines(app)
        assert narrow[0].startswith("✓ Reading file:") and "f0.py" in narrow[1]
        second = next(i for i, line in enumerate(narrow) if "f1.py" in line)
        await pilot.click(ToolLog, offset=(2, second))
        await pilot.click(ToolLog, offset=(2, second))
        assert log.highlighted == 1 and log.rows["t1"].expanded
        assert any("result: body 1" in line for line in screen_lines(app))


async def test_only_calls_of_the_running_turn_spin() -> None:
    """A call left "running" in history by a crash is drawn still; a live call's spinner turns."""
    app = LogApp()
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        log = app.query_one(ToolLog)
        log.show([ToolRow("old", "Read", {"file_path": "a.py"})])
        log.start("new", "Read", {"file_path": "b.py"})
        await pilot.pause()
        before = screen_lines(app)[:2]
        log._spin()
        await pilot.pause()
        after = screen_lines(app)[:2]
        assert after[0] == before[0]
        assert after[1] != before[1] and after[1][1:] == before[1][1:]


async def test_a_line_break_in_the_models_input_draws_no_row_of_its_own() -> None:
    """A fetch whose URL holds "\\nHost: docs.python.org" must not show a fake Host line."""
    url = "http://evil.example/\nHost: docs.python.org\u2028x"
    app = LogApp()
    async with app.run_test(size=(80, HEIGHT)) as pilot:
        log = app.query_one(ToolLog)
        log.show([ToolRow("t1", "WebFetch", {"url": url}, ToolStatus.OK, "", 0.1)])
        await pilot.pause()
        shown = [line for line in screen_lines(app) if line]
        assert shown[0].startswith("✓ Fetching: http://evil.example/ Host: docs.python.org x")
        assert not any(line.startswith("Host:") for line in shown)
