"""Benchmark the conversation store on real files: writes, listing, paging and search at scale.

Run: python -m bench.store   (prints a table; targets: every median under 5 ms)
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.harness import median_ms, p99_ms, print_table
from tui.clock import now, to_text
from tui.models import MessageStatus, Role
from tui.storage import Store

CONVERSATIONS = 10_000
MESSAGES = 100_000
rng = random.Random(7)
VOCAB = [
    "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
    for _ in range(5000)
]


def text(words: int) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(words))


def seed(path: Path, project: Path) -> int:
    """Fill the file directly (triggers and FTS active) and return the big conversation's id."""
    conn = sqlite3.connect(path)
    stamp = to_text(now())
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO conversations (project_path, project_name, title, created_at, updated_at)"
        " VALUES (?, 'bench', ?, ?, ?)",
        [(str(project), text(5), stamp, stamp) for _ in range(CONVERSATIONS)],
    )
    big = conn.execute("SELECT MAX(id) FROM conversations").fetchone()[0]
    conn.executemany(
        "INSERT INTO messages (conversation_id, role, content, created_at) VALUES (?, ?, ?, ?)",
        [(big, ("user", "assistant")[i % 2], text(60), stamp) for i in range(MESSAGES)],
    )
    conn.execute("COMMIT")
    conn.close()
    return int(big)


async def timed(action: Callable[[], Awaitable[object]], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await action()
        samples.append(time.perf_counter() - start)
    return samples


def raw_insert_samples(path: Path, conversation: int, runs: int) -> list[float]:
    """Baseline: plain sqlite3 insert + commit on the same file, no asyncio hop."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO messages (conversation_id, role, content, created_at)"
            " VALUES (?, 'user', ?, ?)",
            (conversation, text(60), to_text(now())),
        )
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - start)
    conn.close()
    return samples


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path, project = Path(tmp) / "history.db", Path(tmp)
        store = await Store.open(path)
        await store.close()
        start = time.perf_counter()
        big = seed(path, project)
        seeded = time.perf_counter() - start
        store = await Store.open(path)
        small, _ = await store.conversation_create(project, "bench")
        reply = await store.message_add(small.id, Role.ASSISTANT, "", MessageStatus.STREAMING)
        body = text(400)
        results = {
            "message_add (insert + commit)": await timed(
                lambda: store.message_add(small.id, Role.USER, text(60)), 300
            ),
            "message_update_text of a 2.6 KB streaming reply": await timed(
                lambda: store.message_update_text(reply.id, body), 300
            ),
            f"conversation_list first page (100) of {CONVERSATIONS:,}": await timed(
                lambda: store.conversation_list(project), 50
            ),
            f"message_page newest 50 of a {MESSAGES:,}-message conversation": await timed(
                lambda: store.message_page(big, limit=50), 50
            ),
            f"search one word over {MESSAGES:,} messages (top 50)": await timed(
                lambda: store.search(rng.choice(VOCAB)), 50
            ),
            "search two words, last as prefix": await timed(
                lambda: store.search(f"{rng.choice(VOCAB)} {rng.choice(VOCAB)[:3]}"), 50
            ),
            "conversation_list filtered by title text": await timed(
                lambda: store.conversation_list(project, title_filter=rng.choice(VOCAB)[:4]), 50
            ),
        }
        await store.close()
        baseline = raw_insert_samples(path, small.id, 300)
    base = median_ms(baseline)
    rows = [
        [
            "plain sqlite3 insert + commit (baseline)",
            f"{base:.2f}",
            f"{p99_ms(baseline):.2f}",
            "1.00",
            "",
        ]
    ]
    for name, samples in results.items():
        med = median_ms(samples)
        rows.append(
            [
                name,
                f"{med:.2f}",
                f"{p99_ms(samples):.2f}",
                f"{med / base:.2f}",
                "yes" if med < 5 else "NO",
            ]
        )
    print_table(
        f"Conversation store (aiosqlite, WAL; seeded {MESSAGES:,} messages in {seeded:.1f} s)",
        ["operation", "median ms", "p99 ms", "x baseline", "< 5 ms"],
        rows,
    )


if __name__ == "__main__":
    asyncio.run(main())
