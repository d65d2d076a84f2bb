"""Benchmark the streaming answer against Textual's stock MarkdownStream, in the real app.

Run: python -m bench.streaming   (about three minutes; prints a table, asserts nothing)

Both sides run in the same headless app (160x48) with a conversation of earlier messages open
(the app mounts its newest 50), and are fed the same Markdown in 4-character chunks at 2,000
characters a second, the model's pace taken as a schedule. Measured while streaming: CPU seconds
per second of stream (1.0 is a whole core), and the event loop's stalls (a probe that asks to
wake every 5 ms records how late it woke: the UI can neither draw nor read keys in between).
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown as RichMarkdown
from textual.widgets import Markdown

from bench.harness import MARKDOWN_BLOCK, Probe, headless_app, print_measured, settle
from tui.app import tune_garbage_collector
from tui.models import MessageStatus, Role
from tui.storage import Store
from tui.widgets.chat_pane import AnswerView, ChatPane, LiveText

RATE = 2_000  # characters a second
CHUNK = 4
WIDTH = 140  # the chat pane's text width in a 160-column terminal with both side panels


def answer_text(size: int) -> str:
    return (MARKDOWN_BLOCK * (size // len(MARKDOWN_BLOCK) + 1))[:size]


async def paced(text: str, feed: Callable[[str], Awaitable[None]], chunk: int = CHUNK) -> None:
    """Hand ``text`` to ``feed`` in chunks on a 2,000 chars/s schedule."""
    start = time.perf_counter()
    for index, begin in enumerate(range(0, len(text), chunk)):
        due = start + index * chunk / RATE
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await feed(text[begin : begin + chunk])


async def history(root: Path, above: int) -> Path:
    db = root / f"above-{above}.db"
    store = await Store.open(db)
    if above:
        conv, _ = await store.conversation_create(root, "earlier")
        for i in range(above - 1):
            role = Role.ASSISTANT if i % 2 == 0 else Role.USER
            await store.message_add(conv.id, role, MARKDOWN_BLOCK)
    await store.close()
    return db


async def run(root: Path, kind: str, size: int, above: int) -> dict[str, float | bool]:
    """Stream one answer with ``kind`` ("ours" or "stock") below ``above`` earlier messages."""
    text = answer_text(size)
    app = headless_app(await history(root, above), root)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app)
        found = await app.store.conversation_list(root)  # type: ignore[union-attr]
        await app.screen.open_conversation(found[0] if found else None)
        await settle(app)
        # What the app does a second after launch, before anyone can have typed a question; left
        # to its timer it fell inside the measured stream (one full collection of what the runs
        # before this one left in the process: 0.5-1.2 s).
        tune_garbage_collector()
        chat = app.screen.query_one(ChatPane)
        live = LiveText()
        await chat.add_user("stream please", live)
        stock = Markdown(classes="answer")
        if kind == "stock":
            await chat.mount(stock)
            stream = Markdown.get_stream(stock)
            await asyncio.sleep(0)

            async def feed(piece: str) -> None:
                await stream.write(piece)
        else:

            async def feed(piece: str) -> None:
                live.add(piece)
                await chat.follow(live)

        wall, cpu = time.perf_counter(), time.process_time()
        with Probe() as probe:
            await paced(text, feed)
            if kind == "stock":
                await stream.stop()
            else:
                await chat.end(live, MessageStatus.COMPLETE, None)
            await pilot.pause()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        same = True
        if kind == "ours":
            view = list(chat.query(AnswerView))[-1]
            same = view.text == text and rendered(view.segments()) == rendered([text])
        return {
            "core": cpu / wall,
            "p99": probe.p99_ms(),
            "max": max(probe.lags or [0.0]) * 1000,
            "behind": wall - size / RATE,
            "same": same,
        }


def rendered(parts: list[str]) -> str:
    """Plain text of Markdown parts rendered one after the other, blank lines folded."""
    console = Console(width=WIDTH, record=True, file=io.StringIO(), color_system=None)
    for part in parts:
        console.print(RichMarkdown(part))
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    return "\n".join(line for line in lines if line)


async def main_async(root: Path) -> list[list[str]]:
    rows: list[list[str]] = []
    stock = await run(root, "stock", 60_000, 100)
    ours = await run(root, "ours", 60_000, 100)
    rows.append(
        [
            "60 KB at 2,000 chars/s below 100 messages: CPU (cores)",
            f"{ours['core']:.2f}",
            f"{stock['core']:.2f} (stock MarkdownStream)",
            f"{ours['core'] / stock['core']:.2f}x",
            "<= 0.5x",
        ]
    )
    rows.append(
        [
            "  event-loop stall p99 / max (ms)",
            f"{ours['p99']:.0f} / {ours['max']:.0f}",
            f"{stock['p99']:.0f} / {stock['max']:.0f}",
            "",
            "p99 <= 100 ms",
        ]
    )
    rows.append(
        [
            "  rendering done after the last chunk (s)",
            f"{ours['behind']:.2f}",
            f"{stock['behind']:.2f}",
            "",
            "",
        ]
    )
    rows.append(["  final rendering equals a one-shot render", str(ours["same"]), "", "", "yes"])
    by_size = [await run(root, "ours", size, 100) for size in (30_000, 60_000, 120_000)]
    rows.append(
        [
            "CPU (cores) at 30 / 60 / 120 KB",
            " / ".join(f"{r['core']:.2f}" for r in by_size),
            "",
            f"{by_size[2]['core'] / by_size[0]['core']:.2f}x (120 vs 30)",
            "flat",
        ]
    )
    by_above = [await run(root, "ours", 30_000, above) for above in (0, 100, 1000)]
    rows.append(
        [
            "CPU (cores) below 0 / 100 / 1,000 messages (30 KB)",
            " / ".join(f"{r['core']:.2f}" for r in by_above),
            "",
            f"{by_above[2]['core'] / by_above[0]['core']:.2f}x (1,000 vs 0)",
            "flat",
        ]
    )
    return rows


def main() -> None:
    print_measured("Streaming (headless app 160x48, 4-character chunks)", main_async)


if __name__ == "__main__":
    main()
