"""Completions for the word being typed in the prompt: what may replace it, shown above it.

A pure view with the shapes a completer returns. The prompt asks its completers (slash commands,
file mentions: each a function from the text and the cursor to an ``Offer``) after every edit,
shows the offer here, and drives the highlight with its keys, so the focus never leaves it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import OptionList

from tui.text import inert

Location = tuple[int, int]  # (row, column) in the prompt, as TextArea counts them


@dataclass(frozen=True)
class Candidate:
    """One completion: the text that replaces the word, and how the list shows it."""

    insert: str
    label: str
    detail: str = ""  # one line on what it is
    hint: str = ""  # its key, or another short fact


@dataclass(frozen=True)
class Offer:
    """Candidates for the word from ``start`` to the cursor, best first.

    ``submit``: Enter on a candidate sends the prompt once it is completed (a slash command
    runs at once); otherwise Enter only completes (a file mention goes on being typed)."""

    start: Location
    candidates: Sequence[Candidate]
    submit: bool = False


Completer = Callable[[str, Location], Offer | None]


class CompletionList(OptionList):
    """The offered candidates, one line each: label, hint, detail; hidden when there are none."""

    can_focus = False  # the prompt keeps the focus and moves the highlight itself

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.candidates: Sequence[Candidate] = ()
        self.display = False

    def show(self, candidates: Sequence[Candidate]) -> None:
        """Show these candidates (the first highlighted), or hide the list when there are none.

        The same candidates again (a cursor move, a key that changed nothing) leave the list
        and its highlight as they are: no redraw for each key typed in a plain question."""
        if list(candidates) == list(self.candidates):
            return
        self.candidates = candidates
        self.clear_options()
        if not candidates:
            self.display = False
            return
        label = max(len(c.label) for c in candidates)
        hint = max(len(c.hint) for c in candidates)
        self.add_options([self._line(c, label, hint) for c in candidates])
        self.highlighted = 0
        self.display = True

    def hide(self) -> None:
        self.show(())

    @staticmethod
    def _line(candidate: Candidate, label: int, hint: int) -> Text:
        """Columns padded to the widest entry; Text, never markup (a key may be the user's)."""
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append(inert(candidate.label).ljust(label), style="bold")
        if hint:
            line.append("  " + inert(candidate.hint).ljust(hint), style="italic")
        line.append("  " + inert(candidate.detail), style="dim")
        return line

    def move(self, step: int) -> None:
        """Highlight the next (1) or previous (-1) candidate, wrapping around."""
        if self.candidates:
            current = self.highlighted or 0
            self.highlighted = (current + step) % len(self.candidates)

    @property
    def chosen(self) -> Candidate | None:
        """The highlighted candidate, if the list is showing any."""
        index = self.highlighted
        if not self.candidates or index is None:
            return None
        return self.candidates[index]
