"""The viewer's whole-file colouring: it waits while the user moves through the file (its
slices between a key's turns of the event loop made each PageDown of the first second late),
and it still colours every line once the user stops."""

from __future__ import annotations

import time

from textual.app import App

from tests.helpers.pilot import until
from tui.screens.viewer import Opened, ViewerScreen
from tui.viewed_file import ViewedFile
from tui.widgets.code_view import CodeView

CODE = "".join(f'def f{n}(x):\n    """Line {n}."""\n    return x + {n}\n' for n in range(3000))


async def test_the_colouring_waits_while_the_view_moves_and_finishes_after() -> None:
    app: App[None] = App()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = ViewerScreen(Opened(ViewedFile("calc.py", CODE), 2000, 2002))
        await app.push_screen(screen)
        view = screen.query_one(CodeView)
        await pilot.press("pagedown")
        view.moved = time.monotonic() + 3600  # as if the user went on moving
        before = len(view.exact)  # a slice may have run before the key
        for _ in range(20):
            await pilot.pause()
        assert len(view.exact) == before < len(view.raw)  # no slice ran while it moved
        view.moved = 0.0  # the user stopped
        lines = len(view.raw)
        await until(pilot, lambda: len(view.exact) == lines, "every line coloured")
        assert all(view.tokens[n] for n in range(lines) if view.shown[n].strip())
