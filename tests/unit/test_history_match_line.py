"""The history search's match line: one row, the match highlighted and in sight, text inert."""

from __future__ import annotations

from rich.text import Text

from tui.prompt_history import HistorySearch
from tui.widgets.history_search import HIGHLIGHT, matched_line


def highlighted(line: Text) -> list[str]:
    """The parts of a Rich Text drawn with the highlight style."""
    return [line.plain[s.start : s.end] for s in line.spans if s.style == HIGHLIGHT]


def test_the_match_is_highlighted_and_a_far_one_is_brought_into_sight() -> None:
    long = "why " * 40 + "does the Parser stall on nested input?"
    match = HistorySearch([long]).type("parser")
    assert match is not None
    line = matched_line(match, width=60)
    assert line.plain.startswith("…") and highlighted(line) == ["Parser"]
    assert line.plain.index("Parser") < 60


def test_markup_controls_and_newlines_are_shown_as_they_are_and_the_span_still_fits() -> None:
    text = "\x1b[2J first line\n[red]second[/red] \x07 find me"
    match = HistorySearch([text]).type("find")
    assert match is not None
    line = matched_line(match, width=100)
    assert line.plain == "␛[2J first line⏎[red]second[/red] ^G find me"
    assert highlighted(line) == ["find"]
