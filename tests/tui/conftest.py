"""The real app under Pilot, with the real store and engine against the scripted model."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from tests.e2e import conftest as e2e
from tui.app import AssistantApp
from tui.config import Settings
from tui.demo.model_server import ModelServer, Turn

isolated = e2e.isolated  # the same isolated HOME and sample project as the e2e tests
project = e2e.project


@pytest.fixture
def app_factory(
    isolated: Path,
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., object]:
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
