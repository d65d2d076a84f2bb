"""Reads a project's backlog for the pane and the details dialog, through the MCP server's rules.

It reads with ``mcp_server.backlog.Backlog`` (the code the assistant's backlog tools run), so the
pane and the tools can never disagree about what is ready or what blocks what. Every call blocks:
the callers run ``read`` and ``feature`` in a thread. ``signature`` is cheap (two ``stat`` calls),
so the pane can poll it twice a second and read only when the file really changed.

Textual-free, and kept out of ``tui.widgets``: widgets are views and do no I/O.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mcp_server.records import BacklogError, find_database
from tui.models import BacklogView

LISTED = 200  # features listed per list; the headings give the full counts
BUSY_TIMEOUT_S = 2.0  # an agent writing in another process holds the lock for milliseconds

Signature = tuple[tuple[int, int], ...]


class BacklogReader:
    """One project's backlog: what the pane shows, one feature in full, and the file's signature."""

    def __init__(self, project: Path) -> None:
        self.project = project

    def read(self) -> BacklogView:
        """Read stats, the ready list and the blocked list; a refused file reads as its reason."""
        try:
            path = find_database(self.project)
        except BacklogError as error:  # the boundary refused the file: say why, read nothing
            return BacklogView(error=str(error))
        if path is None:
            return BacklogView()
        from mcp_server.backlog import Backlog  # in the reading thread: not on the first screen

        backlog = Backlog(self.project, busy_timeout=BUSY_TIMEOUT_S)
        try:
            ready, blocked = backlog.ready(LISTED), backlog.blocked(LISTED)
            return BacklogView(
                backlog.stats(),
                ready["features"],
                ready["total_ready"],
                blocked["features"],
                blocked["total_blocked"],
                path,
            )
        except BacklogError as error:
            return BacklogView(path=path, error=str(error))
        finally:
            backlog.close()

    def feature(self, feature_id: int) -> dict[str, Any]:
        """One feature with its description and steps; raises ``BacklogError`` in one sentence."""
        from mcp_server.backlog import Backlog

        backlog = Backlog(self.project, busy_timeout=BUSY_TIMEOUT_S)
        try:
            return backlog.get(feature_id)
        finally:
            backlog.close()

    def signature(self) -> Signature:
        """Size and modification time of the backlog file and its WAL: any write changes one."""
        try:
            path = find_database(self.project)
        except BacklogError:
            return ((-1, -1),)  # refused: a change into or out of this state is still seen
        if path is None:
            return ()
        found = []
        for name in (path, path.with_name(path.name + "-wal")):
            try:
                info = os.stat(name)
            except OSError:
                continue
            found.append((info.st_mtime_ns, info.st_size))
        return tuple(found)
