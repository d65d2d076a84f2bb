"""Benchmark the app: launch in tmux next to a bare Textual app, long conversations, a big
sidebar and a busy tool log.

Run: python -m bench.app   (prints a table; nothing is asserted). Part of bench/run.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from bench.harness import (
    HEADER,
    MARKDOWN_BLOCK,
    Probe,
    drawn,
    headless_app,
    key,
    median_ms,
    print_table,
    rss_mb,
    settle,
)
from tui.models import Role, ToolStatus
from tui.storage import Store
from tui.widgets.chat_pane import ChatPane
from tui.widgets.conversation_list import ConversationList
from tui.widgets.tool_log import ToolLog, ToolRow

RUNS = 7
_sockets = itertools.count()


class BareList(App[None]):
    """The baseline for the sidebar: a bare OptionList with the same number of rows."""

    def compose(self) -> ComposeResult:
        yield OptionList(*[f"conversation number {i}" for i in range(200)])


async def bare_log_ms(rows: int = 1_000) -> dict[str, float]:
    """The baseline for the tool log: a bare OptionList gaining a row and changing it."""
    app = BareList()
    async with app.run_test(size=(160, 48)):
        listing = app.query_one(OptionList)
        listing.add_options([f"Read f{i}.py ok 0.1s" for i in range(rows)])
        await drawn(app)

        async def update(i: int) -> None:
            listing.add_option(Option(f"Grep x running {i}", id=f"n{i}"))
            listing.replace_option_prompt(f"n{i}", f"Grep x ok 0.2s {i}")
            await drawn(app)

        return await updates(update)


async def updates(update: Callable[[int], Awaitable[None]], runs: int = 30) -> dict[str, float]:
    """Median milliseconds of CPU and of wall time for an update to reach the screen.

    The wall time includes waiting for Textual's next frame (60 per second, so up to ~17 ms);
    the CPU time is what the update costs.
    """
    wall, cpu = [], []
    for i in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        await update(i)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {"wall": statistics.median(wall) * 1000, "cpu": statistics.median(cpu) * 1000}


async def bare_key_ms() -> float:
    app = BareList()
    async with app.run_test(size=(160, 48)):
        listing = app.query_one(OptionList)
        listing.focus()
        listing.highlighted = 0
        await drawn(app)
        samples = []
        for i in range(1, 100):
            samples.append(await key(app, "down", lambda i=i: listing.highlighted == i))
        return statistics.median(samples) * 1000


def tmux_launch(command: str, marker: str, env: dict[str, str]) -> float:
    """Seconds from starting ``command`` in a fresh tmux to ``marker`` on the screen."""
    socket = f"bench-{os.getpid()}-{next(_sockets)}"  # a fresh server each time
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    subprocess.run(
        [
            "tmux",
            "-L",
            socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "b",
            "-x",
            "160",
            "-y",
            "48",
        ],
        check=True,
    )
    start = time.perf_counter()
    subprocess.run(
        [
            "tmux",
            "-L",
            socket,
            "send-keys",
            "-t",
            "b",
            "-l",
            f"exec env -u COLUMNS -u LINES {exports} {command}",
        ],
        check=True,
    )
    subprocess.run(["tmux", "-L", socket, "send-keys", "-t", "b", "Enter"], check=True)
    try:
        while time.perf_counter() - start < 30:
            screen = subprocess.run(
                ["tmux", "-L", socket, "capture-pane", "-p", "-t", "b"],
                capture_output=True,
                text=True,
            ).stdout
            if marker in screen:
                return time.perf_counter() - start
            time.sleep(0.01)
        raise RuntimeError(f"{marker!r} never appeared")
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def compile_bytecode() -> None:
    """Compile our packages as ``pip install`` leaves them, before timing launches.

    Without it a checkout run with PYTHONDONTWRITEBYTECODE (this machine sets it) compiles every
    module of ours from source at each launch, ~25 ms a user never pays; Textual, installed by
    pip, is compiled already, so the baseline would not pay it either.
    """
    import compileall

    repo = Path(__file__).resolve().parent.parent
    for package in ("tui", "mcp_server"):
        compileall.compile_dir(repo / package, quiet=1, force=True)


def launch_rows(root: Path) -> list[list[str]]:
    """Launch to first screen in tmux, ours against a bare Textual app, interleaved."""
    compile_bytecode()
    env = {
        "HOME": str(root),
        "ASSISTANT_TUI_DB": str(root / "launch.db"),
        "ANTHROPIC_API_KEY": "sk-bench",
        "ANTHROPIC_BASE_URL": "http://127.0.0.1:9",
    }
    ours_cmd = f"{Path(sys.executable).parent / 'assistant-tui'} {root}"
    bare_cmd = f"{sys.executable} -m bench.bare_app"
    ours, bare = [], []
    for _ in range(RUNS):  # interleaved, so load on the machine hits both alike
        ours.append(tmux_launch(ours_cmd, "Help", env))
        bare.append(tmux_launch(bare_cmd, "bare-ready", {}))
    ratio = statistics.median(ours) / statistics.median(bare)
    return [
        [
            f"launch to first screen, tmux 160x48, median of {RUNS} (ms)",
            f"{median_ms(ours):.0f}",
            f"{median_ms(bare):.0f} (bare Textual app)",
            f"{ratio:.2f}x",
            "< 1.2x",
        ]
    ]


async def conversation_of(root: Path, size: int) -> tuple[Path, int]:
    """A history file with one conversation of ``size`` messages, a tool call every tenth."""
    db = root / f"conversation-{size}.db"
    store = await Store.open(db)
    conv, _ = await store.conversation_create(root, "big")
    for i in range(size - 1):
        role = Role.ASSISTANT if i % 2 == 0 else Role.USER
        message = await store.message_add(conv.id, role, MARKDOWN_BLOCK[: 300 + i % 200])
        if i % 10 == 0:
            await store.tool_event_upsert(
                conv.id,
                f"t{i}",
                "Read",
                {"file_path": "app.py"},
                message_id=message.id,
                status=ToolStatus.OK,
                result="def main() -> int:\n    return 42\n",
            )
    await store.close()
    return db, conv.id


async def open_conversation(root: Path, size: int) -> dict[str, float]:
    """Open a conversation to its last screen, then scroll to its top page by page."""
    db, conv_id = await conversation_of(root, size)
    app = headless_app(db, root)
    async with app.run_test(size=(160, 48)):
        await settle(app)
        gc.collect()
        before = rss_mb()
        loaded = await app.store.conversation_get(conv_id)  # type: ignore[union-attr]
        opens = []
        for _ in range(5):  # the first open also pays one-time costs; reported separately
            start = time.perf_counter()
            await app.screen.open_conversation(loaded)
            await drawn(app)
            opens.append(time.perf_counter() - start)
            await settle(app)
            after_open = rss_mb()
            await app.screen.open_conversation(None)
            await settle(app)
        await app.screen.open_conversation(loaded)
        await settle(app)
        chat = app.screen.query_one(ChatPane)
        steps, pages = [], 0
        with Probe() as probe:  # the longest the event loop (and so the screen) was held
            while app.screen.window.oldest_id is not None and pages < 10:  # ten pages up
                start = time.perf_counter()
                chat.scroll_home(animate=False)
                await drawn(app)
                await settle(app)
                await drawn(app)
                steps.append(time.perf_counter() - start)
                pages += 1
        return {
            "open": statistics.median(opens),
            "first": opens[0],
            "rss": after_open - before,
            "scroll": max(steps or [0.0]),
            "gap": max(probe.lags or [0.0]),
        }


async def sidebar(root: Path) -> dict[str, float]:
    """10,000 conversations: first paint, a key press down, a filter keystroke."""
    db = root / "many.db"
    store = await Store.open(db)
    for i in range(10_000):
        await store.conversation_create(root, f"conversation number {i}")
    await store.close()
    app = headless_app(db, root)
    async with app.run_test(size=(160, 48)):
        await settle(app)
        paints = []
        for _ in range(5):
            start = time.perf_counter()
            await app.screen.reload_sidebar()
            await drawn(app)
            paints.append(time.perf_counter() - start)
        listing = app.screen.query_one(ConversationList)
        listing.focus()
        listing.highlighted = 0
        await drawn(app)
        keys = []
        for i in range(1, 100):
            keys.append(await key(app, "down", lambda i=i: listing.highlighted == i))
        await app.screen.action_filter()  # the filter box is built on first use
        box = app.screen.query_one("#filter", Input)
        filters = []
        for typed in ("n", "nu", "num", "numb", "number", "number 9", "number 99"):
            start = time.perf_counter()
            box.value = typed
            await app.screen.reload_sidebar()
            await drawn(app)
            filters.append(time.perf_counter() - start)
        return {
            "paint": statistics.median(paints),
            "key": statistics.median(keys),
            "filter": statistics.median(filters),
        }


async def tool_log(rows: int = 1_000) -> dict[str, float]:
    """One update (a call starting, then finishing) of a 1,000-row tool log, to the screen."""
    app = headless_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app)
        log = app.screen.query_one(ToolLog)
        log.show(
            [
                ToolRow(f"t{i}", "Read", {"file_path": f"f{i}.py"}, ToolStatus.OK, "x", 0.1)
                for i in range(rows)
            ]
        )
        await pilot.pause()

        async def update(i: int) -> None:
            log.start(f"n{i}", "Grep", {"pattern": "x"})
            log.finish(f"n{i}", ToolStatus.OK, "found", 0.2)
            await drawn(app)

        return await updates(update)


async def size_rows(root: Path) -> list[list[str]]:
    """Every size figure of the app, as rows of the shared table."""
    opened = {n: await open_conversation(root, n) for n in (100, 1_000, 5_000)}
    bar = await sidebar(root)
    bare = await bare_key_ms()
    log = await tool_log()
    bare_log = await bare_log_ms()
    rss = " / ".join(f"{opened[n]['rss']:.0f}" for n in (100, 1_000, 5_000))
    return [
        [
            "open 5,000 messages to the last screen, median of 5 (ms)",
            f"{opened[5_000]['open'] * 1000:.0f} (first {opened[5_000]['first'] * 1000:.0f})",
            "",
            "",
            "< 200",
        ],
        [
            "  longest frame gap while scrolling to its top (ms)",
            f"{opened[5_000]['gap'] * 1000:.0f}",
            "",
            "",
            "< 100",
        ],
        [
            "  slowest page up: scroll to older page drawn (ms)",
            f"{opened[5_000]['scroll'] * 1000:.0f}",
            "",
            "",
            "",
        ],
        ["  RSS growth opening 100 / 1,000 / 5,000 messages (MB)", rss, "", "", "flat"],
        ["sidebar of 10,000: first paint (ms)", f"{bar['paint'] * 1000:.1f}", "", "", "< 100"],
        [
            "  one row down, key to screen (ms, median of 99)",
            f"{bar['key'] * 1000:.1f}",
            f"{bare:.1f} (bare OptionList)",
            f"{bar['key'] * 1000 / bare:.2f}x",
            "< 33 (key repeat)",
        ],
        ["  filter, per keystroke (ms)", f"{bar['filter'] * 1000:.1f}", "", "", "< 50"],
        [
            "tool log of 1,000 rows: CPU per update (ms)",
            f"{log['cpu']:.1f}",
            f"{bare_log['cpu']:.1f} (bare OptionList)",
            f"{log['cpu'] / bare_log['cpu']:.2f}x",
            "< 16",
        ],
        [
            "  update to screen, wall (ms; waits for the next 60/s frame)",
            f"{log['wall']:.1f}",
            f"{bare_log['wall']:.1f} (bare OptionList)",
            f"{log['wall'] / bare_log['wall']:.2f}x",
            "",
        ],
    ]


async def main_async(root: Path) -> list[list[str]]:
    return await size_rows(root)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rows = launch_rows(root) + asyncio.run(main_async(root))
    print_table("The app", HEADER, rows)


if __name__ == "__main__":
    main()
