"""Every key of the app, declared once: the bindings, and the help and README tables built
from them.

A binding's ``description`` is its short label in the key bar, the palette and the help screen;
its ``tooltip`` says what it does in a sentence for the README's key table
(tests/unit/test_docs.py checks that table against this module). Keys that no binding handles
(Enter in the prompt, Tab, Textual's own Ctrl+P and Ctrl+Q) are declared here as well, once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key(Binding):
    """A binding that is also a slash command in the prompt: ``/slash`` runs its action.

    ``argument`` names what may follow the command (``"[path]"``); the action then receives it
    as its one parameter. Declared here beside the key, so a command exists once.
    """

    slash: str = ""
    argument: str = ""


@dataclass(frozen=True)
class Slash:
    """A slash command with no key of its own (its action is reached by name only)."""

    name: str
    action: str
    tooltip: str
    argument: str = ""


MAIN_KEYS: list[BindingType] = [
    Key("ctrl+n", "new", "New", id="new", tooltip="New conversation", slash="new"),
    Binding(
        "alt+down,ctrl+pagedown",
        "next",
        "Next chat",
        id="next",
        tooltip="Next conversation, from anywhere",
    ),
    Binding(
        "alt+up,ctrl+pageup",
        "previous",
        "Prev chat",
        id="previous",
        tooltip="Previous conversation",
    ),
    Binding(
        "escape",
        "cancel",
        "Cancel answer",
        id="cancel",
        tooltip="Cancel the answer (the partial text is kept)",
    ),
    Key(
        "ctrl+r",
        "retry",
        "Retry",
        id="retry",
        tooltip="Ask the last question again after an error or Esc",
        slash="retry",
    ),
    Binding(
        "slash,ctrl+f",
        "filter",
        "Filter",
        show=False,
        id="filter",
        tooltip="Filter the sidebar by title",
    ),
    # F-keys are priority bindings: the prompt's TextArea binds F6 and F7 (select line, select
    # all) and would otherwise swallow them while the user types.
    Key(
        "f2",
        "rename",
        "Rename",
        id="rename",
        priority=True,
        tooltip="Rename the conversation",
        slash="rename",
        argument="[title]",
    ),
    Key(
        "f8",
        "delete",
        "Delete",
        id="delete",
        priority=True,
        tooltip="Delete it (to the trash, after a confirmation)",
        slash="delete",
    ),
    Key(
        "f9",
        "undo_delete",
        "Undo delete",
        show=False,
        id="undo_delete",
        priority=True,
        tooltip="Undo the last delete",
        slash="undo",
    ),
    Key(
        "f7", "pin", "Pin", show=False, id="pin", priority=True, tooltip="Pin / unpin", slash="pin"
    ),
    Key(
        "f6",
        "copy_answer",
        "Copy answer",
        show=False,
        id="copy_answer",
        priority=True,
        tooltip="Copy the last answer",
        slash="copy",
    ),
    Key(
        "f5",
        "copy_code",
        "Copy a code block",
        show=False,
        id="copy_code",
        priority=True,
        tooltip="Pick a code block to copy",
        slash="code",
    ),
    # Priority: the prompt would type the "c" or "b" of a terminal's Alt+C or Alt+B.
    Binding(
        "ctrl+o,alt+c",
        "chat_cursor",
        "Copy by block",
        show=False,
        id="chat_cursor",
        priority=True,
        tooltip="Block cursor over the chat: copy any message or code block",
    ),
    Key(
        "alt+b",
        "branch",
        "Branch from here",
        show=False,
        id="branch",
        priority=True,
        tooltip="Branch: a new conversation from the block under the cursor (else the last "
        "message)",
        slash="branch",
    ),
    Binding(
        "ctrl+b",
        "toggle_sidebar",
        "Sidebar",
        show=False,
        id="toggle_sidebar",
        tooltip="Hide or show the sidebar",
    ),
    Binding(
        "ctrl+t",
        "toggle_tools",
        "Tools",
        show=False,
        id="toggle_tools",
        tooltip="Hide or show the tool log",
    ),
    Key(
        "f4",
        "toggle_backlog",
        "Backlog",
        id="toggle_backlog",
        priority=True,
        tooltip="The backlog pane in the tool log's place",
        slash="backlog",
    ),
    Key(
        "f3",
        "all_projects",
        "All projects",
        show=False,
        id="all_projects",
        priority=True,
        tooltip="Show the conversations of all projects",
        slash="all",
    ),
    Key(
        "ctrl+s",
        "export",
        "Export conversation",
        show=False,
        id="export",
        tooltip="Export the conversation as Markdown",
        slash="export",
        argument="[path]",
    ),
    # Most terminals send Ctrl+Shift+F as Ctrl+F (the filter); Ctrl+G reaches it in any.
    Key(
        "ctrl+shift+f,ctrl+g",
        "search",
        "Search all",
        show=False,
        id="search",
        priority=True,
        tooltip="Search every conversation",
        slash="search",
    ),
    # Priority: the prompt would type the "m" or "e" of a terminal's Alt+M or Alt+E.
    Key(
        "alt+m",
        "model",
        "Model",
        show=False,
        id="model",
        priority=True,
        tooltip="Choose the conversation's model (opus, sonnet, haiku or any name), from its "
        "next question",
        slash="model",
        argument="[name]",
    ),
    Key(
        "alt+e",
        "effort",
        "Effort",
        show=False,
        id="effort",
        priority=True,
        tooltip="Choose the conversation's effort (low to max), from its next question",
        slash="effort",
        argument="[level]",
    ),
    # Ctrl+R is Retry; Ctrl+L is bound by no widget here nor by Textual's TextArea and Input,
    # and every terminal sends it (0x0C) untouched in raw mode.
    Binding(
        "ctrl+l",
        "history_search",
        "History search",
        show=False,
        id="history_search",
        tooltip="Search the questions asked in this project: type, the key again for an older "
        "match, Enter takes it, Esc goes back to the draft",
    ),
    # Priority: the prompt would type the "w" of a terminal's Alt+W.
    Key(
        "alt+w",
        "web",
        "Web access",
        show=False,
        id="web",
        priority=True,
        tooltip="Web access for this run: ask, on or off",
        slash="web",
        argument="[ask|on|off]",
    ),
    Key("f1,question_mark", "help", "Help", id="help", tooltip="Help: every key", slash="help"),
]

# The code viewer's keys (Enter on a file reference in the chat opens it; docs/usage.md).
VIEWER_KEYS: list[BindingType] = [
    Binding("escape", "close", "Back to the chat", id="viewer_close", tooltip="Back to the chat"),
    Binding(
        "slash",
        "search",
        "Search",
        id="viewer_search",
        tooltip="Search in the file (a capital letter makes it match case)",
    ),
    Binding("n", "next_match(1)", "Next match", id="viewer_next", tooltip="The next match"),
    Binding(
        "N", "next_match(-1)", "Prev match", id="viewer_previous", tooltip="The previous match"
    ),
    Binding("g", "go_to", "Go to line", id="viewer_go_to", tooltip="Go to a line: type its number"),
    Binding(
        "right_square_bracket",
        "jump(1)",
        "Next file",
        id="viewer_next_reference",
        tooltip="The next file reference of the same answer",
    ),
    Binding(
        "left_square_bracket",
        "jump(-1)",
        "Prev file",
        id="viewer_previous_reference",
        tooltip="The previous file reference of the same answer",
    ),
    Binding(
        "e",
        "edit",
        "Edit",
        id="viewer_edit",
        tooltip="Open the file at the cursor's line in $VISUAL or $EDITOR (the app waits; "
        "not in the browser mode)",
    ),
    Binding(
        "y",
        "copy",
        "Copy lines",
        id="viewer_copy",
        tooltip="Copy the cited lines (else the cursor's line), through the terminal (OSC 52)",
    ),
]

# Slash commands whose action has no key of its own.
SLASH_ONLY = [
    Slash("theme", "app.change_theme", "Pick the colour theme"),
]

# The viewer's moving keys (its CodeView's own bindings, which need no label there).
VIEWER_KEYS_MOVING = [
    Binding("up,down,k,j", "", "Move the cursor line", tooltip="Move the cursor line"),
    Binding("pageup,pagedown,home,end", "", "Page, first, last", tooltip="Page, first, last"),
]

# Keys handled by Textual itself or outside any binding, said once here.
PROMPT_KEYS = [
    Binding("enter", "", "Send", tooltip="Send the question"),
    Binding("shift+enter,ctrl+j", "", "New line", tooltip="A new line in the prompt"),
    Binding(
        "slash",
        "",
        "A command, first thing (listed below; // sends a slash)",
        tooltip="Slash commands: a / at the start of the prompt lists them",
    ),
    Binding(
        "up",
        "",
        "Earlier question",
        tooltip="On the first line (or in an empty prompt): the previous question of this "
        "project; again for older ones",
    ),
    Binding(
        "down",
        "",
        "Later question",
        tooltip="On the last line, after Up: a later question, and at the end your draft back",
    ),
    Binding(
        "at",
        "",
        "Mention a file",
        tooltip="@ opens the file picker above the prompt: type to filter, dir/ to narrow to a "
        "folder; the model is told about the files mentioned",
    ),
    Binding("up,down", "", "Pick a file", tooltip="In the file picker: move the highlight"),
    Binding("tab,enter", "", "Insert file", tooltip="In the file picker: put @path in the prompt"),
    Binding("escape", "", "Close picker", tooltip="In the file picker: close it, keep the text"),
]
ELSEWHERE = [
    Binding(
        "tab,shift+tab",
        "",
        "Move focus",
        tooltip="Move between the sidebar, the chat, the tool log and the prompt",
    ),
    Binding("ctrl+p", "", "Command palette", tooltip="Command palette: every action by name"),
    Key(
        "ctrl+q",
        "app.quit",
        "Quit",
        tooltip="Quit: an answer still streaming is kept as far as it was shown, marked "
        "interrupted (SIGTERM and a closing terminal do the same)",
        slash="quit",
    ),
]

NAMES = {
    "at": "@",
    "escape": "Esc",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "question_mark": "?",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "slash": "/",
    "delete": "Delete",
    "down": "↓",
    "up": "↑",
    "left": "←",
    "right": "→",
}


def as_bindings(bindings: Iterable[BindingType]) -> list[Binding]:
    """Bindings as objects (a widget may declare them as tuples)."""
    return [b if isinstance(b, Binding) else Binding(*b) for b in bindings]


def key_label(keys: str) -> str:
    """``"alt+down,ctrl+pagedown"`` as a reader writes it: ``"Alt+↓, Ctrl+PgDn"``."""
    return ", ".join(_one_key(key) for key in keys.split(","))


def _one_key(key: str) -> str:
    *modifiers, name = key.split("+")
    if name in NAMES:
        shown = NAMES[name]
    elif len(name) == 1:  # a letter alone is typed as it is; with a modifier, as on the key
        shown = name.upper() if modifiers else name
    else:
        shown = name.upper() if name[0] == "f" and name[1:].isdigit() else name.capitalize()
    return "+".join([*(m.capitalize() for m in modifiers), shown])


def explained(binding: Binding) -> str:
    """What a key does, in the words of the help screen and the README."""
    return binding.tooltip or binding.description


def readme_table() -> str:
    """The README's table of the main screen's keys, as Markdown (checked by a test)."""
    lines = ["| Key | What it does |", "|---|---|"]
    for binding in as_bindings(MAIN_KEYS):
        lines.append(f"| {keys_markdown(binding.key)} | {explained(binding)} |")
    return "\n".join(lines)


def keys_markdown(keys: str) -> str:
    """``"f1,question_mark"`` as the docs' tables write it: ```F1` or `?```."""
    return " or ".join(f"`{_one_key(key)}`" for key in keys.split(",") if key)


def described(bindings: Iterable[BindingType]) -> list[Binding]:
    """The bindings a reader needs to know: those with a description."""
    return [b for b in as_bindings(bindings) if b.description]


PROMPT_GROUP = "In the prompt"  # the slash commands follow this group in the help


def help_groups() -> dict[str, list[Binding]]:
    """Every key by where it works, read from the widgets' own bindings."""
    from tui.screens.approval_dialog import ApprovalDialog  # not needed for the first screen
    from tui.screens.feature_details import FeatureDetails
    from tui.screens.feature_form import FeatureForm
    from tui.screens.search import SearchScreen
    from tui.widgets.backlog_pane import BacklogPane
    from tui.widgets.block_cursor import BlockCursorScroll
    from tui.widgets.choice_card import ChoiceCard
    from tui.widgets.conversation_list import ConversationList
    from tui.widgets.history_search import HistorySearchBar
    from tui.widgets.tool_log import ToolLog

    return {
        "Anywhere": [*described(MAIN_KEYS), *ELSEWHERE],
        "In the sidebar": described(ConversationList.BINDINGS),
        PROMPT_GROUP: PROMPT_KEYS,
        "In history search (Ctrl+L)": [
            *described(HistorySearchBar.BINDINGS),
            *HistorySearchBar.KEYS,
        ],
        "In the tool log": described(ToolLog.BINDINGS),
        "In the backlog (F4)": [
            *BacklogPane.KEYS,
            *described(BacklogPane.BINDINGS),
            *described(FeatureDetails.BINDINGS),
            *described(FeatureForm.BINDINGS),
        ],
        "In search (Ctrl+G)": [*described(SearchScreen.BINDINGS), *SearchScreen.KEYS],
        "When a web fetch or a backlog write is asked": described(ApprovalDialog.BINDINGS),
        "In the chat (block cursor, Ctrl+O)": described(BlockCursorScroll.BINDINGS),
        "In the code viewer (Enter on a file reference)": [
            *VIEWER_KEYS_MOVING,
            *as_bindings(VIEWER_KEYS),
        ],
        "When the assistant asks you to pick": [
            *described(ChoiceCard.BINDINGS),
            *ChoiceCard.KEYS,
        ],
    }
