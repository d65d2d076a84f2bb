"""Times as the app stores and shows them: UTC with its zone in the database, local on screen.

The upstream assistant stored naive timestamps and showed them shifted; every time here carries
its zone, and naive values from older files are read as UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def to_text(moment: datetime) -> str:
    """Store a time as ISO 8601 in UTC with an explicit offset (sorts as text, too)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    """Read a stored time; a value without a zone (older files) is taken as UTC."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local(moment: datetime) -> datetime:
    """The same instant in the machine's local zone, for display."""
    return moment.astimezone()


def relative(moment: datetime, reference: datetime | None = None) -> str:
    """A short age such as 'just now', '5 min ago', '3 h ago', 'yesterday', or a local date."""
    seconds = ((reference or now()) - moment).total_seconds()
    if seconds < 45:
        return "just now"
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min ago"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h ago"
    if seconds < 2 * 86400:
        return "yesterday"
    if seconds < 7 * 86400:
        return f"{int(seconds // 86400)} days ago"
    return local(moment).strftime("%Y-%m-%d")
