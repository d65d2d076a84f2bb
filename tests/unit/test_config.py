"""Settings: the model's precedence and .env handling (never the project's .env)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.config import ConfigError, Settings


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in (
        "ASSISTANT_TUI_MODEL",
        "ANTHROPIC_DEFAULT_OPUS_MODEL",
        "ANTHROPIC_BASE_URL",
        "ASSISTANT_TUI_DB",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
    ):
        monkeypatch.delenv(name, raising=False)


def test_project_env_file_is_never_loaded(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / ".env").write_text("ANTHROPIC_BASE_URL=http://evil.example\n")
    settings = Settings.build(project=project)
    assert "ANTHROPIC_BASE_URL" not in settings.cli_env()


def test_user_env_file_and_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = tmp_path / "my.env"
    env.write_text("ASSISTANT_TUI_MODEL=from-file\nANTHROPIC_API_KEY=file-key\nX_SET=file\n")
    monkeypatch.setenv("X_SET", "environment")
    settings = Settings.build(project=tmp_path, env_file=str(env))
    assert settings.model == "from-file"
    assert settings.cli_env()["ANTHROPIC_API_KEY"] == "file-key"
    assert "X_SET" not in settings.cli_env()  # the environment wins over the file
    assert Settings.build(project=tmp_path, env_file=str(env), model="flag").model == "flag"
    default_env = tmp_path / "config" / "assistant-tui" / ".env"
    default_env.parent.mkdir(parents=True)
    default_env.write_text("ANTHROPIC_DEFAULT_OPUS_MODEL=opus-x\n")
    assert Settings.build(project=tmp_path).model == "opus-x"


def test_defaults_and_cli_env(tmp_path: Path) -> None:
    settings = Settings.build(project=tmp_path)
    assert settings.model == "opus"
    env = settings.cli_env()
    assert env["ENABLE_TOOL_SEARCH"] == "false"
    assert env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] == "1"


def test_missing_env_file_or_project(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist; check --env-file"):
        Settings.build(project=tmp_path, env_file=str(tmp_path / "none.env"))
    with pytest.raises(ConfigError, match="does not exist; pass a directory"):
        Settings.build(project=tmp_path / "none")


def test_web_mode_from_flag_config_or_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert Settings.build(project=tmp_path).web == "ask"
    folder = tmp_path / "config" / "assistant-tui"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text('web = "off"\n')
    assert Settings.build(project=tmp_path).web == "off"
    built = Settings.build(project=tmp_path, web="on", allow_web="A.example, b.example")
    assert built.web == "on" and built.allow_web == ("a.example", "b.example")
    (folder / "config.toml").write_text('web = "always"\n')
    with pytest.raises(ConfigError, match="'always' is not one of ask, on, off"):
        Settings.build(project=tmp_path)


def test_a_file_given_as_the_project_is_named_a_file(tmp_path: Path) -> None:
    """Issue 15 D4: `assistant-tui README.md` said the file did not exist."""
    readme = tmp_path / "README.md"
    readme.write_text("# x\n")
    with pytest.raises(ConfigError) as refused:
        Settings.build(project=readme)
    assert str(refused.value) == (
        f"{readme} is a file, not a directory; pass the project's folder (perhaps {tmp_path})."
    )
