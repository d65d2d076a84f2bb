"""The @word being typed in the prompt: what the file picker completes.

An ``@`` starts a mention only at a word's start (``user@host`` is an e-mail); the word runs to
the cursor, quoted when the name holds spaces (``@"my notes``). Completing it replaces the whole
word, the part after the cursor too, so a name edited in its middle is not left half old.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "@" at a word's start, then the word up to the cursor (quoted when it holds spaces).
_WORD = re.compile(r'(?:^|(?<=\s))@(?:"([^"\n]*)|([^\s"]*))$')
_REST = re.compile(r'[^\s"]*"?')  # the rest of that word after the cursor


@dataclass(frozen=True)
class Word:
    """The word being completed: the text after its @, and its columns on its row."""

    query: str
    row: int
    start: int
    end: int


def word_at(line: str, row: int, column: int) -> Word | None:
    """The @word around ``column`` of ``line`` (row ``row``), if the cursor is in one."""
    found = _WORD.search(line, 0, column)
    if found is None:
        return None
    quoted = found.group(1) is not None
    query = found.group(1) if quoted else found.group(2)
    rest = _REST.match(line, column)
    end = rest.end() if rest and not quoted else column
    if quoted and line[column : column + 1] == '"':
        end = column + 1
    return Word(query or "", row, found.start(), end)
