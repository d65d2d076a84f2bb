"""The status bar: session state, the last turn's tokens and cost, the conversation's total, and
how full the context window was at the last request."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets import Static

from tui.choices import ContextFill
from tui.models import TurnUsage

SEPARATOR = "  ·  "
BAR_CELLS = 10


def usage_text(last: TurnUsage | None) -> str:
    """What the last turn counted: a cancelled turn reports a cost but no tokens, and
    "0 tokens" beside a price read as a bug; nothing counted says nothing."""
    if last is None:
        return ""
    counted = [f"{last.total_tokens:,} tokens"] if last.total_tokens else []
    if last.cost_usd:
        counted.append(f"${last.cost_usd:.4f}")
    return f"last turn: {', '.join(counted)}" if counted else ""


def short_count(tokens: int) -> str:
    """A window size as people say it: 200k, 1M, 1.5M."""
    if tokens >= 1_000_000:
        return f"{tokens / 1_000_000:.1f}".removesuffix(".0") + "M"
    if tokens >= 1_000:
        return f"{tokens / 1_000:.0f}k"
    return str(tokens)


def context_text(fill: ContextFill) -> str:
    """``context ██░░░░░░░░ 19% of 1M``: a bar of ten cells, the percentage, the window."""
    percent = fill.percent
    cells = min(BAR_CELLS, round(percent * BAR_CELLS / 100))
    bar = "█" * cells + "░" * (BAR_CELLS - cells)
    shown = "<1" if 0 < percent < 0.5 else f"{min(percent, 999):.0f}"
    return f"context {bar} {shown}% of {short_count(fill.window)}"


class StatusBar(Static):
    """One line the screen updates; it holds no state of its own beyond the text."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"status-bar--full"}
    DEFAULT_CSS = "StatusBar > .status-bar--full { color: $warning; text-style: bold; }"

    state = "starting"

    def show(
        self,
        state: str,
        last: TurnUsage | None = None,
        total_cost: float = 0.0,
        context: ContextFill | None = None,
    ) -> None:
        self.state = state
        line = Text(state)
        if context is not None and context.tokens:
            # Second, as the cost figures may be cut on a narrow pane; amber above 80%: the
            # CLI compacts the conversation when the window fills up.
            style = self.get_component_rich_style("status-bar--full") if context.full else ""
            line.append(SEPARATOR)
            line.append(context_text(context), style)
        counted = usage_text(last)
        if counted:
            line.append(SEPARATOR + counted)
        if total_cost:
            line.append(f"{SEPARATOR}conversation: ${total_cost:.4f}")
        self.update(line)
