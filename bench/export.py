"""Benchmark exporting a conversation to Markdown: read from a real store, render, write.

Run: python -m bench.export   (prints a table; baseline: the same records read and dumped as
JSON, which is what `history --json` does)
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

from bench.harness import median_ms, print_measured
from tui.clock import now
from tui.export import render
from tui.export.target import write_new
from tui.models import MessageStatus, Role, ToolStatus
from tui.storage import Store

SIZES = (100, 1_000, 5_000)  # messages per conversation; every answer has one tool call
RUNS = 5
ANSWER = "## Heading\n\nSome **Markdown** with `code`.\n\n```python\nx = 1\n```\n" * 4
RESULT = "line of a tool result\n" * 100  # ~2 KB, as a file read returns


async def seed(store: Store, project: Path, messages: int) -> int:
    conversation, _ = await store.conversation_create(project, "bench export")
    for index in range(1, messages):
        role = Role.ASSISTANT if index % 2 else Role.USER
        message = await store.message_add(conversation.id, role, ANSWER if index % 2 else "Why?")
        if role is Role.ASSISTANT:
            await store.tool_event_upsert(
                conversation.id,
                f"tu{index}",
                "Read",
                {"file_path": f"src/file{index}.py"},
                message_id=message.id,
                status=ToolStatus.OK,
                result=RESULT,
                finished_at=now(),
            )
            await store.message_finish(message.id, ANSWER, MessageStatus.COMPLETE)
    return conversation.id


async def as_json(store: Store, conversation_id: int) -> str:
    messages = await store.message_page(conversation_id, limit=2**62)
    events = await store.tool_event_list(conversation_id)
    records = {"messages": [asdict(m) for m in messages], "events": [asdict(e) for e in events]}
    return json.dumps(records, default=str)


async def measure(folder: Path) -> list[list[object]]:
    store = await Store.open(folder / "history.db")
    project = folder / "project"
    project.mkdir()
    rows: list[list[object]] = []
    try:
        for size in SIZES:
            conversation_id = await seed(store, project, size)
            ours, baseline, written = [], [], []
            for run in range(RUNS):
                start = time.perf_counter()
                _, text = await render(store, conversation_id, [])
                ours.append(time.perf_counter() - start)
                start = time.perf_counter()
                await as_json(store, conversation_id)
                baseline.append(time.perf_counter() - start)
                start = time.perf_counter()
                write_new(folder / f"out-{size}-{run}.md", text)
                written.append(time.perf_counter() - start)
            mine, theirs = median_ms(ours), median_ms(baseline)
            rows.append(
                [
                    f"export {size:,} messages ({len(text) // 1024:,} KB): read + render (ms)",
                    f"{mine:.1f}",
                    f"{theirs:.1f} (read + JSON)",
                    f"{mine / theirs:.2f}x",
                    "<= 1x",
                ]
            )
            rows.append(["  write it (ms)", f"{median_ms(written):.1f}", "", "", ""])
    finally:
        await store.close()
    return rows


def main() -> None:
    print_measured("Export to Markdown (median of 5)", measure)


if __name__ == "__main__":
    main()
