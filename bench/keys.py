"""Keys while a long answer streams: each key, from the terminal to its effect on screen.

Run: python -m bench.keys   (about a minute; prints a table, part of bench/run)

A headless app (160x48) holds two conversations. In one, an answer has streamed 100 KB so far
and streams on in 2-character deltas at 2,000 characters a second (a thousand events a second,
each handled as the engine's are, through the screen's turn events), to 120 KB. Meanwhile the
user types into the prompt and switches between the two conversations, as in the reliability
suite's load test. Each key is timed from its arrival, as a terminal sends it, to the frame
that shows its effect: the character in the prompt, or the other conversation with its own
draft. The baseline is the same keys in the same app with nothing streaming.
"""

from __future__ import annotations

import asyncio
import statistics
from pathlib import Path

from bench.harness import (
    MARKDOWN_BLOCK,
    headless_app,
    key,
    print_measured,
    settle,
    stored_mid_answer,
    streaming_turn,
    titled,
    tuned,
)
from bench.streaming import paced
from tui.agent.events import TextDelta
from tui.app import AssistantApp
from tui.models import Role
from tui.screens.in_flight import Turn
from tui.storage import Store
from tui.widgets.prompt_input import PromptInput

SIZE = 120_000
STREAMED = 100_000  # already streamed when the keys start
DELTA = 2
TYPED = "next question "
ROUNDS = 6  # each: the typed words, then a switch


async def conversations(root: Path) -> tuple[Path, str, int]:
    text = (MARKDOWN_BLOCK * (SIZE // len(MARKDOWN_BLOCK) + 1))[:SIZE]
    db = root / "keys.db"
    store = await Store.open(db)
    question = await stored_mid_answer(store, root, text, STREAMED // 10)
    other, _ = await store.conversation_create(root, "other")
    await store.message_add(other.id, Role.ASSISTANT, "A short answer.")
    await store.close()
    return db, text, question


async def stream(app: AssistantApp, turn: Turn, rest: str) -> None:
    """The rest of the answer, delta by delta at 2,000 characters a second (bench.streaming's
    pace), as the engine hands it."""

    async def feed(delta: str) -> None:
        await app.screen.turn_event(turn, TextDelta(text=delta))  # type: ignore[attr-defined]

    await paced(rest, feed, DELTA)


async def keys(app: AssistantApp, rounds: int) -> dict[str, list[float]]:
    """Type, then switch, ``rounds`` times: seconds from each key to its effect drawn, for
    the typed keys and for the switches."""
    screen = app.screen
    prompt = screen.query_one(PromptInput)
    took: dict[str, list[float]] = {"typed": [], "switch": []}
    for round_ in range(rounds):
        typed = prompt.text
        for char in TYPED:
            typed += char
            name = "space" if char == " " else char
            changed = lambda t=typed: prompt.text == t  # type: ignore[misc]  # noqa: E731
            took["typed"].append(await key(app, name, changed, char))
        before = screen.conversation
        name = "alt+up" if round_ % 2 == 0 else "alt+down"  # "other" is listed above

        def switched(before: object = before) -> bool:
            shown = screen.conversation
            return shown != before and screen.memory.key == screen.memory.key_of(shown)

        took["switch"].append(await key(app, name, switched))
    return took


async def measure(root: Path, streaming: bool) -> dict[str, list[float]]:
    root.mkdir(exist_ok=True)
    db, text, question = await conversations(root)
    app = headless_app(db, root)
    async with app.run_test(size=(160, 48)):
        await settle(app)
        screen = app.screen
        found = await titled(app, root)
        turn = streaming_turn(app, found["streaming"].id, text[:STREAMED], question, DELTA)
        await screen.open_conversation(found["streaming"])
        await settle(app)
        tuned(app)
        feeder = asyncio.ensure_future(stream(app, turn, text[STREAMED:])) if streaming else None
        try:
            took = await keys(app, ROUNDS)
        finally:
            if feeder is not None:
                feeder.cancel()
    return took


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def key_rows(root: Path) -> list[list[str]]:
    ours = await measure(root / "streaming", streaming=True)
    idle = await measure(root / "idle", streaming=False)

    def ms(values: list[float]) -> str:
        return (
            f"{statistics.median(values) * 1000:.0f} / {percentile(values, 0.99) * 1000:.0f}"
            f" / {max(values) * 1000:.0f}"
        )

    every = ours["typed"] + ours["switch"]
    return [
        [
            f"keys while 120 KB streams in 2-char deltas: median / p99 / max ({len(every)}, ms)",
            ms(every),
            f"{ms(idle['typed'] + idle['switch'])} (nothing streaming)",
            f"{max(every) / max(idle['typed'] + idle['switch']):.2f}x (max)",
            "max <= 100, p99 <= 50",
        ],
        ["  typed into the prompt", ms(ours["typed"]), ms(idle["typed"]), "", ""],
        ["  switching conversations", ms(ours["switch"]), ms(idle["switch"]), "", ""],
    ]


def main() -> None:
    print_measured("Keys while a long answer streams (headless app 160x48)", key_rows)


if __name__ == "__main__":
    main()
