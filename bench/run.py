"""Every performance figure in one table (issue 7, and the backlog pane of issue 8): ours, the
baseline measured in the same run, the ratio and the target. Nothing is asserted; the machine
is noisy, so each figure is a median of several runs.

Run: bench/run   (or python -m bench.run; about twelve minutes). The table is also written
into docs/performance.md, between its bench markers.
"""

from __future__ import annotations

import asyncio
import os
import platform
import tempfile
from importlib.metadata import version
from pathlib import Path

from bench.app import launch_rows, size_rows
from bench.backlog import main_async as backlog_rows
from bench.echo import echo_rows
from bench.engine import engine_rows
from bench.footprint import footprint_rows
from bench.harness import HEADER, markdown_table, print_table, write_between_markers
from bench.keys import key_rows
from bench.latency import latency_rows
from bench.mentions import mention_rows
from bench.search import search_rows
from bench.streaming import main_async as streaming_rows
from bench.switching import switching_rows
from bench.viewer import viewer_rows

PERFORMANCE = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def machine() -> str:
    """The machine in a few words: figures are only comparable on the same one."""
    memory = Path("/proc/meminfo").read_text().split()[1]
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{int(memory) // 1024 // 1024} GiB, Python {platform.python_version()}"
    )


async def measured(root: Path) -> list[list[str]]:
    rows = await streaming_rows(root)
    rows += await switching_rows(root)
    rows += await key_rows(root)
    rows += await echo_rows(root)
    rows += await size_rows(root)
    rows += await engine_rows()
    rows += await latency_rows(root)
    rows += await backlog_rows(root)
    rows += await search_rows(root)
    rows += await mention_rows(root / "mentions")
    rows += await viewer_rows(root)
    rows += await footprint_rows(root)
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rows = launch_rows(root) + asyncio.run(measured(root))
    where = machine()
    print_table(f"assistant-tui performance ({where})", HEADER, rows)
    caption = f"Latest run ({where}, Textual {version('textual')}):"
    write_between_markers(PERFORMANCE, markdown_table(caption, HEADER, rows))


if __name__ == "__main__":
    main()
