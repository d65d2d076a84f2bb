"""A snapshot of the export dialog over a conversation (pytest-textual-snapshot)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers.snapshots import PROJECT, ask_the_parser_question, settle_still

DOCUMENTS = PROJECT.parent / "Documents"


def test_export_dialog(snap_compare: Any, make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default path is a fixed documents folder, so every run draws the same dialog."""

    def documents() -> Path:
        DOCUMENTS.mkdir(exist_ok=True)  # created after make_app() has reset the folder
        return DOCUMENTS

    monkeypatch.setattr("tui.export.target.documents_dir", documents)

    async def run_before(pilot: Any) -> None:
        await ask_the_parser_question(pilot)
        await pilot.press("ctrl+s")
        await settle_still(pilot)

    assert snap_compare(make_app(), terminal_size=(140, 36), run_before=run_before)
