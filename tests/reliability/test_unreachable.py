"""An API that cannot be reached fails in seconds, naming the address; retries are shown while
the CLI makes them (issue 15 D8). The real CLI, with its own retry count, against a closed port
and against the scripted model answering 529."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.pilot import SIZE, send, until
from tests.helpers.processes import run_cli
from tests.helpers.screen import screen_rows
from tui.agent.events import Retrying, TextDelta, TurnFailed, TurnFinished
from tui.demo.model_server import Turn
from tui.models import MessageStatus


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def cli_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's default of ten retries (the isolated HOME sets one)."""
    monkeypatch.setenv("CLAUDE_CODE_MAX_RETRIES", "10")


async def test_a_refused_connection_fails_in_seconds_naming_the_address(
    engine_factory: Any, monkeypatch: pytest.MonkeyPatch, cli_retries: None
) -> None:
    engine = await engine_factory([])
    address = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("ANTHROPIC_BASE_URL", address)
    started = time.monotonic()
    events = await engine.turn("hello")
    took = time.monotonic() - started
    retries = [e for e in events if isinstance(e, Retrying)]
    assert [e.status for e in retries] == [None, None, None]
    assert retries[0].line() == "retrying, attempt 2 of 11: no connection"
    failed = events[-1]
    assert isinstance(failed, TurnFailed), events[-1]
    assert f"The API at {address} could not be reached" in failed.message
    print(f"refused connection: failed after {took:.1f} s (the CLI alone: about 3 minutes)")
    conversation = await engine.store.conversation_list(engine.settings.project)
    messages = await engine.store.message_page(conversation[0].id)
    assert [m.status for m in messages] == [MessageStatus.COMPLETE, MessageStatus.ERROR]


async def test_an_overloaded_api_keeps_the_clis_backoff_and_says_so(
    engine_factory: Any, cli_retries: None
) -> None:
    turns = [Turn(match="hello", status=529, times=3), Turn(match="hello", text="Hello.")]
    engine = await engine_factory(turns)
    events = await engine.turn("hello")
    retries = [e for e in events if isinstance(e, Retrying)]
    assert [e.status for e in retries] == [529, 529, 529]
    assert retries[1].line() == "retrying, attempt 3 of 11: overloaded (529)"
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "Hello."
    assert isinstance(events[-1], TurnFinished)


async def test_headless_ask_says_each_retry_and_fails_fast(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    address = f"http://127.0.0.1:{closed_port()}"
    env = {"ANTHROPIC_BASE_URL": address, "CLAUDE_CODE_MAX_RETRIES": "10"}
    code, _, err = await run_cli(
        "ask", "--project", str(project), "--db", str(tmp_path / "h.db"), "hello", env=env
    )
    assert code == 1
    assert "note: retrying, attempt 2 of 11: no connection" in err
    assert f"assistant-tui: The API at {address} could not be reached" in err


async def test_the_status_line_shows_the_retry_until_the_answer_goes_on(
    app_factory: Any, cli_retries: None
) -> None:
    turns = [Turn(match="hello", status=529, times=2), Turn(match="hello", text="Hello.")]
    async with app_factory(turns) as (app, _server), app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        status = lambda: screen_rows(app)[-2]  # noqa: E731 - the status line, above the keys
        await until(pilot, lambda: "retrying, attempt 2 of 11: overloaded (529)" in status(), "")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "ready" in status() and "retrying" not in status()
        assert "Hello." in "\n".join(screen_rows(app))
