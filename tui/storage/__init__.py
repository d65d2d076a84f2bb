"""The durable, Textual-free store of conversations (aiosqlite, one file for all projects)."""

from tui.storage.errors import StoreError
from tui.storage.store import RESULT_CAP, Store

__all__ = ["RESULT_CAP", "Store", "StoreError"]
