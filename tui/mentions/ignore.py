"""What git would leave out of the project: nested .gitignore files and .git/info/exclude.

Read as text and matched with ``pathspec``: git itself is never run, because a hostile
repository's config (core.fsmonitor, hooks) can make it run commands. Precedence follows git:
a deeper .gitignore wins over a shallower one, any .gitignore over info/exclude, and within a
file the last matching pattern decides. A folder that is ignored is not walked, so nothing
below it can be re-included (git behaves the same). The user's global excludes file
(core.excludesFile) is outside the project and not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pathspec import GitIgnoreSpec

from boundary.paths import Refused, check_components, read_nofollow

RULES_LIMIT = 1024 * 1024  # a .gitignore larger than this is read up to here


@dataclass(frozen=True)
class Level:
    """The patterns of one ignore file and the folder they are relative to."""

    base: tuple[str, ...]
    spec: GitIgnoreSpec


@dataclass(frozen=True)
class Ignores:
    """The ignore files in force in one folder, lowest precedence first."""

    levels: tuple[Level, ...] = ()

    def ignored(self, parts: tuple[str, ...], folder: bool) -> bool:
        """Whether the path (project-relative parts) is ignored."""
        for level in reversed(self.levels):
            relative = "/".join(parts[len(level.base) :]) + ("/" if folder else "")
            verdict = level.spec.check_file(relative).include
            if verdict is not None:
                return verdict
        return False

    def below(self, root: Path, base: tuple[str, ...], file: Path) -> Ignores:
        """These rules plus those of an ignore file applying from ``base`` down."""
        spec = _read_spec(root, file)
        if spec is None:
            return self
        return Ignores((*self.levels, Level(base, spec)))


def project_ignores(root: Path) -> Ignores:
    """The rules in force at the root: info/exclude (when .git is a folder), then .gitignore."""
    ignores = Ignores()
    if (root / ".git").is_dir() and not (root / ".git").is_symlink():
        ignores = ignores.below(root, (), root / ".git" / "info" / "exclude")
    return ignores.below(root, (), root / ".gitignore")


def _read_spec(root: Path, file: Path) -> GitIgnoreSpec | None:
    """The patterns of one ignore file read through the boundary; None when there is none or
    the boundary refuses it (a link, a second name): its rules then do not apply."""
    try:
        if check_components(root, file) is None:
            return None
        text = read_nofollow(root, file, RULES_LIMIT).decode("utf-8", errors="replace")
    except (Refused, OSError):
        return None
    return GitIgnoreSpec.from_lines(text.splitlines())
