"""The project's files for the @ picker: one walk in a thread, and a cheap check of freshness.

The walk never follows a link (a symlinked folder is not entered, a symlinked file not listed),
skips what git ignores (``ignore``) and every ``.git`` folder, and lists a file only when the
guard's own checks that need no reading would let Read open it (``Guard.may_list``): so a
secret's name, a hardlink, a FIFO or a device never shows. The content check (a key pasted
into an innocent name) needs the file read; it runs when the file is mentioned.

Kept current without polling: each walked folder's mtime (a file added, removed or renamed in
it changes it) and each ignore file's stamp are kept, and ``stale`` compares them when the
picker opens; nothing runs while the picker is closed, so idle CPU is nil.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tui.mentions.ignore import Ignores, project_ignores

MAX_ENTRIES = 500_000  # a walk stops here (and says so): the picker stays quick on any tree
RACY_NS = 50_000_000  # 50 ms: more than any file system's timestamp tick here
SKIPPED = frozenset({".git"})  # git's own store: never a file to point the model at

# (project-relative parts, lstat of the entry) -> whether it may be listed
Policy = Callable[[tuple[str, ...], os.stat_result], bool]
Stamp = tuple[int, int, int] | None  # (mtime_ns, size, inode), None when missing


@dataclass
class Walk:
    """What one walk found: paths (folders end with "/") and the stamps that date it."""

    paths: list[str] = field(default_factory=list)
    stamps: dict[str, Stamp] = field(default_factory=dict)
    complete: bool = True
    seconds: float = 0.0
    started_ns: int = field(default_factory=time.time_ns)

    def stale(self) -> bool:
        """Whether any walked folder or ignore file changed since (a stat each, no reading).

        A stamp taken within the file system's clock tick of the walk could miss a change made
        in the same tick (git's "racy" case), so such a walk counts as stale once more.
        """
        racy = self.started_ns - RACY_NS
        for path, stamp in self.stamps.items():
            if _stamp(path) != stamp or (stamp is not None and stamp[0] >= racy):
                return True
        return False


def walk(
    root: Path, file_ok: Policy, folder_ok: Policy, stop: threading.Event | None = None
) -> Walk:
    """Every listable path below the root, depth first, without following links; ``stop``
    ends it between two folders (the app is quitting: its thread must not hold the exit)."""
    started = time.perf_counter()
    walker = _Walker(root, file_ok, folder_ok)
    found = walker.found
    exclude = root / ".git" / "info" / "exclude"
    found.stamps[str(exclude)] = _stamp(exclude)
    walker.pending.append(((), project_ignores(root)))
    while walker.pending and found.complete:
        if stop is not None and stop.is_set():
            found.complete = False
            break
        walker.folder(*walker.pending.pop())
    found.seconds = time.perf_counter() - started
    return found


@dataclass
class _Walker:
    """One walk's state: what it found and the folders still to list, with their rules."""

    root: Path
    file_ok: Policy
    folder_ok: Policy
    found: Walk = field(default_factory=Walk)
    pending: list[tuple[tuple[str, ...], Ignores]] = field(default_factory=list)

    def folder(self, parts: tuple[str, ...], ignores: Ignores) -> None:
        """List one folder: its own .gitignore joins the rules for what is below it."""
        found, folder = self.found, self.root.joinpath(*parts)
        found.stamps[str(folder)] = _stamp(folder)
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            return  # unreadable: nothing of it is listed
        if any(e.name == ".gitignore" for e in entries):
            found.stamps[str(folder / ".gitignore")] = _stamp(folder / ".gitignore")
            if parts:  # the root's rules came with project_ignores
                ignores = ignores.below(self.root, parts, folder / ".gitignore")
        for entry in entries:
            if len(found.paths) >= MAX_ENTRIES:
                found.complete = False
                return
            self.visit(entry, (*parts, entry.name), ignores)

    def visit(self, entry: os.DirEntry[str], parts: tuple[str, ...], ignores: Ignores) -> None:
        """List one entry if the policies allow it, never following a link; queue a folder."""
        if entry.name in SKIPPED:
            return
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            return
        folder = stat.S_ISDIR(info.st_mode)
        if ignores.ignored(parts, folder):
            return
        if folder and self.folder_ok(parts, info):
            self.found.paths.append("/".join(parts) + "/")
            self.pending.append((parts, ignores))
        elif not folder and self.file_ok(parts, info):
            self.found.paths.append("/".join(parts))


def _stamp(path: str | Path) -> Stamp:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)
