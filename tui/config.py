"""Where the app keeps its files, and the settings that come from flags, .env and environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tui.agent.errors import RETRY, STOP
from tui.agent.web import WEB_MODES, parse_hosts

BACKLOG_MODES = ("ask", "on")

APP_NAME = "assistant-tui"
DB_ENV = "ASSISTANT_TUI_DB"
MODEL_ENV = "ASSISTANT_TUI_MODEL"
DEFAULT_MODEL = "opus"  # the CLI resolves the alias to the current Opus model
PASS_THROUGH = (
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "API_TIMEOUT_MS",
    "ANTHROPIC_DEFAULT_SONNET_MODEL",
    "ANTHROPIC_DEFAULT_OPUS_MODEL",
    "ANTHROPIC_DEFAULT_HAIKU_MODEL",
    "CLAUDE_CONFIG_DIR",
    "CLAUDE_CODE_MAX_RETRIES",
)


class ConfigError(Exception):
    """A bad flag or file, explained in one sentence."""


def data_dir() -> Path:
    """The user data directory (platformdirs); never the project directory."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def owned_dir(path: Path) -> Path | None:
    """The app's own folder (data or config directory) that ``path`` lies in, if any.

    Only these are tightened to 0700 when found looser; a folder of the user's own, such as the
    one holding a ``--db`` file elsewhere, keeps its mode (see tui.private_files).
    """
    for folder in (data_dir(), config_dir()):
        if path.expanduser().absolute().is_relative_to(folder.absolute()):
            return folder
    return None


def database_path(flag: str | None = None) -> Path:
    """--db wins, then $ASSISTANT_TUI_DB, then history.db in the user data directory."""
    chosen = flag or os.environ.get(DB_ENV)
    return Path(chosen).expanduser() if chosen else data_dir() / "history.db"


def load_env_file(path: Path | None) -> dict[str, str]:
    """Variables from --env-file, else from the user config directory's .env.

    Never from the project: a project's .env could point ANTHROPIC_BASE_URL elsewhere and take
    the user's key. Variables already set in the environment win.
    """
    chosen = path or config_dir() / ".env"
    if path is not None and not path.is_file():
        raise ConfigError(f"The env file {path} does not exist; check --env-file.")
    if not chosen.is_file():
        return {}
    from dotenv import dotenv_values  # only with a file to read: most launches have none

    values = dotenv_values(chosen)
    return {k: v for k, v in values.items() if v is not None and k not in os.environ}


@dataclass
class Settings:
    """Everything the engine needs to start a session for one project."""

    project: Path
    db: Path
    model: str
    # Other absolute spellings of the project that reach it through a symlink (the path as
    # given, the shell's $PWD): a file an answer cites under one of them is the project's.
    spellings: tuple[Path, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    allow_secrets: bool = False
    web: str = "ask"  # "ask" | "on" | "off": see tui.agent.web
    allow_web: tuple[str, ...] = ()  # hosts the user allowed for WebFetch
    backlog_writes: str = "ask"  # "ask" | "on": see tui.agent.approval
    state_dir: Path = field(default_factory=data_dir)
    stall_notice_s: float = 30.0  # silence from the model before the user is told
    # config.toml's [context_windows]: a model's window in tokens (see tui.choices)
    context_windows: dict[str, int] = field(default_factory=dict)
    # How the user chooses another model and asks again, as a failure's sentence names them:
    # headless the flag and a second run; in the app the main screen sets the keys bound now
    # (the keymap is the app's to know).
    choose_model: str = "--model"
    retry: str = RETRY
    stop: str = STOP

    @classmethod
    def build(
        cls,
        project: str | Path | None = None,
        db: str | None = None,
        model: str | None = None,
        env_file: str | None = None,
        allow_secrets: bool = False,
        web: str | None = None,
        allow_web: str | None = None,
        allow_backlog_writes: bool = False,
    ) -> Settings:
        """Resolve flags, .env and environment into settings; ConfigError on bad input."""
        root = Path(project or os.getcwd()).expanduser()
        if root.exists() and not root.is_dir():
            raise ConfigError(
                f"{root} is a file, not a directory; pass the project's folder "
                f"(perhaps {root.parent})."
            )
        if not root.is_dir():
            raise ConfigError(f"The project directory {root} does not exist; pass a directory.")
        extra = load_env_file(Path(env_file).expanduser() if env_file else None)
        merged = {**extra, **os.environ}
        chosen = (
            model
            or merged.get(MODEL_ENV)
            or merged.get("ANTHROPIC_DEFAULT_OPUS_MODEL")
            or DEFAULT_MODEL
        )
        config = load_config()  # read once for every setting it holds
        real = root.resolve()
        return cls(
            project=real,
            spellings=spellings(root, real, given=project is not None),
            db=database_path(db),
            model=chosen,
            env=extra,
            allow_secrets=allow_secrets,
            web=_web_mode(web, config),
            allow_web=parse_hosts(allow_web or ""),
            backlog_writes="on" if allow_backlog_writes else _backlog_mode(config),
            context_windows=config.context_windows,
        )

    def cli_env(self) -> dict[str, str]:
        """Variables for the CLI on top of the inherited environment."""
        env = dict(self.env)
        env.setdefault("ENABLE_TOOL_SEARCH", "false")  # backlog tools visible to the model
        if "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC" not in os.environ:
            env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1"
        env.setdefault("DISABLE_AUTOUPDATER", "1")
        defaults = {
            # A backlog call takes milliseconds; a hung MCP server fails its call after this
            # instead of holding the turn for the CLI's default of hours.
            "MCP_TOOL_TIMEOUT": "60000",
            # A stalled stream then fails (and the partial answer is kept for a retry) instead
            # of being fetched again without streaming, which no event would ever show.
            "CLAUDE_CODE_DISABLE_NONSTREAMING_FALLBACK": "1",
        }
        for name, value in defaults.items():
            if name not in os.environ:
                env.setdefault(name, value)
        return env

    def api_url(self) -> str:
        """The Messages API the CLI talks to (the environment wins over the .env file)."""
        merged = {**self.env, **os.environ}
        return merged.get("ANTHROPIC_BASE_URL") or "https://api.anthropic.com"

    def credentials_missing(self) -> bool:
        """True when neither a key, a token, nor a Claude Code login can be found."""
        merged = {**self.env, **os.environ}
        if merged.get("ANTHROPIC_API_KEY") or merged.get("ANTHROPIC_AUTH_TOKEN"):
            return False
        return not (self.claude_config_dir() / ".credentials.json").is_file()

    def claude_config_dir(self) -> Path:
        """Where the CLI keeps its login and session transcripts."""
        merged = {**self.env, **os.environ}
        return Path(merged.get("CLAUDE_CONFIG_DIR") or Path.home() / ".claude")


def _web_mode(flag: str | None, config: AppConfig) -> str:
    """--web wins, then config.toml's ``web``, else "ask"; anything else is one sentence."""
    chosen = flag or config.web or "ask"
    if chosen not in WEB_MODES:
        raise ConfigError(
            f"The web mode {chosen!r} is not one of {', '.join(WEB_MODES)}; check --web or the "
            f"web setting in {config_file()}."
        )
    return chosen


def _backlog_mode(config: AppConfig) -> str:
    """config.toml's ``backlog_writes``, else "ask"; anything else is one sentence."""
    chosen = config.backlog_writes or "ask"
    if chosen not in BACKLOG_MODES:
        raise ConfigError(
            f"The backlog_writes setting {chosen!r} is not one of {', '.join(BACKLOG_MODES)}; "
            f"check {config_file()}."
        )
    return chosen


@dataclass
class AppConfig:
    """What the user's config.toml sets: a default theme and rebound keys."""

    theme: str | None = None
    web: str | None = None
    backlog_writes: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    context_windows: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def config_file() -> Path:
    return config_dir() / "config.toml"


def load_config(path: Path | None = None) -> AppConfig:
    """Read config.toml; a broken file is reported in one sentence and otherwise ignored.

    ``theme = "nord"`` sets the starting theme; a ``[keys]`` table maps an action to keys,
    e.g. ``new = "ctrl+n,f4"`` (the action names are listed in the README).
    """
    path = path or config_file()
    if not path.is_file():
        return AppConfig()
    import tomllib  # only with a file to read: most launches have none

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return AppConfig(problems=[f"{path} could not be read ({error}); using the defaults."])
    config = AppConfig()
    theme = data.get("theme")
    if isinstance(theme, str):
        config.theme = theme
    web = data.get("web")
    if isinstance(web, str):
        config.web = web
    writes = data.get("backlog_writes")
    if isinstance(writes, str):
        config.backlog_writes = writes
    keys = data.get("keys", {})
    if isinstance(keys, dict):
        config.keys = {str(k): str(v) for k, v in keys.items() if isinstance(v, str)}
    else:
        config.problems.append(f'{path}: [keys] must be a table of action = "keys".')
    _context_windows(data.get("context_windows", {}), path, config)
    return config


def _context_windows(table: object, path: Path, config: AppConfig) -> None:
    """``[context_windows]``: a model name (or "default") = its window in tokens."""
    windows = table if isinstance(table, dict) else None
    if windows is None or not all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in windows.values()
    ):
        config.problems.append(
            f'{path}: [context_windows] must map model names to token counts, e.g. "opus" = '
            "1000000; using the built-in sizes."
        )
        return
    config.context_windows = {str(k): int(v) for k, v in windows.items()}


def spellings(root: Path, real: Path, given: bool) -> tuple[Path, ...]:
    """The project's absolute spellings other than its real path ``real``: ``root`` as the
    user gave it, or (launched inside it) as the shell names the folder in $PWD, which keeps
    symlinks, as on a Mac's /tmp. These are the paths users copy from their prompt into a
    question."""
    found = [Path(os.path.abspath(root))]
    pwd = os.environ.get("PWD")
    if not given and pwd and os.path.isabs(pwd) and Path(pwd).resolve() == real:
        found.append(Path(os.path.normpath(pwd)))
    return tuple(dict.fromkeys(p for p in found if p != real))
