"""Enter to the first character of the answer painted, in the real app, with its breakdown.

Run: python -m bench.latency   (prints a table; part of bench/run)

The app runs headless with its scripted model inside (as --demo does), so the session is warm.
Timestamps are taken where each step ends: the question stored, the request reaching the model
server (SDK and CLI on the way out), the first text event reaching the screen (CLI and SDK on
the way back), and the next painted frame.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

from textual import events

from bench.harness import drawn, print_measured, settle
from tui.app import AssistantApp
from tui.config import Settings
from tui.demo.model_server import ModelServer, Turn
from tui.storage import Store
from tui.widgets.chat_pane import ChatPane
from tui.widgets.prompt_input import PromptInput

RUNS = 7
STEPS = (
    "input -> stored",
    "stored -> server (SDK, CLI)",
    "server -> app (CLI, SDK)",
    "app -> painted",
)


class Marks:
    """When each step of the current question ended."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}

    def mark(self, name: str) -> None:
        self.at.setdefault(name, time.perf_counter())


def instrument(marks: Marks) -> None:
    """Wrap the places where each step ends (the bench's own process only)."""
    stored, chosen = Store.message_add, ModelServer.choose
    create = Store.conversation_create

    async def message_add(self: Store, *args: Any, **kwargs: Any) -> Any:
        found = await stored(self, *args, **kwargs)
        marks.mark("stored")
        return found

    async def conversation_create(self: Store, *args: Any, **kwargs: Any) -> Any:
        found = await create(self, *args, **kwargs)
        marks.mark("stored")
        return found

    def choose(self: ModelServer, body: dict[str, Any]) -> Turn:
        marks.mark("server")
        return chosen(self, body)

    Store.message_add = message_add  # type: ignore[method-assign]
    Store.conversation_create = conversation_create  # type: ignore[method-assign]
    ModelServer.choose = choose  # type: ignore[method-assign]


async def one_question(app: AssistantApp, marks: Marks, text: str) -> dict[str, float]:
    prompt = app.screen.query_one(PromptInput)
    prompt.focus()
    prompt.load_text(text)
    await drawn(app)
    chat = app.screen.query_one(ChatPane)
    marks.at = {}
    start = time.perf_counter()
    app._driver.send_message(events.Key("enter", None))  # type: ignore[union-attr]
    while chat.answer is None or not chat.answer.text:
        lives = [turn.live for turn in app.screen.in_flight.turns]
        if "server" in marks.at and any(live.fragments for live in lives):
            marks.mark("app")
        await asyncio.sleep(0)
    marks.mark("app")
    await drawn(app)
    painted = time.perf_counter()
    await settle(app)
    ends = [marks.at["stored"], marks.at["server"], marks.at["app"], painted]
    begins = [start, *ends[:-1]]
    result = {step: (end - begin) for step, begin, end in zip(STEPS, begins, ends, strict=True)}
    result["total"] = painted - start
    return result


async def measure(root: Path) -> dict[str, float]:
    marks = Marks()
    instrument(marks)
    settings = Settings.build(project=root, db=str(root / "h.db"), model="bench")
    app = AssistantApp(settings, script=[Turn(text="Hello there, this is the answer.")])
    runs: list[dict[str, float]] = []
    async with app.run_test(size=(160, 48)):
        await settle(app)
        await one_question(app, marks, "warm up")  # the conversation and its session exist now
        for i in range(RUNS):
            runs.append(await one_question(app, marks, f"question {i}"))
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


async def latency_rows(root: Path) -> list[list[str]]:
    found = await measure(root)
    parts = " / ".join(f"{found[step] * 1000:.0f}" for step in STEPS)
    return [
        [
            f"warm session: Enter to first character painted, median of {RUNS} (ms)",
            f"{found['total'] * 1000:.0f}",
            "",
            "",
            "< 150",
        ],
        ["  " + " / ".join(STEPS) + " (ms)", parts, "", "", ""],
    ]


def main() -> None:
    print_measured("Latency in the app", latency_rows)


if __name__ == "__main__":
    main()
