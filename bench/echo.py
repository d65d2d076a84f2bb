"""Keys and streamed text as a terminal shows them (tmux), while a 120 KB answer streams.

Run: python -m bench.echo   (about two minutes; prints a table, part of bench/run)

The installed app runs in a tmux of 160x48 against the scripted model server, which runs in
this process on a thread of its own (as a remote API would: nothing here delays what it sends).
Asked a question, the server streams a 120 KB Markdown answer in 2-character deltas at 2,000
characters a second through the real CLI and SDK. Meanwhile a letter or a backspace is typed
every 100-200 ms, and the screen is read every 4 ms (``capture-pane``) for two things:

- each key's echo: from ``send-keys`` returning to the prompt showing the text it makes;
- each mark in the answer (a word ``mkNNNNq`` in every section): from the server sending its
  last character to the word on screen.

The baselines are the same keys in the same app once nothing streams, and in a bare Textual app
holding one TextArea. Reading the screen takes tmux a few milliseconds of the same two cores;
every figure here includes that, as anything that watches a terminal from outside does.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import shlex
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from bench.harness import MARKDOWN_BLOCK, print_measured
from tui.demo import model_server
from tui.demo.model_server import ModelServer, Turn

SIZE = 120_000
DELTA = 2
RATE = 2_000  # characters a second
POLL_S = 0.004
GAP_S = (0.1, 0.2)  # between keys, drawn at random: a typist, not a metronome
IDLE_KEYS = 72  # three rounds of WORD typed and taken back
WORD = "nextquestion"  # typed, then taken back by as many backspaces
QUESTION = "stream please"
MARK = re.compile(r"mk\d{4}q")


def marked_answer(size: int = SIZE) -> tuple[str, dict[str, int]]:
    """The answer, and the offset just past each mark in it."""
    blocks, length, n = [], 0, 0
    while length < size:
        block = MARKDOWN_BLOCK.replace("Some text", f"Some mk{n:04d}q text", 1)
        blocks.append(block)
        length += len(block)
        n += 1
    text = "".join(blocks)[:size]
    return text, {m.group(): m.end() for m in MARK.finditer(text)}


class Served:
    """The scripted model server on a thread with its own event loop, and when each text delta
    left it (the clock is ``time.perf_counter``, which every thread and process here shares)."""

    def __init__(self, turns: list[Turn]) -> None:
        self.turns = turns
        self.url = ""
        self.sent: dict[int, list[tuple[float, int]]] = {}  # per response: (time, characters)
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)

    async def _serve(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        original = model_server._event

        async def event(writer: asyncio.StreamWriter, name: str, data: dict[str, Any]) -> None:
            await original(writer, name, data)
            delta = data.get("delta", {}) if name == "content_block_delta" else {}
            if delta.get("type") == "text_delta":
                log = self.sent.setdefault(id(writer), [])
                log.append((time.perf_counter(), (log[-1][1] if log else 0) + len(delta["text"])))

        model_server._event = event  # type: ignore[assignment]
        async with ModelServer(self.turns) as server:
            self.url = server.url
            self._ready.set()
            await self._stop.wait()

    def __enter__(self) -> Served:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the scripted model server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def sent_at(self, offset: int) -> float | None:
        """When the longest response had sent its first ``offset`` characters."""
        log = max(self.sent.values(), key=len, default=[])
        return next((at for at, count in log if count >= offset), None)


class Terminal:
    """A tmux server of its own with one 160x48 window running ``command``."""

    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.socket = f"echo-{os.getpid()}-{time.monotonic_ns()}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if k.isidentifier())
        line = f"env -u COLUMNS -u LINES {exports} {command}"
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "160", "-y", "48", line)

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True)
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "b")

    def send(self, key: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "b", *(["-l"] if literal else []), key)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.tmux("kill-server")


class Watch:
    """Reads the screen every 4 ms, noting when each mark first shows."""

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self.seen: dict[str, float] = {}

    def until(self, done: Callable[[str], bool], deadline: float = 30) -> str:
        end = time.perf_counter() + deadline
        while True:
            began = time.perf_counter()
            screen = self.terminal.screen()
            now = time.perf_counter()
            for mark in MARK.findall(screen):
                self.seen.setdefault(mark, now)
            if done(screen):
                return screen
            if now > end:
                raise RuntimeError(f"the screen never showed what was waited for:\n{screen}")
            time.sleep(max(0.0, began + POLL_S - time.perf_counter()))

    def shows(self, text: str) -> str:
        return self.until(lambda screen: text in screen, deadline=60)


def echoed(screen: str, prompt: str) -> bool:
    """Whether a line shows ``prompt`` as the whole text typed so far."""
    return re.search(re.escape(prompt) + r"(?![A-Za-z])", screen) is not None


def type_keys(
    watch: Watch, prefix: str, keys: int | None, going: Callable[[], bool]
) -> list[float]:
    """Type WORD and take it back, key by key, timing each echo: ``keys`` keys, or while
    ``going`` says the stream goes on (then to the end of the word's round, whose keys after
    the stream ended are not counted), so the prompt holds ``prefix`` again at the end."""
    typed, times, n = "", [], 0
    while (n < keys) if keys is not None else (going() or typed):
        counted = keys is not None or going()
        if n % (2 * len(WORD)) < len(WORD):
            letter = WORD[len(typed)]
            watch.terminal.send(letter, literal=True)
            typed += letter
        else:
            watch.terminal.send("BSpace")
            typed = typed[:-1]
        sent = time.perf_counter()
        watch.until(lambda screen, shown=prefix + typed: echoed(screen, shown))
        if counted:
            times.append(time.perf_counter() - sent)
        n += 1
        pause = time.perf_counter() + random.uniform(*GAP_S)
        watch.until(lambda screen, pause=pause: time.perf_counter() >= pause)
    return times


def isolated_env(root: Path) -> dict[str, str]:
    """A home of its own for the CLI, a fake key, and no terminal size pinned."""
    home = root / "home"
    (home / ".claude").mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "HOME": str(home),
        "CLAUDE_CONFIG_DIR": str(home / ".claude"),
        "ANTHROPIC_API_KEY": "sk-ant-bench-0000-FAKEKEY",
        "TERM": "xterm-256color",
    }


def app_run(root: Path) -> dict[str, list[float]]:
    """The app in tmux: keys while the answer streams, the marks' delays, then keys idle."""
    project = root / "project"
    project.mkdir(exist_ok=True)
    (project / "app.py").write_text("def main():\n    return 42\n")
    text, marks = marked_answer()
    turns = [
        Turn(match=QUESTION, text=text, chunk=DELTA, pace=DELTA / RATE, steady=True),
        Turn(text="ok"),
    ]
    command = shlex.join([str(Path(sys.executable).parent / "assistant-tui"), str(project)])
    with Served(turns) as served:
        env = isolated_env(root) | {
            "ANTHROPIC_BASE_URL": served.url,
            "ASSISTANT_TUI_DB": str(root / "echo.db"),
        }
        with Terminal(f"{command} --model scripted", env) as terminal:
            watch = Watch(terminal)
            watch.shows("ready")
            terminal.send(QUESTION, literal=True)
            terminal.send("Enter")
            watch.shows("mk0000q")
            terminal.send("q", literal=True)
            watch.until(lambda screen: echoed(screen, "▊ q"))
            last = max(marks, key=marks.__getitem__)
            streaming = type_keys(watch, "▊ q", None, lambda: last not in watch.seen)
            settled = time.perf_counter() + 3  # the answer's end stored and drawn whole
            watch.until(lambda screen: time.perf_counter() >= settled)
            idle = type_keys(watch, "▊ q", IDLE_KEYS, lambda: True)
    delays = []
    for mark, at in watch.seen.items():
        sent = served.sent_at(marks[mark])
        if sent is not None:
            delays.append(at - sent)
    log = max(served.sent.values(), key=len)
    rate = log[-1][1] / (log[-1][0] - log[0][0])
    return {"streaming": streaming, "idle": idle, "delays": delays, "rate": [rate]}


def bare_run(root: Path) -> list[float]:
    """The same keys in a bare Textual app holding one TextArea."""
    script = Path(__file__).with_name("bare_prompt.py")
    command = shlex.join([sys.executable, str(script)])
    with Terminal(command, isolated_env(root)) as terminal:
        watch = Watch(terminal)
        watch.shows("bare-ready")
        terminal.send("q", literal=True)
        watch.until(lambda screen: echoed(screen, "»q"))
        return type_keys(watch, "»q", IDLE_KEYS, lambda: True)


def spread(samples: list[float]) -> str:
    """Median; p90; max, in milliseconds."""
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered) * 1000:.0f}; {p90 * 1000:.0f}; {ordered[-1] * 1000:.0f}"


async def echo_rows(root: Path) -> list[list[str]]:
    found = await asyncio.to_thread(app_run, root)
    bare = await asyncio.to_thread(bare_run, root)
    ratio = statistics.median(found["streaming"]) / statistics.median(bare)
    return [
        [
            "tmux: key to echo while 120 KB streams in 2-char deltas "
            f"(ms: median; p90; max of {len(found['streaming'])})",
            spread(found["streaming"]),
            f"{spread(bare)} (bare TextArea); idle {spread(found['idle'])}",
            f"{ratio:.2f}x",
            "p90 <= 33, max <= 66",
        ],
        [
            "tmux: newest text on screen after the server sent it "
            f"(ms: median; p90; max of {len(found['delays'])} marks; "
            f"{found['rate'][0]:,.0f} chars/s)",
            spread(found["delays"]),
            "",
            "",
            "median <= 120",
        ],
    ]


def main() -> None:
    print_measured("Keys and streamed text in tmux", echo_rows)


if __name__ == "__main__":
    main()
