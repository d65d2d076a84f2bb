"""Who may drive ``--serve``: the holder of this launch's secret, from the served origin only.

A browser lets any page open a WebSocket to 127.0.0.1, and any local user can connect to a
loopback port, so the server refuses every request (the page, the WebSocket, static files,
downloads) unless it carries the token (in the query once, then in a cookie set by the page),
its ``Host`` header is the address served (a DNS-rebinding name is another host) and its
``Origin``, when a browser sends one, is the served origin. The token lives in this process's
memory and the printed address only: never a command line, a log or a readable file.
"""

from __future__ import annotations

import hmac
import os
import secrets
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tui.config import ConfigError

if TYPE_CHECKING:
    from aiohttp import web

MIN_TOKEN = 22  # characters: 128 bits in URL-safe base64
COOKIE = "assistant_tui_token"
Handler = Callable[["web.Request"], Awaitable["web.StreamResponse"]]


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def read_token_file(path: Path) -> str:
    """A token the user supplies for scripted use; the file must be private and long enough."""
    try:
        info = os.stat(path)
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"The token file {path} cannot be read ({error}); check --token-file."
        ) from None
    if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077:
        raise ConfigError(
            f"The token file {path} can be read by other users; make it private "
            f"(chmod 600 {path}) or leave --token-file out for a new token."
        )
    if len(text) < MIN_TOKEN or not text.isprintable() or " " in text:
        raise ConfigError(
            f"The token in {path} is shorter than {MIN_TOKEN} characters or holds spaces; "
            "use a long random one (python3 -c 'import secrets; print(secrets.token_urlsafe())')."
        )
    return text


def refusal(address: str) -> web.Response:
    from aiohttp import web

    return web.Response(
        status=403,
        text=(
            "Forbidden: this assistant-tui server needs its secret. Open the address it printed "
            f"when it started ({address}/?token=...), from this machine's browser.\n"
        ),
        content_type="text/plain",
    )


def guard(token: str, host: str, origin: str) -> Callable[..., Awaitable[web.StreamResponse]]:
    """aiohttp middleware enforcing the token, the Host and the Origin on every route.

    ``host`` is the served ``host:port`` and ``origin`` the served ``http://host:port``.
    """
    from aiohttp import web

    def allowed(request: web.Request) -> bool:
        if request.headers.get("Host", "") != host:
            return False
        sent_origin = request.headers.get("Origin")
        if sent_origin is not None and sent_origin != origin:
            return False
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        return hmac.compare_digest(given.encode(), token.encode())

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not allowed(request):
            return refusal(origin)
        response = await handler(request)
        if "token" in request.query and not isinstance(response, web.WebSocketResponse):
            # The page's own requests (scripts, the WebSocket) then carry it without the query.
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
        return response

    return middleware
