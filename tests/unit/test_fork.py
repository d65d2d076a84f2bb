"""Finding the transcript entry a branch forks at, from a CLI transcript's lines."""

from __future__ import annotations

import json
from pathlib import Path

from tui.agent.fork import ForkPoint, fork_point, turns
from tui.agent.runner import replay_prompt
from tui.models import Message


def entry(uuid: str, kind: str, content: object, **extra: object) -> str:
    return json.dumps({"type": kind, "uuid": uuid, "message": {"content": content}, **extra})


TRANSCRIPT = [
    json.dumps({"type": "queue-operation"}),  # no uuid: not part of the conversation
    entry("u1", "user", "First?"),
    entry("x1", "attachment", None),
    entry("a1", "assistant", [{"type": "tool_use", "id": "t"}]),
    entry("r1", "user", [{"type": "tool_result", "tool_use_id": "t", "content": "ok"}]),
    entry("a1b", "assistant", [{"type": "text", "text": "Answer one."}]),
    entry("s1", "assistant", [{"type": "text", "text": "sub"}], isSidechain=True),
    entry("p1", "progress", None),
    entry("u2", "user", [{"type": "text", "text": "Again?"}]),
    entry("m2", "user", "<command>meta</command>", isMeta=True),
    entry("a2", "assistant", [{"type": "text", "text": "Two."}]),
    '{"type": "assistant", "uuid": "cut',  # a line cut short by a crash
    entry("u3", "user", "Again?"),
    entry("a3", "assistant", [{"type": "text", "text": "Three."}]),
]


def test_turns_start_at_questions_and_end_at_their_last_entry() -> None:
    assert turns(TRANSCRIPT) == [("First?", "a1b"), ("Again?", "a2"), ("Again?", "a3")]


def test_the_same_question_asked_again_is_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(TRANSCRIPT) + "\n")
    assert fork_point(path, "s", ["First?", "Again?", "Again?"]) == ForkPoint("s", "a1b")
    assert fork_point(path, "s", ["Again?", "Again?"]) == ForkPoint("s", "a2")
    assert fork_point(path, "s", ["Again?"]) == ForkPoint("s", "a3")
    assert fork_point(path, "s", ["Never asked?"]) is None
    assert fork_point(path, "s", ["First?", "First?"]) is None  # only once in the transcript
    assert fork_point(tmp_path / "gone.jsonl", "s", ["First?"]) is None


def test_a_replayed_prompt_counts_as_its_question(tmp_path: Path) -> None:
    prompt = replay_prompt(list[Message](), "What now?")
    path = tmp_path / "s.jsonl"
    path.write_text(entry("u", "user", prompt) + "\n" + entry("a", "assistant", []) + "\n")
    assert fork_point(path, "s", ["What now?"]) == ForkPoint("s", "a")
    assert fork_point(path, "s", ["now?"]) is None


def test_a_saved_plan_reads_back_or_is_ignored() -> None:
    point = ForkPoint("s", "a")
    assert ForkPoint.loads(point.dumps()) == point
    assert ForkPoint.loads("not json") is None and ForkPoint.loads("{}") is None
