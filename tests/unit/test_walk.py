"""The one component walk behind check_components and folder_present, at the project root.

The attacks on each component are in test_prompt.py (both callers, through the system prompt)
and tests/mcp_server/test_boundary.py (the backlog file); here, the edge where no component is
below the root, which each caller answers its own way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from boundary.layout import folder_present
from boundary.paths import Refused, check_components


def test_the_root_itself_is_a_folder_but_not_a_file(tmp_path: Path) -> None:
    """The root is trusted as given: a folder for find_folder, never a file to read."""
    assert folder_present(tmp_path, tmp_path) is True
    assert check_components(tmp_path, tmp_path) is None


def test_a_parent_component_is_refused_not_walked(tmp_path: Path) -> None:
    """``root/../x`` names a file outside the project: the walk refuses the ``..`` itself
    (before, it lstat'ed its way out and found the outside file)."""
    root = tmp_path / "project"
    root.mkdir()
    (tmp_path / "outside.txt").write_text("secret")
    (tmp_path / "features.db").write_text("")
    with pytest.raises(Refused, match=r"climbs out of its folder"):
        check_components(root, root / ".." / "outside.txt")
    with pytest.raises(Refused, match=r"climbs out of its folder"):
        folder_present(root, root / "..")
