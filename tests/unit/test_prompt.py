"""The app's own read of prompts/app_spec.txt obeys the boundary (real files, no mocks)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.agent.prompt import SPEC_LIMIT, system_prompt


@pytest.fixture
def prompts(tmp_path: Path) -> Path:
    folder = tmp_path / "project" / "prompts"
    folder.mkdir(parents=True)
    return folder


def test_the_spec_is_included_and_cut(prompts: Path) -> None:
    (prompts / "app_spec.txt").write_text("Build a calculator. " + "x" * 20_000)
    text = system_prompt(prompts.parent)
    assert "<app_spec>\nBuild a calculator." in text
    assert "x" * (SPEC_LIMIT - 40) in text and "x" * (SPEC_LIMIT + 1) not in text


def test_a_spec_linked_to_the_environment_is_left_out(
    prompts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-never-in-the-prompt-0000")
    (prompts / "app_spec.txt").symlink_to("/proc/self/environ")
    text = system_prompt(prompts.parent)
    assert "sk-ant-never" not in text and "<app_spec>" not in text
    assert "prompts/app_spec.txt was not included" in text and "symbolic link" in text


def test_a_symlinked_prompts_folder_is_left_out(tmp_path: Path) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    (outside / "app_spec.txt").write_text("SECRET outside\n")
    (project / "prompts").symlink_to(outside, target_is_directory=True)
    text = system_prompt(project)
    assert "SECRET outside" not in text and "symbolic link" in text


def test_a_hardlinked_spec_is_left_out(prompts: Path, tmp_path: Path) -> None:
    (tmp_path / "private.txt").write_text("SECRET outside\n")
    os.link(tmp_path / "private.txt", prompts / "app_spec.txt")
    text = system_prompt(prompts.parent)
    assert "SECRET outside" not in text and "hardlink" in text


def test_a_fifo_spec_is_left_out_without_blocking(prompts: Path) -> None:
    os.mkfifo(prompts / "app_spec.txt")
    assert "not a regular file" in system_prompt(prompts.parent)


def test_a_spec_holding_a_key_is_left_out(prompts: Path) -> None:
    (prompts / "app_spec.txt").write_text("Deploy with ghp_" + "k" * 36 + "\n")
    text = system_prompt(prompts.parent)
    assert "ghp_" not in text and "holds a GitHub token" in text


def test_no_spec_no_note(prompts: Path) -> None:
    assert "app_spec" not in system_prompt(prompts.parent).split("Creating features")[1]


def _spec(project: Path, folder: str, text: str) -> None:
    (project / folder).mkdir(parents=True)
    (project / folder / "app_spec.txt").write_text(text)


@pytest.mark.parametrize("folder", [".autoforge/prompts", ".autocoder/prompts", "prompts"])
def test_the_spec_is_found_in_upstreams_order(tmp_path: Path, folder: str) -> None:
    """The first existing prompts folder wins over every later one, and the prompt names it."""
    project = tmp_path / "project"
    order = [".autoforge/prompts", ".autocoder/prompts", "prompts"]
    for later in order[order.index(folder) + 1 :]:
        _spec(project, later, f"Shadowed spec in {later}.")
    _spec(project, folder, "The spec in use.")
    text = system_prompt(project)
    assert "<app_spec>\nThe spec in use." in text and "Shadowed" not in text
    assert f"specification ({folder}/app_spec.txt)" in text


def test_a_newer_prompts_folder_without_spec_is_not_skipped(tmp_path: Path) -> None:
    """Upstream picks the folder: an .autoforge/prompts/ without app_spec.txt means no spec."""
    project = tmp_path / "project"
    (project / ".autoforge" / "prompts").mkdir(parents=True)
    _spec(project, "prompts", "Old root spec.")
    assert "Old root spec" not in system_prompt(project)


def test_a_symlinked_autoforge_prompts_folder_stops_the_search(tmp_path: Path) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside"
    outside.mkdir()
    (outside / "app_spec.txt").write_text("SECRET outside\n")
    (project / ".autoforge").mkdir(parents=True)
    (project / ".autoforge" / "prompts").symlink_to(outside, target_is_directory=True)
    _spec(project, "prompts", "Root spec behind the link.")
    text = system_prompt(project)
    assert "SECRET outside" not in text and "Root spec behind" not in text
    assert ".autoforge/prompts is a symbolic link" in text


def test_a_hardlinked_autocoder_spec_stops_the_search(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (tmp_path / "private.txt").write_text("SECRET outside\n")
    (project / ".autocoder" / "prompts").mkdir(parents=True)
    os.link(tmp_path / "private.txt", project / ".autocoder" / "prompts" / "app_spec.txt")
    _spec(project, "prompts", "Root spec behind the hardlink.")
    text = system_prompt(project)
    assert "SECRET outside" not in text and "Root spec behind" not in text
    assert "(.autocoder/prompts/app_spec.txt was not included:" in text and "hardlink" in text


def test_the_prompt_describes_the_edit_tools(tmp_path: Path) -> None:
    text = system_prompt(tmp_path)
    for tool in (
        "feature_update",
        "feature_add_dependency",
        "feature_remove_dependency",
        "feature_set_dependencies",
        "feature_mark_failing",
    ):
        assert text.count(tool) >= 2, tool  # listed with the tools, and described
    assert "never mark a feature passing or in progress" in text


# The attacks below reach the one component walk (boundary.paths.walk_components) through both of
# its callers: find_folder/folder_present for the prompts folder, check_components for the spec.


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "project").mkdir()
    return tmp_path / "project"


def _secret_outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "prompts").mkdir(parents=True)
    (outside / "prompts" / "app_spec.txt").write_text("SECRET outside\n")
    (outside / "app_spec.txt").write_text("SECRET outside\n")
    return outside


def test_a_symlinked_parent_of_the_prompts_folder_is_left_out(
    project: Path, tmp_path: Path
) -> None:
    (project / ".autoforge").symlink_to(_secret_outside(tmp_path), target_is_directory=True)
    _spec(project, "prompts", "Root spec behind the link.")
    text = system_prompt(project)
    assert "SECRET outside" not in text and "Root spec behind" not in text
    assert f"{project / '.autoforge'} is a symbolic link, which may point outside" in text


def test_a_dangling_prompts_link_is_refused_not_taken_for_missing(
    project: Path, tmp_path: Path
) -> None:
    """A link to nothing yet is still a link: the later root prompts/ is not used instead."""
    (project / ".autocoder").mkdir()
    (project / ".autocoder" / "prompts").symlink_to(tmp_path / "made-later")
    _spec(project, "prompts", "Root spec behind the link.")
    text = system_prompt(project)
    assert "Root spec behind" not in text
    assert ".autocoder/prompts is a symbolic link" in text


def test_a_prompts_link_to_the_parent_folder_is_left_out(project: Path, tmp_path: Path) -> None:
    _secret_outside(tmp_path)
    (project / "prompts").symlink_to("../outside", target_is_directory=True)
    text = system_prompt(project)
    assert "SECRET outside" not in text and "prompts is a symbolic link" in text


def test_a_spec_linked_to_its_own_folder_is_left_out(prompts: Path) -> None:
    (prompts / "app_spec.txt").symlink_to("..", target_is_directory=True)
    text = system_prompt(prompts.parent)
    assert "(prompts/app_spec.txt was not included:" in text and "symbolic link" in text


@pytest.mark.parametrize("kind", ["file", "fifo"])
def test_a_non_folder_named_prompts_stops_the_search(project: Path, kind: str) -> None:
    """Upstream's resolver takes .autoforge/prompts if it exists, whatever it is: so no spec.

    Refused by the folder's own check, not later as the parent of app_spec.txt (which would name
    .autoforge/prompts/app_spec.txt as the file left out).
    """
    (project / ".autoforge").mkdir()
    where = project / ".autoforge" / "prompts"
    where.write_text("x") if kind == "file" else os.mkfifo(where)
    _spec(project, "prompts", "Root spec behind it.")
    text = system_prompt(project)
    assert "Root spec behind" not in text
    assert f"(prompts/app_spec.txt was not included: {where} is not a directory.)" in text


def test_a_file_where_the_autoforge_folder_belongs_stops_the_search(project: Path) -> None:
    (project / ".autoforge").write_text("not a folder")
    _spec(project, "prompts", "Root spec behind it.")
    text = system_prompt(project)
    assert "Root spec behind" not in text and f"{project / '.autoforge'} is not a directory" in text


def _permissions_apply(tmp_path: Path) -> bool:
    """Whether a folder's missing search permission stops lstat below it (not as root)."""
    probe = tmp_path / "probe"
    (probe / "inner").mkdir(parents=True)
    probe.chmod(0)
    try:
        os.lstat(probe / "inner")
    except PermissionError:
        return True
    finally:
        probe.chmod(0o700)
    return False


def _project_of_length(tmp_path: Path, length: int) -> Path:
    """A project folder whose absolute path is exactly ``length`` characters (below PATH_MAX)."""
    path = tmp_path
    while len(str(path)) < length:
        path = path / ("d" * min(200, length - len(str(path)) - 1))
    path.mkdir(parents=True)
    assert len(str(path)) == length
    return path


@pytest.fixture(params=["the prompts folder", "the spec"])
def unreadable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A project whose walk meets a component lstat cannot check, and that sentence's start.

    Without root, a folder with mode 000; as root (permissions do not apply), a path longer than
    PATH_MAX, which fails lstat for anyone: the folder's case at .autoforge (the first candidate),
    the spec's at prompts/app_spec.txt (prompts/ itself still fits).
    """
    folder = request.param == "the prompts folder"
    if _permissions_apply(tmp_path):
        project = tmp_path / "project"
        locked = project / (".autoforge" if folder else "prompts")
        locked.mkdir(parents=True)
        locked.chmod(0)
        failing = locked / ("prompts" if folder else "app_spec.txt")
        yield project, f"{failing} cannot be checked (Permission denied)"
        locked.chmod(0o700)
        return
    project = _project_of_length(tmp_path, 4090 if folder else 4080)
    if not folder:
        (project / "prompts").mkdir()
    failing = project / (".autoforge" if folder else "prompts/app_spec.txt")
    yield project, f"{failing} cannot be checked (File name too long)"


def test_a_component_that_cannot_be_checked_is_named_with_its_reason(
    unreadable: tuple[Path, str],
) -> None:
    project, sentence = unreadable
    assert sentence in system_prompt(project)
