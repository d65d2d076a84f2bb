"""The project's files the CLI must never search: hardlinks and case variants of secret names.

Grep and Glob run inside the CLI, where no per-file hook is asked. The CLI does honour Read deny
rules for them (a denied file is left out of a search), so at each session start the tree is
walked once and every regular file with a second name, and every secret-named file whose case
differs from the static rules, becomes a rule in a settings file handed to the CLI.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from boundary.paths import PACKAGE_DIRS, in_package_dir
from boundary.secrets import cli_rules, secret_name

# Characters that mean nothing in the CLI's gitignore-style rules; a path with any other gets a
# rule for its nearest plain ancestor folder instead (wider, never narrower).
_PLAIN = re.compile(r"[A-Za-z0-9._\-/+@,=% ]+")
MAX_ENTRIES = 500_000  # a walk stops here and says so (a rule then covers what it saw)
MAX_RULES = 5_000  # past this, rules name folders instead of files


@dataclass
class Scan:
    """What one walk of the project found."""

    linked: list[PurePosixPath] = field(default_factory=list)
    secret: list[PurePosixPath] = field(default_factory=list)
    entries: int = 0
    complete: bool = True  # False past MAX_ENTRIES: what was not walked has no rules


def scan(root: Path) -> Scan:
    """Walk the project without following links, skipping package folders."""
    found = Scan()
    pending: list[tuple[str, tuple[str, ...]]] = [(str(root), ())]
    while pending:
        folder, parts = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            found.entries += 1
            if found.entries > MAX_ENTRIES:
                found.complete = False
                pending.clear()
                break
            _visit(entry, (*parts, entry.name), pending, found)
    return found


def _visit(
    entry: os.DirEntry[str],
    parts: tuple[str, ...],
    pending: list[tuple[str, tuple[str, ...]]],
    found: Scan,
) -> None:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return
    if stat.S_ISDIR(info.st_mode):
        if entry.name not in PACKAGE_DIRS and parts[-2:] != (".git", "objects"):
            pending.append((entry.path, parts))
        return
    if not stat.S_ISREG(info.st_mode):
        return
    relative = "/".join(parts)  # a PurePosixPath only for the few files that get a rule
    if info.st_nlink > 1 and not in_package_dir(parts):
        found.linked.append(PurePosixPath(relative))
    if secret_name(relative):  # the static rules are case-sensitive; this is not
        found.secret.append(PurePosixPath(relative))


def rule_for(root: Path, parts: tuple[str, ...], folder: bool = False) -> str:
    """A Read deny rule for one file (or folder), or for its nearest plain ancestor folder."""
    for keep in range(len(parts), 0, -1):
        absolute = "/".join((str(root), *parts[:keep]))
        if _PLAIN.fullmatch(absolute):
            exact = keep == len(parts) and not folder
            return f"Read(/{absolute})" if exact else f"Read(/{absolute}/**)"
    return f"Read(/{root}/**)"  # nothing below the root is plain: deny searching all of it


def session_rules(root: Path, allow_secrets: bool) -> tuple[list[str], Scan]:
    """Every Read deny rule for a session over the project, and the walk that made them."""
    found = scan(root)
    paths = list(found.linked) + ([] if allow_secrets else list(found.secret))
    if len(paths) > MAX_RULES:  # one rule per folder keeps the CLI's matching quick
        rules = [rule_for(root, p.parent.parts, folder=True) for p in paths]
    else:
        rules = [rule_for(root, p.parts) for p in paths]
    static = [] if allow_secrets else cli_rules()
    return static + sorted(set(rules)), found
