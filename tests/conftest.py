"""Every fixture shared by more than one test directory, registered once.

The helpers these fixtures use live in ``tests.helpers``; test modules import from there and never
from a conftest or from each other.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from mcp.client import Client

from tests.helpers.engine import Engine
from tests.helpers.mcp import backlog_client
from tests.helpers.processes import children_of
from tui.agent.manager import SessionManager
from tui.app import AssistantApp
from tui.config import Settings
from tui.demo.model_server import ModelServer, Turn
from tui.storage import Store


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny sample project: a README and one Python file, what the scripted model reads.

    Tests that must see a different project (a longer name, a hardlink) override this fixture in
    their own module.
    """
    path = tmp_path / "project"
    path.mkdir()
    (path / "README.md").write_text("# Demo\nA tiny project.\n")
    (path / "app.py").write_text("def main():\n    return 42\n")
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a history file goes: a folder that does not exist yet, as on a first run."""
    return tmp_path / "data" / "history.db"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    """A real store on a real file in a temp directory, closed after the test."""
    opened = await Store.open(db_path)
    yield opened
    await opened.close()


@pytest.fixture
def connect() -> Callable[..., AbstractAsyncContextManager[Client]]:
    """A way to open a real MCP client on our backlog server over a project."""
    return backlog_client


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


@pytest.fixture
def app_factory(
    isolated: Path,
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., object]:
    """Make the real app (real store and engine) against a scripted model server."""

    @asynccontextmanager
    async def make(
        turns: list[Turn], db: Path | None = None
    ) -> AsyncIterator[tuple[AssistantApp, ModelServer]]:
        async with ModelServer(turns) as server:
            monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
            where = str(db or tmp_path / "h.db")
            settings = Settings.build(project=project, db=where, model="scripted")
            yield AssistantApp(settings), server

    return make
