"""Where a branch continues its parent's CLI session: the transcript entry that ends a turn.

The CLI can resume a session as a new one (``--fork-session``) that keeps only the transcript up
to a given entry (``--resume-session-at``). Our history knows messages, the transcript knows
entries; they meet at the questions: a turn of the transcript starts with the question the user
typed (or, after a replay, a prompt that ends with it) and runs to the entry before the next one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tui.mentions.note import NOTE_END

REPLAY_END = "</earlier_conversation>"  # how a replayed prompt ends before the question itself
INTERRUPTED = "[Request interrupted"  # the CLI's marker after a cancelled turn, a user entry


@dataclass(frozen=True)
class ForkPoint:
    """Resume ``session_id`` as a new session holding its transcript up to the entry ``at``."""

    session_id: str
    at: str

    def dumps(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def loads(cls, text: str) -> ForkPoint | None:
        try:
            found = json.loads(text)
            return cls(str(found["session_id"]), str(found["at"]))
        except (ValueError, KeyError, TypeError):
            return None


def _question(entry: dict[str, Any]) -> str | None:
    """The text of an entry that starts a turn (a prompt, not a tool result), else None."""
    if entry.get("type") != "user" or entry.get("isMeta"):
        return None
    content = (entry.get("message") or {}).get("content")
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return None
    kinds = {block.get("type") for block in content if isinstance(block, dict)}
    if "tool_result" in kinds or "text" not in kinds:
        return None
    return "\n".join(str(b.get("text", "")) for b in content if b.get("type") == "text")


def turns(lines: Iterable[str]) -> list[tuple[str, str]]:
    """Each turn of a transcript as (its question, the uuid of its last entry)."""
    found: list[tuple[str, str]] = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash
        if not isinstance(entry, dict) or not entry.get("uuid") or entry.get("isSidechain"):
            continue
        if entry.get("type") == "progress":  # drawing hints, not part of the conversation
            continue
        question = _question(entry)
        if question is not None:
            found.append((question, entry["uuid"]))
        elif found:
            found[-1] = (found[-1][0], entry["uuid"])
    return found


def asks(prompt: str, question: str) -> bool:
    """Whether a transcript prompt is the stored question (sent alone, after a replay or after
    the note on its @mentions)."""
    prompt, question = prompt.strip(), question.strip()
    return prompt == question or any(
        prompt.endswith(f"{end}\n\n{question}") for end in (REPLAY_END, NOTE_END)
    )


def fork_point(path: Path, session_id: str, questions: list[str]) -> ForkPoint | None:
    """Where to fork ``session_id`` so it ends with the turn of ``questions[0]``.

    Args:
        path: the session's transcript.
        questions: the question of the branch's last turn, then every later question of the
            parent conversation (the same text asked again later shifts which turn it is).

    Returns:
        None when the transcript is gone or does not hold that turn (the session was replaced
        after its transcript was lost, say): the branch then replays its messages instead.
    """
    if not questions:
        return None
    try:
        with path.open(encoding="utf-8", errors="replace") as lines:
            found = turns(lines)
    except OSError:
        return None
    wanted = questions[0]
    again = sum(1 for question in questions if question.strip() == wanted.strip())
    matches = [end for prompt, end in found if asks(prompt, wanted)]
    if len(matches) < again:
        return None
    return ForkPoint(session_id, matches[-again])


def before_last_turn(path: Path, question: str) -> tuple[bool, str | None]:
    """Whether the transcript's last turn asks ``question``, and where the turn before it ends.

    For a retry: the CLI keeps a failed or cancelled question in its session, so the session is
    resumed cut just before it. The end is None when that question was the session's first; a
    cancel's marker after the question is no turn of its own.
    """
    try:
        with path.open(encoding="utf-8", errors="replace") as lines:
            found = turns(lines)
    except OSError:
        return False, None
    while found and found[-1][0].startswith(INTERRUPTED):
        found.pop()
    if not found or not asks(found[-1][0], question):
        return False, None
    return True, found[-2][1] if len(found) > 1 else None
