"""The questions asked in a project, walked with Up and Down and searched: no Textual in here.

The prompt widget and the history search bar hold these objects; the main screen fills them from
the store. Keeping the rules here lets unit tests pin them without an app: where Up goes, when
Down gives the draft back, and which search match comes next.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DRAFT = -1  # the walk's position while the prompt holds the user's own text


class PromptHistory:
    """A project's questions, newest first, each once, and where Up and Down have walked to.

    Walking starts from the draft (whatever the prompt holds) and can always come back to it:
    Down past the newest question gives the draft back. A recalled question the user edits
    becomes the new draft, so nothing typed is lost by walking on.
    """

    def __init__(self, questions: Iterable[str] = ()) -> None:
        self.entries: list[str] = []
        self.position = DRAFT
        self.draft = ""
        self.sent: list[str] = []  # added since the store was read, newest first
        self.replace(questions)

    @property
    def walking(self) -> bool:
        """Whether the prompt shows a recalled question rather than the user's draft."""
        return self.position != DRAFT

    def replace(self, questions: Iterable[str]) -> None:
        """Take a fresh list from the store (newest first); a walk under way starts again.

        A question sent while the store was being read stays on top: the read may predate it.
        """
        self.entries = _unique([*self.sent, *questions])
        self.sent = []
        self.position = DRAFT

    def add(self, question: str) -> None:
        """A question was sent: it is the newest now (once), and the walk is over."""
        self.entries = _unique([question, *self.entries])
        self.sent.insert(0, question)
        self.reset()

    def reset(self) -> None:
        """Forget the walk (a sent question, another conversation): the prompt is the draft."""
        self.position = DRAFT
        self.draft = ""

    def older(self, shown: str) -> str | None:
        """The question before the one shown (or the newest, from the draft); None at the end."""
        self._edited(shown)
        if self.position + 1 >= len(self.entries):
            return None
        if self.position == DRAFT:
            self.draft = shown
        self.position += 1
        return self.entries[self.position]

    def newer(self, shown: str) -> str | None:
        """The question after the one shown, then the draft; None when the draft is shown."""
        self._edited(shown)
        if self.position == DRAFT:
            return None
        self.position -= 1
        return self.draft if self.position == DRAFT else self.entries[self.position]

    def jump(self, index: int, shown: str) -> str:
        """Show entry ``index`` (a search's pick) as if walked to: Down still leads to the draft."""
        self._edited(shown)
        if self.position == DRAFT:
            self.draft = shown
        self.position = index
        return self.entries[index]

    def draft_text(self, shown: str) -> str:
        """What to keep as the draft: the user's own text, not a question merely recalled."""
        if self.walking and shown == self.entries[self.position]:
            return self.draft
        return shown

    def _edited(self, shown: str) -> None:
        """A recalled question that was changed is the user's text now: walk from it afresh."""
        if self.walking and shown != self.entries[self.position]:
            self.position, self.draft = DRAFT, shown


@dataclass(frozen=True)
class Match:
    """One question found by a search: where it is in the history and where the text matched."""

    index: int
    text: str
    start: int  # the first matching character in ``text``
    end: int


class HistorySearch:
    """An incremental search over the questions, newest first, as readline's Ctrl+R does it.

    Typing narrows from the newest question; ``older`` moves to the next older match of the same
    text and stays on the oldest one when there is none (``exhausted`` says so).
    """

    def __init__(self, entries: list[str]) -> None:
        self.entries = entries
        self.query = ""
        self.match: Match | None = self._find(0)
        self.exhausted = False

    def type(self, query: str) -> Match | None:
        """The newest question holding ``query`` (any case); an empty query matches all."""
        self.query, self.exhausted = query, False
        self.match = self._find(0)
        return self.match

    def older(self) -> Match | None:
        """The next older question holding the query; the same one again if none is left."""
        return self._step(self._find(self.match.index + 1) if self.match else None)

    def newer(self) -> Match | None:
        """The next newer question holding the query; the same one again if none is left."""
        return self._step(self._find_back(self.match.index - 1) if self.match else None)

    def _step(self, found: Match | None) -> Match | None:
        self.exhausted = found is None
        if found is not None:
            self.match = found
        return self.match

    def _find(self, start: int) -> Match | None:
        for index in range(start, len(self.entries)):
            found = self._at(index)
            if found is not None:
                return found
        return None

    def _find_back(self, start: int) -> Match | None:
        for index in range(start, -1, -1):
            found = self._at(index)
            if found is not None:
                return found
        return None

    def _at(self, index: int) -> Match | None:
        text = self.entries[index]
        lowered, query = text.lower(), self.query.lower()
        if len(lowered) == len(text):  # one character each: offsets in one are the other's
            where = lowered.find(query)
            return Match(index, text, where, where + len(query)) if where >= 0 else None
        where = _letterwise_find(text, self.query)
        return Match(index, text, where, where + len(self.query)) if where >= 0 else None


def _letterwise_find(text: str, query: str) -> int:
    """Find ``query`` ignoring case letter by letter, for a text whose lower case is longer
    (as "İ" is): the offsets stay the text's own, so the highlight lands on the match."""
    wanted = [c.lower() for c in query]
    folded = [c.lower() for c in text]
    for start in range(len(text) - len(query) + 1):
        if folded[start : start + len(query)] == wanted:
            return start
    return -1


def _unique(questions: Iterable[str]) -> list[str]:
    """Each question once, at its newest place; blank ones are no questions."""
    seen: set[str] = set()
    kept = []
    for question in questions:
        if question.strip() and question not in seen:
            seen.add(question)
            kept.append(question)
    return kept
