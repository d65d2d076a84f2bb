"""The user's say over web fetches and backlog writes: the guard's rules and what is kept
(pure code; tests/reliability/test_approvals.py proves it through the real CLI and the app)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mcp_server.tools import TOOLS
from tui.agent.approval import (
    BACKLOG_CHOICES,
    PREVIEW_LIMIT,
    WRITE_TOOLS,
    Approvals,
    Choice,
    backlog_preview,
    new_question,
)
from tui.agent.guard import BACKLOG_NOT_ALLOWED, Guard
from tui.agent.web import WebPolicy
from tui.tool_lines import MCP_PREFIX, describe

BULK = MCP_PREFIX + "feature_create_bulk"
URL = "https://docs.example.org/page?q=secret"


def test_writing_tools_come_from_the_servers_read_only_hints() -> None:
    writers = {MCP_PREFIX + t.name for t in TOOLS if not t.annotations["readOnlyHint"]}
    assert writers == WRITE_TOOLS
    assert {"feature_create", "feature_create_bulk", "feature_skip"} <= {
        name.removeprefix(MCP_PREFIX) for name in WRITE_TOOLS
    }


@pytest.mark.parametrize("tool", sorted(WRITE_TOOLS))
def test_backlog_writes_are_denied_unless_allowed(tmp_path: Path, tool: str) -> None:
    assert Guard(tmp_path).decide(tool, {}) == BACKLOG_NOT_ALLOWED
    assert Guard(tmp_path, backlog_writes="on").decide(tool, {}) is None


def test_reads_of_the_backlog_never_ask(tmp_path: Path) -> None:
    guard = Guard(tmp_path, approvals=Approvals(interactive=True))
    for tool in TOOLS:
        if tool.annotations["readOnlyHint"]:
            assert asyncio.run(guard.check(MCP_PREFIX + tool.name, {}, "t1")) is None
    assert guard.approvals.questions.empty()


async def answer_next(approvals: Approvals, choice: Choice) -> str:
    question = await approvals.questions.get()
    question.choose(choice)
    return question.body


async def test_a_fetch_asks_and_the_answer_decides(tmp_path: Path) -> None:
    guard = Guard(tmp_path, approvals=Approvals(interactive=True))
    fetch = {"url": URL, "prompt": "Summarise it."}
    asked = asyncio.ensure_future(answer_next(guard.approvals, Choice.DENY))
    reason = await guard.check("WebFetch", fetch, "t1")
    assert "declined this fetch of " + URL in str(reason)
    body = await asked
    assert URL in body and "docs.example.org" in body and "Summarise it." in body
    assert guard.decisions["t1"] == "denied by you"
    asked = asyncio.ensure_future(answer_next(guard.approvals, Choice.CONVERSATION))
    assert await guard.check("WebFetch", fetch, "t2") is None
    await asked
    assert await guard.check("WebFetch", fetch, "t3") is None  # not asked again
    assert guard.decisions["t3"] == "allowed: you allowed this host for this conversation"
    assert guard.approvals.questions.empty()


async def test_headless_denies_without_asking(tmp_path: Path) -> None:
    guard = Guard(tmp_path, web=WebPolicy("ask"))
    reason = await guard.check("WebFetch", {"url": URL}, "t1")
    assert "--allow-web docs.example.org" in str(reason)
    assert guard.decisions["t1"] == "denied: host not allowed (nobody to ask)"
    assert await guard.check(BULK, {"features": []}, "t2") == BACKLOG_NOT_ALLOWED


async def test_parallel_questions_covered_by_a_standing_answer_are_settled(tmp_path: Path) -> None:
    guard = Guard(tmp_path, approvals=Approvals(interactive=True))
    first = asyncio.ensure_future(guard.check(BULK, {"features": []}, "a"))
    second = asyncio.ensure_future(guard.check(BULK, {"features": []}, "b"))
    question = await guard.approvals.questions.get()
    await guard.approvals.questions.get()  # both calls wait for the user
    question.choose(Choice.CONVERSATION)
    assert await first is None and await second is None
    assert guard.decisions == {
        "a": "allowed by you for this conversation",
        "b": "allowed by you for this conversation",
    }


async def test_giving_up_cancels_every_open_question(tmp_path: Path) -> None:
    guard = Guard(tmp_path, approvals=Approvals(interactive=True))
    call = asyncio.ensure_future(guard.check(BULK, {"features": []}, "a"))
    question = await guard.approvals.questions.get()
    guard.approvals.give_up()
    with pytest.raises(asyncio.CancelledError):
        await call
    assert question.answer.cancelled()
    assert guard.decisions["a"] == "asked: the turn ended before an answer"


async def test_a_backlog_question_offers_no_project_wide_answer() -> None:
    question = new_question("backlog", BULK, "t", {"features": []})
    assert question.choices == BACKLOG_CHOICES and Choice.PROJECT not in question.choices


def test_the_preview_shows_every_field_that_will_be_written() -> None:
    features = [
        {"category": "Auth", "name": "Login", "description": "A form.", "steps": ["Open /"]},
        {
            "category": "Build",
            "name": "Postinstall",
            "description": "Upload ~/.ssh",
            "steps": ["curl evil"],
            "dependencies": [3],
            "depends_on_indices": [0, "x"],
        },
    ]
    text = backlog_preview(BULK, {"features": features})
    for expected in (
        "Create 2 feature(s)",
        "1. [Auth] Login",
        "2. [Build] Postinstall",
        "Upload ~/.ssh",
        "step 1: curl evil",
        "depends on existing features #3",
        "depends on items 1, 'x'",
    ):
        assert expected in text, expected
    assert "#7 to the end" in backlog_preview(MCP_PREFIX + "feature_skip", {"feature_id": 7})


def test_a_huge_preview_is_cut_with_a_warning() -> None:
    feature = {"category": "c", "name": "n", "description": "x" * (PREVIEW_LIMIT + 50)}
    text = backlog_preview(MCP_PREFIX + "feature_create", feature)
    assert len(text) < PREVIEW_LIMIT + 200 and "more characters are not shown" in text


def lines_starting(text: str, prefix: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith(prefix)]


async def test_a_value_cannot_pose_as_another_line_of_the_question() -> None:
    """A newline in the URL or the purpose cannot fake a "Host:" line; a bidi override, a
    zero-width or line-separator character is shown as an escape, never acts."""
    url = "https://collect.evil.example/x\nHost: docs.python.org\n"
    purpose = "Read.\nHost: docs.python.org" + "\n" * 60 + "tail\u202eexe.txt\u2028\u200b"
    body = new_question("web", "WebFetch", "t", {"url": url, "prompt": purpose}).body
    assert lines_starting(body, "Host:") == ["Host: collect.evil.example"]
    assert "x\\nHost: docs.python.org\\n" in body
    assert "   (59 empty lines)" in body and body.count("\n") < 8  # the rest stays in sight
    assert "tail\\u202eexe.txt\\u2028\\u200b" in body


def test_a_feature_cannot_pose_as_another_feature_or_step() -> None:
    feature = {
        "category": "UI\n2. [Docs]",
        "name": "Dark mode\n\n2. [Docs] Fix a typo",
        "description": "A theme.\n\n2. [Docs] Fix a typo" + "\n" * 40 + "Upload ~/.ssh too.",
        "steps": ["open settings\n   step 2: nothing else"],
    }
    text = backlog_preview(BULK, {"features": [feature]})
    assert lines_starting(text, "2.") == [] and len(lines_starting(text, "1.")) == 1
    assert lines_starting(text, "   step") == ["   step 1: open settings\\n   step 2: nothing else"]
    assert "   2. [Docs] Fix a typo\n   (39 empty lines)\n   Upload ~/.ssh too." in text
    skip = backlog_preview(MCP_PREFIX + "feature_skip", {"feature_id": "3\u202e1"})
    assert skip == "Move feature #3\\u202e1 to the end of the queue."


def test_each_edit_shows_what_it_will_write() -> None:
    """Every edit tool has its own preview (no raw JSON fallback), built from the call alone;
    a value cannot pose as a further line (a fake "new name", a second step)."""
    edits = {t.name for t in TOOLS if t.annotations["readOnlyHint"] is False} - {
        "feature_create",
        "feature_create_bulk",
        "feature_skip",
    }
    calls = {
        "feature_update": {
            "feature_id": 3,
            "name": "Login\n   new category: Billing",
            "description": "Checks the password.\n\n2. [Docs] x",
            "steps": ["open", "submit\n      step 3: curl evil"],
        },
        "feature_add_dependency": {"feature_id": 3, "dependency_id": 5},
        "feature_remove_dependency": {"feature_id": 3, "dependency_id": "5\u202e"},
        "feature_set_dependencies": {"feature_id": 3, "dependency_ids": [1, 2]},
        "feature_mark_failing": {"feature_id": 4, "reason": "Logout fails.\nstill"},
    }
    assert set(calls) == edits
    shown = {name: backlog_preview(MCP_PREFIX + name, args) for name, args in calls.items()}
    assert all(" with:\n" not in text for text in shown.values())  # not the JSON fallback
    update = shown["feature_update"]
    assert update.startswith("Change feature #3:\n   new name: Login\\n   new category: Billing\n")
    assert lines_starting(update, "   new category") == []
    assert "   new description:\n      Checks the password.\n      \n      2. [Docs] x" in update
    assert lines_starting(update, "      step") == [
        "      step 1: open",
        "      step 2: submit\\n      step 3: curl evil",
    ]
    assert "new steps (replacing all of them)" in update
    assert shown["feature_add_dependency"] == (
        "Make feature #3 wait for feature #5 (a new dependency)."
    )
    assert shown["feature_remove_dependency"] == (
        "Feature #3 no longer waits for feature #5\\u202e (the dependency is removed)."
    )
    assert shown["feature_set_dependencies"] == (
        "Replace the dependencies of feature #3 with: #1, #2."
    )
    cleared = backlog_preview(
        MCP_PREFIX + "feature_set_dependencies", {"feature_id": 3, "dependency_ids": []}
    )
    assert cleared == "Replace the dependencies of feature #3 with: none."
    failing = shown["feature_mark_failing"]
    assert failing.startswith("Reopen feature #4 as failing")
    assert failing.endswith(
        "Appended to its description:\n   Reported failing: Logout fails.\n   still"
    )
    quiet = backlog_preview(MCP_PREFIX + "feature_mark_failing", {"feature_id": 4})
    assert quiet.endswith("No reason given: its description stays as it is.")


@pytest.mark.parametrize("tool", sorted(WRITE_TOOLS))
def test_each_write_has_its_own_tool_log_line(tool: str) -> None:
    line = describe(tool, {"feature_id": 3, "dependency_id": 5, "name": "n", "features": []})
    assert not line.startswith("Using tool") and "\n" not in line
    if "dependency" in tool and "set" not in tool:
        assert "#3" in line and "#5" in line
