"""`assistant-tui export` as a user runs it, on a history written by real `ask` turns with tools."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.helpers.processes import run_cli, tree_hash
from tui.demo.model_server import ModelServer, ToolCall, Turn

ANSWER = (
    "`main` returns **42**.\n\n```python\ndef main():\n    return 42\n```\n\x1b]52;c;ZXZpbA==\x07"
)


async def history_with_tools(project: Path, db: Path) -> str:
    """Two real turns through the CLI: the first reads a file and is denied a command."""
    turns = [
        Turn(
            match="what is in app",
            tools=[ToolCall("Read", {"file_path": "app.py"}), ToolCall("Bash", {"command": "ls"})],
            times=1,
        ),
        Turn(match="return 42", text=ANSWER),
        Turn(match="thanks", text="You are welcome."),
    ]
    async with ModelServer(turns) as server:
        env = {"ANTHROPIC_BASE_URL": server.url}
        common = ["--project", str(project), "--db", str(db), "--model", "scripted"]
        code, _, err = await run_cli("ask", *common, "what is in app.py?", env=env)
        assert code == 0, err
        code, _, err = await run_cli("ask", *common, "--continue", "thanks", env=env)
        assert code == 0, err
    code, listing, _ = await run_cli("history", "--project", str(project), "--db", str(db))
    return listing.split()[0]


async def test_export_prints_writes_and_never_overwrites(
    isolated: Path, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "h.db"
    conversation = await history_with_tools(project, db)
    code, printed, err = await run_cli("export", "--db", str(db), conversation, "-o", "-")
    assert code == 0, err
    assert printed.startswith("# what is in app.py?\n")
    assert "<summary>Tool: Reading file: app.py — ok, " in printed
    assert "<summary>Tool: Using tool: Bash — denied, " in printed
    assert "```text\nwhat is in app.py?\n```" in printed and "You are welcome." in printed
    assert "\x1b" not in printed and "␛]52;c;ZXZpbA==^G" in printed
    parsed = MarkdownIt("commonmark").parse(printed)
    code_blocks = [t.content for t in parsed if t.type == "fence" and t.info == "python"]
    assert code_blocks == ["def main():\n    return 42\n"]
    results = [t.content for t in parsed if t.type == "fence" and t.info == ""]
    assert results[0] == "1\tdef main():\n2\t    return 42\n3\t\n"  # the Read, line-numbered
    assert "Bash is disabled for this session" in results[1]

    # No documents folder and the shell in the project: refused, nothing written there.
    monkeypatch.chdir(project)
    before = tree_hash(project)
    code, out, err = await run_cli("export", "--db", str(db), conversation)
    assert code == 1 and out == ""
    assert err.strip() == (
        "assistant-tui: The current directory is inside the project and there is no documents "
        "folder (~/Documents), so nothing was written; choose a file outside the project with "
        "-o FILE (or -o - to print it)."
    )
    assert tree_hash(project) == before

    # With a documents folder the default goes there, named after the title.
    documents = isolated / "Documents"
    documents.mkdir()
    code, out, err = await run_cli("export", "--db", str(db), conversation)
    written = documents / "what-is-in-app.py.md"
    assert code == 0 and out.strip() == str(written), err
    assert (
        written.read_text(encoding="utf-8").split("\n- Exported:")[0]
        == printed.split("\n- Exported:")[0]
    )
    assert tree_hash(project) == before

    written.write_text("my notes")
    code, out, err = await run_cli("export", "--db", str(db), conversation)
    assert code == 1 and written.read_text() == "my notes"
    assert err.strip() == (
        f"assistant-tui: {written} already exists; pass --force to replace it, or -o to choose "
        "another."
    )
    code, out, err = await run_cli("export", "--db", str(db), conversation, "--force")
    assert code == 0 and written.read_text().startswith("# what is in app.py?")

    chosen = tmp_path / "out" / "chat.md"
    code, _, err = await run_cli("export", "--db", str(db), conversation, "-o", str(chosen))
    assert code == 1 and err.strip() == (
        f"assistant-tui: The folder {chosen.parent} does not exist; create it or choose another "
        "path."
    )
    chosen.parent.mkdir()
    code, out, err = await run_cli("export", "--db", str(db), conversation, "-o", str(chosen))
    assert code == 0 and out.strip() == str(chosen) and chosen.is_file()


async def test_export_bad_input_is_one_sentence(isolated: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "h.db")
    code, out, err = await run_cli("export", "--db", db, "999", "-o", "-")
    assert code == 1 and out == ""
    assert err.strip() == (
        "assistant-tui: Conversation 999 does not exist; run `assistant-tui history` to see the "
        "ids."
    )
    code, _, err = await run_cli("export", "--db", db)
    assert code == 2 and "the following arguments are required: CONVERSATION_ID" in err
    code, _, err = await run_cli("export", "--db", db, "twelve")
    assert code == 2 and "invalid int value: 'twelve'" in err
