"""The real SDK and bundled CLI against the scripted model server, isolated in temp dirs."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.agent.events import Event
from tui.agent.manager import SessionManager
from tui.config import Settings
from tui.demo.model_server import ModelServer, Turn
from tui.models import Conversation
from tui.storage import Store


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME, the CLI's config dir and runtime dir in temp folders; a fake key; quick retries."""
    home = tmp_path / "home"
    for name, path in {
        "HOME": home,
        "CLAUDE_CONFIG_DIR": home / ".claude",
        "XDG_RUNTIME_DIR": home / "run",
        "XDG_DATA_HOME": home / "data",
        "XDG_CONFIG_HOME": home / "config",
    }.items():
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(path))
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-0000-FAKEKEY")
    monkeypatch.setenv("CLAUDE_CODE_MAX_RETRIES", "1")
    for name in ("ANTHROPIC_AUTH_TOKEN", "ASSISTANT_TUI_MODEL", "ANTHROPIC_DEFAULT_OPUS_MODEL"):
        monkeypatch.delenv(name, raising=False)
    return home


def children_of(pid: int) -> set[int]:
    """Every live descendant process of pid (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


@dataclass
class Engine:
    """A store and a session manager over one project, as the app and `ask` use them."""

    settings: Settings
    store: Store
    manager: SessionManager
    server: ModelServer

    async def turn(self, text: str, conversation: Conversation | None = None) -> list[Event]:
        return [event async for event in self.manager.run(text, conversation)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "project"
    path.mkdir()
    (path / "README.md").write_text("# Demo\nA tiny project.\n")
    (path / "app.py").write_text("def main():\n    return 42\n")
    return path


def tree_hash(root: Path) -> str:
    """A hash of every path, file content and symlink target below root."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_symlink():
            digest.update(b"->" + os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
async def engine_factory(
    isolated: Path, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[object]:
    """Make engines over a scripted server; everything is closed and checked for leaks after."""
    made: list[Engine] = []

    async def make(turns: Iterable[Turn], **settings: object) -> Engine:
        server = await ModelServer(turns).start()
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        built = Settings.build(project=project, db=str(tmp_path / "history.db"), model="scripted")
        for key, value in settings.items():
            setattr(built, key, value)
        store = await Store.open(built.db)
        engine = Engine(built, store, SessionManager(built, store), server)
        made.append(engine)
        return engine

    yield make
    for engine in made:
        await engine.manager.close_all()
        await engine.store.close()
        await engine.server.stop()
    assert children_of(os.getpid()) == set(), "a CLI or MCP process outlived its session"
