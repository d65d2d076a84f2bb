"""Slash commands typed in the prompt: ``/name [argument]`` runs a main-screen action.

The commands are read from the bindings in ``keys`` (a ``Key`` names its slash command beside
its key) and from ``keys.SLASH_ONLY``, so the picker, the help, the palette and the key bar
never disagree. Nothing the user types that starts with "/" goes to the model as a command:
it is one of these, or it is refused here and stays in the prompt; ``//`` sends the text with
one slash, as a question (the engine then keeps the CLI from reading it as its own command).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.screen import Screen

from tui.config import Settings
from tui.screens.keys import (
    ELSEWHERE,
    MAIN_KEYS,
    SLASH_ONLY,
    Key,
    as_bindings,
    explained,
    keys_markdown,
)
from tui.widgets.completions import Candidate, Location, Offer

MAX_SHOWN = 30  # every command fits; the list scrolls past its height
TITLE = "Commands · Tab completes · Enter runs"


@dataclass(frozen=True)
class Command:
    """One slash command: its name, the action it runs, what may follow it."""

    name: str
    action: str  # a main-screen action, or "app.<name>" for one of the app's own
    tooltip: str
    keys: str = ""  # the binding's keys, "" when it has none
    argument: str = ""  # "[path]": what may follow the name; "" takes nothing

    @property
    def usage(self) -> str:
        return f"/{self.name} {self.argument}".rstrip()

    def call(self, argument: str) -> str:
        """The action string to run: the argument, if any, as a Python literal."""
        return f"{self.action}({argument!r})" if argument else self.action


def declared() -> list[Command]:
    """Every slash command, in the order of the bindings, then those with no key."""
    found = [
        Command(b.slash, b.action, explained(b), b.key, b.argument)
        for b in as_bindings([*MAIN_KEYS, *ELSEWHERE])
        if isinstance(b, Key) and b.slash
    ]
    found += [Command(s.name, s.action, s.tooltip, "", s.argument) for s in SLASH_ONLY]
    return found


def runnable(screen: object, app: object, commands: Sequence[Command]) -> list[Command]:
    """The commands whose action exists on the screen or the app (an action another part
    adds may not be there yet)."""

    def exists(action: str) -> bool:
        owner, _, name = action.rpartition(".")
        return callable(getattr(app if owner == "app" else screen, f"action_{name}", None))

    return [c for c in commands if exists(c.action)]


@dataclass(frozen=True)
class Typed:
    """What the user sent, as meant: a question to ask, or a command to run."""

    question: str | None = None
    command: str | None = None  # the name, without its slash
    argument: str = ""


def read(text: str) -> Typed:
    """``//x`` is the question ``/x``; ``/name arg`` a command; anything else a question."""
    if text.startswith("//"):
        return Typed(question=text[1:])
    if not text.startswith("/"):
        return Typed(question=text)
    if text[1:2].isspace():  # "/ x": no name at all
        return Typed(command="", argument=text[1:].strip())
    name, *rest = text[1:].split(maxsplit=1) or [""]
    return Typed(command=name, argument=rest[0].strip() if rest else "")


def matching(typed: str, commands: Sequence[Command]) -> list[Command]:
    """Commands for a partly typed name: the one named so, those starting with it, then
    those containing it."""
    typed = typed.lower()
    first = sorted((c for c in commands if c.name.startswith(typed)), key=lambda c: c.name != typed)
    then = [c for c in commands if typed in c.name and c not in first]
    return [*first, *then][:MAX_SHOWN]


def offer(
    text: str, cursor: Location, commands: Sequence[Command], keys: dict[str, str]
) -> Offer | None:
    """The picker's candidates while the prompt holds ``/`` and part of a name, cursor at its
    end; ``keys`` says which keys run each action (``shown_keys``)."""
    row, column = cursor
    word = text[:column] if row == 0 else ""
    if not word.startswith("/") or word.startswith("//") or any(c.isspace() for c in text[:column]):
        return None
    if column < len(text.split("\n", 1)[0].split(" ", 1)[0]):
        return None  # the cursor is inside the name: editing it, not completing
    typed = word[1:]
    found = [candidate(c, keys.get(c.action, ""), typed) for c in matching(typed, commands)]
    return Offer((0, 0), found, submit=True, title=TITLE) if found else None


def candidate(command: Command, keys: str, typed: str = "") -> Candidate:
    """A command as the picker lists it, the typed part of its name marked; Tab leaves a space
    after one that takes an argument."""
    insert = f"/{command.name} " if command.argument else f"/{command.name}"
    at = command.name.find(typed.lower()) + 1 if typed else 0
    matched = tuple(range(at, at + len(typed))) if at else ()
    return Candidate(insert, command.usage, command.tooltip, keys, matched)


def shown_keys(screen: Screen[Any]) -> dict[str, str]:
    """The keys bound now to each action of the screen or the app ("app.quit"), as the app
    shows them: the user's keymap included, so a rebound key is listed as it is."""
    found: dict[str, list[str]] = {}
    for active in screen.active_bindings.values():
        if active.node is screen:
            action = active.binding.action
        elif active.node is screen.app:
            action = f"app.{active.binding.action}"
        else:
            continue  # a focused widget's own keys (the prompt's) are not commands
        found.setdefault(action, []).append(screen.app.get_key_display(active.binding))
    return {action: ", ".join(keys) for action, keys in found.items()}


def name_keys(screen: Screen[Any], settings: Settings) -> None:
    """Tell the engine the keys bound now for what a failure's sentence asks of the user."""
    settings.choose_model, settings.retry = choose_model(screen), retry_words(screen)
    settings.stop = stop_words(screen)


def choose_model(screen: Screen[Any]) -> str:
    """How a failure's sentence tells the user to pick another model: the key bound to it now
    (the user's keymap may have moved or removed it) and the slash command, which always is."""
    keys = shown_keys(screen).get("model")
    return f"{keys} or /model" if keys else "/model"


def retry_words(screen: Screen[Any]) -> str:
    """How a failure's sentence tells the user to ask again: the key bound to it now, or the
    slash command when the keymap left it none."""
    keys = shown_keys(screen).get("retry")
    return f"press {keys} (or type /retry) to retry" if keys else "type /retry to retry"


def stop_words(screen: Screen[Any]) -> str:
    """How a sentence tells the user to stop the answer: the screen's cancel keys after the
    user's keymap, or where to bind one when it left none (no slash command stops an answer).
    Read from the screen's own bindings, not the active ones: where a focused widget's Esc
    (the block cursor's) shadows it, the sentence still names the key that cancels."""
    bindings = screen._bindings.copy()
    bindings.apply_keymap(screen.app._keymap)  # as Textual applies it to the binding chain
    keys = ", ".join(
        screen.app.get_key_display(binding) for _, binding in bindings if binding.action == "cancel"
    )
    return f"press {keys}" if keys else "bind a key to cancel in config.toml and press it"


def unknown(name: str) -> str:
    """The sentence for a name no command has (the text stays in the prompt)."""
    what = f"There is no command /{name}" if name else "A / must be followed by a command's name"
    return (
        f"{what}; type / to list the commands, or start with // to send text that begins "
        "with a slash."
    )


def no_argument(command: Command, argument: str) -> str:
    return f"{command.usage} takes nothing after it, but {argument!r} followed; remove it to run."


def docs_table() -> str:
    """The slash commands as docs/usage.md lists them (checked by a test)."""
    lines = ["| Command | Key | What it does |", "|---|---|---|"]
    for command in declared():
        keys = keys_markdown(command.keys) or "(none)"
        usage = command.usage.replace("|", "\\|")  # a table cell may not hold a bare |
        lines.append(f"| `{usage}` | {keys} | {command.tooltip} |")
    return "\n".join(lines)
