"""What the boundary's checks cost: the hardlink walk, the Read check, redaction, a Grep turn.

Run: python -m bench.boundary   (prints a table; the turn rows use the real SDK, CLI and MCP)

"before" is the same session without what the security issue added (no deny-rule settings
file, no PostToolUse redaction, no per-file Read checks), measured in the same run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.harness import isolate, median_ms, print_measured
from boundary.links import scan
from boundary.secrets import redact
from tui.agent import manager as manager_module
from tui.agent.events import TurnStarted
from tui.agent.guard import Guard
from tui.agent.manager import SessionManager
from tui.agent.session import AgentSession
from tui.config import Settings
from tui.demo.model_server import ModelServer, ToolCall, Turn
from tui.storage import Store

REPO = Path(__file__).resolve().parents[1]
RUNS = 7
MARK = "GREP" + "-TURN-"  # never spelled whole in the repository, so only the question matches


def timed(fn: Any, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return median_ms(samples)


def copy_repository(target: Path) -> Path:
    """The tracked files of this repository: the project a Grep turn searches."""
    files = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target / name)
    return target


def big_tree(root: Path, count: int) -> Path:
    for i in range(count):
        folder = root / f"d{i // 1000:03d}" / f"e{i // 100 % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i}.py").write_bytes(b"x = 1\n")
    return root


def bare_walk(root: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(root))


class PathOnlyGuard(Guard):
    """The guard as it was before: path and name checks, no look at the file itself."""

    def _check_file(self, raw: str, target: Path) -> str | None:
        return None


class BeforeSession(AgentSession):
    """The session as it was before: static deny rules only, no redaction hook."""

    def options(self) -> Any:
        options = super().options()
        options.settings = None
        options.hooks.pop("PostToolUse", None)
        return options


async def grep_turns(project: Path, root: Path, before: bool) -> float:
    settings = Settings.build(project=project, db=str(root / f"h{before}.db"), model="bench")
    settings.state_dir = root / f"state{before}"
    store = await Store.open(settings.db)
    manager = SessionManager(settings, store)
    manager_module.AgentSession = BeforeSession if before else AgentSession  # type: ignore[misc]
    samples = []
    conversation = None
    try:
        for _ in range(RUNS + 1):
            start = time.perf_counter()
            async for event in manager.run(f"{MARK} search", conversation):
                if isinstance(event, TurnStarted):
                    conversation = await store.conversation_get(event.conversation_id)
            samples.append(time.perf_counter() - start)
    finally:
        await manager.close_all()
        await store.close()
        manager_module.AgentSession = AgentSession  # type: ignore[misc]
    return median_ms(samples[1:])  # the first turn also starts the CLI


async def measure(root: Path) -> list[list[object]]:
    isolate(root)
    (root / "project").mkdir()
    project = copy_repository((root / "project").resolve())
    tree = big_tree(root / "tree", 100_000)
    entries = scan(project).entries
    rows: list[list[object]] = [
        [
            f"hardlink walk, this repository ({entries} entries; ms)",
            f"{timed(lambda: scan(project)):.1f}",
            f"{timed(lambda: bare_walk(project)):.1f} (os.walk)",
            "",
            "",
        ],
        [
            "hardlink walk, 100,000 files (ms)",
            f"{timed(lambda: scan(tree), 3):.0f}",
            f"{timed(lambda: bare_walk(tree), 3):.0f} (os.walk)",
            "",
            "",
        ],
    ]
    guard, path_only_guard = Guard(project), PathOnlyGuard(project)
    target = {"file_path": "README.md"}
    checked = timed(lambda: [guard.decide("Read", target) for _ in range(100)]) * 10
    path_only = timed(lambda: [path_only_guard.decide("Read", target) for _ in range(100)]) * 10
    rows.append(
        [
            "Read decision, README.md, 36 KB (µs)",
            f"{checked:.0f}",
            f"{path_only:.0f} (before: paths only)",
            f"{checked / path_only:.1f}x",
            "",
        ]
    )
    text = (REPO / "README.md").read_text()[:100_000]
    rows.append(["redact a 100 KB result (ms)", f"{timed(lambda: redact(text)):.2f}", "", "", ""])
    async with ModelServer(
        [Turn(match=MARK, tools=[ToolCall("Grep", {"pattern": "def ", "output_mode": "content"})])]
    ) as server:
        os.environ["ANTHROPIC_BASE_URL"] = server.url
        before = await grep_turns(project, root, before=True)
        after = await grep_turns(project, root, before=False)
    rows.append(
        [
            "turn with a recursive Grep of this repository (ms)",
            f"{after:.0f}",
            f"{before:.0f} (before)",
            f"{after / before:.2f}x",
            "",
        ]
    )
    return rows


def main() -> None:
    print_measured("The boundary's cost (this machine)", measure)


if __name__ == "__main__":
    main()
