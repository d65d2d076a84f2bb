"""`assistant-tui ask` and `history` as a user runs them: the installed module, a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.assistant_db import add_upstream_message, history_counts, make_upstream
from tests.helpers.processes import run_cli
from tui.demo.model_server import ModelServer, ToolCall, Turn


async def test_ask_streams_stores_and_continues(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "h.db")
    turns = [
        Turn(match="files", tools=[ToolCall("Glob", {"pattern": "*.py"})], times=1),
        Turn(match="app.py", text="There is one Python file: `app.py`.\x1b]52;c;ZXZpbA==\x07"),
        Turn(match="and then", text="Then nothing else."),
    ]
    async with ModelServer(turns) as server:
        env = {"ANTHROPIC_BASE_URL": server.url}
        common = ["--project", str(project), "--db", db, "--model", "scripted"]
        code, out, err = await run_cli("ask", *common, "Which files?", env=env)
        assert code == 0, err
        assert out == "There is one Python file: `app.py`.\x1b]52;c;ZXZpbA==\x07\n"
        assert "· Searching for files: *.py" in err
        code, out, err = await run_cli(
            "ask", *common, "--continue", "-", stdin="and then?", env=env
        )
        assert code == 0 and out == "Then nothing else.\n"
        code, listing, _ = await run_cli("history", "--project", str(project), "--db", db)
        assert code == 0 and "4 messages  Which files?" in listing
        conv_id = listing.split()[0]
        code, shown, _ = await run_cli("history", "--project", str(project), "--db", db, conv_id)
        assert "Searching for files: *.py — ok" in shown and "Then nothing else." in shown
        assert "\x1b" not in shown and "␛]52;c;ZXZpbA==^G" in shown
        code, as_json, _ = await run_cli("history", "--db", db, "--json", conv_id)
        record = json.loads(as_json)
        assert [m["role"] for m in record["messages"]] == ["user", "assistant"] * 2
        assert record["tool_events"][0]["name"] == "Glob"


async def test_ask_json_events_and_failure_exit(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    async with ModelServer([Turn(match="bad", status=401), Turn(text="fine")]) as server:
        env = {"ANTHROPIC_BASE_URL": server.url}
        common = ["--project", str(project), "--db", str(tmp_path / "h.db"), "--model", "m"]
        code, out, _ = await run_cli("ask", *common, "--json", "hello", env=env)
        events = [json.loads(line)["event"] for line in out.splitlines()]
        assert code == 0 and events[0] == "TurnStarted" and events[-1] == "TurnFinished"
        assert "TextDelta" in events
        code, out, err = await run_cli("ask", *common, "bad", env=env)
        assert code == 1 and out == ""
        *retries, last = err.strip().splitlines()
        assert last == (
            "assistant-tui: The API rejected the credentials (401); check ANTHROPIC_API_KEY or "
            "ANTHROPIC_AUTH_TOKEN."
        )
        assert retries == ["note: retrying, attempt 2 of 2: credentials rejected (401)"]


async def test_bad_input_is_one_sentence(isolated: Path, tmp_path: Path) -> None:
    code, _, err = await run_cli("ask", "--project", str(tmp_path / "nope"), "hi")
    assert code == 1 and err.strip() == (
        f"assistant-tui: The project directory {tmp_path / 'nope'} does not exist; "
        "pass a directory."
    )
    code, _, err = await run_cli("ask", "--env-file", str(tmp_path / "x.env"), "hi")
    assert code == 1 and "The env file" in err and "Traceback" not in err
    code, _, err = await run_cli("history", "--db", str(tmp_path / "h.db"), "999")
    assert code == 1 and "Conversation 999 does not exist" in err


async def test_demo_with_a_project_is_refused(isolated: Path, project: Path) -> None:
    """The demo's scripted answers are about its own sample project; elsewhere they would be
    wrong, so a project given with --demo is refused rather than silently ignored."""
    sentence = (
        "assistant-tui: --demo opens its own sample project (the scripted model's answers are "
        f"about it), so it takes no project; leave out --demo to work on {project}."
    )
    for args in (["--demo", str(project)], ["--demo", "--project", str(project)]):
        code, out, err = await run_cli(*args)
        assert (code, out, err.strip()) == (1, "", sentence)
    code, _, err = await run_cli("--serve", "--demo", str(project))
    assert (code, err.strip()) == (1, sentence)
    assert not list(isolated.rglob("demo-project"))  # and no sample project was made


async def test_an_unknown_option_shows_the_commands_own_usage(isolated: Path) -> None:
    code, out, err = await run_cli("ask", "--bogus", "hi")
    lines = err.strip().splitlines()
    assert code == 2 and out == ""
    assert lines[0].startswith("usage: assistant-tui ask ") and "PROMPT" in err
    assert lines[-1] == (
        "assistant-tui ask: error: unknown argument --bogus; see `assistant-tui ask --help`."
    )
    code, _, err = await run_cli("history", "--bogus", "-x")
    assert code == 2 and err.startswith("usage: assistant-tui history ")
    assert err.strip().splitlines()[-1] == (
        "assistant-tui history: error: unknown arguments --bogus -x; see "
        "`assistant-tui history --help`."
    )


async def test_import_autocoder_after_upstream_moved_the_file(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    """Import from the project folder, let upstream move the file into .autoforge/ and add a
    message, import again: only that message is added."""
    db = str(tmp_path / "h.db")
    source = make_upstream(project / "assistant.db")
    code, first, err = await run_cli("import-autocoder", str(project), "--db", db)
    assert code == 0, err
    assert first == (
        f"Imported 2 conversation(s) with 4 message(s) from {project.resolve()}/assistant.db; "
        "0 already imported.\n"
    )
    (project / ".autoforge").mkdir()
    moved = source.rename(project / ".autoforge" / "assistant.db")
    add_upstream_message(moved, 1, "user", "and the tests?")
    code, again, err = await run_cli("import-autocoder", str(project), "--db", db)
    assert code == 0, err
    assert again == (
        f"Imported 0 conversation(s) with 0 message(s) from {moved.resolve()}; added 1 new "
        "message(s) to 1 conversation(s) continued upstream; 1 already imported.\n"
    )
    assert history_counts(Path(db)) == (2, 5)
    code, listing, _ = await run_cli("history", "--project", str(project), "--db", db)
    assert code == 0 and "3 messages  Explain the build" in listing


async def test_import_autocoder_refuses_a_linked_candidate(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    """A symlinked .autocoder/assistant.db stops the search: the root file is not imported."""
    db = str(tmp_path / "h.db")
    make_upstream(project / "assistant.db")
    (project / ".autocoder").mkdir()
    (project / ".autocoder" / "assistant.db").symlink_to(project / "assistant.db")
    code, out, err = await run_cli("import-autocoder", str(project), "--db", db)
    assert (code, out) == (1, "")
    assert err == (
        f"assistant-tui: {project.resolve()}/.autocoder/assistant.db is a symbolic link, which "
        "may point outside the project, so nothing is imported and no other assistant.db is "
        "looked for; replace it with a regular file in the project.\n"
    )
    assert history_counts(Path(db)) == (0, 0)
