"""Search as you type over 100,000 messages, in the real app: key to hits painted.

Run: python -m bench.search   (prints a table; part of bench/run; nothing is asserted)

The history is written through the Store (bench/history.py: chat about code with English word
frequencies, ~3,000 conversations in six projects of very different sizes, over a year). The
app runs headless on it with the search screen open; words are typed a letter at a time as a
terminal sends keys, and each key is timed until its hits are on screen and painted. The
baseline is the store's own search for the same prefixes, in the same run.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

from textual import events

from bench.harness import drawn, median_ms, print_measured, settle
from bench.history import build
from tui.app import AssistantApp
from tui.config import Settings
from tui.screens.search import SearchScreen
from tui.storage import Store
from tui.widgets.inert_input import InertInput

MESSAGES = 100_000
RUNS = 5  # each word typed this many times; the figure is the median over every key
WORDS = ("parser", "timeout", "the", "flamegraph", "cache pool", "get_row")


async def typed(app: AssistantApp, screen: SearchScreen, word: str) -> list[float]:
    """Type ``word`` into an empty box; seconds from each key sent to its hits painted."""
    box = screen.query_one("#query", InertInput)
    box.value = ""
    await settle(app)
    samples = []
    for n, char in enumerate(word, start=1):
        start = time.perf_counter()
        key = "space" if char == " " else char
        app._driver.send_message(events.Key(key, char))  # type: ignore[union-attr]
        while screen.answered is None or screen.answered.text != word[:n]:
            await asyncio.sleep(0)
        await drawn(app)
        samples.append(time.perf_counter() - start)
    return samples


async def in_app(db: Path, project: Path, all_projects: bool) -> list[float]:
    """Per-key times of every word, RUNS times, in one scope."""
    os.environ.setdefault("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    settings = Settings.build(project=project, db=str(db), model="bench")
    app = AssistantApp(settings)
    samples: list[float] = []
    async with app.run_test(size=(160, 48)):
        await settle(app)
        await app.screen.run_action("search")
        while not isinstance(app.screen, SearchScreen):
            await asyncio.sleep(0)
        screen = app.screen
        await drawn(app)
        if all_projects:
            screen.action_toggle_scope()
        await settle(app)
        for run in range(RUNS + 1):  # the first run warms up (the session starts meanwhile)
            for word in WORDS:
                keys = await typed(app, screen, word)
                samples += keys if run else []
    return samples


async def raw(db: Path, project: Path | None) -> list[float]:
    """The baseline: Store.search alone for every prefix typed, as many times."""
    store = await Store.open(db)
    samples = []
    for _ in range(RUNS):
        for word in WORDS:
            for n in range(1, len(word) + 1):
                start = time.perf_counter()
                await store.search(word[:n], project, limit=31)
                samples.append(time.perf_counter() - start)
    await store.close()
    return samples


async def search_rows(root: Path, messages: int = MESSAGES) -> list[list[str]]:
    db = root / "search.db"
    started = time.perf_counter()
    projects = await build(db, root / "projects", messages)
    built = time.perf_counter() - started
    scopes = [
        (f"busiest project ({projects[0].name}, 40%)", projects[0], False),
        (f"smallest project ({projects[-1].name}, 2%)", projects[-1], False),
        ("all projects", projects[0], True),
    ]
    rows = []
    for n, (name, project, everywhere) in enumerate(scopes):
        base = await raw(db, None if everywhere else project)
        ours = await in_app(db, project, everywhere)
        first = f"search {messages:,} messages, key to hits painted: " if n == 0 else "  "
        rows.append(
            [
                f"{first}{name} (ms, median of {len(ours)} keys; slowest)",
                f"{median_ms(ours):.1f}; {max(ours) * 1000:.0f}",
                f"{median_ms(base):.1f}; {max(base) * 1000:.0f} (Store.search)",
                f"{statistics.median(ours) / statistics.median(base):.2f}x",
                "< 50",
            ]
        )
    size = db.stat().st_size / 2**20
    rows.append(
        [
            "  history written through the Store (s; file MB)",
            f"{built:.0f}; {size:.0f}",
            "",
            "",
            "",
        ]
    )
    return rows


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else MESSAGES  # a smaller try: 10000
    print_measured("Search as you type", lambda root: search_rows(root, size))


if __name__ == "__main__":
    main()
