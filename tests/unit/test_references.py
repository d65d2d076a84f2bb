"""File references in answers: the shapes found, and only what the guard and the no-follow walk
would let the viewer open kept (real files, real links, the real guard)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.agent.guard import Guard
from tui.references import Reference, candidates, lines_read, refusal, resolve, search_hits
from tui.screens.viewer import editor_command
from tui.viewed_file import MAX_BYTES, MAX_LINES, NotViewable, read_for_viewer


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("see src/calc.py:3-5 for it", [("src/calc.py", 3, 5, "src/calc.py:3-5")]),
        ("in `src/calc.py:3` it adds", [("src/calc.py", 3, None, "src/calc.py:3")]),
        ("[add](src/calc.py#L3-L5)", [("src/calc.py", 3, 5, "src/calc.py#L3-L5")]),
        ("calc.py#L7.", [("calc.py", 7, None, "calc.py#L7")]),
        ("tui/app.py lines 10-20, then", [("tui/app.py", 10, 20, "tui/app.py lines 10-20")]),
        ("the file src/calc.py.", [("src/calc.py", None, None, "src/calc.py")]),
        ("`Makefile` builds it", [("Makefile", None, None, "Makefile")]),
        ("Makefile builds it", []),  # a bare word without backticks is prose
        ("Python 3.11 and 0.2.18", []),
        ("https://example.com/src/calc.py:3", []),
        ("src/calc.py:5-3", [("src/calc.py", 5, None, "src/calc.py:5-3")]),
        ("src/calc.py:0", [("src/calc.py", None, None, "src/calc.py:0")]),
        ("(./src/calc.py)", [("./src/calc.py", None, None, "./src/calc.py")]),
    ],
)
def test_candidates_take_every_written_form(
    text: str, found: list[tuple[str, int | None, int | None, str]]
) -> None:
    assert [(r.path, r.first, r.last, r.written) for r in candidates(text)] == found


@pytest.fixture
def guard(tmp_path: Path) -> Guard:
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "calc.py").write_text("a\nb\nc\nd\ne\nf\n")
    (project / ".env").write_text("TOKEN=1\n")
    (project / "keys.txt").write_text("sk-ant-api03-abcdefghijklmnop\n")
    (tmp_path / "outside.py").write_text("secret = 1\n")
    (project / "out.py").symlink_to(tmp_path / "outside.py")
    (project / "inside.py").symlink_to(project / "src" / "calc.py")  # a link, even inside
    (project / "linkdir").symlink_to(project / "src")
    (project / "src" / "dup.py").write_text("x\n")
    os.link(project / "src" / "dup.py", project / "twin.py")
    return Guard(project)


def test_only_files_the_viewer_may_open_are_kept(guard: Guard) -> None:
    text = " ".join(
        [
            "src/calc.py:3-5",
            "`.env`",
            ".ENV:1",
            "out.py:1",
            "inside.py:2",
            "linkdir/calc.py",
            "twin.py",
            "keys.txt",
            "src/../src/calc.py",
            "src/calc\u2024py",
            "missing.py",
            "src/",
            f"{guard.root}/src/calc.py#L2",
            "/etc/passwd",
        ]
    )
    kept = resolve(text, guard)
    assert [r.label() for r in kept] == ["src/calc.py:3-5", "src/calc.py:2"]
    assert kept[0] == Reference("src/calc.py", 3, 5, "src/calc.py:3-5", "src/calc.py")


@pytest.mark.parametrize(
    ("path", "why"),
    [
        (".env", "may hold secrets"),
        (".ENV", "may hold secrets"),
        ("out.py", "outside the project"),
        ("inside.py", "symbolic link"),
        ("linkdir/calc.py", "symbolic link"),
        ("twin.py", "hardlink"),
        ("keys.txt", "an Anthropic API key"),
        ("src/../src/calc.py", "climbs out"),
        ("src/calc\u2024py", "look-alike"),
        ("missing.py", "does not exist"),
        ("src", "not a regular file"),
        ("/etc/passwd", "outside the project"),
        ("~/proj/src/calc.py", "home folder"),  # the guard would judge $HOME's file, not this
    ],
)
def test_each_refusal_says_why(guard: Guard, path: str, why: str) -> None:
    _relative, reason = refusal(path, guard)
    assert reason is not None and why in reason


def test_a_long_listing_is_cut_at_the_limit() -> None:
    text = " ".join(f"src/f{i}.py" for i in range(300))
    assert len(candidates(text)) == 100


def test_the_viewer_reads_what_resolves_and_says_why_not_otherwise(guard: Guard) -> None:
    assert read_for_viewer("src/calc.py", guard).lines[2:5] == ["c", "d", "e"]
    (guard.root / "big.txt").write_text("x" * (MAX_BYTES + 1))
    (guard.root / "blob.bin").write_bytes(b"\x7fELF\0\0\1")
    (guard.root / "latin.txt").write_bytes(b"caf\xe9\n")
    (guard.root / "many.txt").write_text("\n" * (MAX_LINES + 1))
    sentences = {}
    for name in ("big.txt", "blob.bin", "latin.txt", "many.txt", ".env", "out.py", "inside.py"):
        with pytest.raises(NotViewable) as refused:
            read_for_viewer(name, guard)
        sentences[name] = str(refused.value)
    assert sentences["big.txt"].startswith("big.txt is larger than 1 MiB")
    assert sentences["blob.bin"] == "blob.bin is a binary file, which the viewer does not show."
    assert "not UTF-8" in sentences["latin.txt"]
    assert "more than the viewer's 50,000" in sentences["many.txt"]
    assert sentences[".env"].startswith(".env cannot be opened: .env may hold secrets")
    assert "outside the project" in sentences["out.py"]
    assert "symbolic link" in sentences["inside.py"]
    assert all(s.endswith(".") and s.count(". ") == 0 for s in sentences.values())


def test_lines_read_come_from_the_read_calls_of_that_file(guard: Guard) -> None:
    root = guard.root
    calls = [
        {"file_path": "src/calc.py", "offset": 10, "limit": 5},
        {"file_path": f"{root}/src/calc.py"},
        {"file_path": "./src/calc.py", "offset": "3", "limit": "2"},
        {"file_path": "src/other.py", "offset": 1, "limit": 1},
        {"file_path": "../src/calc.py"},
        {"pattern": "*.py"},
    ]
    assert lines_read(calls, "src/calc.py", (root,)) == [(10, 14), (1, 2000), (3, 4)]


def test_the_editor_is_told_the_line_in_its_own_way() -> None:
    path = Path("/p/src/a b.py")
    assert editor_command({"EDITOR": "vim"}, path, 12) == ["vim", "+12", "/p/src/a b.py"]
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "vi"}, path, 3) == [
        "code",
        "--wait",
        "-g",
        "/p/src/a b.py:3",
    ]
    assert editor_command({"EDITOR": "/usr/bin/subl -w"}, path, 7) == [
        "/usr/bin/subl",
        "-w",
        "/p/src/a b.py:7",
    ]
    assert "cannot be read" in str(editor_command({"EDITOR": "vim 'x"}, path, 1))
    assert "Set $VISUAL" in str(editor_command({}, path, 1))


def test_a_search_result_is_read_line_by_line_names_with_spaces_included(guard: Guard) -> None:
    (guard.root / "src" / "my notes+@v2.py").write_text("x = 1\ny = 2\n")
    grep = "\n".join(
        [
            "src/calc.py:3:    return a + b",
            "src/my notes+@v2.py:2:y = 2",
            ".env:1:KEY=x",  # refused by name, as for the model
            "linkdir/calc.py:1:x",  # a symlink on the way: refused
        ]
    )
    assert [(r.relative, r.first) for r in search_hits(grep, guard)] == [
        ("src/calc.py", 3),
        ("src/my notes+@v2.py", 2),
    ]
    glob = "Found 2 files\nsrc/my notes+@v2.py\nsrc/calc.py\n"
    assert [(r.relative, r.first) for r in search_hits(glob, guard)] == [
        ("src/my notes+@v2.py", None),
        ("src/calc.py", None),
    ]
