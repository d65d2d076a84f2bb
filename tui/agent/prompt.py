"""The system prompt, written by us and handed to the CLI as a file outside the project."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tui.agent.guard import BACKLOG_TOOLS
from tui.private_files import private_dirs, replace_private, tighten

SPEC_LIMIT = 5000


def system_prompt(project: Path) -> str:
    """Say who the assistant is, what it may do, its tools, and the project's spec if any."""
    spec = _app_spec(project)
    tools = ", ".join(BACKLOG_TOOLS)
    text = f"""You are the project assistant for "{project.name}" ({project}).

You help the user understand this code base and manage its feature backlog.

What you can do:
- Read files, find files (Glob) and search their contents (Grep) inside the project.
- Look things up on the web (WebFetch, WebSearch).
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

Answer in Markdown. Be concise; cite files as path:line when you refer to code."""
    if spec:
        text += "\n\nThe project's specification (prompts/app_spec.txt):\n"
        text += f"<app_spec>\n{spec}\n</app_spec>"
    return text


def _app_spec(project: Path) -> str:
    path = project / "prompts" / "app_spec.txt"
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return handle.read(SPEC_LIMIT).strip()
    except OSError:
        return ""


def write_prompt_file(project: Path, folder: Path) -> Path:
    """Write the prompt into the app's own folder (never the project); the file form of the
    system prompt has no command-line size limit. Named by content, so it is written once.
    The folder is 0700 and the file 0600: the prompt holds the project's spec."""
    text = system_prompt(project)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    private_dirs(folder, owned=folder.parent)  # the app's state directory and its prompts/
    for entry in folder.iterdir():  # an earlier version wrote them 0644
        tighten(entry)
    path = folder / f"system-prompt-{digest}.md"
    if not path.exists():
        replace_private(path, text)
    return path
