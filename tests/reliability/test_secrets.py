"""The API key and token never land in a file the app writes, nor in what the commands print.

A real session (the SDK and the bundled CLI against the scripted model) runs with a known fake
key and token: a turn with tool calls (one reads the project's .env holding both, which the guard
must deny; a Grep for them must come back without them), an error turn, `assistant-tui ask` as its
own process with an error of its own, `assistant-tui history` in every form, and `assistant-tui
export` to stdout and to a file. Then every byte of every file under the app's data, config,
cache, state and log directories, the history database with its -wal and -shm files, the export
and the project is searched for the secrets.

The CLI's own config dir (CLAUDE_CONFIG_DIR) belongs to the CLI, not to this app: it is searched
and reported, but is no pass criterion.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from platformdirs import user_cache_path, user_log_path, user_state_path

from tests.helpers.figures import Figures
from tests.helpers.processes import run_cli
from tui.agent.events import ToolFinished, ToolStarted, TurnFailed, TurnFinished, TurnStarted
from tui.config import APP_NAME, config_dir
from tui.demo.model_server import ToolCall, Turn
from tui.models import ToolStatus

KEY = "sk-ant-test-0000-FAKEKEY"  # what the isolated fixture sets as ANTHROPIC_API_KEY
TOKEN = "sk-ant-oat01-test-1111-FAKETOKEN"
# The whole secrets, and their tails: a tool that keeps only the last characters still leaks.
NEEDLES = [KEY, TOKEN, KEY[-12:], TOKEN[-14:]]


def files_under(paths: Iterable[Path], skip: Iterable[Path] = ()) -> list[Path]:
    """Every regular file at or below the given paths, once each, less the skipped ones."""
    skipped = {p.resolve() for p in skip}
    found: set[Path] = set()
    for path in paths:
        if path.is_file():
            found.add(path.resolve())
        elif path.is_dir():
            found |= {f.resolve() for f in path.rglob("*") if f.is_file()}
    return sorted(found - skipped)


def holding_secrets(files: Iterable[Path]) -> list[tuple[Path, str]]:
    """The (file, needle) pairs where a file's bytes contain a secret or its tail."""
    hits = []
    for file in files:
        data = file.read_bytes()
        hits += [(file, needle) for needle in NEEDLES if needle.encode() in data]
    return hits


async def test_no_file_of_the_app_holds_the_key_or_token(
    engine_factory: Any,
    isolated: Path,
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    figures: Figures,
) -> None:
    """After tools, errors, `ask` and `history`, no app file holds the credentials.

    The requests the scripted API received carried the key, so the secret really was in play.
    """
    monkeypatch.setenv("ANTHROPIC_AUTH_TOKEN", TOKEN)
    planted = project / ".env"
    planted.write_text(f"ANTHROPIC_API_KEY={KEY}\nANTHROPIC_AUTH_TOKEN={TOKEN}\n")
    turns = [
        Turn(
            match="look around",
            tools=[
                ToolCall("Read", {"file_path": "app.py"}),
                ToolCall("Read", {"file_path": ".env"}),
                ToolCall("Grep", {"pattern": "FAKE", "output_mode": "content"}),
            ],
        ),
        Turn(match="return 42", text="app.py returns 42."),
        Turn(match="reject me", status=401),
        Turn(match="teapot", status=418),
    ]
    engine = await engine_factory(turns)

    events = await engine.turn("look around")
    assert isinstance(events[0], TurnStarted) and isinstance(events[-1], TurnFinished)
    conversation = await engine.store.conversation_get(events[0].conversation_id)
    assert conversation is not None
    done = {e.id: e for e in events if isinstance(e, ToolFinished)}
    tools = [(e.name, done[e.id].status) for e in events if isinstance(e, ToolStarted)]
    assert tools == [("Read", ToolStatus.OK), ("Read", ToolStatus.DENIED), ("Grep", ToolStatus.OK)]
    assert not [n for e in done.values() for n in NEEDLES if n in e.result]

    failed = await engine.turn("reject me", conversation)
    assert isinstance(failed[-1], TurnFailed) and "(401)" in failed[-1].message

    sent = engine.server.message_requests
    assert sent and all(r.headers.get("x-api-key") == KEY for r in sent)
    assert all(r.headers.get("authorization") == f"Bearer {TOKEN}" for r in sent)

    db = engine.settings.db
    common = ["--project", str(project), "--db", str(db)]
    env = {"ANTHROPIC_BASE_URL": engine.server.url}
    code, out, err = await run_cli("ask", *common, "--model", "scripted", "teapot", env=env)
    assert code == 1 and "(418)" in err
    printed = out + err
    for listing in ([], [str(conversation.id)], ["--json", str(conversation.id)]):
        code, out, err = await run_cli("history", *common, *listing)
        assert code == 0, err
        printed += out + err
    assert "look around" in printed and "Reading file: .env — denied" in printed
    # An export is made to be shared: to stdout and to a file, it carries neither.
    code, exported, err = await run_cli("export", *common, str(conversation.id), "-o", "-")
    assert code == 0 and "<summary>Tool: Reading file: .env — denied" in exported, err
    printed += exported + err
    export_file = db.parent / "export.md"
    code, out, err = await run_cli("export", *common, str(conversation.id), "-o", str(export_file))
    assert code == 0 and out.strip() == str(export_file), err
    assert not [needle for needle in NEEDLES if needle in printed]

    # Everything the app owns, scanned while the history is still open (-wal and -shm exist).
    cli_cache = Path(os.environ.get("XDG_CACHE_HOME") or isolated / ".cache") / "claude-cli-nodejs"
    assert list(cli_cache.glob("*/mcp-logs-features/*")), "the MCP server log is where expected"
    prompts = engine.settings.state_dir / "prompts"
    assert list(prompts.iterdir()), "the system prompt file is where the app writes it"
    assert db.with_name(db.name + "-wal").is_file()
    owned = files_under(
        [
            engine.settings.state_dir,
            config_dir(),
            *db.parent.glob(db.name + "*"),
            export_file,
            user_cache_path(APP_NAME, appauthor=False),
            user_state_path(APP_NAME, appauthor=False),
            user_log_path(APP_NAME, appauthor=False),
            *cli_cache.glob("*/mcp-logs-features"),  # our MCP server's log, kept by the CLI
            project,
        ],
        skip=[planted],
    )
    assert len(holding_secrets([planted])) == len(NEEDLES)  # the search does find them
    hits = holding_secrets(owned)
    figures.record("hostile input", "files scanned for the key", len(owned))
    figures.record("hostile input", "files holding the key or token", len(hits))
    assert hits == []

    # The CLI's own directory: reported, not judged.
    cli_dir = engine.settings.claude_config_dir()
    cli_hits = holding_secrets(files_under([cli_dir]))
    print(f"\n[info] CLI config dir {cli_dir}: {len(files_under([cli_dir]))} files")
    for file, needle in cli_hits:
        print(f"[info] the CLI wrote {needle!r} into {file.relative_to(cli_dir)}")
    figures.record("hostile input", "CLI config files holding the key (not judged)", len(cli_hits))
