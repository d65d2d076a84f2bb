"""The Textual app: owns the Store and the SessionManager, and closes every process on exit."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
from typing import TYPE_CHECKING

from textual import events
from textual.app import App

from tui.config import Settings, config_file, load_config
from tui.screens.main import MainScreen
from tui.services import Services
from tui.storage import StoreError, state_keys
from tui.toast import toast
from tui.widgets.drawn_above import typed_now

if TYPE_CHECKING:  # the store, the engine and the demo server load after the first screen
    from tui.agent.manager import SessionManager
    from tui.demo.model_server import ModelServer, Turn
    from tui.storage import Store


QUIT_SIGNALS = (signal.SIGTERM,)  # SIGHUP, the terminal closing, is tui.hangup's


def tune_garbage_collector() -> None:
    """Keep Python's full collections out of the way of drawing.

    A streaming answer allocates fast, and a full collection over the app's whole heap stalled
    the UI for 0.15-0.25 s every half second. What exists after the first screen lives as long
    as the app, so it is frozen out of collections, and collections run less often. The middle
    generation is collected every 10 young collections, not 50: at 50 it held up to 500,000
    survivors and each pass held a streaming answer for 50-110 ms every 6 s; at 10 none took
    over 20 ms.

    The command line turns collections off from launch until this runs: importing and composing
    allocate tens of thousands of objects that all live as long as the app, and collecting on
    the way found nothing and cost ~25 ms of the launch (a full collection of 18 ms landed in
    the first paint).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 1_000)
    gc.enable()


def warm_markdown() -> None:
    """Render a little Markdown off the UI thread after the first screen, and find a lexer
    by file name once.

    The first answer shown would otherwise pay for importing the Markdown parser and the
    syntax highlighter's lexers (tens of milliseconds) on the UI's event loop; the first file
    opened in the viewer, for Pygments compiling the file-name patterns of all its ~600
    lexers (about 100 ms, once a run, whatever the name).
    """
    import io

    from rich.console import Console
    from rich.markdown import Markdown

    from tui.widgets.code_view import lexer_for

    lexer_for("warm.py", "")

    sample = "# a\n\n**b** `c`\n\n```python\nx = 1\n```\n\n```sh\nls\n```\n\n| a |\n|---|\n| 1 |\n"
    Console(file=io.StringIO(), width=80).print(Markdown(sample))


class AssistantApp(App[None]):
    """Opens on the main screen at once; the store and the SDK come after the first paint."""

    CSS_PATH = "app.tcss"
    TITLE = "assistant-tui"

    def __init__(
        self, settings: Settings, demo: bool = False, script: list[Turn] | None = None
    ) -> None:
        super().__init__()
        self.settings = settings
        # --demo (or a test) runs a scripted local model inside the app's own event loop.
        self.script = script
        if script is None and demo:
            from tui.demo import demo_turns

            self.script = demo_turns()
        self.demo_server: ModelServer | None = None
        self.store: Store | None = None
        self.manager: SessionManager | None = None
        self._opening = asyncio.Lock()

    async def on_event(self, event: events.Event) -> None:
        """A key pressed anywhere is noted first: drawing that can wait (the older part of a
        conversation just opened) waits for a pause in the keys."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            typed_now()
        await super().on_event(event)

    def get_default_screen(self) -> MainScreen:
        """The main screen is the app's first screen: no blank screen is built and drawn first."""
        return MainScreen()

    def on_mount(self) -> None:
        config = load_config()
        if config.theme in self.available_themes:
            self.theme = config.theme
        if config.keys:
            self.set_keymap(config.keys)
            self.call_after_refresh(self._warn_unknown_actions, config.keys)
        for problem in config.problems:
            toast(self, problem, severity="warning", timeout=10)
        # Later than the first screen: the footer's keys are drawn in the first idle moment, and
        # a full collection there (~30 ms) made them wait.
        self._on_signals()
        self.gc_tuning = self.set_timer(1.0, tune_garbage_collector)  # benches tune at once
        self.call_after_refresh(
            lambda: self.run_worker(warm_markdown, thread=True, exit_on_error=False)
        )

    def _warn_unknown_actions(self, keys: dict[str, str]) -> None:
        """Say once which [keys] names in config.toml match no action (a typo is silent else)."""
        from tui.widgets.choice_card import ChoiceCard  # mounted only while the assistant asks

        bindings = [
            *(
                b
                for node in (self, *self.screen.walk_children(with_self=True))
                for b in getattr(type(node), "BINDINGS", ())
            ),
            *ChoiceCard.BINDINGS,
        ]
        known = {b.id for b in bindings if getattr(b, "id", None)}
        unknown = sorted(set(keys) - known)
        if unknown:
            toast(
                self,
                f"{config_file()}: no action is named {', '.join(unknown)} in [keys], so "
                f"{'it was' if len(unknown) == 1 else 'they were'} ignored; the names are "
                f"{', '.join(sorted(known))}.",
                severity="warning",
                timeout=10,
            )

    def watch_theme(self, theme: str) -> None:
        """Remember the theme chosen (from the palette) for the next launch."""
        if self.store is not None and not self.store.read_only:
            self.run_worker(self._remember_theme(theme), exit_on_error=False)

    async def _remember_theme(self, theme: str) -> None:
        """Best effort, like every remembered UI fact: a locked or full file only forgets it."""
        if self.store is not None:
            with contextlib.suppress(StoreError):
                await self.store.state_set(state_keys.THEME, theme)

    async def open_services(self) -> Services:
        """Open the history database (fast) and create the session manager (no SDK import)."""
        async with self._opening:  # keys pressed during startup wait here instead of failing
            if self.script is not None and self.demo_server is None:
                from tui.demo.model_server import ModelServer

                self.demo_server = await ModelServer(self.script).start()
                self.settings.env.update(
                    ANTHROPIC_BASE_URL=self.demo_server.url, ANTHROPIC_API_KEY="demo-key"
                )
            if self.store is None:
                from tui.storage import Store

                self.store = await Store.open(self.settings.db)
                from tui.agent.manager import SessionManager

                self.manager = SessionManager(self.settings, self.store, interactive=True)
                if not self.store.read_only:
                    with contextlib.suppress(StoreError):  # a locked file: the next start does it
                        await self.store.messages_orphaned()  # replies cut off by a crash
                saved = await self.store.state_get(state_keys.THEME)
                if saved in self.available_themes:
                    self.theme = saved
            assert self.manager is not None
            return Services(self.settings, self.store, self.manager)

    def _on_signals(self) -> None:
        """SIGTERM, and SIGHUP when the terminal closes, quit as Ctrl+Q does (see on_unmount);
        by default either would end the process with the streaming reply unsaved. A second
        SIGTERM while quitting ends the process at once (a quit that hangs can be stopped)."""
        loop = asyncio.get_running_loop()
        for number in QUIT_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self.exit)
        if not self.is_headless:
            from tui.hangup import quit_on_hangup

            quit_on_hangup(loop, self.exit)

    async def on_unmount(self) -> None:
        """Quitting: every streaming reply is stored as it was shown (marked interrupted) and
        its finished tool calls kept, then the CLI and MCP processes end."""
        loop = asyncio.get_running_loop()
        for number in QUIT_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(number)
        if self.manager is not None:
            await self.manager.finish_turns()
            await self.manager.close_all()
        if self.store is not None:
            await self.store.close()
        if self.demo_server is not None:
            await self.demo_server.stop()
