"""Where an export is written: a file named after the title, never silently inside a project.

Promise 1 says the app never creates files in the project, so a default that would land there
(the shell's current directory is usually the project) is moved to the documents folder, or
refused with a sentence when there is none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from tui.models import Conversation
from tui.private_files import replace_private, write_private

NAME_LIMIT = 60  # characters of the title kept in a file name
_UNSAFE = re.compile(r"[^\w.-]+")


class ExportError(Exception):
    """An export that could not be made, explained in one sentence."""


def documents_dir() -> Path | None:
    """The user's documents folder (XDG_DOCUMENTS_DIR, else ~/Documents) if it exists."""
    from platformdirs import user_documents_path

    found = user_documents_path()
    return found if found.is_dir() else None


def file_name(conversation: Conversation) -> str:
    """A portable file name from the title: words joined by '-', at most 60 characters."""
    stem = _UNSAFE.sub("-", conversation.title).strip("-.")[:NAME_LIMIT].strip("-.")
    return f"{stem or f'conversation-{conversation.id}'}.md"


def inside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether ``path`` (symlinks followed) is one of ``roots`` or lies below one of them."""
    resolved = path.expanduser().resolve()
    return any(resolved.is_relative_to(root.resolve()) for root in roots)


def default_path(
    conversation: Conversation, projects: Sequence[Path], cwd: Path | None = None
) -> Path:
    """The documents folder if it exists, else the current directory, never inside a project."""
    folders = [documents_dir(), cwd or Path.cwd()]
    for folder in folders:
        if folder is not None and not inside(folder, projects):
            return folder / file_name(conversation)
    raise ExportError(
        "The current directory is inside the project and there is no documents folder "
        "(~/Documents), so nothing was written; choose a file outside the project with -o FILE "
        "(or -o - to print it)."
    )


def chosen_path(text: str, conversation: Conversation) -> Path:
    """A path as the user typed it: ~ expanded, relative to the current directory; a folder
    gets the default file name inside it."""
    if not text.strip():
        raise ExportError("Give a file to write the conversation to.")
    path = Path(text.strip()).expanduser()
    path = path if path.is_absolute() else Path.cwd() / path
    return path / file_name(conversation) if path.is_dir() else path


def free_path(path: Path) -> Path:
    """``path``, or the first of name-2.md, name-3.md ... that does not exist yet."""
    candidate, number = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1
    return candidate


def write_new(path: Path, text: str, force: bool = False, exists_hint: str = "") -> None:
    """Write ``text`` to ``path``; an existing file is replaced only with ``force``.

    Replacing goes through a temporary file renamed over the old one, and a failed new file is
    removed, so a failure never leaves a half-written export or loses an older one. The file is
    0600 whatever the umask: a conversation is the user's to share, not the machine's.
    """
    try:
        if force:
            _replace(path, text)
        else:
            write_private(path, text)  # O_EXCL: an existing file (or a symlink) is refused
    except FileExistsError:
        raise ExportError(f"{path} already exists{exists_hint}.") from None
    except FileNotFoundError:
        raise ExportError(
            f"The folder {path.parent} does not exist; create it or choose another path."
        ) from None
    except IsADirectoryError:
        raise ExportError(f"{path} is a folder; give a file name.") from None
    except PermissionError:
        raise ExportError(
            f"{path} cannot be written (permission denied); choose another path."
        ) from None
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise ExportError(f"{path} cannot be written ({reason}); choose another path.") from None


def _replace(path: Path, text: str) -> None:
    if path.is_dir():
        raise IsADirectoryError(path)
    replace_private(path, text)
