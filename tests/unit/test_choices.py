"""Models, efforts and context windows: what may reach the CLI's command line, and the window
each model is measured against (the table in tui.choices, overridden from config.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.choices import (
    ChoiceError,
    ContextFill,
    context_window,
    effort_level,
    model_name,
    models_offered,
)
from tui.config import load_config


@pytest.mark.parametrize(
    "name",
    ["opus", "claude-sonnet-4-5", "claude-opus-4-6[1m]", "us.anthropic.claude-3:0", "a/b@c"],
)
def test_model_names_the_cli_and_the_api_spell_are_taken(name: str) -> None:
    assert model_name(f" {name} ") == name


@pytest.mark.parametrize("name", ["", "-x", "--print", "two words", "bad\x1b[31m", "x" * 201])
def test_anything_else_is_one_sentence(name: str) -> None:
    with pytest.raises(ChoiceError, match="is not a model name; use an alias"):
        model_name(name)


def test_efforts_are_the_clis_levels_or_the_default() -> None:
    assert [effort_level(x) for x in ("low", " MAX ", "default")] == ["low", "max", None]
    with pytest.raises(ChoiceError, match="extreme is not an effort level"):
        effort_level("extreme")


@pytest.mark.parametrize(
    ("model", "window"),
    [
        ("opus", 1_000_000),
        ("claude-opus-4-7", 1_000_000),
        ("claude-opus-5", 1_000_000),
        ("scripted", 1_000_000),
        ("claude-sonnet-4-5", 200_000),
        ("claude-sonnet-4-20250514", 200_000),
        ("claude-opus-4-6", 200_000),
        ("claude-3-5-haiku-20241022", 200_000),
        ("claude-sonnet-4-5[1m]", 1_000_000),
    ],
)
def test_windows_follow_what_the_bundled_cli_reports(model: str, window: int) -> None:
    assert context_window(model) == window


def test_config_overrides_a_model_then_every_other(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[context_windows]\n"claude-opus-4-6" = 1000000\ndefault = 400000\n')
    windows = load_config(config).context_windows
    assert context_window("claude-opus-4-6", windows) == 1_000_000
    assert context_window("opus", windows) == 400_000


def test_a_bad_window_table_is_one_sentence_and_the_built_in_sizes(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[context_windows]\nopus = "big"\n')
    loaded = load_config(config)
    assert loaded.context_windows == {}
    assert loaded.problems == [
        f'{config}: [context_windows] must map model names to token counts, e.g. "opus" = '
        "1000000; using the built-in sizes."
    ]


def test_amber_starts_above_80_percent() -> None:
    assert not ContextFill(160_000, 200_000).full
    assert ContextFill(160_001, 200_000).full


def test_the_picker_lists_each_model_once_aliases_first() -> None:
    offered = models_offered("opus", ["claude-x", "sonnet", "claude-y"], "claude-y")
    assert offered == ["opus", "sonnet", "haiku", "claude-y", "claude-x"]
