"""The system prompt, written by us and handed to the CLI as a file outside the project."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from boundary import Refused
from boundary.layout import find_folder
from boundary.links import session_rules
from boundary.paths import check_components, read_nofollow
from boundary.secrets import secret_kind
from tui.agent.guard import BACKLOG_TOOLS
from tui.private_files import private_dirs, replace_private, tighten

WEB_LINES = {
    "on": "- Look things up on the web (WebFetch, WebSearch).",
    "ask": "- Search the web (WebSearch); WebFetch reaches only the hosts the user allowed, "
    "and a denied fetch means the user has not allowed that host.",
    "off": "- No web access: the user turned it off.",
}
SPEC_PATH = "prompts/app_spec.txt"  # in .autoforge/, .autocoder/ or the root (upstream's order)
SPEC_LIMIT = 5000  # characters of the spec in the prompt
SPEC_READ_LIMIT = 64 * 1024  # bytes read at most, whatever the file's size


def system_prompt(project: Path, web: str = "ask") -> str:
    """Say who the assistant is, what it may do, its tools, and the project's spec if any."""
    spec, note, where = _app_spec(project)
    tools = ", ".join(BACKLOG_TOOLS)
    text = f"""You are the project assistant for "{project.name}" ({project}).

You help the user understand this code base and manage its feature backlog.

What you can do:
- Read files, find files (Glob) and search their contents (Grep) inside the project.
{WEB_LINES[web]}
- Read and manage the feature backlog with the features tools: {tools}.

What you cannot do: change, create or delete files, or run commands. These tools are not
available and any attempt is denied. Files outside the project and files that hold secrets
(.env, keys, certificates) are denied too. Do not offer to edit code; explain the change instead,
with the exact code, so the user can apply it.

Creating features for the backlog:
- Check what exists first (feature_list, feature_get_stats) to avoid duplicates.
- Each feature has a short category (e.g. "Authentication", "UI"), a name that says what it does,
  a description with enough detail to implement it, and concrete steps that verify it works.
- Use feature_create_bulk for several related features; order them so that a feature comes
  after the ones it depends on, and link them with depends_on_indices.
- Ask before creating many features at once, and say what you created (ids and names).

Changing existing features (the user approves each change):
- feature_update changes a feature's name, description, steps or category; the
  feature_add_dependency, feature_remove_dependency and feature_set_dependencies tools link
  existing features (no cycles; at most 20 dependencies each).
- feature_mark_failing reopens a passing feature as a bug: give the reason, which is appended to
  its description for the coding agents.
- You can never mark a feature passing or in progress, delete one, or answer a feature waiting
  for human input: those are the user's, in the backlog pane (F4).

Asking the user to choose (the ask_user tool):
- Use it when the request has real alternatives that change your answer (two designs to
  compare, which of several modules is meant, how deep to go) and the project does not settle
  it: offer 2 to 4 options, each a short label with a one-line description, and put the one you
  recommend first.
- Do not use it for what you can find out by reading the project, for a yes/no you can decide
  yourself, or to confirm a plan before answering; just answer.
- The user's choice (or their own words) comes back as the tool's result: go on from it. When
  nobody is there to choose, the result says so: state which option you assumed and go on.

Answer in Markdown. Be concise; cite files as path:line when you refer to code."""
    if note:
        text += f"\n\n{note}"
    elif spec:
        text += f"\n\nThe project's specification ({where}):\n"
        text += f"<app_spec>\n{spec}\n</app_spec>"
    return text


def _app_spec(project: Path) -> tuple[str, str, str]:
    """The spec's text, or a note saying why it was left out, and its path in the project.

    The ``prompts`` folder is chosen as upstream's resolver chooses it (``.autoforge/``, then
    ``.autocoder/``, then the root; upstream moves ``prompts/`` into ``.autoforge/`` once an
    agent has started). A refused candidate leaves the spec out rather than trying the next one.
    Read with no-follow semantics through the boundary: a symlink to /proc/self/environ, a
    hardlink, a FIFO or a file holding a credential is never copied into the prompt.
    """
    root = Path(os.path.realpath(project))
    where = SPEC_PATH
    try:
        folder = find_folder(root, "prompts")
        if folder is None:
            return "", "", where
        path = folder / "app_spec.txt"
        where = path.relative_to(root).as_posix()
        if check_components(root, path) is None:
            return "", "", where
        head = read_nofollow(root, path, SPEC_READ_LIMIT)
    except Refused as error:
        return "", _left_out(where, f"{error}"), where
    except OSError as error:
        return "", _left_out(where, f"it cannot be read ({error.strerror})"), where
    text = head.decode("utf-8", errors="replace")
    kind = secret_kind(text)
    if kind:
        return "", _left_out(where, f"it holds {kind}"), where
    return text[:SPEC_LIMIT].strip(), "", where


def _left_out(where: str, why: str) -> str:
    return f"({where} was not included: {why}.)"


def write_prompt_file(project: Path, folder: Path, web: str = "ask") -> Path:
    """Write the prompt into the app's own folder (never the project); the file form of the
    system prompt has no command-line size limit. Named by content, so it is written once.
    The folder is 0700 and the file 0600: the prompt holds the project's spec."""
    return _write_once(folder, "system-prompt", system_prompt(project, web), ".md")


def _write_once(folder: Path, stem: str, text: str, suffix: str) -> Path:
    """Write ``text`` 0600 to a file named by its digest, unless that file exists already."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    private_dirs(folder, owned=folder.parent)  # the app's state directory and this folder
    for entry in folder.iterdir():  # an earlier version wrote them 0644
        tighten(entry)
    path = folder / f"{stem}-{digest}{suffix}"
    if not path.exists():
        replace_private(path, text)
    return path


def write_settings_file(project: Path, allow_secrets: bool, folder: Path) -> Path:
    """The CLI settings of a session: Read deny rules for secret names and the tree's hardlinks.

    Computed at each session start (one walk of the tree), named by content like the prompt.
    """
    rules, _scan = session_rules(Path(os.path.realpath(project)), allow_secrets)
    text = json.dumps({"permissions": {"deny": rules}}, indent=1)
    return _write_once(folder, "settings", text, ".json")
