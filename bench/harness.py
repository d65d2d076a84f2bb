"""What every benchmark script shares: the app as a launch makes it, waits that cost nothing
measurable, the event-loop probe, the sample Markdown, timing medians and the one table.

Scripts import only from here (and from ``bench.history``, the generated history data), never
from each other, so each script runs alone with ``python -m bench.NAME`` and bench/run only
gathers their rows.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.worker import WorkerCancelled

from tui.app import AssistantApp, tune_garbage_collector
from tui.config import Settings
from tui.frames import after_refresh
from tui.models import Conversation, Role
from tui.screens.in_flight import Turn
from tui.storage import Store
from tui.widgets import prerendered
from tui.widgets.chat_pane import LiveText

HEADER = ["figure", "ours", "baseline", "ratio", "target"]  # the columns of bench/run's table
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"  # bench/run's part of performance.md
MARKDOWN_BLOCK = """## Section

Some text with **bold**, `code` and a [link](https://example.com). More words to wrap the line
so that it needs layout across the width of the pane in the terminal.

- a list item
- another item with `inline code`

```python
def example(value: int) -> int:
    return value * 2
```

| column | value |
|---|---|
| a | 1 |

"""


# -- the app -------------------------------------------------------------------------------


def headless_app(db: Path | None = None, project: Path | None = None) -> AssistantApp:
    """An app as a launch makes it, in this process.

    The previous run's app is garbage by now; it is collected first, as a launched app never
    carries another's. Left for later, the app's own collection a second after its first screen
    found the stock Markdown run's 400,000 objects and held the loop for 1.2 s mid-stream.
    Nor does it find the renderings an earlier app in this process kept (tui.widgets.prerendered).
    """
    prerendered.forget()
    gc.collect()
    root = Path(tempfile.mkdtemp())
    settings = Settings.build(project=project or root, db=str(db or root / "h.db"), model="b")
    os.environ.setdefault("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    return AssistantApp(settings)


def isolate(root: Path) -> None:
    """HOME and the CLI's folders under ``root`` and a fake key, so no run touches the user's."""
    for name in ("HOME", "CLAUDE_CONFIG_DIR", "XDG_RUNTIME_DIR"):
        (root / name).mkdir()
        os.environ[name] = str(root / name)
    os.environ["ANTHROPIC_API_KEY"] = "sk-bench"


async def titled(app: AssistantApp, project: Path) -> dict[str, Conversation]:
    """The project's conversations in the app's store, by title."""
    assert app.store is not None
    return {c.title: c for c in await app.store.conversation_list(project)}


async def stored_mid_answer(store: Store, root: Path, text: str, kept: int) -> int:
    """A conversation "streaming" whose answer is on its way: the question, and the stored
    copy of the answer's first ``kept`` characters (a copy is saved now and then, not per
    delta); the question's id, for ``streaming_turn``."""
    streaming, question = await store.conversation_create(root, "streaming")
    reply = await store.message_add(streaming.id, Role.ASSISTANT, text[:kept])
    await store.message_update_text(reply.id, text[:kept])
    return question.id


def streaming_turn(
    app: AssistantApp, conversation_id: int, text: str, question: int, delta: int = 2
) -> Turn:
    """A turn in the app's record whose answer has streamed ``text`` so far, ``delta``
    characters a fragment, with its stored copy after ``question`` (as during a real turn)."""
    live = LiveText()
    for begin in range(0, len(text), delta):
        live.add(text[begin : begin + delta])
    live.after = question
    turn = Turn("question", live, conversation_id)
    app.screen.in_flight.start(turn)  # type: ignore[attr-defined]
    return turn


async def settle(app: AssistantApp) -> None:
    """Wait for the app's workers; a pre-warm replaced by a newer one counts as done."""
    while True:
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


def tuned(app: AssistantApp) -> None:
    """Tune the garbage collector now, as the app does a second after its first screen, before
    anyone can have typed. Left to the app's timer it fell inside what is measured: a full
    collection of the whole heap, 50 ms or more, and until then collections 14 times as often."""
    app.gc_tuning.stop()
    tune_garbage_collector()


async def drawn(app: App[object]) -> None:
    """Wait until the screen has been laid out and painted once more (Pilot's own pauses wait
    tens of milliseconds for an idle app, which would swamp what is measured here)."""
    await after_refresh(app)


async def painted(app: App[object]) -> None:
    """Wait for the next frame written to the terminal, or for the screen to have nothing
    left to paint (``drawn``), whichever comes first.

    ``drawn`` alone asks through the app's own queue, which waits behind the key being
    handled: after a switch the handler's last steps run once its frame is painted, and
    the wait then ended at the frame after that one, 15-30 ms after the user saw it."""
    frame: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    _frame_waiters(app).append(frame)
    idle = asyncio.ensure_future(drawn(app))
    await asyncio.wait({frame, idle}, return_when=asyncio.FIRST_COMPLETED)
    idle.cancel()


def _frame_waiters(app: App[object]) -> list[asyncio.Future[None]]:
    """Who waits for the app's next frame; the app's ``_display`` (where Textual hands a
    painted frame to the driver) is wrapped once to tell them."""
    waiters: list[asyncio.Future[None]] | None = getattr(app, "_bench_frame_waiters", None)
    if waiters is None:
        waiters = []
        display = app._display

        def shown(*args: Any) -> None:
            display(*args)
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)
            waiters.clear()

        app._display = shown  # type: ignore[method-assign]
        app._bench_frame_waiters = waiters  # type: ignore[attr-defined]
    return waiters


async def key(
    app: App[object], name: str, changed: Callable[[], bool], character: str | None = None
) -> float:
    """Seconds from a key arriving as a terminal sends it to the frame showing its effect
    (``character``: what the key types, for keys typed into a text box)."""
    start = time.perf_counter()
    app._driver.send_message(events.Key(name, character))  # type: ignore[union-attr]
    while not changed():
        await asyncio.sleep(0)
    await painted(app)
    return time.perf_counter() - start


class Probe:
    """How long the event loop was held: a task sleeps 5 ms at a time and notes how late it
    woke. While the loop is held nothing is drawn, so the longest lateness is the longest frame
    gap."""

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
        """The 99th percentile of the lateness, in milliseconds."""
        ordered = sorted(self.lags) or [0.0]
        return ordered[int(0.99 * (len(ordered) - 1))] * 1000


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of one process, in MB (0 when it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# -- figures and the table -----------------------------------------------------------------


def median_ms(samples: Sequence[float]) -> float:
    """Median of samples given in seconds, in milliseconds."""
    return statistics.median(samples) * 1000


def p99_ms(samples: Sequence[float]) -> float:
    """99th percentile of samples given in seconds, in milliseconds."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print rows under a header, columns padded to their widest cell."""
    cells = [list(map(str, header))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(f"\n{title}")
    for n, row in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def print_measured(
    title: str, measure: Callable[[Path], Coroutine[Any, Any, Sequence[Sequence[object]]]]
) -> None:
    """Run one benchmark's rows in a fresh temporary folder and print them as its table."""
    with tempfile.TemporaryDirectory() as tmp:
        rows = asyncio.run(measure(Path(tmp)))
    print_table(title, HEADER, rows)


def markdown_table(caption: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """The table as Markdown under a one-line caption (a cell's ``|`` escaped)."""

    def line(cells: Sequence[object]) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    lines = [caption, "", line(header), "|" + "---|" * len(header), *map(line, rows)]
    return "\n".join(lines)


def write_between_markers(path: Path, text: str) -> bool:
    """Put ``text`` between the bench markers of ``path``, replacing what was there.

    The rest of the file is the docs' own prose and is kept byte for byte. When the file or a
    marker is missing nothing is written and one line on stderr says so (the table is printed
    anyway); returns whether the file was written.
    """
    try:
        content = path.read_text(encoding="utf-8")
    except OSError as error:
        print(f"bench: {path} not updated: {error.strerror or error}.", file=sys.stderr)
        return False
    start, end = content.find(BEGIN), content.find(END)
    if start < 0 or end < start:
        print(f"bench: {path} not updated: it has no {BEGIN} ... {END} markers.", file=sys.stderr)
        return False
    head, tail = content[: start + len(BEGIN)], content[end:]
    path.write_text(f"{head}\n{text}\n\n{tail}", encoding="utf-8")
    return True
