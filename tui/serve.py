"""``assistant-tui --serve``: the same app in a browser tab, through textual-serve.

Each browser tab runs its own app process, started with the arguments this command was given
(the project, --db, --demo ...), so the browser sees exactly what the terminal would. The
server listens on 127.0.0.1 unless another host is asked for, and every request needs this
launch's secret (tui/serve_auth.py): whoever drives the page drives the assistant with the
user's credentials.
"""

from __future__ import annotations

# Only the flags are needed to launch the app in a terminal; everything the server uses is
# imported when it starts.
import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.config import ConfigError

if TYPE_CHECKING:
    from aiohttp import web
    from textual_serve.server import Server

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
_OWN = {"serve", "port", "host", "token_file"}  # flags of the server, not passed on to the app


def add_serve_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("in a browser")
    group.add_argument(
        "--serve",
        action="store_true",
        help="serve the app to a browser (textual-serve) instead of this terminal",
    )
    group.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"port to serve on (default {DEFAULT_PORT})",
    )
    group.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only)",
    )
    group.add_argument(
        "--token-file",
        metavar="PATH",
        help="read the page's secret from a private file (default: a new one each launch)",
    )


def _port(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port number (1-65535)")
    return value


def served_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    """The shell command each browser tab runs: this app with the same flags, each one quoted.

    Built from the parsed flags rather than the raw argv, so abbreviations and ``--opt=value``
    forms all come out the same and the server's own flags are left out.
    """
    import shlex

    flags, positionals = [], []
    for action in parser._actions:
        value = getattr(args, action.dest, None)
        if action.dest in _OWN or value in (None, False) or value == action.default:
            continue
        if not action.option_strings:
            positionals.append(str(value))
        elif action.nargs == 0:  # a switch such as --demo or --allow-secrets
            flags.append(action.option_strings[-1])
        else:
            flags += [action.option_strings[-1], str(value)]
    # After "--" a project named "-x" is still read as the project, not as a flag.
    tail = ["--", *positionals] if positionals else []
    return shlex.join([sys.executable, "-m", "tui", *flags, *tail])


def is_loopback(host: str) -> bool:
    """Whether every address ``host`` names is on this machine only."""
    import ipaddress
    import socket

    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ConfigError(
            f"The host {host!r} cannot be resolved; pass an address such as {DEFAULT_HOST}."
        ) from None
    return all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in found)


def serve(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Serve until Ctrl+C; every tab's app is told to quit before the server stops."""
    import asyncio

    from tui.commands.common import settings_from

    if not args.host:
        raise ConfigError(f"--host is empty; pass an address such as {DEFAULT_HOST}.")
    loopback = is_loopback(args.host)
    if not args.demo:  # a missing project or env file is said here, not in every tab
        settings_from(
            argparse.Namespace(**{**vars(args), "project": args.project or args.project_dir})
        )
    from tui.serve_auth import new_token, read_token_file

    token = read_token_file(Path(args.token_file).expanduser()) if args.token_file else new_token()
    shown = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{shown}:{args.port}"
    command = served_command(parser, args)
    server = _quiet_server(command, args.host, args.port, url)
    if not loopback:
        print(
            f"assistant-tui: warning: {args.host} can be reached from other machines: anyone on "
            "the network who opens this address can use the assistant with your credentials.",
            file=sys.stderr,
            flush=True,
        )
    try:
        asyncio.run(_run(server, args.host, args.port, url, token))
    except OSError as error:
        raise ConfigError(_listen_failure(error, args.host, args.port)) from None
    return 0


def _quiet_server(command: str, host: str, port: int, url: str) -> Server:
    """textual-serve's server without its banner, which it prints before the port is bound."""
    from textual_serve.server import Server

    class QuietServer(Server):
        async def on_startup(self, app: web.Application) -> None:
            """Say nothing yet: the URL is printed once the port is really listening."""

    return QuietServer(command, host=host, port=port, title="assistant-tui", public_url=url)


def _listen_failure(error: OSError, host: str, port: int) -> str:
    import errno

    if error.errno == errno.EADDRINUSE:
        return f"Port {port} on {host} is already in use; choose another with --port."
    if error.errno == errno.EACCES:
        return f"Port {port} needs more privileges than this user has; choose one above 1023."
    if error.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine; pass one of its own, or 127.0.0.1."
    return f"Cannot listen on {host}:{port} ({error.strerror or error}); try another --port."


async def _run(server: Server, host: str, port: int, url: str, token: str) -> None:
    import asyncio
    import signal
    import weakref

    from aiohttp import web

    from tui.serve_auth import guard

    app = await server._make_app()  # textual-serve's routes: page, websocket, static files
    # Every route, the download route included, passes the token, Host and Origin checks.
    app.middlewares.append(guard(token, url.removeprefix("http://"), url))
    tabs: weakref.WeakSet[web.WebSocketResponse] = weakref.WeakSet()

    async def track(request: web.Request, response: web.StreamResponse) -> None:
        if isinstance(response, web.WebSocketResponse):
            tabs.add(response)

    async def close_tabs(app: web.Application) -> None:
        # A closed socket makes textual-serve tell that tab's app to quit, and wait for it.
        await asyncio.gather(*(tab.close() for tab in list(tabs)), return_exceptions=True)

    app.on_response_prepare.append(track)
    app.on_shutdown.append(close_tabs)
    # No access log: a logged request line would hold the token of the first page load.
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=5.0, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        print(f"assistant-tui: serving on {url}/?token={token} (Ctrl+C stops)", flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()
