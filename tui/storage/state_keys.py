"""The keys of the ``app_state`` table, spelled once: each is a user's remembered fact on disk.

A key's spelling is a file format: changing one here forgets what every user's database holds
under the old spelling, so the tests that read a key back spell it out in full on purpose.
"""

from __future__ import annotations

from pathlib import Path

THEME = "theme"  # the theme last chosen from the palette
MODELS_NAMED = "models-named"  # the models the user named, newest first (a JSON list)


def last_conversation(project: Path) -> str:
    """The conversation a project opens on at the next launch."""
    return f"last:{project}"


def fork(conversation_id: int) -> str:
    """A branch's fork plan, kept until the branch first asks (so a restart keeps it)."""
    return f"fork:{conversation_id}"


def web_allow(project: Path) -> str:
    """The hosts the user always allows for one project (a JSON list)."""
    return f"web-allow:{project}"


def mentions(project: Path) -> str:
    """The paths last @mentioned in one project, newest first (a JSON list): the picker ranks
    them higher, across launches."""
    return f"mentions:{project}"


def draft(project: Path, conversation_id: int | None) -> str:
    """The text left in the prompt of a conversation (or of a project's new chat, not stored
    yet), given back when it is opened again or the app starts."""
    if conversation_id is None:
        return f"draft:new:{project}"
    return f"draft:{conversation_id}"
