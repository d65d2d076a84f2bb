"""The app_state keys keep their spelling: a renamed key forgets what users' databases hold."""

from __future__ import annotations

from pathlib import Path

from tui.storage import state_keys


def test_the_keys_are_spelled_as_stored_on_disk() -> None:
    project = Path("/home/me/project")
    assert state_keys.THEME == "theme"
    assert state_keys.MODELS_NAMED == "models-named"
    assert state_keys.last_conversation(project) == "last:/home/me/project"
    assert state_keys.fork(42) == "fork:42"
    assert state_keys.web_allow(project) == "web-allow:/home/me/project"
    assert state_keys.draft(project, 42) == "draft:42"
    assert state_keys.draft(project, None) == "draft:new:/home/me/project"
