"""Switching into a conversation whose long answer is streaming: key to its newest text drawn.

Run: python -m bench.switching   (about a minute; prints a table, part of bench/run)

A headless app (160x48) holds two conversations: a short one, on screen, and one whose answer
has streamed 120 KB so far in 2-character deltas (the live text the screen keeps for it, with
its stored copy lagging behind, as during a real turn). Alt+Up switches in: measured from the
key to the frame that shows the newest text, then to the frame that has drawn the whole answer.
The baseline is the same switch drawing the whole answer at once (as the view did before it
drew the older blocks after the newest); the floor is a switch between two short ones.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.harness import MARKDOWN_BLOCK, drawn, headless_app, median_ms, print_measured, settle
from tui.models import Role
from tui.screens.in_flight import Turn
from tui.storage import Store
from tui.widgets import chat_pane
from tui.widgets.chat_pane import AnswerView, ChatPane, LiveText
from tui.widgets.markdown_block import MarkdownBlock

RUNS = 5
SIZE = 120_000
DELTA = 2


async def conversations(root: Path) -> tuple[Path, str, int]:
    """The history file: a short conversation, and the streaming one's question and stored
    copy (its first tenth: the copy is saved now and then, not per delta)."""
    text = (MARKDOWN_BLOCK * (SIZE // len(MARKDOWN_BLOCK) + 1))[:SIZE]
    db = root / "switch.db"
    store = await Store.open(db)
    streaming, question = await store.conversation_create(root, "streaming")
    reply = await store.message_add(streaming.id, Role.ASSISTANT, text[: SIZE // 10])
    await store.message_update_text(reply.id, text[: SIZE // 10])
    for title in ("short", "another short"):
        short, _ = await store.conversation_create(root, title)
        await store.message_add(short.id, Role.ASSISTANT, "A short answer.")
    await store.close()
    return db, text, question.id


def whole(view: AnswerView) -> bool:
    return "".join(b.markdown for b in view.query(MarkdownBlock)) == view.text


async def switch_in(
    root: Path, db: Path, text: str, question: int, at_once: bool
) -> dict[str, float]:
    """One switch into the streaming conversation: ms to its newest text, and to all of it."""
    newest_at_once = chat_pane.NEWEST_AT_ONCE
    chat_pane.NEWEST_AT_ONCE = 10**6 if at_once else newest_at_once
    try:
        app = headless_app(db, root)
        async with app.run_test(size=(160, 48)):
            await settle(app)
            screen = app.screen
            found = {c.title: c for c in await app.store.conversation_list(root)}  # type: ignore[union-attr]
            live = LiveText()
            for begin in range(0, SIZE, DELTA):
                live.add(text[begin : begin + DELTA])
            live.after = question  # its stored copy comes after its question
            screen.in_flight.start(Turn("question", live, found["streaming"].id))
            await screen.open_conversation(found["short"])
            await settle(app)
            await drawn(app)
            start = time.perf_counter()
            opening = asyncio.ensure_future(screen.open_conversation(found["streaming"]))
            newest = text[-40:].strip().splitlines()[-1]
            chat = screen.query_one(ChatPane)
            while (view := chat.answer) is None or newest not in tail(view):
                await asyncio.sleep(0.001)  # a cheap look, so the poll takes little of the loop
            await drawn(app)
            shown = time.perf_counter() - start
            while not whole(view):
                await asyncio.sleep(0.001)
            await drawn(app)
            done = time.perf_counter() - start
            await opening
            await screen.open_conversation(found["short"])
            await settle(app)
            await drawn(app)
            short = time.perf_counter()
            await screen.open_conversation(found["another short"])
            await drawn(app)
            floor = time.perf_counter() - short
        return {"shown": shown, "whole": done, "floor": floor}
    finally:
        chat_pane.NEWEST_AT_ONCE = newest_at_once


def tail(view: AnswerView) -> str:
    """The text of the view's last block: the live tail, where the newest text is."""
    last = view.children[-1] if view.children else None
    return last.markdown if isinstance(last, MarkdownBlock) else ""


async def switching_rows(root: Path) -> list[list[str]]:
    db, text, question = await conversations(root)
    ours = [await switch_in(root, db, text, question, at_once=False) for _ in range(RUNS)]
    before = [await switch_in(root, db, text, question, at_once=True) for _ in range(RUNS)]

    def ms(runs: list[dict[str, float]], name: str) -> float:
        return median_ms([r[name] for r in runs])

    shown, base = ms(ours, "shown"), ms(before, "shown")
    return [
        [
            "switch into a 120 KB answer streaming: key to its newest text drawn (ms)",
            f"{shown:.0f}",
            f"{base:.0f} (whole answer at once)",
            f"{shown / base:.2f}x",
            "<= 100 ms",
        ],
        [
            "  ... to the whole answer drawn (ms)",
            f"{ms(ours, 'whole'):.0f}",
            f"{ms(before, 'whole'):.0f}",
            "",
            "",
        ],
        [
            "  switch from one short conversation to another (ms, the floor)",
            f"{ms(ours, 'floor'):.0f}",
            "",
            "",
            "",
        ],
    ]


def main() -> None:
    print_measured("Switching into a streaming answer (headless app 160x48)", switching_rows)


if __name__ == "__main__":
    main()
