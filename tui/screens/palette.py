"""The command palette's entries (Ctrl+P): every action of the main screen with its keys, and
the web hosts this project always allows, each with an entry that forgets it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.choices import DEFAULT, EFFORTS, models_offered
from tui.screens.keys import MAIN_KEYS, VIEWER_KEYS, Key, as_bindings
from tui.services import Host
from tui.storage import StoreError
from tui.text import inert
from tui.toast import toast

if TYPE_CHECKING:
    from tui.screens.main import MainScreen

Entry = tuple[str, Callable[[], object], str]  # title, what to run, help


class ListedCommands(Provider):
    """Palette entries from a list; titles drawn as Text (a title may hold a model's host)."""

    def entries(self) -> list[Entry]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for title, run, help_text in self.entries():
            yield DiscoveryHit(Text(title), run, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, run, help_text in self.entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)


class ActionCommands(ListedCommands):
    """Every action of the main screen, found by its label, with its keys as help."""

    KEYS: ClassVar[list[BindingType]] = MAIN_KEYS

    def entries(self) -> list[Entry]:
        run = self.screen.run_action
        return [
            (binding.description, partial(run, binding.action), self._keys(binding))
            for binding in as_bindings(self.KEYS)
            if binding.description
        ]

    def _keys(self, binding: Binding) -> str:
        """The keys as this app shows them (the user's keymap may have changed them), and the
        slash command that runs the same action."""
        keys = ", ".join(self.app.get_key_display(Binding(k, "")) for k in binding.key.split(","))
        return f"{keys} · /{binding.slash}" if isinstance(binding, Key) and binding.slash else keys


class ViewerCommands(ActionCommands):
    """Every action of the code viewer, the same way."""

    KEYS = VIEWER_KEYS


class ChoiceCommands(ListedCommands):
    """A palette entry per model the picker lists and per effort: choosing one sets it for
    the open conversation, from its next question."""

    named: tuple[str, ...] = ()  # the models chosen before, read when the palette opens

    async def startup(self) -> None:
        manager = getattr(self.app, "manager", None)  # None until the store is open
        if manager is not None:
            with contextlib.suppress(StoreError):
                self.named = tuple(await manager.store.models_chosen())

    def entries(self) -> list[Entry]:
        if not hasattr(self.screen, "choosing"):
            return []  # another screen's palette
        screen = cast("MainScreen", self.screen)
        configured = cast(Host, self.app).settings.model
        models = models_offered(configured, self.named, screen.choosing.model)
        later = "from the conversation's next question"
        return [
            *((f"Model: {inert(m)}", partial(screen.action_model, m), later) for m in models),
            *(
                (f"Effort: {level}", partial(screen.action_effort, level), later)
                for level in (*EFFORTS, DEFAULT)
            ),
        ]


class WebHostCommands(ListedCommands):
    """The hosts always allowed for this project; an entry forgets one."""

    def entries(self) -> list[Entry]:
        manager = getattr(self.app, "manager", None)  # None until the store is open
        if manager is None:
            return []
        return [
            (
                f"Stop always allowing web access to {inert(host)}",
                partial(forget_host, self.app, host),
                "remembered for this project",
            )
            for host in sorted(manager.project_hosts.hosts)
        ]


async def forget_host(app: App[object], host: str) -> None:
    """The project forgets a host: the next fetch from it is asked about again."""
    services = await cast(Host, app).open_services()
    try:
        await services.manager.project_hosts.remove(host)
    except StoreError as error:
        toast(app, str(error), severity="error", timeout=8)
        return
    toast(app, f"Web access to {host} will be asked for again.")
