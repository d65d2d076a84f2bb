"""A recursive Grep through the real CLI leaves the project's hardlinks out, and finds the rest.

The project's path and the file names hold spaces, as many users' folders do: the deny rules
must still name the exact files, not fall back to a whole folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.processes import tree_hash
from tui.agent.events import ToolFinished
from tui.demo.model_server import ToolCall, Turn
from tui.models import ToolStatus

NEEDLE = "NEEDLE-7e2a"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "My Project"
    (path / "src dir").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "private notes.txt").write_text(f"{NEEDLE} private, outside\n")
    os.link(tmp_path / "outside" / "private notes.txt", path / "src dir" / "linked notes.txt")
    (path / "src dir" / "plain.py").write_text(f"# {NEEDLE} in the project\n")
    return path


async def test_recursive_grep_skips_hardlinks_only(engine_factory: Any, project: Path) -> None:
    grep = ToolCall("Grep", {"pattern": NEEDLE, "output_mode": "content"})
    files = ToolCall("Glob", {"pattern": "**/*"})
    engine = await engine_factory(
        [Turn(match="grep", tools=[grep]), Turn(match="glob", tools=[files]), Turn(text="Done.")]
    )
    before = tree_hash(project)
    results = []
    for question in ("grep it", "glob it"):
        events = await engine.turn(question, None)
        found = [e for e in events if isinstance(e, ToolFinished)]
        assert [f.status for f in found] == [ToolStatus.OK]
        results.append(found[0].result)
    grepped, globbed = results
    assert "in the project" in grepped and "private, outside" not in grepped, grepped
    assert "plain.py" in globbed and "linked notes.txt" not in globbed, globbed
    assert tree_hash(project) == before
