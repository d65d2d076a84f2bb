"""How long the event loop was held: a task that sleeps 5 ms at a time and notes how late it woke.

While the loop is held nothing is drawn, so the longest lateness is the longest frame gap.
"""

from __future__ import annotations

import asyncio
import time


class Probe:
    """Records how late the event loop wakes a task that sleeps 5 ms at a time."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            asked = time.perf_counter()
            await asyncio.sleep(0.005)
            self.lags.append(time.perf_counter() - asked - 0.005)

    def __enter__(self) -> Probe:
        self._task = asyncio.create_task(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()

    def p99_ms(self) -> float:
        ordered = sorted(self.lags) or [0.0]
        return ordered[int(0.99 * (len(ordered) - 1))] * 1000
