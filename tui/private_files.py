"""Private files and folders for what the app keeps: folders 0700, files 0600, whatever the umask.

The history, the system prompts and the exports hold the user's conversations, so nobody else on
the machine may read them. Files are created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` and mode
0o600, then set to exactly that mode (a umask can only take bits away, but a strange one such as
0o277 would leave the owner unable to write). What an earlier version left 0644/0755 is
tightened when it is opened: group and other bits are removed and the owner's are left alone, so
a file the user made read-only stays read-only.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_SHARED = 0o077  # the group and other bits
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def create_private(path: Path) -> int:
    """Create ``path`` (never an existing file, nor through a symlink) 0600; return its fd.

    Raises FileExistsError when anything, a symlink included, is already at ``path``.
    """
    fd = os.open(path, _CREATE, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
    except OSError:
        os.close(fd)
        raise
    return fd


def write_private(path: Path, text: str) -> None:
    """Write a new file 0600; an existing one is never replaced (FileExistsError).

    A write that fails (a full disk) removes the half-written file.
    """
    fd = create_private(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def replace_private(path: Path, text: str) -> None:
    """Write ``text`` 0600 to a new file beside ``path`` and rename it over ``path``.

    A failure leaves ``path`` as it was and no temporary file behind.
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    write_private(temporary, text)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def tighten(path: Path) -> None:
    """Take the group and other bits off an existing file or folder, if it has any.

    Best effort: a missing path, or one we may not change (another user's, an immutable file),
    is left as it is; opening it then fails or succeeds on its own terms.
    """
    with contextlib.suppress(OSError):
        mode = path.stat().st_mode
        if mode & _SHARED:
            path.chmod(mode & 0o7700 & ~_SHARED)


def private_dirs(path: Path, owned: Path | None = None) -> None:
    """Make the folder ``path`` exist; each folder created here is 0700.

    Folders that already exist are not touched, unless they are ``owned`` (a folder of the app's
    own, such as its data directory) or lie between ``owned`` and ``path``: those are tightened.
    A user's own folder (their home, the folder of a ``--db`` file) keeps its mode.
    """
    missing: list[Path] = []
    current = path
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(PRIVATE_DIR)
        except FileExistsError:  # another instance made it at the same moment
            if not folder.is_dir():
                raise
            continue
        folder.chmod(PRIVATE_DIR)
    if owned is not None and path.is_relative_to(owned):
        tighten(owned)
        for part in path.relative_to(owned).parts:
            owned = owned / part
            tighten(owned)
