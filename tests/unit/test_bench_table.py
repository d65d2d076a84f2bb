"""bench/run's table in docs/performance.md: written between the markers, the prose kept.

The writer runs after twelve minutes of measuring, so its failures must not lose the table: a
missing file or marker is one line on stderr and the table is still printed by the caller.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.harness import BEGIN, END, HEADER, markdown_table, write_between_markers

PROSE = "# Performance\n\nHow it is measured.\n\n## Latest run\n\n"
AFTER = "\n## What the figures say\n\nEvery target is met.\n"
ROWS = [
    ["launch (ms)", "353", "306 (bare Textual app)", "1.16x", "< 1.2x"],
    ["a | b", 1, "", "", ""],
]


def test_the_table_is_markdown_under_its_caption() -> None:
    assert markdown_table("Latest run (x86_64):", HEADER, ROWS) == (
        "Latest run (x86_64):\n"
        "\n"
        "| figure | ours | baseline | ratio | target |\n"
        "|---|---|---|---|---|\n"
        "| launch (ms) | 353 | 306 (bare Textual app) | 1.16x | < 1.2x |\n"
        "| a \\| b | 1 |  |  |  |"
    )


def test_only_what_is_between_the_markers_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "performance.md"
    path.write_text(f"{PROSE}{BEGIN}\nan old table\nof two lines\n{END}\n{AFTER}")
    assert write_between_markers(path, "the new table")
    assert path.read_text() == f"{PROSE}{BEGIN}\nthe new table\n\n{END}\n{AFTER}"
    assert write_between_markers(path, "the new table")  # a second run changes nothing
    assert path.read_text() == f"{PROSE}{BEGIN}\nthe new table\n\n{END}\n{AFTER}"


@pytest.mark.parametrize(
    "content", [PROSE + AFTER, f"{PROSE}{BEGIN}\nno end{AFTER}", f"{PROSE}{END}\n{BEGIN}{AFTER}"]
)
def test_missing_markers_leave_the_file_alone_and_say_so(
    tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "performance.md"
    path.write_text(content)
    assert not write_between_markers(path, "the new table")
    assert path.read_text() == content
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"bench: {path} not updated: it has no {BEGIN} ... {END} markers.\n"


def test_a_missing_file_is_one_line_and_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "docs" / "performance.md"
    assert not write_between_markers(path, "the new table")
    assert not path.exists()
    assert capsys.readouterr().err == (f"bench: {path} not updated: No such file or directory.\n")
