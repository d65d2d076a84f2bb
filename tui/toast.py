"""Toasts that show their message exactly as written: never parsed as markup, escapes visible.

Textual's ``notify`` reads its message as content markup unless told otherwise, and our messages
quote conversation titles, project names, paths, model errors and file names: a stored title
"[@click=app.quit]x[/]" would become a live quit link, and "[/]" would raise a MarkupError while
the store had already made the change. Every toast of the app goes through ``toast``.
"""

from __future__ import annotations

from typing import Literal, Protocol

from tui.text import inert

Severity = Literal["information", "warning", "error"]


class Notifies(Protocol):
    """An App, Screen or Widget: anything with Textual's ``notify``."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Severity = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


def toast(
    node: Notifies,
    message: str,
    *,
    severity: Severity = "information",
    timeout: float | None = None,
) -> None:
    """Show ``message`` in a toast as plain text, its control characters made visible."""
    node.notify(inert(message), severity=severity, timeout=timeout, markup=False)
