"""The code viewer: one project file, read-only, opened at the lines an answer cites.

A screen of its own over the main one, not a split beside the chat: at 100 columns a split
leaves the code ~50 columns (most lines cut), and at 160 the chat beside it is not needed
while reading, since the answer is one Esc away. Esc pops the screen and Textual gives the
focus back to the chat, whose block cursor kept its place. The file was read before this
screen was built (tui.screens.viewing, in a thread, through the boundary); here it is only
drawn, and lexed for colours a slice at a time after the first paint.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.screen import Screen
from textual.widgets import Input, Static

from tui.frames import after_refresh
from tui.references import Reference
from tui.screens.keys import VIEWER_KEYS
from tui.screens.palette import ViewerCommands
from tui.services import Host
from tui.text import inert
from tui.toast import toast
from tui.viewed_file import NotViewable, ViewedFile
from tui.widgets.code_view import CodeView, token_lines
from tui.widgets.key_bar import KeyBar

CHROME_ROWS = 3  # the title, the status line and the key bar around the code
SLICE_S = 0.008  # the longest the whole file's colouring holds the event loop at a time
# The whole file's colouring waits while the user moves through it: a key's trip from the
# terminal to the screen takes several turns of the event loop, and a slice between each
# made every PageDown of the first seconds 50-100 ms late.
MOVING_S = 0.3


@dataclass(frozen=True)
class Opened:
    """What the viewer shows: a file read, the lines cited, the lines the assistant read."""

    viewed: ViewedFile
    first: int | None = None
    last: int | None = None
    read: tuple[tuple[int, int], ...] = ()  # 1-based, inclusive


Opener = Callable[[Reference], Awaitable[Opened]]  # raises NotViewable


GOTO_FLAG = frozenset({"code", "code-insiders", "codium", "cursor", "windsurf"})
PATH_COLON_LINE = frozenset({"subl", "zed"})


def editor_command(env: Mapping[str, str], path: Path, line: int) -> list[str] | str:
    """The command that opens ``path`` at ``line`` in the user's editor ($VISUAL, else
    $EDITOR, split as a shell would split it, then ``+LINE PATH``, which vi, vim, nano, emacs
    and micro understand; VS Code and its kin take ``-g PATH:LINE``, Sublime Text and Zed
    ``PATH:LINE``: given ``+LINE`` they open a second file of that name), or the sentence saying
    why there is none."""
    chosen = env.get("VISUAL") or env.get("EDITOR") or ""
    try:
        words = shlex.split(chosen)
    except ValueError:
        return f"$VISUAL or $EDITOR ({chosen!r}) cannot be read as a command."
    if not words:
        return "Set $VISUAL or $EDITOR to open the file in your editor."
    name = Path(words[0]).name
    if name in GOTO_FLAG:
        return [*words, "-g", f"{path}:{line}"]
    if name in PATH_COLON_LINE:
        return [*words, f"{path}:{line}"]
    return [*words, f"+{line}", str(path)]


def lines_label(first: int | None, last: int | None) -> str:
    if first is None:
        return ""
    return f"line {first}" if last is None or last == first else f"lines {first}-{last}"


class ViewerScreen(Screen[None]):
    """A file with the cited lines marked; `/` searches, `g` goes to a line, `y` copies."""

    BINDINGS = VIEWER_KEYS
    COMMANDS = Screen.COMMANDS | {ViewerCommands}

    def __init__(
        self,
        opened: Opened,
        references: Sequence[Reference] = (),
        index: int = 0,
        opener: Opener | None = None,
    ) -> None:
        super().__init__()
        self.opened = opened
        self.references = list(references)  # the answer's, for ] and [
        self.index = index
        self.opener = opener
        self.asking = ""  # what the input line asks for: "search", "line" or ""

    @property
    def viewed(self) -> ViewedFile:
        return self.opened.viewed

    @property
    def code(self) -> CodeView:
        return self.query_one(CodeView)

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="viewer-title")
        yield self._view()
        yield Static(Text(""), id="viewer-status")
        yield KeyBar(id="viewer-keys")  # the input line is mounted on the first / or g

    def _title(self) -> Text:
        count = len(self.viewed.lines)
        cited = lines_label(self.opened.first, self.opened.last)
        title = f" {inert(self.viewed.relative)}" + (f" · {cited}" if cited else "")
        which = f" · reference {self.index + 1} of {len(self.references)}"
        many = which if len(self.references) > 1 else ""
        return Text(f"{title} · {count:,} lines · read-only{many}")

    def _view(self) -> CodeView:
        view = CodeView(self.viewed.relative, self.viewed.text, id="code")
        view.mark(self.opened.first, self.opened.last)
        view.show_read(self.opened.read)
        view.open_at(view.cursor, self.app.size.height - CHROME_ROWS)
        return view

    def on_mount(self) -> None:
        self._shown(self.code)

    def _shown(self, view: CodeView) -> None:
        view.focus()
        if view.lexer is not None:
            self.call_after_refresh(
                self.run_worker, self._colour(view), group="viewer-lex", exit_on_error=False
            )

    async def _colour(self, view: CodeView) -> None:
        """Lex the whole file after the first paint, a slice of at most SLICE_S at a time on
        the event loop; each slice's exact colours replace the window's.

        Not in a thread: Pygments is pure Python, so a thread would hold the GIL against the
        UI for the whole lex (a page down took 300 ms while one ran); slices keep every frame
        gap under SLICE_S plus a frame, and a slice starts only once the screen is idle."""
        lines = token_lines(view.lexer, view.shown)
        done = 0
        while True:
            while (still := view.moved + MOVING_S - time.monotonic()) > 0:
                await asyncio.sleep(min(still, MOVING_S / 4))
            deadline = time.perf_counter() + SLICE_S
            batch = []
            for tokens in lines:
                batch.append(tokens)
                if time.perf_counter() > deadline:  # each line: one may take milliseconds
                    break
            if not batch:
                return
            view.set_tokens(done, batch)
            done += len(batch)
            # Not a bare sleep(0): that gave the next slice the loop at every one of the
            # turns a key takes from the terminal to its action (one PageDown waited for ten).
            await after_refresh(self)

    def action_jump(self, step: int) -> None:
        """] and [: the answer's next or previous reference, in this viewer (0: this one again,
        read afresh)."""
        index = self.index + step
        if not 0 <= index < len(self.references) or self.opener is None:
            if step == 0:
                return
            where = "last" if step > 0 else "first"
            alone = len(self.references) <= 1
            self.say("The answer cites no other file." if alone else f"This is its {where} one.")
            return
        self.run_worker(self._jump(index), group="viewer-jump", exclusive=True, exit_on_error=False)

    async def _jump(self, index: int) -> None:
        assert self.opener is not None
        try:
            opened = await self.opener(self.references[index])
        except NotViewable as refused:
            self.say(str(refused))
            return
        self.opened, self.index = opened, index
        self.query_one("#viewer-title", Static).update(self._title())
        await self.code.remove()
        view = self._view()
        await self.mount(view, after="#viewer-title")
        self.say("")
        self._shown(view)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No editor in the browser mode: its key is neither shown nor run there."""
        return not (action == "edit" and self.app.is_web)

    def action_edit(self) -> None:
        """e: the user's editor on the file at the cursor's line; the app suspends meanwhile
        and shows the file again as it is after (what the user edits is theirs to edit)."""
        command = editor_command(os.environ, self.root / self.viewed.relative, self.code.cursor + 1)
        if isinstance(command, str):
            self.say(command)
            return
        if self.app.is_web:
            self.say("The browser mode cannot hand the terminal to an editor; run it locally.")
            return
        try:
            with self.app.suspend():
                finished = subprocess.run(command, check=False)
        except SuspendNotSupported:
            self.say("This terminal cannot be handed to an editor from here.")
            return
        except OSError as error:
            self.say(f"The editor {command[0]} could not be started ({error.strerror}).")
            return
        self.say(
            "" if finished.returncode == 0 else f"The editor exited with {finished.returncode}."
        )
        self.action_jump(0)  # read again: the viewer shows the file as it is now

    @property
    def root(self) -> Path:
        return cast(Host, self.app).settings.project

    def say(self, sentence: str) -> None:
        self.query_one("#viewer-status", Static).update(Text(sentence))

    # -- keys --------------------------------------------------------------------------------

    def action_close(self) -> None:
        """Esc: close the input line if it is open, else back to the chat."""
        if self.asking:
            self._ask("")
            return
        self.dismiss()

    def action_search(self) -> None:
        self._ask("search")

    def action_go_to(self) -> None:
        self._ask("line")

    def _ask(self, what: str) -> None:
        self.asking = what
        found = self.query(Input)
        if found:
            line = found.first()
        elif what:
            line = Input(id="viewer-input")
            self.mount(line, before="#viewer-keys")
        else:
            return
        line.value = ""
        line.placeholder = {"search": "Search for…", "line": "Go to line…"}.get(what, "")
        line.set_class(bool(what), "-asking")
        if what:
            line.focus()
        else:
            self.code.focus()

    def action_next_match(self, step: int) -> None:
        view = self.code
        index = view.next_match(step)
        if index is None:
            self.say("Nothing to find again: search with / first." if not view.searched else "")
            return
        self.say(f"Match {index + 1} of {len(view.matches)} for {view.searched!r}.")

    def action_copy(self) -> None:
        view = self.code
        text = view.marked_text()
        self.app.copy_to_clipboard(text)
        start, end = view.marked if view.marked is not None else (view.cursor, view.cursor)
        label = lines_label(start + 1, end + 1)
        toast(self, f"Copied {label} of {inert(self.viewed.relative)}.")

    @on(Input.Submitted, "#viewer-input")
    def answered(self, event: Input.Submitted) -> None:
        what, value = self.asking, event.value.strip()
        self._ask("")
        view = self.code
        if what == "line":
            # ASCII digits only ("²" is a digit to Python, not to int), and few of them.
            if (
                value.isascii()
                and value.isdigit()
                and len(value) <= 9
                and 1 <= int(value) <= len(view.raw)
            ):
                view.go_to(int(value) - 1)
                self.say("")
            else:
                self.say(f"Type a line number from 1 to {len(view.raw):,}.")
        elif what == "search" and value:
            count = view.search(value)
            if not count:
                self.say(f"No match for {value!r}.")
                return
            index = view.next_match(1, here=True) or 0
            self.say(f"Match {index + 1} of {count} for {value!r} (n / N: next / previous).")
