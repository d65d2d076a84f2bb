"""SQLite files inside the project (the backlog, upstream's assistant.db): found, made, verified.

Python's sqlite3 cannot open with no-follow, and SQLite opens its ``-wal`` and ``-shm`` files by
path itself. So: every component and companion file is checked with lstat before opening; a new
file is made with O_CREAT|O_EXCL|O_NOFOLLOW (no symlink, dangling or not, can redirect it); and
after SQLite opened the file, the descriptor it holds (found under /proc/self/fd) must be the
very inode that was checked. What remains is a window in which another process swaps ``-wal``
or ``-shm`` for a link between the check and SQLite's first use of them (docs/security.md).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from boundary.layout import candidates
from boundary.paths import Refused, check_components

COMPANIONS = ("-wal", "-shm", "-journal")


def find(root: Path, name: str) -> Path | None:
    """The first existing ``name`` in upstream's order, or None.

    A candidate the rules refuse stops the search with Refused: skipping it for the next
    location would hand out a file the project's agents never use.
    """
    for candidate in candidates(root, name):
        if present(root, candidate):
            return candidate
    return None


def present(root: Path, path: Path) -> bool:
    """Whether ``path`` exists; Refused when it, a folder above it or a companion breaks a rule."""
    if check_components(root, path) is None:
        return False
    check_companions(path)
    return True


def check_companions(path: Path) -> None:
    """The -wal, -shm and -journal files SQLite opens by path must be real, single files."""
    for suffix in COMPANIONS:
        companion = path.with_name(path.name + suffix)
        check_components(path.parent, companion)


def create(root: Path, path: Path, mode: int = 0o644) -> os.stat_result:
    """Make a new, empty file exclusively and without following links; its stat is returned."""
    check_components(root, path)  # parents are real folders (the file itself is missing)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        handle = os.open(path, flags, mode)
    except FileExistsError as error:
        raise Refused(
            f"{path} appeared while it was being created (or is a dangling link)"
        ) from error
    try:
        return os.fstat(handle)
    finally:
        os.close(handle)


def descriptors_at(path: Path) -> list[int] | None:
    """This process's descriptors open on the file now named ``path``; None where the system
    cannot say (no /proc: the inode check is then skipped, see docs/security.md)."""
    folder = Path("/proc/self/fd")
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    found = []
    for name in names:
        try:
            if os.readlink(folder / name) == str(path):
                found.append(int(name))
        except OSError:
            continue  # closed meanwhile (the listing's own descriptor, another thread's)
    return found


def connect_checked(
    path: Path, checked: os.stat_result, timeout: float, uri_suffix: str = ""
) -> sqlite3.Connection:
    """Open ``path`` with sqlite3 and prove the file SQLite holds is the inode that was checked.

    ``uri_suffix`` (such as ``?mode=ro``) opens it by URI. Every descriptor now open on that
    name must be the checked inode, and there must be one: a file swapped for another, or for a
    link (SQLite's descriptor then names the link's target), closes the connection and raises
    Refused.
    """
    target: str | Path = f"{path.as_uri()}{uri_suffix}" if uri_suffix else path
    conn = sqlite3.connect(target, timeout=timeout, isolation_level=None, uri=bool(uri_suffix))
    try:
        conn.execute("PRAGMA schema_version").fetchone()  # makes SQLite open and read the file
        verify(path, checked)
    except BaseException:
        conn.close()
        raise
    return conn


def verify(path: Path, checked: os.stat_result) -> None:
    """Every descriptor open on ``path`` is the checked inode, and there is one (see above)."""
    held = descriptors_at(path)
    if held is None:
        return
    inodes = set()
    for fd in held:
        try:
            info = os.fstat(fd)
        except OSError:
            continue
        inodes.add((info.st_dev, info.st_ino))
    if inodes != {(checked.st_dev, checked.st_ino)}:
        raise Refused(f"{path} changed between its check and its opening")
