"""Switching into a conversation whose long answer is streaming: key to its newest text drawn.

Run: python -m bench.switching   (about a minute; prints a table, part of bench/run)

A headless app (160x48) holds two conversations: a short one, on screen, and one whose answer
has streamed 120 KB so far in 2-character deltas (the live text the screen keeps for it, with
its stored copy lagging behind, as during a real turn). A switch (as Alt+Up does, the key noted
first) is measured from its start to the frame that shows the newest text, then to the frame
that has drawn the whole answer.
The baseline is the same switch drawing the whole answer at once (as the view did before it
drew the older blocks after the newest); the floor is a switch between two short ones.

The same for what is stored and finished: a conversation whose one answer is 120 KB, and one of
a page (20 messages) of 6 KB answers, each against drawing all of it with the switch.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.harness import (
    MARKDOWN_BLOCK,
    drawn,
    headless_app,
    median_ms,
    print_measured,
    settle,
    stored_mid_answer,
    streaming_turn,
    titled,
    tuned,
)
from tui.models import Role
from tui.storage import Store
from tui.widgets import chat_pane
from tui.widgets.chat_pane import AnswerView, ChatPane, LongAnswer
from tui.widgets.drawn_above import typed_now
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
    question = await stored_mid_answer(store, root, text, SIZE // 10)
    stored, _ = await store.conversation_create(root, "stored long")
    await store.message_add(stored.id, Role.ASSISTANT, text)
    page, _ = await store.conversation_create(root, "stored page")
    medium = text[: SIZE // 20]
    for n in range(19):
        await store.message_add(page.id, Role.ASSISTANT if n % 2 == 0 else Role.USER, medium)
    for title in ("short", "another short"):
        short, _ = await store.conversation_create(root, title)
        await store.message_add(short.id, Role.ASSISTANT, "A short answer.")
    await store.close()
    return db, text, question


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
            found = await titled(app, root)
            streaming_turn(app, found["streaming"].id, text, question, DELTA)
            await screen.open_conversation(found["short"])
            await settle(app)
            tuned(app)
            await drawn(app)
            start = time.perf_counter()
            typed_now()  # as the switch key's arrival notes it (AssistantApp.on_event)
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
            typed_now()
            await screen.open_conversation(found["another short"])
            await drawn(app)
            floor = time.perf_counter() - short
        return {"shown": shown, "whole": done, "floor": floor}
    finally:
        chat_pane.NEWEST_AT_ONCE = newest_at_once


def whole_page(chat: ChatPane, count: int) -> bool:
    """Every message of the page mounted, and every long answer's blocks drawn."""
    long = list(chat.query(LongAnswer))
    return len(chat.query(".answer")) + len(chat.query(".user-message")) >= count and all(
        whole(view) for view in long
    )


async def open_stored(root: Path, db: Path, title: str, at_once: bool) -> dict[str, float]:
    """One switch into a stored conversation: ms to its newest text drawn, and to all of it;
    ``at_once`` draws it all with the switch (the baseline)."""
    wanted, at_once_chars = LongAnswer.wanted, chat_pane.AT_ONCE
    if at_once:
        LongAnswer.wanted = staticmethod(lambda text: False)  # type: ignore[method-assign]
        chat_pane.AT_ONCE = 10**9
    try:
        app = headless_app(db, root)
        async with app.run_test(size=(160, 48)):
            await settle(app)
            screen = app.screen
            found = await titled(app, root)
            await screen.open_conversation(found["short"])
            await settle(app)
            tuned(app)
            await drawn(app)
            start = time.perf_counter()
            typed_now()
            await screen.open_conversation(found[title])
            await drawn(app)
            shown = time.perf_counter() - start
            chat = screen.query_one(ChatPane)
            count = 20 if title == "stored page" else 2
            while not whole_page(chat, count):
                await asyncio.sleep(0.001)
            await drawn(app)
            done = time.perf_counter() - start
        return {"shown": shown, "whole": done}
    finally:
        LongAnswer.wanted, chat_pane.AT_ONCE = wanted, at_once_chars  # type: ignore[method-assign]


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
        *await stored_rows(root, db, "stored long", "a stored 120 KB answer"),
        *await stored_rows(root, db, "stored page", "a page of 20 stored 6 KB messages"),
        [
            "  switch from one short conversation to another (ms, the floor)",
            f"{ms(ours, 'floor'):.0f}",
            "",
            "",
            "",
        ],
    ]


async def stored_rows(root: Path, db: Path, title: str, what: str) -> list[list[str]]:
    ours = [await open_stored(root, db, title, at_once=False) for _ in range(RUNS)]
    before = [await open_stored(root, db, title, at_once=True) for _ in range(RUNS)]
    shown = median_ms([r["shown"] for r in ours])
    base = median_ms([r["shown"] for r in before])
    return [
        [
            f"switch into {what}: key to its newest text drawn (ms)",
            f"{shown:.0f}",
            f"{base:.0f} (all at once)",
            f"{shown / base:.2f}x",
            "<= 100 ms",
        ],
        [
            "  ... to all of it drawn (ms)",
            f"{median_ms([r['whole'] for r in ours]):.0f}",
            f"{median_ms([r['whole'] for r in before]):.0f}",
            "",
            "",
        ],
    ]


def main() -> None:
    print_measured("Switching into a streaming answer (headless app 160x48)", switching_rows)


if __name__ == "__main__":
    main()
