"""The models and efforts a conversation may use, and how large each model's context window is.

Plain data and checks, no Textual and no SDK: the screen lists these, the engine passes them to
the CLI (``--model`` and ``--effort``), the status bar measures the last request against the
window. A name reaches the CLI's command line, so it is checked here first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

ALIASES = ("opus", "sonnet", "haiku")  # the CLI resolves each to its current model
# What the bundled CLI (2.1.332) accepts for --effort; "xhigh" falls back to "high" on models
# without it. None (shown as "default") leaves the choice to the CLI.
EFFORTS = ("low", "medium", "high", "xhigh", "max")
DEFAULT = "default"  # typed or picked: back to the configured model, or the CLI's effort

# Context windows, in tokens, as the bundled CLI reports them (ClaudeSDKClient.get_context_usage
# for each name, measured): a "[1m]" name has a million; the Claude 3 models and the Claude 4
# models up to 4.6 (claude-3-…, claude-…-4, claude-…-4-0 to -4-6, claude-…-4-<date>) have
# 200,000; the aliases, claude-…-4-7, newer models and names the CLI does not know have a
# million. config.toml's [context_windows] table overrides any of them.
MILLION = 1_000_000
CLASSIC = 200_000
_CLASSIC_NAMES = re.compile(r"^claude-(3|[a-z]+-(3|4)(-[0-6](-|$)|-\d{8}|$))")
# A model name as the CLI and the API spell one: an alias, an id, a Bedrock or Vertex name
# (colons, slashes, @), a "[1m]" suffix. No spaces or controls, and no leading "-", which the
# CLI's command line would read as a flag.
_MODEL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@\[\]-]{0,199}$")
FULL_AT = 80.0  # per cent of the window above which the status bar turns amber


class ChoiceError(ValueError):
    """A model or effort the CLI would not take, in one sentence."""


def model_name(text: str) -> str:
    """A model name as typed, checked; raises ChoiceError with the sentence to show."""
    name = text.strip()
    if not _MODEL_NAME.match(name):
        shown = name if name.isprintable() and len(name) <= 60 else repr(name[:60])
        raise ChoiceError(
            f"{shown or 'An empty name'} is not a model name; use an alias "
            f"({', '.join(ALIASES)}) or a model id such as claude-sonnet-4-5."
        )
    return name


def effort_level(text: str) -> str | None:
    """An effort as typed: one of EFFORTS, or None for "default"; else ChoiceError."""
    level = text.strip().lower()
    if level == DEFAULT:
        return None
    if level not in EFFORTS:
        shown = level if level.isprintable() and len(level) <= 30 else repr(level[:30])
        raise ChoiceError(
            f"{shown or 'Nothing'} is not an effort level; choose one of "
            f"{', '.join(EFFORTS)} or {DEFAULT}."
        )
    return level


def models_offered(configured: str, named: Sequence[str], current: str | None = None) -> list[str]:
    """The models a picker lists: the aliases, the configured default, the one in use, then
    those the user chose before; each once, in that order."""
    found: list[str] = []
    for name in (*ALIASES, configured, current, *named):
        if name and name not in found:
            found.append(name)
    return found


def context_window(model: str, overrides: dict[str, int] | None = None) -> int:
    """The context window of ``model`` in tokens (see the table above); ``overrides`` maps a
    model name, or "default" for every other, to its window."""
    overrides = overrides or {}
    if model in overrides:
        return overrides[model]
    if DEFAULT in overrides:
        return overrides[DEFAULT]
    if model.lower().endswith("[1m]"):
        return MILLION
    return CLASSIC if _CLASSIC_NAMES.match(model.lower()) else MILLION


@dataclass(frozen=True)
class ContextFill:
    """How full the context window was at the last request."""

    tokens: int
    window: int

    @property
    def percent(self) -> float:
        return 100.0 * self.tokens / self.window if self.window > 0 else 0.0

    @property
    def full(self) -> bool:
        """Above FULL_AT per cent: the CLI will soon compact the conversation."""
        return self.percent > FULL_AT
