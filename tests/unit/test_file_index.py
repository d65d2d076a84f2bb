"""The @ picker's file list: what git ignores and what the guard would deny never shows; links,
FIFOs and look-alike names are handled as the boundary handles them; freshness by stamps."""

from __future__ import annotations

import os
import threading
import time
import unicodedata
from pathlib import Path

import pytest

from tui.mentions.index import walk
from tui.screens.mention_picker import build


def listed(root: Path, allow_secrets: bool = False) -> list[str]:
    return sorted(build(root, allow_secrets)[0].paths)


def files(root: Path, *names: str, text: str = "x\n") -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_gitignore_rules_apply_with_negation_and_folder_patterns(tmp_path: Path) -> None:
    files(tmp_path, "app.py", "debug.log", "keep.log", "build/out.o", "docs/build/page.md")
    (tmp_path / ".gitignore").write_text("*.log\n!keep.log\n/build/\n")
    assert listed(tmp_path) == [
        ".gitignore",
        "app.py",
        "docs/",
        "docs/build/",
        "docs/build/page.md",
        "keep.log",
    ]


def test_a_nested_gitignore_applies_below_its_folder_and_wins_over_the_root(
    tmp_path: Path,
) -> None:
    files(tmp_path, "a.tmp", "sub/b.tmp", "sub/c.txt", "sub/deep/d.txt", "other/e.txt")
    (tmp_path / ".gitignore").write_text("*.txt\n")
    (tmp_path / "sub" / ".gitignore").write_text("*.tmp\n!*.txt\n")
    found = listed(tmp_path)
    assert "a.tmp" in found and "sub/b.tmp" not in found  # the nested rule, below sub/ only
    assert "sub/c.txt" in found and "sub/deep/d.txt" in found  # re-included below sub/
    assert "other/e.txt" not in found


def test_info_exclude_is_read_and_the_git_folder_never_listed(tmp_path: Path) -> None:
    files(tmp_path, "app.py", "notes.md", ".git/HEAD", ".git/info/exclude", "sub/.git/config")
    (tmp_path / ".git" / "info" / "exclude").write_text("notes.md\n")
    assert listed(tmp_path) == ["app.py", "sub/"]


def test_secret_names_any_case_or_look_alike_are_not_listed(tmp_path: Path) -> None:
    lookalike = "\uff49d_rsa"  # a fullwidth i: NFKC folds it to id_rsa, as the guard checks
    files(tmp_path, "app.py", ".env", ".ENV.local", "keys/server.PEM", ".ssh/config", lookalike)
    assert listed(tmp_path) == ["app.py", "keys/"]
    assert ".env" in listed(tmp_path, allow_secrets=True)  # the user's --allow-secrets


def test_links_out_hardlinks_and_fifos_are_not_listed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    files(outside, "secret.txt", "folder/inner.txt")
    root = tmp_path / "project"
    files(root, "app.py", "one.txt")
    os.symlink(outside / "secret.txt", root / "linked.txt")
    os.symlink(outside / "folder", root / "linked_folder")
    os.link(root / "one.txt", root / "second_name.txt")
    os.mkfifo(root / "pipe")
    started = time.monotonic()
    assert listed(root) == ["app.py"]
    assert time.monotonic() - started < 5  # the FIFO was never opened


def test_names_differing_in_case_or_unicode_form_are_each_listed(tmp_path: Path) -> None:
    composed = unicodedata.normalize("NFC", "café.md")
    decomposed = unicodedata.normalize("NFD", "café.md")
    files(tmp_path, "README.md", "Readme.md", composed, decomposed)
    found = listed(tmp_path)
    assert {"README.md", "Readme.md", composed, decomposed} == set(found)
    listing = build(tmp_path, False)[1]
    assert {m.path for m in listing.search("cafe")} == set()  # é is not e
    assert {m.path for m in listing.search("café")} == {composed, decomposed}
    assert {m.path for m in listing.search("readme")} == {"README.md", "Readme.md"}


def test_a_symlinked_gitignore_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "rules"
    outside.write_text("*\n")
    root = tmp_path / "project"
    files(root, "app.py")
    os.symlink(outside, root / ".gitignore")
    assert listed(root) == ["app.py"]  # its rules do not apply, and it is not listed


def test_the_walk_is_stale_only_after_a_change(tmp_path: Path) -> None:
    files(tmp_path, "app.py", "sub/a.py")
    (tmp_path / ".gitignore").write_text("*.log\n")
    past = time.time() - 60  # older than the file system's clock tick: not "racy"
    for path in (tmp_path, tmp_path / "sub", tmp_path / ".gitignore"):
        os.utime(path, (past, past))
    found = build(tmp_path, False)[0]
    assert not found.stale()
    (tmp_path / "sub" / "b.py").write_text("")
    assert found.stale()
    found = build(tmp_path, False)[0]
    assert "sub/b.py" in found.paths


def test_an_edited_ignore_file_makes_the_walk_stale(tmp_path: Path) -> None:
    files(tmp_path, "app.py", "x.log")
    (tmp_path / ".gitignore").write_text("*.log\n")
    past = time.time() - 60
    for path in (tmp_path, tmp_path / ".gitignore"):
        os.utime(path, (past, past))
    found = build(tmp_path, False)[0]
    assert "x.log" not in found.paths and not found.stale()
    with (tmp_path / ".gitignore").open("w") as rules:  # in place: the folder's mtime stays
        rules.write("*.tmp\n")
    assert found.stale()


def test_the_walk_stops_at_its_limit_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.mentions.index.MAX_ENTRIES", 3)
    files(tmp_path, *(f"f{n}.py" for n in range(10)))
    found = walk(tmp_path, lambda parts, info: True, lambda parts, info: True)
    assert len(found.paths) == 3 and not found.complete


def test_a_stopped_walk_ends_at_once(tmp_path: Path) -> None:
    """The app quitting sets the event: a walk of a huge tree must not hold the exit."""
    files(tmp_path, *(f"d{n}/f.py" for n in range(20)))
    stop = threading.Event()
    stop.set()
    found = walk(tmp_path, lambda parts, info: True, lambda parts, info: True, stop)
    assert found.paths == [] and not found.complete
