"""Benchmark the engine against the scripted server replying instantly (real SDK, CLI and MCP).

Run: python -m bench.engine   (prints a table; target: warm question to first token < 150 ms)
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.harness import HEADER, isolate, median_ms, print_table
from tui.agent.events import TextDelta, TurnFinished
from tui.agent.manager import SessionManager
from tui.agent.translate import Translator
from tui.config import Settings
from tui.demo.model_server import ModelServer, Turn
from tui.storage import Store

RUNS = 5


async def first_token(manager: SessionManager, text: str) -> tuple[float, float]:
    """Seconds to the first text delta and to the end of the turn."""
    start = time.perf_counter()
    first = 0.0
    async for event in manager.run(text, None):
        if isinstance(event, TextDelta) and not first:
            first = time.perf_counter() - start
        if isinstance(event, TurnFinished):
            return first, time.perf_counter() - start
    raise RuntimeError("the turn did not finish")


async def latency(root: Path, server: ModelServer) -> dict[str, list[float]]:
    settings = Settings.build(project=root / "project", db=str(root / "h.db"), model="bench")
    store = await Store.open(settings.db)
    results: dict[str, list[float]] = {"cold": [], "warm": [], "prewarmed new chat": []}
    try:
        for _ in range(RUNS):
            manager = SessionManager(settings, store)
            results["cold"].append((await first_token(manager, "hello"))[0])
            conv = (await store.conversation_list(settings.project, limit=1))[0]
            for _ in range(3):
                start = time.perf_counter()
                async for event in manager.run("again", conv):
                    if isinstance(event, TextDelta):
                        results["warm"].append(time.perf_counter() - start)
                        break
                async for _event in manager.run("drain", conv):
                    pass
            await manager.prewarm(None)
            results["prewarmed new chat"].append((await first_token(manager, "fresh"))[0])
            await manager.close_all()
    finally:
        await store.close()
    return results


def delta_overhead() -> tuple[float, float]:
    """Translator cost per streamed delta vs. building the same string (µs per delta)."""
    events = [
        type(
            "StreamEvent",
            (),
            {
                "event": {
                    "type": "content_block_delta",
                    "delta": {"type": "text_delta", "text": "abcd"},
                }
            },
        )()
        for _ in range(100_000)
    ]
    translator = Translator()
    start = time.perf_counter()
    for event in events:
        translator.feed(event)
    ours = (time.perf_counter() - start) / len(events) * 1e6
    start = time.perf_counter()
    text = ""
    for event in events:
        text += event.event["delta"]["text"]
    base = (time.perf_counter() - start) / len(events) * 1e6
    return ours, base


async def measured() -> dict[str, list[float]]:
    """Engine latencies in an isolated HOME against the scripted server; the environment is
    put back afterwards (bench/run goes on in the same process)."""
    saved = dict(os.environ)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "project").mkdir()
            isolate(root)
            async with ModelServer([Turn(text="Hi! " * 50)]) as server:
                os.environ["ANTHROPIC_BASE_URL"] = server.url
                return await latency(root, server)
    finally:
        os.environ.clear()
        os.environ.update(saved)


async def engine_rows(results: dict[str, list[float]] | None = None) -> list[list[str]]:
    """Latency rows of the shared table."""
    results = results or await measured()
    return [
        [
            "cold start: CLI + MCP server, ask, first token (ms)",
            f"{median_ms(results['cold']):.0f}",
            "",
            "",
            "",
        ],
        [
            "warm session: question to first token, engine only (ms)",
            f"{median_ms(results['warm']):.0f}",
            "",
            "",
            "< 150",
        ],
        [
            "switch to a pre-warmed conversation and send: first token (ms)",
            f"{median_ms(results['prewarmed new chat']):.0f}",
            "",
            "",
            "< 150",
        ],
    ]


async def main() -> None:
    results = await measured()
    ours, base = delta_overhead()
    print_table(
        f"Engine latency, scripted server answering instantly (median of "
        f"{len(results['warm'])} warm, {RUNS} cold)",
        HEADER,
        await engine_rows(results),
    )
    print_table(
        "Engine overhead per streamed delta (translation only)",
        ["measure", "µs per delta"],
        [["Translator.feed", f"{ours:.2f}"], ["baseline: str concatenation", f"{base:.2f}"]],
    )
    spread = statistics.pstdev(results["warm"]) * 1000
    print(f"\nwarm spread (stdev): {spread:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
