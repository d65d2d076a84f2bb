"""The status bar: session state, the last turn's tokens and cost, the conversation's total."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.models import TurnUsage


def usage_text(last: TurnUsage | None) -> str:
    """What the last turn counted: a cancelled turn reports a cost but no tokens, and
    "0 tokens" beside a price read as a bug; nothing counted says nothing."""
    if last is None:
        return ""
    counted = [f"{last.total_tokens:,} tokens"] if last.total_tokens else []
    if last.cost_usd:
        counted.append(f"${last.cost_usd:.4f}")
    return f"last turn: {', '.join(counted)}" if counted else ""


class StatusBar(Static):
    """One line the screen updates; it holds no state of its own beyond the text."""

    state = "starting"

    def show(self, state: str, last: TurnUsage | None = None, total_cost: float = 0.0) -> None:
        self.state = state
        parts = [state]
        counted = usage_text(last)
        if counted:
            parts.append(counted)
        if total_cost:
            parts.append(f"conversation: ${total_cost:.4f}")
        self.update(Text("  ·  ".join(parts)))
