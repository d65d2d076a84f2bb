"""One clear sentence for each way a turn can fail (API statuses, missing CLI, credentials)."""

from __future__ import annotations

from collections.abc import Sequence

# How to ask again, as a failure's sentence ends: for any front end (headless, a test's engine);
# the app names the key bound now instead (the main screen sets Settings.retry).
RETRY = "press ctrl+r (or run the command again) to retry"
# How to stop an answer, likewise: Ctrl+C in a shell; the app names its cancel key (Settings.stop).
STOP = "press Ctrl+C"
NO_CREDENTIALS = (
    "No Claude credentials were found; set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN, or log in "
    "with `claude login`), or try `assistant-tui --demo`."
)

_STATUS = {
    400: "The API refused the request (400 Bad Request)",
    401: "The API rejected the credentials (401); check ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN",
    403: "The API key has no access to this model (403); check the key or choose --model",
    404: "The model or endpoint was not found (404); check --model and ANTHROPIC_BASE_URL",
    413: "The request was too large for the API (413); start a new conversation",
    429: "The API rate limit was hit (429) and retries ran out; wait a moment, then {retry}",
    500: "The API had an internal error (500) and retries ran out; {retry}",
    529: "The API is overloaded (529) and retries ran out; wait a moment, then {retry}",
}


def api_failure(
    status: int | None, result: str | None, errors: Sequence[str] | None, retry: str = RETRY
) -> str:
    """Explain a failed result from the CLI in one sentence (``retry``: how to ask again)."""
    if status in _STATUS:
        return _STATUS[status].format(retry=retry) + "."
    if "not logged in" in (result or "").lower():
        return (
            "The Claude CLI found no credentials; set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN, "
            f"or run `claude login`), then {retry}."
        )
    detail = (result or "").strip() or "; ".join(errors or []) or "no detail was given"
    detail = " ".join(detail.split())[:300].rstrip(".")
    if status:
        return f"The API answered with an error ({status}): {detail}; {retry}."
    return f"The answer failed: {detail}; {retry}."


def unreachable(url: str, attempts: int, retry: str = RETRY) -> str:
    """The API could not be reached at all: say so at once instead of after minutes of retries."""
    return (
        f"The API at {url} could not be reached ({attempts} attempts got no answer: the "
        "connection was refused, the name was not found, or TLS failed); check the network and "
        f"ANTHROPIC_BASE_URL, then {retry}."
    )


class ModelRefused(Exception):
    """The CLI would not switch to the model chosen: it asked the API, which did not answer
    for that model (its set_model checks with a one-token request)."""

    def __init__(self, model: str, reason: str) -> None:
        super().__init__(f"{model}: {reason}")
        self.model = model
        self.reason = reason


def connection_failure(
    error: BaseException, choose_model: str = "--model", retry: str = RETRY
) -> str:
    """Explain why the Claude CLI could not start or stopped talking.

    ``choose_model`` and ``retry`` say how the user picks another model and asks again where
    they are: the app's keys as bound now (the screen knows the keymap; this layer cannot
    import Textual), or a headless command's flag and a second run."""
    name = type(error).__name__
    text = " ".join(str(error).split())[:300].rstrip(".")
    if isinstance(error, ModelRefused):
        reason = " ".join(error.reason.split())[:200].rstrip(".")
        return (
            f"The model {error.model} is not available ({reason}); choose another model "
            f"({choose_model}), then {retry}."
        )
    if name == "CLINotFoundError":
        return (
            "The Claude Code CLI was not found; reinstall assistant-tui (claude-agent-sdk ships "
            "it) or put `claude` on PATH."
        )
    if name in ("ProcessError", "CLIConnectionError"):
        return f"The Claude CLI stopped unexpectedly ({text}); {retry}."
    return f"The assistant failed ({name}: {text}); {retry}."
