"""The app's own read of prompts/app_spec.txt obeys the boundary (real files, no mocks)."""

from __future__ import annotations

import os
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
