"""The rules of walking and searching the questions asked, without an app (tui.prompt_history)."""

from __future__ import annotations

from tui.prompt_history import HistorySearch, PromptHistory


def test_up_walks_back_and_down_walks_forward_to_the_draft() -> None:
    history = PromptHistory(["third", "second", "first"])
    assert history.older("my draft") == "third"
    assert history.older("third") == "second"
    assert history.older("second") == "first"
    assert history.older("first") is None  # the oldest: nothing further back
    assert history.newer("first") == "second"
    assert history.newer("second") == "third"
    assert history.newer("third") == "my draft"
    assert not history.walking
    assert history.newer("my draft") is None  # Down on the draft is the cursor's again


def test_an_empty_history_leaves_up_to_the_cursor() -> None:
    history = PromptHistory([])
    assert history.older("") is None
    assert not history.walking


def test_questions_are_kept_once_at_their_newest_place_and_blank_ones_not_at_all() -> None:
    history = PromptHistory(["b", "a", "b", "  ", "c", "a"])
    assert history.entries == ["b", "a", "c"]
    history.add("c")
    assert history.entries == ["c", "b", "a"]


def test_sending_ends_the_walk_and_the_sent_question_is_the_newest() -> None:
    history = PromptHistory(["old"])
    history.older("draft")
    history.add("new")
    assert not history.walking
    assert history.older("") == "new"


def test_an_edited_recalled_question_becomes_the_draft() -> None:
    history = PromptHistory(["second", "first"])
    assert history.older("") == "second"
    assert history.older("second!") == "second"  # edited: walked afresh from the edit
    assert history.newer("second") == "second!"  # and Down gives the edit back


def test_the_kept_draft_is_the_users_text_not_the_recalled_question() -> None:
    history = PromptHistory(["asked before"])
    history.older("half a thought")
    assert history.draft_text("asked before") == "half a thought"
    assert history.draft_text("asked before, changed") == "asked before, changed"


def test_a_search_pick_is_walked_to_so_down_leads_back_to_the_draft() -> None:
    history = PromptHistory(["c", "b", "a"])
    assert history.jump(2, "draft") == "a"
    assert history.newer("a") == "b"
    assert history.newer("b") == "c"
    assert history.newer("c") == "draft"


def test_search_finds_newest_first_then_older_and_stops_at_the_oldest() -> None:
    search = HistorySearch(["Parse the tokens", "why is it slow", "parse errors?", "tests"])
    found = search.type("PARSE")
    assert found is not None and (found.index, found.start, found.end) == (0, 0, 5)
    older = search.older()
    assert older is not None and older.text == "parse errors?"
    again = search.older()
    assert again is older and search.exhausted  # no older match: stays, and says so
    newer = search.newer()
    assert newer is not None and newer.index == 0 and not search.exhausted


def test_search_with_no_match_has_none_and_an_empty_query_matches_the_newest() -> None:
    search = HistorySearch(["alpha", "beta"])
    assert search.match is not None and search.match.text == "alpha"
    assert search.type("gamma") is None
    assert search.older() is None
    assert search.type("") is not None


def test_the_match_offsets_are_the_texts_own_when_lower_case_is_longer() -> None:
    search = HistorySearch(["İstanbul: find the parser"])  # "İ".lower() is two characters
    found = search.type("PARSER")
    assert found is not None
    assert found.text[found.start : found.end] == "parser"


def test_a_question_sent_while_the_store_was_read_stays_on_top() -> None:
    history = PromptHistory()
    history.add("sent during the launch")
    history.replace(["read from the store"])  # the read began before the question was stored
    assert history.entries == ["sent during the launch", "read from the store"]
    history.replace(["sent during the launch", "read from the store"])
    assert history.entries == ["sent during the launch", "read from the store"]
