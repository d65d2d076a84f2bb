"""Paths inside the project: every component checked with lstat, files read with no-follow.

The project root is the user's choice and is trusted as given (resolved once). Below it, a
symlinked component, a file with a second name (hardlink), a FIFO, a device or a socket is
refused, because each can stand for something outside the project. Reads open one component at
a time relative to the previous one with O_NOFOLLOW, so a component swapped for a link between
the check and the read is refused by the kernel rather than followed.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from functools import partial
from pathlib import Path, PurePosixPath

# Folders whose files package managers hardlink from their caches (uv, pnpm, a local git clone):
# a second name there is a cache entry, not a way out of the project.
PACKAGE_DIRS = frozenset(
    {".venv", "venv", "node_modules", "site-packages", "dist-packages", ".pnpm-store", ".tox"}
)
PACKAGE_TAILS = (".git/objects",)


class Refused(Exception):
    """A path the boundary will not touch: a clause naming the path and why, no final period,
    so each caller can set it in its own sentence."""


def inside(target: Path, root: Path) -> bool:
    """Whether an absolute, resolved path is the root or below it."""
    return target == root or root in target.parents


def relative_parts(root: Path, target: Path) -> tuple[str, ...]:
    """The components of ``target`` below ``root`` (both absolute, not resolved)."""
    return target.relative_to(root).parts


def in_package_dir(parts: tuple[str, ...] | list[str]) -> bool:
    """Whether a project-relative path lies in a folder package managers fill with hardlinks."""
    if any(part in PACKAGE_DIRS for part in parts[:-1]):
        return True
    joined = "/" + "/".join(parts) + "/"
    return any(f"/{tail}/" in joined for tail in PACKAGE_TAILS)


def check_components(root: Path, target: Path, *, links_ok: bool = False) -> os.stat_result | None:
    """lstat every component from the root down to ``target``; None when the last is missing.

    Raises Refused for a component that is a symlink, a parent that is not a directory, a last
    component that is not a regular file, or (unless ``links_ok``) one with more than one link.
    """
    links_ok = links_ok or in_package_dir(relative_parts(root, target))
    return walk_components(root, target, partial(refuse_special, links_ok=links_ok))


def walk_components(
    root: Path, target: Path, check_last: Callable[[Path, os.stat_result], None]
) -> os.stat_result | None:
    """lstat each component below the root down to ``target``; the last one's lstat, or None.

    One walk for files and folders alike, so both refuse in the same words: a symlinked
    component or a parent that is not a directory raises Refused, and so does whatever
    ``check_last`` refuses in the last component. None when a component is missing, and when
    ``target`` is the root (no component below it: the root is trusted as given).
    """
    current = root
    parts = relative_parts(root, target)
    for index, part in enumerate(parts):
        current = current / part
        if part == "..":  # lstat would climb out of the project, past every check above
            raise Refused(f"{current} climbs out of its folder ('..')")
        info = _lstat_present(current)
        if info is None:
            return None
        if stat.S_ISLNK(info.st_mode):
            raise Refused(f"{current} is a symbolic link, which may point outside the project")
        if index < len(parts) - 1:
            refuse_non_folder(current, info)
        else:
            check_last(current, info)
            return info
    return None


def _lstat_present(path: Path) -> os.stat_result | None:
    """lstat, None when the path is missing; any other failure refuses it (a reason given)."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise Refused(f"{path} cannot be checked ({error.strerror})") from error


def refuse_non_folder(path: Path, info: os.stat_result) -> None:
    """Refuse anything but a directory (the walk has refused links before this)."""
    if not stat.S_ISDIR(info.st_mode):
        raise Refused(f"{path} is not a directory")


def refuse_special(path: Path, info: os.stat_result, *, links_ok: bool = False) -> None:
    """Refuse anything but a regular file with one name."""
    if special(info, links_ok=links_ok):
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"{path} is not a regular file (a device, FIFO, socket or folder)")
        raise Refused(
            f"{path} is a hardlink ({info.st_nlink} names), whose other name may be outside "
            "the project"
        )


def special(info: os.stat_result, *, links_ok: bool = False) -> bool:
    """Whether ``refuse_special`` refuses it: anything but a regular file with one name (the
    test alone, for a walk over many files that needs no sentence)."""
    return not stat.S_ISREG(info.st_mode) or (info.st_nlink > 1 and not links_ok)


def read_nofollow(root: Path, target: Path, limit: int) -> bytes:
    """Read at most ``limit`` bytes of a regular, single-link file below the root.

    Each directory is opened relative to its parent with O_NOFOLLOW, then the file with
    O_NOFOLLOW|O_NONBLOCK (a FIFO cannot block the caller); the open descriptor is checked with
    fstat, so what is read is exactly what was checked.
    """
    parts = relative_parts(root, target)
    if not parts:
        raise Refused(f"{target} is the project folder, not a file")
    directory = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            following = _open_at(part, os.O_RDONLY | os.O_DIRECTORY, directory, target)
            os.close(directory)
            directory = following
        flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY
        handle = _open_at(parts[-1], flags, directory, target)
    finally:
        os.close(directory)
    try:
        refuse_special(target, os.fstat(handle), links_ok=in_package_dir(parts))
        return _read_up_to(handle, limit)
    finally:
        os.close(handle)


def _open_at(name: str, flags: int, directory: int, target: Path) -> int:
    try:
        return os.open(name, flags | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=directory)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR):
            raise Refused(f"{target} passes through a symbolic link or a non-folder") from error
        raise


def _read_up_to(handle: int, limit: int) -> bytes:
    chunks, left = [], limit
    while left > 0:
        chunk = os.read(handle, min(left, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def project_relative(root: Path, target: Path) -> str:
    """A path below the root in POSIX form, for name rules."""
    return PurePosixPath(*relative_parts(root, target)).as_posix() if target != root else ""
