"""A project file read for the code viewer: through the guard and the boundary, whole, once.

The viewer shows what the model's Read could show and nothing more: the reference is decided
again when it is opened (tui.references.refusal: the guard's rules, then no link on the way),
then the file is read once with no-follow semantics (boundary.paths.read_nofollow, which checks
the open descriptor), and the bytes read are the ones checked for credentials and shown, so a
file swapped between the check and the read cannot slip through.

Limits, each refused in one sentence instead of opening: more than MAX_BYTES (1 MiB, the same
amount the guard scans for credentials, so every byte shown was scanned), more than MAX_LINES
lines, a NUL byte in the first 8 KiB or bytes that are not UTF-8 (binary).
"""

from __future__ import annotations

from dataclasses import dataclass

from boundary.paths import Refused, read_nofollow
from boundary.secrets import CONTENT_LIMIT, secret_kind
from tui.references import Decides, refusal
from tui.text import file_lines

MAX_BYTES = CONTENT_LIMIT
MAX_LINES = 50_000
BINARY_PROBE = 8192


class NotViewable(Exception):
    """Why a file is not opened in the viewer, as one sentence for the user."""


@dataclass(frozen=True)
class ViewedFile:
    """A file's text as read, and the project-relative path it was read from."""

    relative: str
    text: str

    @property
    def lines(self) -> list[str]:
        return file_lines(self.text)


def read_for_viewer(path: str, guard: Decides) -> ViewedFile:
    """Read a project file for the viewer, or raise NotViewable. Blocks: call it in a thread."""
    relative, reason = refusal(path, guard)
    if reason is not None:
        raise NotViewable(f"{relative or path} cannot be opened: {reason}.")
    try:
        data = read_nofollow(guard.root, guard.root / relative, MAX_BYTES + 1)
    except Refused as error:
        raise NotViewable(f"{relative} cannot be opened: {error}.") from error
    except OSError as error:
        raise NotViewable(f"{relative} cannot be read ({error.strerror}).") from error
    return ViewedFile(relative, _text_of(relative, data, guard.allow_secrets))


def _text_of(relative: str, data: bytes, allow_secrets: bool) -> str:
    """The bytes as text, or the sentence saying why they are not shown."""
    if len(data) > MAX_BYTES:
        raise NotViewable(
            f"{relative} is larger than {MAX_BYTES // (1024 * 1024)} MiB, too large for the "
            "viewer; open it in your editor."
        )
    if b"\0" in data[:BINARY_PROBE]:
        raise NotViewable(f"{relative} is a binary file, which the viewer does not show.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotViewable(
            f"{relative} is not UTF-8 text (binary?), which the viewer does not show."
        ) from None
    count = text.count("\n")  # what file_lines gives, give or take the last line
    if count > MAX_LINES:
        raise NotViewable(
            f"{relative} has {count:,} lines, more than the viewer's {MAX_LINES:,}; open it "
            "in your editor."
        )
    kind = None if allow_secrets else secret_kind(text)
    if kind is not None:  # the guard scanned it; this is the copy read, scanned again
        raise NotViewable(f"{relative} cannot be opened: it holds {kind}.")
    return text
