"""The durable, Textual-free store of conversations (aiosqlite, one file for all projects).

``Store`` loads on first use (PEP 562): the app's first screen needs only ``StoreError``, and
importing aiosqlite and sqlite3 before it was a measurable part of the launch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.storage.errors import StoreError

if TYPE_CHECKING:
    from tui.storage.store import RESULT_CAP, Store

__all__ = ["RESULT_CAP", "Store", "StoreError"]


def __getattr__(name: str) -> Any:
    if name in ("Store", "RESULT_CAP"):
        from tui.storage import store

        return getattr(store, name)
    raise AttributeError(f"module 'tui.storage' has no attribute {name!r}")
