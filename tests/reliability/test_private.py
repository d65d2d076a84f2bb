"""The data directory is private: every folder the app writes is 0700 and every file 0600.

Checked by the mode bits of what real runs leave on disk, under umask 0o022 (the usual) and
0o000 (the loosest): the history file with its -wal and -shm, the system-prompt files, exports,
and a real turn through the SDK and the bundled CLI against the scripted model, then `ask` and
`export` as their own processes. The CLI's own files under CLAUDE_CONFIG_DIR are the CLI's and
are not judged here.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.processes import run_cli
from tui.agent.events import ToolFinished, TurnFinished, TurnStarted
from tui.agent.prompt import write_prompt_file
from tui.config import config_dir, data_dir
from tui.demo import prepare_project
from tui.demo.model_server import ToolCall, Turn
from tui.export.target import ExportError, write_new
from tui.models import ToolStatus
from tui.storage import Store


@pytest.fixture(params=[0o022, 0o000], ids=["umask022", "umask000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """Run the test (and the processes it starts, which inherit it) under this umask."""
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def loose(root: Path) -> list[tuple[str, str]]:
    """Everything below ``root`` that is not private: (path, octal mode); [] when all is."""
    found = []
    for path in sorted(root.rglob("*")):
        wanted = 0o700 if path.is_dir() and not path.is_symlink() else 0o600
        if mode(path) != wanted:
            found.append((str(path.relative_to(root)), oct(mode(path))))
    return found


def everything(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


async def test_a_real_turn_ask_and_export_leave_only_private_files(
    engine_factory: Any, isolated: Path, project: Path, tmp_path: Path, umask: int
) -> None:
    db = data_dir() / "history.db"
    turns = [
        Turn(match="look around", tools=[ToolCall("Read", {"file_path": "app.py"})]),
        Turn(match="return 42", text="app.py returns 42."),
        Turn(match="from the shell", text="Answered from the shell."),
    ]
    engine = await engine_factory(turns, db=db)
    events = await engine.turn("look around")
    assert isinstance(events[0], TurnStarted) and isinstance(events[-1], TurnFinished)
    assert [e.status for e in events if isinstance(e, ToolFinished)] == [ToolStatus.OK]

    common = ["--project", str(project), "--db", str(db)]
    env = {"ANTHROPIC_BASE_URL": engine.server.url}
    code, _out, err = await run_cli(
        "ask", *common, "--model", "scripted", "from the shell", env=env
    )
    assert code == 0, err
    exports = tmp_path / "exports"
    exports.mkdir()
    exported = exports / "chat.md"
    conversation = str(events[0].conversation_id)
    code, out, err = await run_cli("export", *common, conversation, "-o", str(exported))
    assert code == 0 and out.strip() == str(exported), err
    code, out, err = await run_cli("export", *common, conversation, "-o", str(exported))
    assert code == 1 and "already exists" in err  # still never replaced without --force
    code, out, err = await run_cli("export", *common, conversation, "-o", str(exported), "--force")
    assert code == 0, err

    # Looked at while the history is open, so its -wal and -shm exist.
    data = Path(os.environ["XDG_DATA_HOME"])
    made = everything(data)
    assert "assistant-tui/history.db-wal" in made and "assistant-tui/history.db-shm" in made
    assert any(name.startswith("assistant-tui/prompts/system-prompt-") for name in made), made
    assert mode(data_dir()) == 0o700
    assert loose(data) == []
    assert loose(Path(os.environ["XDG_CONFIG_HOME"])) == []
    assert not config_dir().exists()  # the app writes nothing into its config directory
    assert everything(exports) == ["chat.md"] and mode(exported) == 0o600


async def test_an_earlier_versions_loose_files_are_tightened(isolated: Path, project: Path) -> None:
    """A 0755 data directory with a 0644 history (and -wal, -shm) and prompt files, as an
    earlier version left them, is 0700/0600 once the app has opened it; a file the user made
    read-only loses only its group and other bits."""
    os.umask(0o022)
    folder = data_dir()
    folder.mkdir(parents=True)
    db = folder / "history.db"
    store = await Store.open(db)
    await store.conversation_create(project, "from before")
    await store.close()
    (folder / "prompts").mkdir()
    old_prompt = folder / "prompts" / "system-prompt-0000000000000000.md"
    old_prompt.write_text("an older prompt")
    other = folder / "prompts" / "read-only.md"
    other.write_text("kept")
    for path in (folder, folder / "prompts"):
        path.chmod(0o755)
    for path in (db, old_prompt):
        path.chmod(0o644)
    other.chmod(0o444)
    wal = db.with_name("history.db-wal")  # left by an instance that was killed
    wal.write_bytes(b"")
    wal.chmod(0o644)
    assert loose(folder.parent) != []

    store = await Store.open(db)
    try:
        assert [c.title for c in await store.conversation_list(project)] == ["from before"]
        write_prompt_file(project, folder / "prompts")
        assert mode(other) == 0o400
        other.chmod(0o600)
        assert loose(folder.parent) == []
        assert db.with_name("history.db-shm").exists()
    finally:
        await store.close()


async def test_a_custom_db_keeps_the_users_folder_and_makes_its_own_private(
    tmp_path: Path, umask: int
) -> None:
    """--db in a folder of the user's: that folder keeps its mode (it could be their home);
    the folders created for the file are 0700, and the file, -wal and -shm are 0600."""
    mine = tmp_path / "mine"
    mine.mkdir()
    mine.chmod(0o755)
    db = mine / "sub" / "deeper" / "chats.db"
    store = await Store.open(db)
    try:
        await store.conversation_create(tmp_path, "hello")
        assert mode(mine) == 0o755
        assert everything(mine) == [
            "sub",
            "sub/deeper",
            "sub/deeper/chats.db",
            "sub/deeper/chats.db-shm",
            "sub/deeper/chats.db-wal",
        ]
        assert loose(mine) == []
    finally:
        await store.close()
    existing = mine / "existing.db"  # a user's existing 0644 history file at --db is tightened
    existing.write_bytes(b"")
    existing.chmod(0o644)
    await (await Store.open(existing)).close()
    assert mode(existing) == 0o600 and mode(mine) == 0o755


def test_exports_are_0600_and_never_follow_a_symlink(tmp_path: Path, umask: int) -> None:
    target = tmp_path / "chat.md"
    write_new(target, "# new\n")
    assert mode(target) == 0o600 and target.read_text() == "# new\n"
    target.chmod(0o644)  # replacing with --force makes a new private file
    write_new(target, "# replaced\n", force=True)
    assert mode(target) == 0o600 and target.read_text() == "# replaced\n"
    assert everything(tmp_path) == ["chat.md"]  # no temporary file left behind
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    link = tmp_path / "link.md"
    link.symlink_to(victim)
    with pytest.raises(ExportError, match="already exists"):
        write_new(link, "# through the link\n")
    assert victim.read_text() == "untouched"


def test_the_demo_project_in_the_data_directory_is_private(isolated: Path, umask: int) -> None:
    project = prepare_project(data_dir())
    assert (project / "features.db").is_file() and (project / "app" / "calc.py").is_file()
    assert loose(data_dir().parent) == []
