"""The read-only guard's decisions (pure code; the e2e tests prove the CLI obeys them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.agent.guard import SECRET_DIRS, SECRET_PATTERNS, Guard, secret_read_rules


@pytest.fixture
def guard(tmp_path: Path) -> Guard:
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "a.py").write_text("x = 1\n")
    (tmp_path / "outside").mkdir()
    (project / "escape").symlink_to(tmp_path / "outside")
    return Guard(project)


@pytest.mark.parametrize(
    ("tool", "tool_input"),
    [
        ("Read", {"file_path": "src/a.py"}),
        ("Read", {"file_path": "./src/../src/a.py"}),
        ("Glob", {"pattern": "**/*.py"}),
        ("Glob", {"pattern": "*.py", "path": "src"}),
        ("Grep", {"pattern": "import os", "glob": "*.py"}),
        ("Grep", {"pattern": "x"}),
        ("WebSearch", {"query": "textual markdown"}),
        ("mcp__features__feature_create", {"name": "x"}),
        ("Read", {"file_path": "src/café.py"}),
    ],
)
def test_allows_reading_inside(guard: Guard, tool: str, tool_input: dict[str, str]) -> None:
    assert guard.decide(tool, tool_input) is None


@pytest.mark.parametrize(
    ("tool", "tool_input", "reason"),
    [
        ("Write", {"file_path": "a"}, "Write is not available"),
        ("Bash", {"command": "ls"}, "Bash is not available"),
        ("NotebookEdit", {}, "not available"),
        ("mcp__other__tool", {}, "not available"),
        ("Read", {"file_path": "../outside/x"}, "outside the project"),
        ("Read", {"file_path": "/etc/passwd"}, "outside the project"),
        ("Read", {"file_path": "~/.ssh/id_rsa"}, "outside the project"),
        ("Read", {"file_path": "escape/x"}, "outside the project"),
        ("Read", {"file_path": "src/\u2024\u2024/\u2024\u2024/etc/passwd"}, "outside the project"),
        ("Read", {"file_path": "src/a.py\x00.txt"}, "NUL character"),
        ("Read", {"file_path": "a" * 5000}, "longer than 4096"),
        ("Read", {"file_path": "src/\u202ea.py"}, "invisible formatting"),
        ("Read", {"file_path": ".env"}, "may hold secrets"),
        ("Read", {"file_path": "deploy/server.pem"}, "may hold secrets"),
        ("Read", {"file_path": "ID_RSA"}, "may hold secrets"),
        ("Read", {"file_path": ".envrc"}, "may hold secrets"),
        ("Read", {"file_path": "config/.env_prod"}, "may hold secrets"),
        ("Read", {"file_path": ".aws/credentials"}, "may hold secrets"),
        ("Read", {"file_path": "home/.ssh/known_hosts"}, "may hold secrets"),
        ("Read", {}, "file_path is required"),
        ("Glob", {"pattern": "/etc/*"}, "reaches outside"),
        ("Glob", {"pattern": "../*"}, "reaches outside"),
        ("Glob", {"pattern": "~/*"}, "reaches outside"),
        ("Glob", {"pattern": "*", "path": "/"}, "outside the project"),
        ("Glob", {"pattern": "**/.env"}, "may hold secrets"),
        ("Grep", {"pattern": "x", "path": ".."}, "outside the project"),
        ("Grep", {"pattern": "x", "glob": "../../**"}, "reaches outside"),
        ("Grep", {"pattern": "x", "path": 7}, "must be a path string"),
    ],
)
def test_denies(guard: Guard, tool: str, tool_input: dict[str, object], reason: str) -> None:
    decision = guard.decide(tool, tool_input)
    assert decision is not None and reason in decision


def test_cli_deny_rules_cover_every_secret_pattern() -> None:
    rules = secret_read_rules()
    assert "Read(**/.env*)" in rules and "Read(**/.ssh/**)" in rules
    assert len(rules) == len(SECRET_PATTERNS) + len(SECRET_DIRS)


def test_secrets_can_be_allowed(tmp_path: Path) -> None:
    assert Guard(tmp_path, allow_secrets=True).decide("Read", {"file_path": ".env"}) is None


async def test_hook_reports_denial_and_remembers_it(guard: Guard) -> None:
    data = {"tool_name": "Bash", "tool_input": {"command": "ls"}, "tool_use_id": "tu_9"}
    answer = await guard.hook(data, "tu_9", None)
    output = answer["hookSpecificOutput"]
    assert (
        output["permissionDecision"] == "deny" and "read-only" in output["permissionDecisionReason"]
    )
    assert guard.denied == {"tu_9"}
    assert (
        await guard.hook({"tool_name": "Read", "tool_input": {"file_path": "src/a.py"}}, "t", None)
        == {}
    )
