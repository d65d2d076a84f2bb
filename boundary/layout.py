"""Where upstream (AutoCoder/AutoForge) keeps its runtime files, in the order its resolver looks.

Upstream's newest resolver tries ``<project>/.autoforge/X``, then ``<project>/.autocoder/X`` (the
layout between its two renames), then ``<project>/X``, and takes the first that exists. Files
(``features.db``, ``assistant.db``) and folders (``prompts/``) are resolved alike. Here a
candidate the boundary refuses (a link, a non-folder where a folder belongs, ...) stops the
search with Refused: skipping it would hand out a file the project's agents never use.
"""

from __future__ import annotations

from pathlib import Path

from boundary.paths import refuse_non_folder, walk_components

LAYOUTS = (".autoforge", ".autocoder", "")


def candidates(root: Path, name: str) -> list[Path]:
    """``name`` in each layout, newest first."""
    return [root / folder / name if folder else root / name for folder in LAYOUTS]


def find_folder(root: Path, name: str) -> Path | None:
    """The first existing folder ``name`` in upstream's order, or None; Refused stops the search.

    Upstream picks the folder, not the file in it: a ``.autoforge/prompts/`` without an
    ``app_spec.txt`` still wins over a root ``prompts/app_spec.txt`` (its agents read only the
    chosen folder), so this does the same.
    """
    for candidate in candidates(root, name):
        if folder_present(root, candidate):
            return candidate
    return None


def folder_present(root: Path, path: Path) -> bool:
    """Whether ``path`` is a real folder below ``root`` (or the root itself); Refused for a link
    or a non-folder, in the same words as a file's check (one walk, boundary.paths)."""
    return path == root or walk_components(root, path, refuse_non_folder) is not None
