"""`assistant-tui --serve` in a real browser: headless Debian Chromium driven by Playwright.

The installed command serves a real project; the page's terminal (xterm.js) gets typed into like
a keyboard would, the scripted model streams its answer, and the test reads the terminal's own
buffer. xterm.js draws on a canvas, so an init script keeps a reference to the page's Terminal
object when the page creates it. Nothing but 127.0.0.1 is reachable from the page.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, async_playwright

from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, address, free_port, serve
from tests.helpers.processes import children_of
from tui.demo.model_server import ModelServer, ToolCall, Turn
from tui.storage import Store

# The page's terminal is a local of textual-serve's script; an assignment to `.terminal` on any
# object passes through this setter first, which keeps the Terminal and then steps aside.
KEEP_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true,
                                             enumerable: true});
    if (value && value.buffer && value.buffer.active) { window.__terminal = value; }
  },
});
window.__screen = () => {
  const buffer = window.__terminal ? window.__terminal.buffer.active : null;
  if (!buffer) { return ""; }
  const lines = [];
  for (let row = 0; row < buffer.length; row++) {
    const line = buffer.getLine(row);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
};
"""
ANSWER = "The parser reads **tokens** one by one and builds the tree bottom-up."
HELD = 24  # characters streamed before the model pauses, so the test sees a part first


@asynccontextmanager
async def browser_page() -> AsyncIterator[Page]:
    """A page of headless Chromium that may load from 127.0.0.1 only."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install chromium`.")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        page = await browser.new_page(viewport={"width": 1400, "height": 900})
        blocked: list[str] = []

        async def local_only(route: Any) -> None:
            if route.request.url.startswith("http://127.0.0.1:"):
                await route.continue_()
            else:  # textual-serve's page asks for a web font: nothing leaves the machine
                blocked.append(route.request.url)
                await route.abort()

        await page.route("**/*", local_only)
        await page.add_init_script(KEEP_TERMINAL)
        try:
            yield page
        finally:
            await browser.close()


async def shows(page: Page, text: str, timeout_s: float = 60) -> str:
    """Wait until the terminal in the page shows ``text``; return the whole screen."""
    await page.wait_for_function(
        "text => window.__screen && window.__screen().includes(text)",
        arg=text,
        timeout=timeout_s * 1000,
    )
    return str(await page.evaluate("window.__screen()"))


async def test_the_app_answers_in_a_browser(
    isolated: Path, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    turns = [
        Turn(match="parser", tools=[ToolCall("Read", {"file_path": "app.py"})]),
        Turn(match="return 42", text=ANSWER, chunk=3, hold_after=HELD),
    ]
    db = tmp_path / "history.db"
    async with ModelServer(turns) as model:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", model.url)  # the served app inherits it
        port = free_port()
        server = await serve(
            "--port", str(port), "--project", str(project), "--db", str(db), "--model", "scripted"
        )
        assert server.stdout is not None and server.stderr is not None
        url = await address(server, port)
        try:
            async with browser_page() as page:
                await page.goto(url)
                screen = await shows(page, "Hello! I can read")
                assert f"assistant-tui · {project.name}" in screen and "scripted" in screen
                await page.focus(".xterm-helper-textarea")  # the keyboard goes to the app
                await page.keyboard.type("How does the parser work?")
                await shows(page, "How does the parser work?")
                await page.keyboard.press("Enter")

                screen = await shows(page, ANSWER[:HELD])
                assert ANSWER[HELD:] not in screen  # a part first: it really streams
                assert "Reading file: app.py" in screen
                model.release()
                screen = await shows(page, "builds the tree bottom-up.")
                assert "The parser reads tokens one by one" in screen  # drawn as Markdown
                assert server.returncode is None
                # Ctrl+C with the tab still open: its app is told to quit and the server ends.
                server.send_signal(signal.SIGINT)
                _, err = await asyncio.wait_for(server.communicate(), 30)
                assert server.returncode == 0 and err == b""
        finally:
            if server.returncode is None:
                server.kill()
                await server.communicate()
    stored = await Store.open(db)
    try:
        conversations = await stored.conversation_list(project)
        assert [c.title for c in conversations] == ["How does the parser work?"]
        messages = await stored.message_page(conversations[0].id)
        assert messages[-1].content == ANSWER
    finally:
        await stored.close()
    assert children_of(os.getpid()) == set(), "a server, app, CLI or MCP process outlived it"


async def test_serve_refuses_a_busy_port_and_warns_off_loopback(
    isolated: Path, project: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = await serve("--port", str(port), str(project))
        out, err = await asyncio.wait_for(server.communicate(), 30)
    assert server.returncode == 1 and out == b""
    assert err.decode().strip() == (
        f"assistant-tui: Port {port} on 127.0.0.1 is already in use; choose another with --port."
    )
    # 192.0.2.1 is a documentation address: never this machine's, so nothing listens or leaves.
    server = await serve("--host", "192.0.2.1", "--port", str(free_port()), str(project))
    out, err = await asyncio.wait_for(server.communicate(), 30)
    assert server.returncode == 1 and out == b""
    assert err.decode().splitlines() == [
        "assistant-tui: warning: 192.0.2.1 can be reached from other machines: anyone on the "
        "network who opens this address can use the assistant with your credentials.",
        "assistant-tui: 192.0.2.1 is not an address of this machine; pass one of its own, or "
        "127.0.0.1.",
    ]
    server = await serve("--port", str(free_port()), str(project / "missing"))
    out, err = await asyncio.wait_for(server.communicate(), 30)
    assert server.returncode == 1 and err.decode().strip() == (
        f"assistant-tui: The project directory {project / 'missing'} does not exist; pass a "
        "directory."
    )
