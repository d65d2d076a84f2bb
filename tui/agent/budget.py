"""How much one turn may add to the history file: 50 MB, however many tools or words it has.

Each tool result is already capped (RESULT_CAP characters), but a turn can make thousands of
tool calls or stream an endless answer. The runner asks this budget what to store: while there
is room, everything as it came; past it, tool results become a short marker (their full length
still recorded) and the reply is kept up to the budget with a note saying the rest was not
stored. Nothing raises, the turn goes on, and the screen still shows all of it.

Sizes are UTF-8 bytes of what is written (text, results, inputs as JSON) plus a fixed allowance
per tool row; the reply's bytes count REPLY_WEIGHT times, for its search index and rewrites. The
last RESERVE bytes are kept for the markers, so the rows of tool calls past the budget are still
stored while they fit; after that a tool call is not stored at all.
"""

from __future__ import annotations

import json
from typing import Any

from tui.storage import RESULT_CAP

TURN_BUDGET = 50_000_000  # bytes one turn may store
RESERVE = 1_000_000  # of those, kept for the markers of what came after the budget was used
ROW_BYTES = 200  # a tool row's id, name, status, times and index entries
# A byte of the reply costs the file more than itself: the search index (a 2-letter word is one
# entry, with its prefixes) and the pages each rewrite leaves free. Measured worst case ("a b c"
# text): 5.8 bytes of file per byte of reply; tool results are not indexed and cost ~1.
REPLY_WEIGHT = 6
MEGABYTES = TURN_BUDGET // 1_000_000
SKIPPED_INPUT = {"not_stored": f"this turn had already stored {MEGABYTES} MB of history"}
THINKING_WEIGHT = 2  # not indexed, but rewritten with every flush of the reply
THINKING_NOTE = (
    f"\n\n[The rest of this thinking was not stored: one turn keeps at most {MEGABYTES} MB.]"
)
REPLY_NOTE = (
    f"\n\n[The rest of this answer was not stored: one turn keeps at most {MEGABYTES} MB of "
    "history.]"
)


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


class TurnBudget:
    """The bytes one turn has stored so far, and what may still be stored in full."""

    def __init__(self, limit: int = TURN_BUDGET, reserve: int = RESERVE) -> None:
        self.limit = limit
        self.reserve = min(reserve, limit // 10)
        self.tools = 0  # bytes of the tool rows stored
        self.reply = 0  # weighted bytes the reply holds (it is rewritten as it grows)
        self.thinking = 0  # weighted bytes its thinking holds
        self._measured = (0, 0)  # (characters, bytes) of the reply last measured
        self._thought = (0, 0)  # the same of the thinking
        self.skipped: set[str] = set()  # tool calls with no row at all: their finish is dropped

    def _fits(self, size: int, in_reserve: bool = False) -> bool:
        room = self.limit if in_reserve else self.limit - self.reserve
        return self.tools + self.reply + self.thinking + size <= room

    def tool_input(self, tool_id: str, tool_input: dict[str, Any]) -> dict[str, Any] | None:
        """The input to store for a starting tool call; None: store no row for this call."""
        size = ROW_BYTES + utf8_size(json.dumps(tool_input, ensure_ascii=False, default=str))
        if self._fits(size):
            self.tools += size
            return tool_input
        marker = ROW_BYTES + utf8_size(json.dumps(SKIPPED_INPUT))
        if self._fits(marker, in_reserve=True):
            self.tools += marker
            return SKIPPED_INPUT
        self.skipped.add(tool_id)
        return None

    def tool_result(self, tool_id: str, result: str) -> str | None:
        """The result to store for a finished tool call (capped as the store caps it), or a
        marker past the budget; None when the call has no row."""
        if tool_id in self.skipped:
            return None
        size = utf8_size(result[:RESULT_CAP])
        if self._fits(size):
            self.tools += size
            return result
        marker = (
            f"[Not stored: this turn had already stored {MEGABYTES} MB of history; "
            f"the result had {len(result):,} characters.]"
        )
        if self._fits(utf8_size(marker), in_reserve=True):
            self.tools += utf8_size(marker)
            return marker
        return ""  # the row exists already; its status and full length are still stored

    def reply_text(self, text: str) -> str:
        """The reply to store: all of it while it fits, else as much as fits and the note.

        Called also before each tool call is stored, so text that came before a tool keeps
        its room even when it has not been flushed yet. What the reply holds is never taken
        back, so a stored reply only grows.
        """
        others = self.tools + self.thinking
        room = max(self.reply, self.limit - self.reserve - others) // REPLY_WEIGHT
        size = self._size(text)
        if size <= room:
            self.reply = size * REPLY_WEIGHT
            return text
        keep = max(room - utf8_size(REPLY_NOTE), 0)
        cut = text.encode("utf-8", "surrogatepass")[:keep].decode("utf-8", "ignore")
        self.reply = (utf8_size(cut) + utf8_size(REPLY_NOTE)) * REPLY_WEIGHT
        return cut + REPLY_NOTE

    def thinking_text(self, text: str) -> str:
        """The thinking to store, like the reply: all of it while it fits, else cut with a note.

        Thinking waits for the reply: it takes only the room the reply and tools leave."""
        room = max(self.thinking, self.limit - self.reserve - self.tools - self.reply)
        room //= THINKING_WEIGHT
        if len(text) != self._thought[0]:
            self._thought = (len(text), utf8_size(text))
        if self._thought[1] <= room:
            self.thinking = self._thought[1] * THINKING_WEIGHT
            return text
        keep = max(room - utf8_size(THINKING_NOTE), 0)
        cut = text.encode("utf-8", "surrogatepass")[:keep].decode("utf-8", "ignore")
        self.thinking = (utf8_size(cut) + utf8_size(THINKING_NOTE)) * THINKING_WEIGHT
        return cut + THINKING_NOTE

    def _size(self, text: str) -> int:
        """UTF-8 bytes of the reply, measured again only when its length changed (it is asked
        before every tool call, and a reply can be megabytes)."""
        if len(text) != self._measured[0]:
            self._measured = (len(text), utf8_size(text))
        return self._measured[1]
