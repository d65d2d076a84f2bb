"""Benchmark the code viewer: opening a 10,000-line file at a cited line, paging through it, and
finding an answer's references; against Textual's TextArea (read-only, tree-sitter) and a Static
of Rich's Syntax opened at the same line, in the same run.

Run: python -m bench.viewer   (prints a table; nothing is asserted).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from rich.syntax import Syntax
from textual.app import App
from textual.widgets import Input, Static, TextArea

from bench.harness import (
    MARKDOWN_BLOCK,
    Probe,
    drawn,
    headless_app,
    key,
    median_ms,
    print_measured,
    settle,
)
from tui.app import tune_garbage_collector, warm_markdown
from tui.references import candidates
from tui.screens.viewer import Opened, ViewerScreen
from tui.viewed_file import ViewedFile
from tui.widgets.code_view import CodeView
from tui.widgets.key_bar import KeyBar

LINES = 10_000
AT = 5_000  # the cited line
RUNS = 5
BASELINE_RUNS = 3  # the baselines take seconds each
CSS = Path(__file__).resolve().parents[1] / "tui" / "app.tcss"


def sample_code(lines: int = LINES) -> str:
    """Python of many small functions, docstrings and comments (what lexers spend time on)."""
    out: list[str] = []
    for n in range(lines // 5 + 1):
        out += [
            f"def function_{n}(value, scale=2):",
            f'    """Docstring of function {n}, with "quotes"."""',
            f"    total = value + scale * {n}  # a comment",
            f"    return [item for item in range(total)] or 'text {n}'",
            "",
        ]
    return "\n".join(out[:lines]) + "\n"


class Bare(App[None]):
    """A bare app with the project's styles and the widgets the main screen already shows
    (so their styles are parsed, as in the app): the viewer alone on top of it. Its garbage
    collector is tuned, and Markdown and a lexer warmed, as the app does after its first
    screen (tui.app)."""

    CSS_PATH = str(CSS)

    def on_mount(self) -> None:
        self.call_after_refresh(tune_garbage_collector)
        self.call_after_refresh(self.run_worker, warm_markdown, thread=True)

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("chat")
        yield Input()
        yield KeyBar()


Opener = Callable[[App[None]], Awaitable[tuple[Callable[[], bool], Callable[[], object]]]]


async def timed(open_it: Opener, runs: int, cpu: list[float] | None = None) -> list[float]:
    """Seconds from asking for the view to the first paint that shows the cited line, each
    time in one app (the first open also parses the new widgets' styles); ``cpu`` gets the
    process's CPU seconds for each (on a shared machine the wall time also holds others')."""
    app = Bare()
    samples = []
    async with app.run_test(size=(160, 48)):
        await drawn(app)
        await app.workers.wait_for_complete()  # the warm-up, as a second after a launch
        for _ in range(runs):
            start, used = time.perf_counter(), time.process_time()
            shown, close = await open_it(app)
            while not shown():
                await asyncio.sleep(0)
            await drawn(app)
            samples.append(time.perf_counter() - start)
            if cpu is not None:
                cpu.append(time.process_time() - used)
            await close()  # type: ignore[misc]
            await app.workers.wait_for_complete()
            await drawn(app)
    return samples


def ours(code: str) -> Opener:
    async def open_it(app: App[None]) -> tuple[Callable[[], bool], Callable[[], object]]:
        screen = ViewerScreen(Opened(ViewedFile("sample.py", code), AT, AT + 4))
        await app.push_screen(screen)
        view = screen.query_one(CodeView)
        return (lambda: view.scroll_y > 0), app.pop_screen

    return open_it


def text_area(code: str) -> Opener:
    async def open_it(app: App[None]) -> tuple[Callable[[], bool], Callable[[], object]]:
        area = TextArea.code_editor(code, language="python", read_only=True)
        await app.mount(area)
        area.move_cursor((AT - 1, 0), center=True)
        return (lambda: area.scroll_y > 0), area.remove

    return open_it


def rich_syntax(code: str) -> Opener:
    """Rich's Syntax of the lines up to the cited one's screen (Rich lexes from the top)."""

    async def open_it(app: App[None]) -> tuple[Callable[[], bool], Callable[[], object]]:
        syntax = Syntax(code, "python", line_numbers=True, line_range=(AT - 15, AT + 30))
        static = Static(syntax)
        await app.mount(static)
        return (lambda: static.size.height > 0), static.remove

    return open_it


HELD = 1 / 30  # a held key's repeat rate (terminals repeat 25-40 times a second)


async def paging(code: str, pace: float = 0.0) -> tuple[list[float], float]:
    """PageDown in the viewer from the cited line, 30 times, key to screen, starting as soon
    as the file is shown (while its whole-file colouring is still due): back to back, or one
    each ``pace`` seconds (a held key). Also the longest the event loop was held meanwhile
    (nothing is drawn while it is): the longest frame gap."""
    app = Bare()
    async with app.run_test(size=(160, 48)):
        await drawn(app)
        await app.workers.wait_for_complete()
        screen = ViewerScreen(Opened(ViewedFile("sample.py", code), AT, AT + 4))
        await app.push_screen(screen)
        await drawn(app)
        view = screen.query_one(CodeView)
        samples = []
        with Probe() as probe:
            started = time.perf_counter()
            for n in range(30):
                wait = started + n * pace - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
                before = view.scroll_y
                samples.append(await key(app, "pagedown", lambda b=before: view.scroll_y != b))
        return samples, max(probe.lags, default=0.0)


def page_row(label: str, samples: list[float], held: float) -> list[str]:
    ordered = sorted(samples)
    p90 = ordered[round(0.9 * (len(ordered) - 1))] * 1000
    return [
        label,
        f"{median_ms(samples):.1f}; {p90:.1f}; {max(samples) * 1000:.0f}",
        f"longest loop hold {held * 1000:.0f} ms",
        "",
        "< 33",
    ]


def scan_rows() -> list[str]:
    """Finding reference shapes in a 60 KB answer, against rendering its Markdown once."""
    import io

    from rich.console import Console
    from rich.markdown import Markdown

    answer = (MARKDOWN_BLOCK + "See `src/calc.py:3-5` and tui/app.py#L10.\n") * 170
    found, drawn_ms = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        candidates(answer)
        found.append(time.perf_counter() - start)
        start = time.perf_counter()
        Console(file=io.StringIO(), width=100).print(Markdown(answer))
        drawn_ms.append(time.perf_counter() - start)
    a, b = median_ms(found), median_ms(drawn_ms)
    return [
        f"reference shapes in a {len(answer) // 1000} KB answer, once when settled (ms)",
        f"{a:.1f}",
        f"{b:.0f} (its Markdown drawn once)",
        f"{a / b:.3f}x",
        "off the loop (a thread)",
    ]


STREAM = 20_000  # characters of a streamed answer citing files
STREAM_RATE = 2_000  # characters a second (a stress rate: a real model streams 200-600)


async def stream_cpu(root: Path, scan: bool) -> float:
    """CPU seconds (all threads) to stream an answer citing a file in every section into the
    real chat, with the screen's reference look-up on or off (its scan replaced by nothing)."""
    from tui.models import MessageStatus
    from tui.widgets.chat_pane import ChatPane, LiveText

    project = root / ("scan" if scan else "plain")
    (project / "src").mkdir(parents=True)
    (project / "src" / "calc.py").write_text(sample_code(50))
    section = MARKDOWN_BLOCK + "The sum is in `src/calc.py:3-5`, see also src/calc.py#L9.\n\n"
    text = (section * (STREAM // len(section) + 1))[:STREAM]
    app = headless_app(project=project)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app)
        if not scan:
            app.screen.viewing.scan = lambda block: None  # type: ignore[attr-defined,method-assign]
        chat = app.screen.query_one(ChatPane)
        live = LiveText()
        await chat.add_user("stream please", live)
        used, start = time.process_time(), time.perf_counter()
        for index, begin in enumerate(range(0, len(text), 4)):
            delay = start + index * 4 / STREAM_RATE - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            live.add(text[begin : begin + 4])
            await chat.follow(live)
        await chat.end(live, MessageStatus.COMPLETE, None)
        await settle(app)
        await pilot.pause()
        return time.process_time() - used


async def viewer_rows(root: Path) -> list[list[str]]:
    code = sample_code()
    cpu: list[float] = []
    first, *our = await timed(ours(code), RUNS + 1, cpu)
    area = await timed(text_area(code), BASELINE_RUNS)
    syntax = await timed(rich_syntax(code), BASELINE_RUNS)
    pages, pages_held = await paging(code)
    repeated, repeated_held = await paging(code, HELD)
    plain = await stream_cpu(root / "stream-1", scan=False)
    scanned = await stream_cpu(root / "stream-2", scan=True)
    a, b, c = median_ms(our), median_ms(area), median_ms(syntax)
    return [
        [
            f"open a {LINES:,}-line file at line {AT:,}, to first paint (ms; CPU ms; the first)",
            f"{a:.0f}; {median_ms(cpu[1:]):.0f}; {first * 1000:.0f}",
            f"{b:.0f} (TextArea, tree-sitter); {c:.0f} (Rich Syntax)",
            f"{a / b:.3f}x",
            "< 100",
        ],
        page_row(
            "PageDown from the open, back to back (ms: median; p90; max of 30)", pages, pages_held
        ),
        page_row(
            f"PageDown held ({1 / HELD:.0f} a second), key to screen", repeated, repeated_held
        ),
        scan_rows(),
        [
            f"stream a {STREAM // 1000} KB answer citing files at {STREAM_RATE:,} chars/s (CPU s)",
            f"{scanned:.2f} (references looked up)",
            f"{plain:.2f} (look-up off)",
            f"{scanned / plain:.2f}x",
            "~1.0x",
        ],
    ]


if __name__ == "__main__":
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print_measured(f"code viewer (load average {load})", viewer_rows)
