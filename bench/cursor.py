"""Benchmark the block cursor and branching: drawing an answer part by part, a cursor move from
key to screen, and the store's copy of a long conversation into a branch.

Run: python -m bench.cursor   (prints a table; nothing is asserted).
"""

from __future__ import annotations

import io
import statistics
import time
from pathlib import Path

from rich.console import Console, RenderableType
from rich.segment import Segment
from textual.strip import Strip

from bench.harness import (
    MARKDOWN_BLOCK,
    drawn,
    headless_app,
    key,
    median_ms,
    print_measured,
    settle,
)
from tui.models import Role
from tui.storage import Store
from tui.widgets.chat_pane import ChatPane
from tui.widgets.conversation_list import ConversationList
from tui.widgets.markdown_block import code_markdown, tagged_lines

RUNS = 15
ANSWER = MARKDOWN_BLOCK * 10  # ~3.5 KB with ten code blocks, a table and lists each section


def lines_of(renderable: RenderableType, width: int = 100) -> list[Strip]:
    """Render the way Prerendered does, to lines."""
    console = Console(width=width, file=io.StringIO(), force_terminal=True)
    options = console.options.update(width=width, height=None)
    rendered = Segment.split_and_crop_lines(
        console.render(renderable, options), width, include_new_lines=False, pad=False
    )
    return [Strip(line) for line in rendered]


def render_rows() -> list[list[str]]:
    """An answer drawn with its code blocks tagged and found, against Rich's plain Markdown."""
    from rich.markdown import Markdown

    tagged = code_markdown()
    assert tagged_lines(lines_of(tagged(ANSWER)))[0] == lines_of(Markdown(ANSWER))
    ours, plain = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        tagged_lines(lines_of(tagged(ANSWER)))
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        lines_of(Markdown(ANSWER))
        plain.append(time.perf_counter() - start)
    a, b = median_ms(ours), median_ms(plain)
    return [
        [
            "draw a 3.5 KB answer with 10 code blocks, code lines found (ms)",
            f"{a:.1f}",
            f"{b:.1f} (Rich Markdown)",
            f"{a / b:.2f}x",
            "<= 1.2x",
        ]
    ]


async def conversation(db: Path, project: Path, size: int) -> int:
    store = await Store.open(db)
    conv, _first = await store.conversation_create(project, "question 0")
    for i in range(1, size):
        role = Role.ASSISTANT if i % 2 else Role.USER
        message = await store.message_add(conv.id, role, ANSWER[:700] if i % 2 else f"q {i}")
        if role is Role.ASSISTANT:  # one tool call per answer, copied along with it
            await store.tool_event_upsert(
                conv.id, f"t{i}", "Read", {"file_path": "app.py"}, message_id=message.id
            )
    await store.close()
    return conv.id


async def key_rows(root: Path) -> list[list[str]]:
    """Cursor down, key to screen, in a 200-message conversation; the sidebar's row down in the
    same app is the baseline (both are one highlight moving one step)."""
    db = root / "cursor.db"
    conv_id = await conversation(db, root, 200)
    app = headless_app(db, root)
    async with app.run_test(size=(160, 48)):
        await settle(app)
        await app.screen.open_conversation(await app.store.conversation_get(conv_id))  # type: ignore[union-attr]
        await settle(app)
        chat = app.screen.query_one(ChatPane)
        chat.focus()
        await drawn(app)
        chat.action_cursor_edge(0)
        await settle(app)
        moves = []
        for _ in range(30):
            before = chat.current()
            moves.append(
                await key(app, "down", lambda before=before: not before.same(chat.current()))  # type: ignore[union-attr]
            )
        sidebar = app.screen.query_one(ConversationList)
        for i in range(40):
            await app.store.conversation_create(root, f"other {i}")  # type: ignore[union-attr]
        await app.screen.reload_sidebar()
        sidebar.focus()
        sidebar.highlighted = 0
        await drawn(app)
        rows = [await key(app, "down", lambda i=i: sidebar.highlighted == i) for i in range(1, 31)]
    a, b = median_ms(moves), median_ms(rows)
    return [
        [
            "block cursor one block down, key to screen (ms, median of 30)",
            f"{a:.1f}",
            f"{b:.1f} (sidebar row down)",
            f"{a / b:.2f}x",
            "< 33 (key repeat)",
        ]
    ]


async def branch_rows(root: Path) -> list[list[str]]:
    """The store's copy of a conversation into a branch: its messages and their tool calls."""
    rows = []
    for size in (100, 1_000, 5_000):
        db = root / f"branch-{size}.db"
        conv_id = await conversation(db, root, size)
        store = await Store.open(db)
        last = (await store.message_page(conv_id, limit=1))[0].id
        samples = []
        for _ in range(5):
            start = time.perf_counter()
            await store.conversation_branch(conv_id, last)
            samples.append(time.perf_counter() - start)
        await store.close()
        rows.append(
            [
                f"branch after {size:,} messages: copy in the store (ms, median of 5)",
                f"{statistics.median(samples) * 1000:.1f}",
                "",
                "",
                "< 100" if size <= 1_000 else "",
            ]
        )
    return rows


async def main_async(root: Path) -> list[list[str]]:
    return render_rows() + await key_rows(root) + await branch_rows(root)


def main() -> None:
    print_measured("block cursor and branches", main_async)


if __name__ == "__main__":
    main()
