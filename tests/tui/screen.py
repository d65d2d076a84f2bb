"""What the screen shows, read from the compositor: the text of each row as it is drawn."""

from __future__ import annotations

from typing import Any


def screen_rows(app: Any) -> list[str]:
    """Every row of the active screen, as a terminal would show its characters."""
    update = app.screen._compositor.render_update(full=True)
    return ["".join(segment.text for segment in row) for row in update.strips]
