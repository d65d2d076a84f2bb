"""The boundary: one answer to "may this path inside the project be touched, and how".

Used by the model's guard (tui.agent.guard), the app's own reads of project files
(prompts/app_spec.txt) and the backlog server (mcp_server), which may not import ``tui``; so it
lives in a package of its own, standard library only (the server must start fast).

- ``paths``: components that are links, multi-link files, non-regular files, no-follow reads;
- ``secrets``: file names and contents that hold credentials, and redaction of token shapes;
- ``links``: the project's hardlinked files, for the CLI's deny rules;
- ``layout``: upstream's order of locations (.autoforge/, .autocoder/, root) for files and folders;
- ``sqlite_file``: the backlog and assistant databases, found, created and verified by inode.
"""

from boundary.paths import Refused

__all__ = ["Refused"]
