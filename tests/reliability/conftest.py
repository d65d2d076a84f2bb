"""Fixtures for the reliability suite: the e2e and Pilot fixtures, and a figures recorder.

Each test records the figures it proves (kill points survived, attacks denied, bytes compared)
with ``figures.record``. They are printed under ``-s`` and, when RELIABILITY_REPORT names a file,
appended to it as JSON lines for ``python -m bench.reliability`` to tabulate.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Awaitable
from pathlib import Path

import pytest

from tests.e2e import conftest as e2e
from tests.tui import conftest as tui

isolated = e2e.isolated
project = e2e.project
engine_factory = e2e.engine_factory
app_factory = tui.app_factory


class Figures:
    """Where a test writes the numbers the report prints."""

    def __init__(self, test: str) -> None:
        self.test = test
        self.target = os.environ.get("RELIABILITY_REPORT")

    def record(
        self, group: str, name: str, value: float | int, of: float | int | None = None
    ) -> None:
        """One figure: ``value`` (out of ``of`` when given) under a report group."""
        row = {"test": self.test, "group": group, "name": name, "value": value, "of": of}
        print(f"\n[figure] {group} / {name}: {value}" + (f" of {of}" if of is not None else ""))
        if self.target:
            with Path(self.target).open("a", encoding="utf-8") as file:
                file.write(json.dumps(row) + "\n")


def ask_process(
    url: str, project: Path, db: Path, text: str, stderr: int = asyncio.subprocess.PIPE
) -> Awaitable[asyncio.subprocess.Process]:
    """Start `assistant-tui ask` on a history file against the scripted server at ``url``."""
    return asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tui",
        "ask",
        "--project",
        str(project),
        "--db",
        str(db),
        "--model",
        "scripted",
        text,
        stdout=asyncio.subprocess.PIPE,
        stderr=stderr,
        env={**os.environ, "ANTHROPIC_BASE_URL": url},
    )


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Figures:
    return Figures(request.node.nodeid)
