"""The command each browser tab runs: the app with the same flags, quoted for the shell."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from tui.__main__ import app_parser
from tui.serve import is_loopback, served_command


def served(*argv: str) -> list[str]:
    parser = app_parser()
    command = served_command(parser, parser.parse_args(["--serve", *argv]))
    words = shlex.split(command)
    assert words[:3] == [sys.executable, "-m", "tui"]
    return words[3:]


def test_flags_pass_through_and_the_server_flags_do_not() -> None:
    assert served() == []
    assert served("--port", "9000", "--host", "::1") == []
    assert served("--demo", "--allow-secrets") == ["--allow-secrets", "--demo"]
    assert served("--db=/tmp/h.db", "--mod", "opus", "--env-file", "x.env") == [
        "--db", "/tmp/h.db", "--model", "opus", "--env-file", "x.env",
    ]  # fmt: skip


def test_hostile_paths_arrive_as_one_argument_each() -> None:
    odd = "/tmp/my project; rm -rf ~ $(reboot) `id` 'q' \"d\""
    assert served("--project", odd) == ["--project", odd]
    assert served("--", "-looks-like-a-flag") == ["--", "-looks-like-a-flag"]
    parser = app_parser()
    again = parser.parse_args(served("--", "-looks-like-a-flag"))
    assert again.project_dir == "-looks-like-a-flag" and not again.serve


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False)],
)
def test_only_loopback_hosts_are_private(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_token_file_must_be_private_and_long(tmp_path: Path) -> None:
    from tui.config import ConfigError
    from tui.serve_auth import read_token_file

    path = tmp_path / "token"
    path.write_text("a-long-enough-random-token-0123456789\n")
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="can be read by other users"):
        read_token_file(path)
    path.chmod(0o600)
    assert read_token_file(path) == "a-long-enough-random-token-0123456789"
    path.write_text("short\n")
    with pytest.raises(ConfigError, match="shorter than 22 characters"):
        read_token_file(path)
    with pytest.raises(ConfigError, match="cannot be read"):
        read_token_file(tmp_path / "missing")
