"""`--serve` refuses strangers: no token, a wrong token, a foreign page's WebSocket, a
DNS-rebinding Host, another local user; the real server, headless Chromium and real sockets."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from playwright.async_api import async_playwright

from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, address, free_port, serve

FORBIDDEN = "Forbidden: this assistant-tui server needs its secret"
# A page of another origin that tries the app's WebSocket once the user has opened the app.
FOREIGN_PAGE = """<!doctype html><script>
window.result = "pending";
const ws = new WebSocket("ws://127.0.0.1:%d/ws");
ws.onopen = () => { window.result = "open"; };
ws.onerror = () => { window.result = "refused"; };
</script>"""


@asynccontextmanager
async def served(project: Path, *extra: str) -> AsyncIterator[tuple[str, int, Any]]:
    port = free_port()
    server = await serve("--port", str(port), "--demo", *extra)
    try:
        yield await address(server, port, generated="--token-file" not in extra), port, server
    finally:
        if server.returncode is None:
            server.send_signal(signal.SIGINT)
            await asyncio.wait_for(server.communicate(), 30)


@asynccontextmanager
async def foreign_site(port: int) -> AsyncIterator[str]:
    """An ordinary local web page on another port: what a site the user visits could serve."""
    app = web.Application()

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=FOREIGN_PAGE % port, content_type="text/html")

    app.router.add_get("/", page)
    runner = web.AppRunner(app)
    await runner.setup()
    other = free_port()
    await web.TCPSite(runner, "127.0.0.1", other).start()
    try:
        yield f"http://127.0.0.1:{other}/"
    finally:
        await runner.cleanup()


async def test_the_browser_is_refused_without_the_secret(isolated: Path, project: Path) -> None:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install chromium`.")
    async with served(project) as (url, port, _), async_playwright() as playwright:
        rules = "--host-resolver-rules=MAP rebind.test 127.0.0.1"  # a DNS-rebinding name
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, rules]
        )
        page = await browser.new_page()
        try:
            base = f"http://127.0.0.1:{port}/"
            for wrong in (base, base + "?token=guessed-but-wrong-0123456789"):
                reply = await page.goto(wrong)
                assert reply is not None and reply.status == 403
                assert FORBIDDEN in await page.inner_text("body")
            token = url.split("token=")[1]
            reply = await page.goto(f"http://rebind.test:{port}/?token={token}")
            assert reply is not None and reply.status == 403  # the right token, another Host
            reply = await page.goto(url)  # the user opens the app: the cookie is set
            assert reply is not None and reply.status == 200
            assert [c["name"] for c in await page.context.cookies()] == ["assistant_tui_token"]
            async with foreign_site(port) as evil:
                await page.goto(evil)
                await page.wait_for_function("window.result !== 'pending'", timeout=15_000)
                assert await page.evaluate("window.result") == "refused"
        finally:
            await browser.close()


async def test_every_route_needs_token_host_and_origin(isolated: Path, project: Path) -> None:
    async with served(project) as (url, port, _), aiohttp.ClientSession() as client:
        token = url.split("token=")[1]
        base = f"http://127.0.0.1:{port}"
        routes = ["/", "/ws", "/static/js/textual.js", "/download/anything"]
        for route in routes:
            async with client.get(base + route) as reply:
                assert reply.status == 403, route
                assert FORBIDDEN in await reply.text()
        good = {"Cookie": f"assistant_tui_token={token}"}
        async with client.get(base + "/", headers=good) as reply:
            assert reply.status == 200
        refused = [
            {**good, "Host": f"rebind.test:{port}"},
            {**good, "Origin": "http://evil.example"},
            {**good, "Origin": f"http://localhost:{port}"},
            {"Cookie": "assistant_tui_token=" + "x" * 43},
        ]
        for headers in refused:
            async with client.get(base + "/ws", headers=headers) as reply:
                assert reply.status == 403, headers


async def test_another_local_user_cannot_get_in(isolated: Path, project: Path) -> None:
    """As `nobody`: the page is refused, and no process's command line or environment (nor
    any file this server wrote) gives the token away."""
    if os.geteuid() != 0:
        pytest.fail("this test switches to the user nobody, so it runs as root (as CI does)")
    async with served(project) as (url, port, server):
        token = url.split("token=")[1]
        probe = (
            "import urllib.request, urllib.error\n"
            f"try: urllib.request.urlopen('http://127.0.0.1:{port}/')\n"
            "except urllib.error.HTTPError as e: print(e.code)\n"
        )
        done = subprocess.run(
            ["python3", "-c", probe], user="nobody", capture_output=True, text=True, timeout=30
        )
        assert done.stdout.strip() == "403", done.stderr
        for pid in [server.pid, *children(server.pid)]:
            for part in ("cmdline", "environ"):
                assert token.encode() not in Path(f"/proc/{pid}/{part}").read_bytes()
        assert not [
            f for f in isolated.rglob("*") if f.is_file() and token.encode() in f.read_bytes()
        ]


def children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


async def test_a_token_file_supplies_the_secret(
    isolated: Path, project: Path, tmp_path: Path
) -> None:
    path = tmp_path / "token"
    path.write_text("scripted-use-token-abcdefghijklmnop\n")
    path.chmod(0o600)
    async with served(project, "--token-file", str(path)) as (url, _, server):
        assert url.endswith("?token=scripted-use-token-abcdefghijklmnop")
        for pid in [server.pid, *children(server.pid)]:
            assert b"scripted-use-token" not in Path(f"/proc/{pid}/cmdline").read_bytes()
