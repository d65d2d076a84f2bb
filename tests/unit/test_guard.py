"""The read-only guard's decisions (pure code; the e2e tests prove the CLI obeys them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from boundary.secrets import SECRET_DIRS, SECRET_PATTERNS, SECRET_TAILS
from tui.agent.guard import Guard, secret_read_rules


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
        ("mcp__features__feature_get_stats", {}),
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
    assert "Read(**/.git/config)" in rules
    assert len(rules) == len(SECRET_PATTERNS) + len(SECRET_TAILS) + len(SECRET_DIRS)


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


@pytest.mark.parametrize(
    "name",
    [
        ".git/config",
        ".GIT/CONFIG",
        ".git/config.worktree",
        ".git/worktrees/feature/config.worktree",
        ".git/modules/lib/config",
        "vendor/.git/modules/deep/nested/config",
        ".git/credentials",
        ".config/gh/hosts.yml",
        ".vault-token",
        "prod.tfvars",
        "putty.PPK",
        ".yarnrc.yml",
        ".docker/config.json",
        ".kube/config",
        ".terraformrc",
        ".htpasswd",
        "http.keytab",
        ".s3cfg",
        ".boto",
        "deploy-sa.json",
    ],
)
def test_credential_files_are_denied_by_name(guard: Guard, name: str) -> None:
    decision = guard.decide("Read", {"file_path": name})
    assert decision is not None and "may hold secrets" in decision


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n",
            "a private key",
        ),
        ("key = sk-ant-api03-abcdefghijklmnop\n", "an Anthropic API key"),
        ("token: ghp_" + "a1B2" * 9 + "\n", "a GitHub token"),
        ("url = https://x:github_pat_" + "A" * 30 + "@github.com\n", "a GitHub token"),
        ("aws_access_key_id = AKIAABCDEFGHIJKLMNOP\n", "an AWS access key"),
        ("SLACK=xoxb-1234567890-abcdef\n", "a Slack token"),
        ("GL=glpat-abcdefghij0123456789\n", "a GitLab token"),
        ('{"type": "service_account", "project_id": "p"}\n', "a cloud service-account key"),
    ],
)
def test_files_holding_a_credential_are_denied_by_content(
    guard: Guard, content: str, kind: str
) -> None:
    (guard.root / "config.ini").write_text("[main]\n" + content)
    decision = guard.decide("Read", {"file_path": "config.ini"})
    assert decision is not None and f"holds {kind}" in decision
    assert Guard(guard.root, allow_secrets=True).decide("Read", {"file_path": "config.ini"}) is None


def test_a_hardlink_is_denied_but_a_package_cache_link_is_not(guard: Guard, tmp_path: Path) -> None:
    (tmp_path / "outside" / "notes.txt").write_text("outside\n")
    os.link(tmp_path / "outside" / "notes.txt", guard.root / "notes.txt")
    decision = guard.decide("Read", {"file_path": "notes.txt"})
    assert decision is not None and "hardlink (2 names)" in decision
    site = guard.root / ".venv" / "lib" / "site-packages" / "pkg"
    site.mkdir(parents=True)
    os.link(tmp_path / "outside" / "notes.txt", site / "mod.py")
    assert guard.decide("Read", {"file_path": ".venv/lib/site-packages/pkg/mod.py"}) is None
    assert guard.decide("Grep", {"pattern": "x", "path": "notes.txt"}) is not None


def test_special_files_are_denied(guard: Guard) -> None:
    os.mkfifo(guard.root / "pipe")
    decision = guard.decide("Read", {"file_path": "pipe"})
    assert decision is not None and "not a regular file" in decision
