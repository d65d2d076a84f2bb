"""The status bar: session state, the last turn's tokens and cost, the conversation's total."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.models import TurnUsage


class StatusBar(Static):
    """One line the screen updates; it holds no state of its own beyond the text."""

    state = "starting"

    def show(self, state: str, last: TurnUsage | None = None, total_cost: float = 0.0) -> None:
        self.state = state
        parts = [state]
        if last is not None:
            parts.append(f"last turn: {last.total_tokens:,} tokens, ${last.cost_usd:.4f}")
        if total_cost:
            parts.append(f"conversation: ${total_cost:.4f}")
        self.update(Text("  ·  ".join(parts)))
