"""Benchmark the app: launch in tmux next to a bare Textual app, streaming, size, memory.

Run: python -m bench.app   (prints tables; nothing is asserted)
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual.worker import WorkerCancelled

from bench.table import median_ms, print_table
from tui.app import AssistantApp
from tui.config import Settings
from tui.models import MessageStatus, Role
from tui.storage import Store
from tui.widgets.chat_pane import ChatPane, LiveText
from tui.widgets.conversation_list import ConversationList

RUNS = 7
_sockets = itertools.count()
MARKDOWN_BLOCK = """## Section

Some text with **bold**, `code` and a [link](https://example.com). More words to wrap the line
so that it needs layout across the width of the pane in the terminal.

- a list item
- another item with `inline code`

```python
def example(value: int) -> int:
    return value * 2
```

| column | value |
|---|---|
| a | 1 |

"""


async def settle(app: AssistantApp) -> None:
    """Wait for the app's workers; a pre-warm replaced by a newer one counts as done."""
    while True:
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


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


def launch_table(root: Path) -> None:
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
    print_table(
        f"Launch to first screen in tmux 160x48 (median of {RUNS})",
        ["app", "ms", "x bare", "target"],
        [
            ["assistant-tui", f"{median_ms(ours):.0f}", f"{ratio:.2f}", "< 1.2x"],
            ["bare Textual app", f"{median_ms(bare):.0f}", "1.00", ""],
        ],
    )


async def streaming(size: int) -> tuple[float, float]:
    """Wall and CPU seconds to stream ``size`` characters of Markdown in 4-character chunks."""
    text = (MARKDOWN_BLOCK * (size // len(MARKDOWN_BLOCK) + 1))[:size]
    app = _headless_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app)
        chat = app.screen.query_one(ChatPane)
        live = LiveText()
        await chat.add_user("stream please", live)
        wall, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(text), 4):
            live.add(text[start : start + 4])
            await chat.follow(live)
        await chat.end(live, MessageStatus.COMPLETE, None)
        await pilot.pause()
        return time.perf_counter() - wall, time.process_time() - cpu


def _headless_app(db: Path | None = None, project: Path | None = None) -> AssistantApp:
    root = Path(tempfile.mkdtemp())
    settings = Settings.build(project=project or root, db=str(db or root / "h.db"), model="b")
    os.environ.setdefault("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    return AssistantApp(settings)


async def big_conversation(root: Path) -> tuple[float, float, float]:
    """Open a 5,000-message conversation: seconds to last screen, RSS before and after (MB)."""
    db = root / "big.db"
    store = await Store.open(db)
    conv, _ = await store.conversation_create(root, "big")
    for i in range(4999):
        await store.message_add(
            conv.id, Role.ASSISTANT if i % 2 == 0 else Role.USER, MARKDOWN_BLOCK[: 300 + i % 200]
        )
    await store.close()
    app = _headless_app(db, root)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app)
        before = rss_mb()
        loaded = await app.store.conversation_get(conv.id)  # type: ignore[union-attr]
        start = time.perf_counter()
        await app.screen.open_conversation(loaded)
        await pilot.pause()
        took = time.perf_counter() - start
        await settle(app)
        return took, before, rss_mb()


async def sidebar(root: Path) -> tuple[float, float]:
    """10,000 conversations: seconds to fill the sidebar, and median seconds per down key."""
    db = root / "many.db"
    store = await Store.open(db)
    for i in range(10_000):
        await store.conversation_create(root, f"conversation number {i}")
    await store.close()
    app = _headless_app(db, root)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app)
        start = time.perf_counter()
        await app.screen.reload_sidebar()
        await pilot.pause()
        fill = time.perf_counter() - start
        app.screen.query_one(ConversationList).focus()
        keys = []
        for _ in range(100):
            t = time.perf_counter()
            await pilot.press("down")
            keys.append(time.perf_counter() - t)
        return fill, statistics.median(keys)


async def main_async(root: Path) -> None:
    rows = []
    for size in (30_000, 60_000, 120_000):
        wall, cpu = await streaming(size)
        rows.append(
            [
                f"{size // 1000} KB",
                f"{wall:.2f}",
                f"{cpu:.2f}",
                f"{size / wall:,.0f}",
                f"{cpu / (size / 4) * 1e6:.0f}",
            ]
        )
    print_table(
        "Streaming Markdown in 4-character chunks as fast as it renders (stock MarkdownStream)",
        ["answer", "wall s", "CPU s", "chars/s", "CPU µs/chunk"],
        rows,
    )
    took, before, after = await big_conversation(root)
    fill, per_key = await sidebar(root)
    print_table(
        "Size",
        ["measure", "result"],
        [
            ["open a 5,000-message conversation (newest 50 mounted)", f"{took * 1000:.0f} ms"],
            ["RSS before / after opening it", f"{before:.0f} MB / {after:.0f} MB"],
            ["fill the sidebar with 10,000 conversations", f"{fill * 1000:.0f} ms"],
            ["move down one row in it (median of 100 presses)", f"{per_key * 1000:.1f} ms"],
        ],
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        launch_table(root)
        asyncio.run(main_async(root))


if __name__ == "__main__":
    main()
