"""The @mentions of a question, resolved through the guard, and the note that tells the model.

A mention is ``@`` at the start of a word followed by a project path (``@"a b.txt"`` when it
holds spaces). A word that names nothing in the project (``@decorator``, ``user@host``) is plain
text. Each path is decided by the guard exactly as a Read (or, for a folder, a Glob) of it
would be; a refused one is named in one sentence for the user and its content is not sent.

What the note holds: the paths, each file's size, and the first lines of small text files. A
small file costs fewer tokens in the note than the tool call that reads it (each call resends
the conversation so far) and the model can answer at once; a larger file is named only, so a
mention of a 2 MB log does not fill the context: the model reads the part it needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from boundary.paths import Refused, read_nofollow

MENTION = re.compile(r'(?<!\S)@(?:"([^"\n]+)"|([^\s"]+))')
TRAILING = ".,;:!?)]}'"  # punctuation after a mention that is not part of its path
SMALL = 4096  # bytes: files up to this size have their first lines in the note
HEAD_LINES = 20
NOTE_START, NOTE_END = "<mentioned_files>", "</mentioned_files>"
MAX_MENTIONS = 20  # more are named in the question only


class Decides(Protocol):
    """The guard's decision on a tool call: None to allow, else the reason."""

    root: Path

    def decide(self, tool: str, tool_input: dict[str, object]) -> str | None: ...


@dataclass
class Mentions:
    """What one question's mentions became: the prompt sent, the paths, what was refused."""

    prompt: str
    paths: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def mentioned_words(text: str) -> list[str]:
    """The words after an @ in a question, as typed (quotes removed), first seen first."""
    found = (quoted or bare for quoted, bare in MENTION.findall(text))
    return list(dict.fromkeys(found))


def mention(path: str) -> str:
    """How a path is written after the @ in the prompt (quoted when it holds a space)."""
    return f'@"{path}"' if any(c.isspace() for c in path) else f"@{path}"


def resolve(text: str, guard: Decides) -> Mentions:
    """The prompt for a question: the note (when it mentions project paths) then the question.

    Runs file I/O: call it off the event loop."""
    lines: list[str] = []
    heads: list[str] = []
    result = Mentions(text)
    for word in mentioned_words(text)[:MAX_MENTIONS]:
        path, target = _existing(guard.root, word)
        if target is None or path in result.paths:
            continue
        folder = target.is_dir()
        tool, key = ("Glob", "path") if folder else ("Read", "file_path")
        reason = guard.decide(tool, {key: str(target)})
        if reason is not None:
            why = reason.removeprefix("Denied: ").rstrip(".")
            result.refused.append(f"@{path} was not shown to the model: {why}.")
            continue
        result.paths.append(path)
        line, head = _described(guard.root, path, target, folder)
        lines.append(line)
        heads += [head] if head else []
    if lines:
        intro = "The user pointed at these project paths with @ (relative to the project folder):"
        body = "\n".join([NOTE_START, intro, *lines, *heads, NOTE_END])
        result.prompt = f"{body}\n\n{text}"
    return result


def _existing(root: Path, word: str) -> tuple[str, Path | None]:
    """The project path a word names, trailing punctuation dropped when it is not part of it."""
    candidates = [word]
    stripped = word.rstrip(TRAILING)
    if stripped and stripped != word:
        candidates.append(stripped)
    for candidate in candidates:
        target = root / candidate.rstrip("/")
        if candidate.rstrip("/") and (target.is_symlink() or target.exists()):
            return candidate, target
    return word, None


def _described(root: Path, path: str, target: Path, folder: bool) -> tuple[str, str | None]:
    """The note's line for one path, and the first lines of a small text file."""
    if folder:
        return f"- {path.rstrip('/')}/ (a folder)", None
    try:
        data = read_nofollow(root, target, SMALL + 1)
    except (Refused, OSError):
        return f"- {path} (not read here; use the Read tool)", None
    if len(data) > SMALL or b"\0" in data:
        kind = "larger than 4 KB" if len(data) > SMALL else "binary"
        return f"- {path} ({kind}; read it with the Read tool if needed)", None
    text = data.decode("utf-8", errors="replace")
    kept = text.splitlines()[:HEAD_LINES]
    total = len(text.splitlines())
    shown = "all of it" if len(kept) == total else f"its first {len(kept)} of {total} lines"
    head = f'<file path="{path}">\n' + "\n".join(kept) + "\n</file>"
    return f"- {path} ({len(data)} bytes; {shown} below)", head
