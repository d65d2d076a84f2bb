"""File states the tests put a history or backlog file in, beyond what plain chmod can do."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def set_read_only(path: Path, read_only: bool) -> None:
    """Make a file or directory unwritable even for root (immutable flag), or writable again.

    The tests often run as root, which ignores mode bits; only the immutable flag stops it.
    """
    if os.geteuid() == 0 and not read_only:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    writable = 0o755 if path.is_dir() else 0o644
    path.chmod((writable & 0o555) if read_only else writable)
    if os.geteuid() == 0 and read_only:
        subprocess.run(["chattr", "+i", str(path)], check=True)
