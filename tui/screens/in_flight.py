"""The questions being answered now, one record per turn, whichever conversation is on screen.

A turn of a new conversation has no conversation id until its question is stored; the record
is the same object before and after, so nothing is re-keyed: the id is filled in once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.widgets.chat_pane import LiveText


@dataclass(eq=False)
class Turn:
    """One question and its reply as it streams (kept whether or not it is shown)."""

    text: str
    live: LiveText
    conversation_id: int | None  # None: a new conversation whose question is not stored yet
    retry_of: int | None = None  # the stored question asked again
    stored: bool = False  # the question is in the history file
    shown: bool = True  # its conversation was on screen at its last event
    # Its end (finished or failed) was handled; the record stays while its session winds down,
    # but a view opened from now on shows the stored reply, not the live one.
    ended: bool = False


class InFlight:
    """Every turn running in this app; few at a time, so a list is the right shape."""

    def __init__(self) -> None:
        self.turns: list[Turn] = []

    def start(self, turn: Turn) -> Turn:
        self.turns.append(turn)
        return turn

    def end(self, turn: Turn) -> None:
        if turn in self.turns:
            self.turns.remove(turn)

    def of(self, conversation_id: int | None) -> Turn | None:
        """The turn of a conversation (None: of the new conversation not stored yet)."""
        return next((t for t in self.turns if t.conversation_id == conversation_id), None)

    def live(self, conversation_id: int | None) -> LiveText | None:
        """The reply still streaming into a conversation: what a view opened now follows."""
        turn = self.of(conversation_id)
        return turn.live if turn is not None and not turn.ended else None

    def conversations(self) -> set[int]:
        """The stored conversations answering now (marked ● in the sidebar)."""
        return {t.conversation_id for t in self.turns if t.conversation_id is not None}

    def __bool__(self) -> bool:
        return bool(self.turns)
