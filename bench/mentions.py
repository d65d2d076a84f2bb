"""The @ file picker on a project of 100,000 files: per key, the list built, the freshness check.

Run: python -m bench.mentions [FILES]   (prints a table; part of bench/run; nothing is asserted)

A project tree is written to a temporary folder (folders of a dozen files, up to six deep,
names from a code vocabulary, a .gitignore and an ignored node_modules of its own). Queries are
typed a letter at a time in the real app, headless: each key is timed from its arrival to the
popup painted with that prefix's matches. The same prefixes are timed on the ranking alone, and
on a plain list filter (a substring test over the same folded list, no ranking) in the same run.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.harness import drawn, headless_app, isolate, key, median_ms, print_measured, settle
from tui.app import AssistantApp
from tui.mentions.rank import Listing, Recent, fold
from tui.screens.main import MainScreen
from tui.screens.mention_picker import MentionPicker, build
from tui.widgets.prompt_input import PromptInput

FILES = 100_000
QUERIES = ("mainpy", "parser_token", "tests/", "src/lib/cache", "readme", "scrwidget")
WORDS = (
    "app",
    "core",
    "util",
    "test",
    "tests",
    "src",
    "lib",
    "api",
    "model",
    "view",
    "screen",
    "widget",
    "parser",
    "lexer",
    "token",
    "stream",
    "cache",
    "pool",
    "index",
    "store",
    "query",
    "search",
    "config",
    "settings",
    "main",
    "server",
    "client",
    "handler",
    "event",
    "loop",
    "render",
    "layout",
    "style",
    "theme",
    "docs",
    "bench",
    "data",
    "io",
    "net",
    "http",
    "json",
    "yaml",
    "file",
    "path",
    "tree",
    "node",
)
EXTENSIONS = (".py", ".md", ".ts", ".json", ".c", ".h", ".rs", ".go")
KEYS = {"/": "slash", "_": "underscore", ".": "full_stop"}


def make_project(root: Path, files: int) -> Path:
    """A tree of ``files`` empty files, the same each run (a fixed seed)."""
    pick = random.Random(18)
    project = root / "project"
    made = 0
    while made < files:
        depth = pick.randint(0, 5)
        folder = project.joinpath(*(pick.choice(WORDS) for _ in range(depth)))
        folder.mkdir(parents=True, exist_ok=True)
        for _ in range(pick.randint(4, 16)):
            name = "_".join(pick.sample(WORDS, pick.randint(1, 3))) + pick.choice(EXTENSIONS)
            path = folder / name
            if not path.exists():
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))
                made += 1
    (project / ".gitignore").write_text("node_modules/\n*.log\n/build/\n")
    modules = project / "node_modules" / "left-pad"
    modules.mkdir(parents=True)
    for n in range(2000):
        os.close(os.open(modules / f"m{n}.js", os.O_CREAT | os.O_WRONLY, 0o644))
    return project


def ranking(listing: Listing, folded: list[str]) -> tuple[list[float], list[float]]:
    """Seconds per prefix: the ranking alone, and the plain substring filter."""
    ours: list[float] = []
    plain: list[float] = []
    recent = Recent(listing.full[:: max(1, len(listing) // 50)])
    for query in QUERIES:
        for n in range(1, len(query) + 1):
            wanted = query[:n]
            start = time.perf_counter()
            listing.search(wanted, recent)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            needle = fold(wanted)
            _ = [path for path in folded if needle in path]
            plain.append(time.perf_counter() - start)
    return ours, plain


IDLE_S = 5.0  # how long the idle app's CPU is measured
# A fast typist's gap between keys (150 words a minute). Keys sent back to back measure the
# frame clock as much as the work: Textual paints at most once per 1/60 s, so a key that
# arrives just after a paint waits for the next tick even when its work took 1 ms. At a
# typist's pace the screen is idle when a key comes and paints as soon as its work is done.
PACE_S = 0.08


@dataclass
class InApp:
    """What the real app showed: seconds per key with and without the picker (back to back,
    and at a typist's pace), from the first @ to the list painted, and the idle CPU share
    before the list was made and after."""

    keys: list[float]
    typing: list[float]
    paced: list[float]
    typing_paced: list[float]
    first: float
    idle_before: float
    idle_after: float


async def idle_share(app: AssistantApp) -> float:
    """The process's CPU time over IDLE_S seconds of an untouched app, as a share of one core
    (the prompt's blinking cursor included: it is the same before and after)."""
    await settle(app)
    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.sleep(IDLE_S)
    return (time.process_time() - cpu) / (time.perf_counter() - started)


class Typist:
    """Sends keys back to back (``pace`` 0) or each ``pace`` seconds after the one before."""

    def __init__(self, app: AssistantApp, pace: float) -> None:
        self.app, self.pace = app, pace
        self._last = 0.0

    async def key(self, name: str, changed: Callable[[], bool], character: str) -> float:
        wait = self._last + self.pace - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last = time.perf_counter()
        return await key(self.app, name, changed, character)


async def in_app(project: Path) -> InApp:
    """Seconds from each key to its matches painted; the same letters typed without an @ (the
    prompt's own cost per key); from the first @ to the list shown; idle CPU around them."""
    app = headless_app(project=project)
    async with app.run_test(size=(160, 48)):
        await settle(app)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        before = await idle_share(app)
        prompt = screen.query_one(PromptInput)
        plain = await typed_plain(Typist(app, 0.0), prompt)
        plain_paced = await typed_plain(Typist(app, PACE_S), prompt)
        picker = screen.mentions
        started = time.perf_counter()
        await key(app, "at", lambda: picker.word is not None, "@")
        while picker.listing is None:
            await asyncio.sleep(0.001)  # the walk runs in a thread: let it have the GIL
        await drawn(app)
        first = time.perf_counter() - started
        samples = await typed_queries(Typist(app, 0.0), picker)
        paced = await typed_queries(Typist(app, PACE_S), picker)
        await key(app, "backspace", lambda: picker.word is None, "\x08")
        after = await idle_share(app)
    return InApp(samples, plain, paced, plain_paced, first, before, after)


async def typed_queries(typist: Typist, picker: MentionPicker) -> list[float]:
    """Seconds per key for each query typed after the @ and erased again (the erasing is
    not counted)."""
    samples = []
    for query in QUERIES:
        for n, char in enumerate(query, start=1):
            shown = lambda w=query[:n]: _shown(picker, w)  # noqa: E731
            samples.append(await typist.key(KEYS.get(char, char), shown, char))
        for n in range(len(query) - 1, -1, -1):
            await key(typist.app, "backspace", lambda n=n, q=query: _shown(picker, q[:n]), "\x08")
        await settle(typist.app)
    return samples


async def typed_plain(typist: Typist, prompt: PromptInput) -> list[float]:
    """Seconds per key for the queries' letters typed as plain text, then the prompt cleared."""
    samples = []
    for query in QUERIES:
        for char in query:
            length = len(prompt.text)
            grown = lambda n=length: len(prompt.text) > n  # noqa: E731
            samples.append(await typist.key(KEYS.get(char, char), grown, char))
        await typist.key("space", lambda: prompt.text.endswith(" "), " ")
    prompt.clear()
    await settle(typist.app)
    return samples


def _shown(picker: object, wanted: str) -> bool:
    word = getattr(picker, "word", None)
    return word is not None and word.query == wanted


def p90(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[round(0.9 * (len(ordered) - 1))] * 1000


def figure(samples: list[float]) -> str:
    return f"{median_ms(samples):.1f}; {p90(samples):.1f}; {max(samples) * 1000:.0f}"


async def mention_rows(root: Path, files: int = FILES) -> list[list[str]]:
    root.mkdir(parents=True, exist_ok=True)
    isolate(root)
    started = time.perf_counter()
    project = make_project(root, files)
    written = time.perf_counter() - started
    walks = []
    for _ in range(3):
        started = time.perf_counter()
        found, listing = build(project, False)
        walks.append(time.perf_counter() - started)
    checks = []
    for _ in range(5):
        started = time.perf_counter()
        found.stale()
        checks.append(time.perf_counter() - started)
    ours, plain = ranking(listing, [fold(path) for path in found.paths])
    measured = await in_app(project)
    app_keys, typing, first = measured.keys, measured.typing, measured.first
    n = len(found.paths)
    ratio = statistics.median(ours) / statistics.median(plain)
    return [
        [
            f"@ picker, {n:,} paths: key to matches painted (ms: median; p90; max of "
            f"{len(app_keys)} keys)",
            figure(app_keys),
            f"{figure(typing)} (typing, no @)",
            f"{statistics.median(app_keys) / statistics.median(typing):.2f}x",
            "< 30",
        ],
        [
            f"  the same keys at a typist's pace (one each {PACE_S * 1000:.0f} ms)",
            figure(measured.paced),
            f"{figure(measured.typing_paced)} (typing, no @)",
            f"{statistics.median(measured.paced) / statistics.median(measured.typing_paced):.2f}x",
            "< 30",
        ],
        [
            "  the ranking alone, same prefixes (ms: median; p90; max)",
            figure(ours),
            f"{figure(plain)} (substring filter)",
            f"{ratio:.2f}x",
            "< 30",
        ],
        [
            f"  file list built in a thread: walk + listing (s, median of {len(walks)})",
            f"{statistics.median(walks):.2f}",
            "",
            "",
            "off the UI loop",
        ],
        ["  first @ to the list painted (s)", f"{first:.2f}", "", "", ""],
        [
            f"  freshness check when the picker opens ({len(found.stamps):,} stats, ms)",
            f"{median_ms(checks):.0f}",
            "",
            "",
            "idle CPU: none",
        ],
        [
            f"  idle CPU of the app, {IDLE_S:.0f} s untouched: after the list, before any @ (%)",
            f"{measured.idle_after * 100:.1f}",
            f"{measured.idle_before * 100:.1f}",
            "",
            "< 1 more",
        ],
        ["  project tree written (s)", f"{written:.0f}", "", "", ""],
    ]


def main() -> None:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else FILES  # a smaller try: 10000
    print_measured("The @ file picker", lambda root: mention_rows(root, files))


if __name__ == "__main__":
    main()
