"""Failure sentences: each names the cause and the fix in one sentence."""

from __future__ import annotations

from tui.agent.errors import api_failure, connection_failure


def test_known_statuses_and_logged_out_cli() -> None:
    assert api_failure(529, None, None).startswith("The API is overloaded (529)")
    logged_out = api_failure(None, "Not logged in · Please run /login", None)
    assert logged_out.startswith("The Claude CLI found no credentials; set ANTHROPIC_API_KEY")
    assert logged_out.endswith("to retry.") and logged_out.count(".") == 1


def test_unknown_failures_keep_their_detail_on_one_line() -> None:
    sentence = api_failure(418, "I'm a\n teapot.", None)
    assert sentence == (
        "The API answered with an error (418): I'm a teapot; press ctrl+r (or run the command "
        "again) to retry."
    )
    assert api_failure(None, "", ["first", "second"]).startswith("The answer failed: first; second")
    assert connection_failure(OSError("boom")).startswith("The assistant failed (OSError: boom)")
