"""Ranking the @ picker's paths: names before folders, contiguous before scattered, recency,
folder narrowing, and the same answers from the fast path (bit masks) and the plain one."""

from __future__ import annotations

import random

import pytest

from tui.mentions import rank
from tui.mentions.rank import Listing, Recent, score

PATHS = [
    "tui/app.py",
    "tui/screens/main.py",
    "tui/screens/mention_picker.py",
    "tui/mentions/",
    "tui/mentions/rank.py",
    "tui/widgets/prompt_input.py",
    "docs/usage.md",
    "main.c",
    "tui/",
    "tui/screens/",
    "tui/widgets/",
    "docs/",
]


def paths(query: str, recent: Recent | None = None, listing: Listing | None = None) -> list[str]:
    return [m.path for m in (listing or Listing(PATHS)).search(query, recent)]


def test_a_match_in_the_name_beats_one_in_the_folders() -> None:
    assert paths("main")[:2] == ["main.c", "tui/screens/main.py"]
    assert paths("scr")[0] == "tui/screens/"


def test_letters_in_order_match_and_others_do_not() -> None:
    assert paths("prin")[0] == "tui/widgets/prompt_input.py"
    assert paths("zzz") == []
    assert score("tui/app.py", "ypp") is None  # order matters


def test_recent_mentions_rank_higher() -> None:
    assert paths("main")[0] == "main.c"
    recent = Recent()
    recent.mentioned(["tui/screens/main.py"])
    assert paths("main", recent)[0] == "tui/screens/main.py"
    assert paths("", recent)[0] == "tui/screens/main.py"  # an empty query shows it first


def test_a_folder_in_front_narrows_to_it() -> None:
    assert paths("tui/screens/") == [
        "tui/screens/main.py",
        "tui/screens/mention_picker.py",
    ]
    assert paths("TUI/screens/m")[0] == "tui/screens/main.py"  # folded like the rest
    assert paths("nofolder/main")[:0] == []  # no such folder: matched as letters


def test_the_matched_characters_are_marked() -> None:
    found = Listing(PATHS).search("rank")[0]
    assert found.path == "tui/mentions/rank.py"
    assert [found.path[i] for i in found.positions] == list("rank")


@pytest.mark.parametrize("query", ["a", "scr", "mpy", "s/m", "tui/w", "ra.py", "zq", "ei"])
def test_the_fast_path_agrees_with_the_whole_text(
    query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past SUBSET lines the letters' bit masks pick the lines searched: same matches."""
    generator = random.Random(7)
    words = ["app", "main", "screen", "widget", "rank", "parser", "io", "zq"]
    many = sorted(
        {
            "/".join(generator.choice(words) for _ in range(generator.randint(1, 4))) + ".py"
            for _ in range(3000)
        }
    )
    monkeypatch.setattr(rank, "SUBSET", 100)
    masked = Listing(many)
    assert masked.masks is not None
    monkeypatch.setattr(rank, "SUBSET", 10**9)
    plain = Listing(many)
    assert plain.masks is None
    assert paths(query, listing=masked) == paths(query, listing=plain)


@pytest.mark.parametrize("query", ["a", "io", "ppa", "nrp", "wz", "qi", "parser."])
def test_a_search_gone_on_in_the_lines_holding_every_letter_finds_the_same(
    query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many lines hold every letter: a probe of the whole text's first SCAN characters finds
    few letters-in-order matches, so only those lines are searched. Cut at once or never, the
    matches are the same."""
    generator = random.Random(11)
    words = ["app", "main", "screen", "widget", "rank", "parser", "io", "zq"]
    many = [
        "/".join(generator.choice(words) for _ in range(generator.randint(1, 4))) + ".py"
        for _ in range(3000)
    ]
    monkeypatch.setattr(rank, "SUBSET", 5)
    listing = Listing(sorted(set(many)))
    monkeypatch.setattr(rank, "SCAN", 10**9)
    whole = paths(query, listing=listing)
    monkeypatch.setattr(rank, "SCAN", 40)
    assert paths(query, listing=listing) == whole
    assert listing._subset[0] != 0  # the lines holding every letter were searched alone


def test_typing_on_matches_among_the_lines_that_matched_before() -> None:
    """A query's complete matches are kept; the next letter searches only those, and finds
    what a fresh listing finds."""
    listing = Listing(PATHS)
    assert paths("men", listing=listing) == paths("men")
    assert listing._complete[0] == "men"
    assert paths("ment", listing=listing) == paths("ment")
    assert paths("mp", listing=listing) == paths("mp")  # not typed on from "ment": all lines
