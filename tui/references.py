"""The file references of an answer (``src/calc.py:3-5``), found in its text and kept only when
the project's boundary would let the model's Read open them.

Finding is pure text work (``candidates``): a path with a folder or an extension, or any word
in backticks, optionally followed by ``:line``, ``:line-line``, ``#Lline`` (``#L3-L5``) or
`` lines 3-5``. Resolving (``resolve``) decides each one the way a Read by the model is
decided, and then the way the viewer will read it: the guard's rules (inside the project, not a
secret by name, no credential in its content), then every component checked with lstat (no
symbolic link anywhere on the way, even one that stays inside, because the viewer reads with
no-follow; no hardlink; a regular file that exists). A path with ``..``, a look-alike character
(its NFKC form differs) or a control character is refused before any of that.

Resolving touches the file system: run it off the event loop (the screen does it in a thread,
once per answer text, see tui.screens.viewing).
"""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from boundary.paths import Refused, check_components

Span = tuple[int, int]  # first and last line, 1-based, inclusive
MAX_CANDIDATES = 100  # per text: an answer listing a whole tree gets its first hundred
MAX_LINE = 10_000_000
_PATH = r"/?(?:[\w.\-]+/)*[\w.\-]*\w"
_LINES = (
    r"(?::(?P<a>\d{1,9})(?:[-–](?P<b>\d{1,9}))?"
    r"|#L(?P<c>\d{1,9})(?:-L?(?P<d>\d{1,9}))?"
    r"|[ \t]+lines?[ \t]+(?P<e>\d{1,9})(?:[ \t]*(?:-|–|to)[ \t]*(?P<f>\d{1,9}))?)?"
)
# Not after a path character, a colon or a tilde: the tail of a URL (https://host/a.py) or of a
# longer word is not a reference.
_REFERENCE = re.compile(rf"(?<![\w/.\-:~\\])(?P<path>{_PATH}){_LINES}(?![\w/])")
_EXTENSION = re.compile(r"[^/.]\.[A-Za-z]\w*$")  # a name with an extension: calc.py, not 3.11


@dataclass(frozen=True)
class Reference:
    """A file of the project an answer cites, with the lines it names (if any).

    Attributes:
        path: as written in the answer (``./src/calc.py`` or an absolute path stays so);
        first, last: the lines cited, 1-based and inclusive (None: the whole file);
        written: the whole reference as the answer shows it (``src/calc.py:3-5``);
        relative: the project-relative POSIX path, set once resolved ("" before).
    """

    path: str
    first: int | None = None
    last: int | None = None
    written: str = ""
    relative: str = ""

    def label(self) -> str:
        """``src/calc.py:3-5``: the reference in one form, whatever form the answer used."""
        name = self.relative or self.path
        if self.first is None:
            return name
        if self.last is None or self.last == self.first:
            return f"{name}:{self.first}"
        return f"{name}:{self.first}-{self.last}"


class Decides(Protocol):
    """The model's guard, as far as references need it (tui.agent.guard.Guard)."""

    root: Path
    roots: tuple[Path, ...]  # the root, then its other spellings (Guard.roots)
    allow_secrets: bool

    def decide(self, tool: str, tool_input: dict[str, object]) -> str | None: ...


def candidates(text: str) -> list[Reference]:
    """Every reference-shaped word of a text, in order, before any file is looked at."""
    found: list[Reference] = []
    for match in _REFERENCE.finditer(text):
        path = match["path"]
        start, end = match.span()
        quoted = text[start - 1 : start] == "`" and text[end : end + 1] == "`"
        if not (quoted or "/" in path.lstrip("/") or _EXTENSION.search(path)):
            continue
        if not any(c.isalpha() for c in path):
            continue  # 3.11, 0.2.18: versions, not files
        first, last = _lines(match)
        found.append(Reference(path, first, last, match.group()))
        if len(found) >= MAX_CANDIDATES:
            break
    return found


def _lines(match: re.Match[str]) -> tuple[int | None, int | None]:
    """The cited lines of one match; a backward range (5-3) is read as its first line."""
    first = match["a"] or match["c"] or match["e"]
    last = match["b"] or match["d"] or match["f"]
    if first is None or not 1 <= int(first) <= MAX_LINE:
        return None, None
    start = int(first)
    end = int(last) if last is not None and start <= int(last) <= MAX_LINE else None
    return start, end


def relative_path(path: str, roots: Sequence[Path]) -> str:
    """The project-relative path a reference names; raises Refused when it names none safely.

    No file is touched here: the name alone is refused when it climbs (``..``), holds a
    look-alike or a control character, or is absolute and below none of ``roots`` (the real
    root first, then the names that lead to it: ``Guard.roots``).
    """
    if unicodedata.normalize("NFKC", path) != path:
        raise Refused(f"{path} holds look-alike characters")
    if not path.isprintable():
        raise Refused(f"{path} holds control characters")
    pure = PurePosixPath(path)
    if path.startswith("~"):  # the guard expands it to a home folder: never this project's
        raise Refused(f"{path} names a home folder ('~'), not a project file")
    if ".." in pure.parts:
        raise Refused(f"{path} climbs out of its folder ('..')")
    if pure.is_absolute():
        pure = _below(pure, roots, path)
    parts = [part for part in pure.parts if part not in (".", "/")]
    if not parts:
        raise Refused(f"{path} is the project folder, not a file")
    return "/".join(parts)


def _below(pure: PurePosixPath, roots: Sequence[Path], path: str) -> PurePosixPath:
    """``pure`` relative to the first root it is below; Refused when below none."""
    for root in roots:
        with contextlib.suppress(ValueError):
            return pure.relative_to(PurePosixPath(root))
    raise Refused(f"{path} is outside the project")


def refusal(path: str, guard: Decides) -> tuple[str, str | None]:
    """The project-relative path and why it may not be opened (None: it may).

    The guard first, exactly as for the model's Read; then the walk the viewer's no-follow read
    takes, so a reference is never offered that the viewer would refuse.
    """
    try:
        relative = relative_path(path, guard.roots)
    except Refused as error:
        return "", str(error)
    target = guard.root / relative
    reason = guard.decide("Read", {"file_path": relative})
    if reason is not None:
        return relative, reason.removeprefix("Denied: ").rstrip(".")
    try:
        info = check_components(guard.root, target)
    except Refused as error:
        return relative, str(error)
    if info is None:
        return relative, f"{relative} does not exist"
    if not os.access(target, os.R_OK):
        return relative, f"{relative} is not readable"
    return relative, None


def resolve(text: str, guard: Decides) -> list[Reference]:
    """The references of a text that name a file the viewer may open, in order.

    Each path is decided once however often the text cites it. Touches the file system.
    """
    decided: dict[str, tuple[str, str | None]] = {}
    kept: list[Reference] = []
    for found in candidates(text):
        if found.path not in decided:
            decided[found.path] = refusal(found.path, guard)
        relative, reason = decided[found.path]
        if reason is None:
            kept.append(Reference(found.path, found.first, found.last, found.written, relative))
    return kept


_HIT = re.compile(r"(?P<path>.+?):(?P<line>\d+)[:-]")  # Grep's "path:12:text" or "path-12-"


def search_hits(result: str, guard: Decides) -> list[Reference]:
    """The files (and lines) a Grep or Glob result lists, one per line of it, that the
    viewer may open. Read by the result's own shape, not as prose: a found name may hold
    spaces or any other character a file name can (prose references cannot)."""
    decided: dict[str, tuple[str, str | None]] = {}
    kept: list[Reference] = []
    for raw in result.splitlines():
        line = raw.strip()
        if not line or line.startswith(("Found ", "No files found", "No matches")):
            continue
        hit = _HIT.match(line)
        path, number = (hit["path"], int(hit["line"])) if hit else (line, None)
        if path not in decided:
            decided[path] = refusal(path, guard)
        relative, reason = decided[path]
        if reason is None and (number is None or 1 <= number <= MAX_LINE):
            kept.append(Reference(path, number, None, line[:200], relative))
    return kept


READ_LIMIT = 2000  # lines the CLI's Read takes when the call gives no limit


def lines_read(
    calls: Iterable[Mapping[str, object]], relative: str, roots: Sequence[Path]
) -> list[Span]:
    """The lines of ``relative`` that Read calls (their inputs) read: 1-based, inclusive.

    A call's ``offset`` is the line it started at and ``limit`` how many it took (the CLI's
    defaults when absent); a call naming the file another way (absolute, ``./``) counts too.
    """
    spans = []
    for call in calls:
        path = call.get("file_path")
        if not isinstance(path, str):
            continue
        try:
            if relative_path(path, roots) != relative:
                continue
        except Refused:
            continue
        first = max(1, _number(call.get("offset"), 1))
        spans.append((first, first + max(1, _number(call.get("limit"), READ_LIMIT)) - 1))
    return spans


def _number(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return default
