"""What a turn tells the UI, as small typed records (the only shapes the screen ever sees)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.models import MessageStatus, ToolStatus, TurnUsage

if TYPE_CHECKING:
    from tui.agent.approval import Question
    from tui.agent.ask_user import Pick


@dataclass(frozen=True)
class TurnStarted:
    """The user message is stored; ``conversation_id`` is new when the conversation is."""

    conversation_id: int
    user_message_id: int


@dataclass(frozen=True)
class TextDelta:
    """More answer text, in arrival order."""

    text: str


@dataclass(frozen=True)
class TextReplaced:
    """A retried stream started over: the answer so far is exactly ``text``."""

    text: str


@dataclass(frozen=True)
class ThinkingDelta:
    """More of the model's thinking, shown apart from the answer. ``seconds`` is how long it
    has thought in this turn so far; a block's end comes as an empty ``text`` with the final
    time, so the time shown stops when the thinking does."""

    text: str
    seconds: float


@dataclass(frozen=True)
class ThinkingReplaced:
    """A retried stream started over: the thinking so far is exactly ``text``."""

    text: str
    seconds: float


@dataclass(frozen=True)
class ToolStarted:
    id: str
    name: str
    input: dict[str, Any]


@dataclass(frozen=True)
class ToolFinished:
    """A call's result; ``name`` is repeated so a consumer need not remember the start."""

    id: str
    name: str
    result: str
    status: ToolStatus
    duration_s: float
    decision: str | None = None  # who allowed or denied a web call or a backlog write


@dataclass(frozen=True)
class Asked:
    """A call waits for the user's answer (tui.agent.approval), or the assistant asked the user
    to pick (tui.agent.ask_user); the turn is paused on it."""

    question: Question | Pick


@dataclass(frozen=True)
class Retrying:
    """The CLI failed to reach the API and tries again (its ``api_retry``); ``status`` is the
    HTTP status, None when no answer came at all (refused, unknown name, TLS)."""

    attempt: int
    max_retries: int
    status: int | None
    delay_s: float
    answered: bool = False  # the failed attempt got some answer (a stream that dropped)

    @property
    def reason(self) -> str:
        return retry_reason(self.status)

    def line(self) -> str:
        """What the status line says while the CLI waits to try again."""
        return f"retrying, attempt {self.attempt + 1} of {self.max_retries + 1}: {self.reason}"


def retry_reason(status: int | None) -> str:
    """Why a request is retried, in a few words."""
    if status is None:
        return "no connection"
    names = {
        401: "credentials rejected",
        429: "rate limited",
        500: "server error",
        503: "unavailable",
        529: "overloaded",
    }
    return f"{names.get(status, 'HTTP error')} ({status})"


@dataclass(frozen=True)
class Notice:
    """Something the user should know that is not an error (e.g. history replayed)."""

    text: str


@dataclass(frozen=True)
class Compacted:
    """The CLI compacted the conversation: the model goes on from a summary of what came before
    (``trigger`` "auto" when the window was nearly full, "manual" when asked)."""

    trigger: str
    tokens_before: int

    def line(self) -> str:
        """The one line the chat shows (and the history keeps) where it happened; short, so
        it stays one line in a narrow chat pane."""
        how = "" if self.trigger == "auto" else " on request"
        size = f" at {self.tokens_before:,} tokens" if self.tokens_before else ""
        return f"Context compacted{how}{size} into a summary."


@dataclass(frozen=True)
class TurnFinished:
    """The answer ended: complete or interrupted (partial text kept)."""

    status: MessageStatus
    usage: TurnUsage
    session_id: str | None


@dataclass(frozen=True)
class TurnFailed:
    """The turn failed; ``message`` is one sentence saying what happened and what to do."""

    message: str


Event = (
    TurnStarted
    | TextDelta
    | TextReplaced
    | ThinkingDelta
    | ThinkingReplaced
    | ToolStarted
    | ToolFinished
    | Asked
    | Retrying
    | Notice
    | Compacted
    | TurnFinished
    | TurnFailed
)
