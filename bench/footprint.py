"""What the app holds when nothing happens: idle CPU, memory over many conversations, and the
memory of each warm session (its CLI and MCP server).

Run: python -m bench.footprint   (about a minute; prints a table, part of bench/run)

- Idle CPU: the headless app (160x48) with the sidebar, a conversation, the prompt and the tool
  log shown, nothing streaming, over IDLE_S seconds of process time, once the prompt's cursor
  has stopped blinking (BLINK_FOR_S after the last key) and while it still blinks; the baseline
  is a bare Textual app holding one TextArea (whose cursor always blinks), in the same run.
- RSS: the app opens 20 conversations in turn (one of 5,000 messages, the others of 50), then
  the same 20 again; the second round should add nothing.
- Warm sessions: the CLI and MCP server processes a prewarmed conversation keeps, summed over
  their process tree, for one to MAX_WARM conversations.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import TextArea

from bench.harness import (
    MARKDOWN_BLOCK,
    drawn,
    headless_app,
    isolate,
    print_measured,
    rss_mb,
    settle,
)
from tui.agent.manager import MAX_WARM, SessionManager
from tui.config import Settings
from tui.demo.model_server import ModelServer, Turn
from tui.models import Role
from tui.storage import Store
from tui.widgets.prompt_input import BLINK_FOR_S, PromptInput

IDLE_S = 5.0
CONVERSATIONS = 20


def descendants(pid: int) -> set[int]:
    """Every process under ``pid`` (children, theirs, ...), read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TextArea("a bare app")


async def idle_cpu(app: App[object]) -> float:
    """Share of a core the app's process used over IDLE_S seconds of doing nothing."""
    await drawn(app)
    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.sleep(IDLE_S)
    return (time.process_time() - cpu) / (time.perf_counter() - wall)


async def history(root: Path) -> Path:
    """20 conversations: one of 5,000 messages, the rest of 50."""
    db = root / "footprint.db"
    store = await Store.open(db)
    for n in range(CONVERSATIONS):
        conv, _ = await store.conversation_create(root, f"conversation {n}")
        for i in range(4_999 if n == 0 else 49):
            role = Role.ASSISTANT if i % 2 == 0 else Role.USER
            await store.message_add(conv.id, role, MARKDOWN_BLOCK[: 300 + i % 200])
    await store.close()
    return db


async def app_figures(root: Path) -> dict[str, float]:
    """Idle CPU with a conversation shown, and RSS over two rounds of 20 conversations."""
    app = headless_app(await history(root), root)
    async with app.run_test(size=(160, 48)):
        await settle(app)
        listed = await app.store.conversation_list(root, limit=CONVERSATIONS)  # type: ignore[union-attr]
        await app.screen.open_conversation(listed[-1])
        await settle(app)
        blinking = await idle_cpu(app)  # the prompt's cursor blinks for a while after a key
        prompt = app.screen.query_one(PromptInput)
        while prompt.cursor_blink:
            await asyncio.sleep(0.1)
        idle = await idle_cpu(app)
        gc.collect()
        start = rss_mb()
        rounds = []
        for _ in range(2):
            for conversation in listed:
                await app.screen.open_conversation(conversation)
                await drawn(app)
            await settle(app)
            gc.collect()
            rounds.append(rss_mb())
    async with BareApp().run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        bare = await idle_cpu(pilot.app)
    return {
        "idle": idle,
        "blinking": blinking,
        "bare": bare,
        "start": start,
        "first": rounds[0],
        "second": rounds[1],
    }


async def warm_sessions(root: Path) -> list[float]:
    """MB held by the CLI and MCP processes with 1, 2, ... MAX_WARM conversations warm; the
    environment is put back afterwards (bench/run goes on in the same process)."""
    saved = dict(os.environ)
    try:
        return await _warm(root)
    finally:
        os.environ.clear()
        os.environ.update(saved)


async def _warm(root: Path) -> list[float]:
    isolate(root)
    held = []
    async with ModelServer([Turn(text="ok")]) as server:
        os.environ["ANTHROPIC_BASE_URL"] = server.url
        settings = Settings.build(project=root, db=str(root / "warm.db"), model="bench")
        store = await Store.open(settings.db)
        manager = SessionManager(settings, store)
        try:
            for n in range(MAX_WARM):
                conv, _ = await store.conversation_create(root, f"warm {n}")
                await manager.prewarm(conv)
                held.append(sum(rss_mb(pid) for pid in descendants(os.getpid())))
        finally:
            await manager.close_all()
            await store.close()
    return held


async def footprint_rows(root: Path) -> list[list[str]]:
    for part in ("app", "warm"):
        (root / part).mkdir(exist_ok=True)
    app = await app_figures(root / "app")
    warm = await warm_sessions(root / "warm")
    per = [b - a for a, b in zip([0.0, *warm], warm, strict=False)]
    return [
        [
            "idle CPU, sidebar, chat, prompt and tool log shown, nothing streaming (% of a core)",
            f"{app['idle'] * 100:.1f}",
            f"{app['bare'] * 100:.1f} (bare Textual app, one TextArea)",
            f"{app['idle'] / app['bare']:.2f}x" if app["bare"] else "",
            "<= 1%",
        ],
        [
            f"  ... within {BLINK_FOR_S:.0f} s of a key, while the prompt's cursor blinks",
            f"{app['blinking'] * 100:.1f}",
            "",
            "",
            "",
        ],
        [
            f"RSS after opening {CONVERSATIONS} conversations (one of 5,000 messages) (MB)",
            f"{app['first']:.0f}, again {app['second']:.0f}",
            f"{app['start']:.0f} before",
            f"+{app['second'] - app['first']:.0f} MB the second time",
            "<= 150, flat",
        ],
        [
            f"memory of each warm session, CLI + MCP server (MB, 1 to {MAX_WARM} warm)",
            " / ".join(f"{m:.0f}" for m in per),
            "",
            "",
            f"reported; MAX_WARM = {MAX_WARM}",
        ],
    ]


def main() -> None:
    print_measured("Footprint (headless app 160x48)", footprint_rows)


if __name__ == "__main__":
    main()
