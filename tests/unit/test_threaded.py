"""The sidebar lists each branch right below its parent."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tui.models import Conversation
from tui.widgets.conversation_list import threaded


def conv(id: int, parent: int | None = None) -> Conversation:
    stamp = datetime(2025, 1, 1, tzinfo=UTC)
    return Conversation(
        id, Path("/p"), "p", f"c{id}", None, None, stamp, stamp, False, False, None, 2, parent
    )


def test_branches_follow_their_parents_in_listing_order() -> None:
    listed = [conv(5, parent=1), conv(4), conv(3, parent=5), conv(2, parent=1), conv(1), conv(6, 9)]
    order = [(c.id, depth) for c, depth in threaded(listed)]
    assert order == [(4, 0), (1, 0), (5, 1), (3, 2), (2, 1), (6, 0)]  # 9 is not listed


def test_a_self_parent_is_listed_once() -> None:
    assert [(c.id, d) for c, d in threaded([conv(1, parent=1)])] == [(1, 0)]
