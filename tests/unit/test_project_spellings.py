"""A project reached through a symlink keeps the names users cite it by (issue 19): the path
as given and the shell's $PWD count as the project for references, and only while they still
lead to it; real files and links."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.agent.guard import Guard
from tui.config import Settings
from tui.references import refusal, resolve


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """A project with one file, and a symlink to it elsewhere."""
    real = tmp_path / "real" / "project"
    (real / "src").mkdir(parents=True)
    (real / "src" / "calc.py").write_text("x = 1\n")
    link = tmp_path / "link"
    link.symlink_to(real)
    return real, link


def test_a_path_under_a_spelling_is_the_projects(linked: tuple[Path, Path]) -> None:
    real, link = linked
    guard = Guard(real, spellings=(link,))
    [found] = resolve(f"See {link}/src/calc.py:1 for it.", guard)
    assert (found.relative, found.first) == ("src/calc.py", 1)
    assert refusal(f"{real}/src/calc.py", guard) == ("src/calc.py", None)
    assert refusal(f"{link}/../link/src/calc.py", guard)[1] is not None  # climbs: refused
    assert refusal(f"{link}/src/calc.py", Guard(real))[1] == (
        f"{link}/src/calc.py is outside the project"
    )


def test_a_spelling_that_leads_elsewhere_counts_for_nothing(
    linked: tuple[Path, Path], tmp_path: Path
) -> None:
    real, link = linked
    other = tmp_path / "other"
    (other / "src").mkdir(parents=True)
    (other / "src" / "calc.py").write_text("stolen = True\n")
    link.unlink()
    link.symlink_to(other)  # swapped before the guard was made: it is not the project's name
    guard = Guard(real, spellings=(link,))
    assert guard.roots == (real,)
    assert refusal(f"{link}/src/calc.py", guard)[1] == f"{link}/src/calc.py is outside the project"


def test_settings_keep_the_spelling_given_and_the_shells(
    linked: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real, link = linked
    assert Settings.build(project=str(link), db=":memory:").spellings == (link,)
    assert Settings.build(project=str(real.resolve()), db=":memory:").spellings == ()
    monkeypatch.chdir(link)
    monkeypatch.setenv("PWD", str(link))
    launched = Settings.build(db=":memory:")
    assert launched.project == real.resolve() and launched.spellings == (link,)
    monkeypatch.setenv("PWD", "/")  # a stale $PWD naming another folder is no spelling
    assert Settings.build(db=":memory:").spellings == ()
