"""The terminal closing under the app: SIGHUP, quitting as Ctrl+Q does, with nothing drawn.

When a terminal closes, the kernel sends its session both SIGHUP and SIGCONT. Textual answers
SIGCONT by starting its terminal mode again (meant for a resume after Ctrl+Z), with a new
writer thread. Its writes to the closed terminal fail, that thread dies, and once its queue is
full the exit waits on it forever: the app never ended and the reply was never stored.

So SIGHUP gets a plain signal handler, which Python runs before SIGCONT's (it calls pending
handlers in signal-number order): from then on SIGCONT does nothing, every write goes to
/dev/null, and the quit runs on the event loop. Further SIGHUPs (the terminal program often
sends its own) change nothing, so none can end the process while the reply is being stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable


def quit_on_hangup(loop: asyncio.AbstractEventLoop, quit_app: Callable[[], object]) -> None:
    """Install the SIGHUP handler (a terminal app only: under a test the terminal is fake)."""

    def hung_up(_number: int, _frame: object) -> None:
        signal.signal(signal.SIGCONT, signal.SIG_DFL)
        silence_output()
        with contextlib.suppress(RuntimeError):  # the loop closed: the quit is done already
            loop.call_soon_threadsafe(quit_app)

    with contextlib.suppress(ValueError):  # not the main thread: the terminal is not ours
        signal.signal(signal.SIGHUP, hung_up)


def silence_output() -> None:
    """Point stdout and stderr at /dev/null: the terminal is gone, writes to it would fail."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        for descriptor in (1, 2):
            os.dup2(null, descriptor)
    finally:
        os.close(null)
