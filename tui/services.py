"""What the screens work with once the history file is open, typed so nothing is ``Any``.

The app opens the store and creates the session manager after the first paint; until then they
do not exist. Screens ask for a ``Services`` (``await host.open_services()``) instead of reading
optional attributes of the app, so mypy sees a store that is always there, and a key pressed
during the launch simply waits for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the store and the engine load after the first screen
    from tui.agent.manager import SessionManager
    from tui.config import Settings
    from tui.storage import Store


@dataclass(frozen=True)
class Services:
    """The open history file and the sessions of this app, for one project's settings."""

    settings: Settings
    store: Store
    manager: SessionManager


class Host(Protocol):
    """The app as its screens see it: settings at once, the rest once opened."""

    settings: Settings

    async def open_services(self) -> Services: ...
