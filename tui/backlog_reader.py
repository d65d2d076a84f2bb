"""Reads and writes a project's backlog for the pane and its dialogs, through the MCP server's
rules.

It works with ``mcp_server.backlog.Backlog`` (the code the assistant's backlog tools run), so the
pane and the tools can never disagree about what is ready or what blocks what, and a change made
in the pane obeys the rules a tool call obeys: the arguments are checked against the tool's own
schema (lengths, counts, credentials) when the assistant has that tool, then the same ``Backlog``
method runs in its one ``BEGIN IMMEDIATE`` transaction, so a write by another program at the same
moment is never lost. Every call blocks: the callers run them in a thread. ``signature`` is cheap
(two ``stat`` calls), so the pane can poll it twice a second and read only when the file changed.

Textual-free, and kept out of ``tui.widgets``: widgets are views and do no I/O.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mcp_server.records import BacklogError, find_database
from tui.models import BacklogSection, BacklogView

if TYPE_CHECKING:
    from mcp_server.backlog import Backlog

LISTED = 40  # features drawn per section; the headings give the full counts
BUSY_TIMEOUT_S = 2.0  # an agent writing in another process holds the lock for milliseconds
WRITE_TIMEOUT_S = 10.0  # a write waits longer: it runs in a thread, and the user asked for it

# The pane's sections in the order drawn: the status their features have, and the heading.
SECTIONS = (
    ("ready", "Ready"),
    ("in_progress", "In progress"),
    ("needs_human_input", "Waiting for you"),
    ("blocked", "Blocked"),
    ("passing", "Passing"),
)

STATUS_WORDS = dict(SECTIONS)  # a status as the pane and the details name it

Signature = tuple[tuple[int, int], ...]
T = TypeVar("T")


class BacklogReader:
    """One project's backlog: what the pane shows, one feature in full, the file's signature, and
    the user's own changes."""

    def __init__(self, project: Path) -> None:
        self.project = project

    # -- reads -------------------------------------------------------------------------------

    def read(self, keep: int | None = None) -> BacklogView:
        """Stats and every section in one pass; ``keep`` (the feature the user is on) is listed
        even beyond a section's cut. A refused file reads as its reason."""
        try:
            path = find_database(self.project)
        except BacklogError as error:  # the boundary refused the file: say why, read nothing
            return BacklogView(error=str(error))
        if path is None:
            return BacklogView(sections=[BacklogSection(k, t) for k, t in SECTIONS])
        try:
            with self._backlog(BUSY_TIMEOUT_S) as backlog:
                found = backlog.overview(LISTED, keep)
        except BacklogError as error:
            return BacklogView(path=path, error=str(error))
        return BacklogView(found["stats"], _sections(found), path)

    def placed(self, view: BacklogView, feature_id: int) -> BacklogView | None:
        """``view`` with a feature just created listed where a full read would list it, read
        from that feature and the stats alone; None when only a full read will do (the view
        shows an error, no file yet, or another file). Other programs' writes since ``view``
        was read are not in it: the caller reads in full next."""
        if view.error is not None or view.path is None or not view.sections:
            return None
        try:
            if find_database(self.project) != view.path:
                return None
            with self._backlog(BUSY_TIMEOUT_S) as backlog:
                found = backlog.placed(feature_id)
        except BacklogError:
            return None
        feature = found["feature"]
        return None if feature is None else with_created(view, feature, found["stats"])

    def names(self) -> dict[int, str]:
        """Every feature's name by id, in queue order: read when a form or picker opens, not at
        every refresh of the pane."""
        with self._backlog(BUSY_TIMEOUT_S) as backlog:
            return backlog.names()

    def feature(self, feature_id: int) -> dict[str, Any]:
        """One feature with its description and steps; raises ``BacklogError`` in one sentence."""
        with self._backlog(BUSY_TIMEOUT_S) as backlog:
            return backlog.get(feature_id)

    def signature(self) -> Signature:
        """Size and modification time of the backlog file and its WAL: any write changes one."""
        try:
            path = find_database(self.project)
        except BacklogError:
            return ((-1, -1),)  # refused: a change into or out of this state is still seen
        if path is None:
            return ()
        found = []
        for name in (path, path.with_name(path.name + "-wal")):
            try:
                info = os.stat(name)
            except OSError:
                continue
            found.append((info.st_mtime_ns, info.st_size))
        return tuple(found)

    # -- the user's own changes (each raises BacklogError in one sentence when refused) ---------

    def create(
        self, category: str, name: str, description: str, steps: list[str], dependencies: list[int]
    ) -> int:
        """Create a feature at the end of the queue; its id."""
        from mcp_server.backlog import NewFeature

        args = _fields(category=category, name=name, description=description, steps=steps)
        args["dependencies"] = dependencies
        self._check("feature_create", args)
        feature = NewFeature(
            args["category"], args["name"], args["description"], args["steps"], tuple(dependencies)
        )
        created = self._write(lambda b: b.create(feature))
        return int(created["id"])

    def update(self, feature_id: int, **changed: Any) -> dict[str, Any]:
        """Change only the given fields (name, description, steps, category): a field the user
        left alone keeps whatever another program wrote into it meanwhile."""
        args = _fields(**changed)
        self._check("feature_update", {"feature_id": feature_id, **args})
        return self._write(lambda b: b.update(feature_id, **args))

    def edit(
        self, feature_id: int, changed: dict[str, Any], dependencies: list[int] | None
    ) -> dict[str, Any]:
        """The edit form's save: the changed fields and (unless None) the new dependency list,
        checked as ``feature_update`` and ``feature_set_dependencies`` check them, written in
        one transaction: all of it, or nothing."""
        args = _fields(**changed)
        if args:
            self._check("feature_update", {"feature_id": feature_id, **args})
        if dependencies is not None:
            self._check(
                "feature_set_dependencies",
                {"feature_id": feature_id, "dependency_ids": dependencies},
            )
        return self._write(lambda b: b.edit(feature_id, args, dependencies))

    def set_dependencies(self, feature_id: int, dependency_ids: list[int]) -> dict[str, Any]:
        self._check(
            "feature_set_dependencies", {"feature_id": feature_id, "dependency_ids": dependency_ids}
        )
        return self._write(lambda b: b.set_dependencies(feature_id, dependency_ids))

    def add_dependency(self, feature_id: int, dependency_id: int) -> dict[str, Any]:
        return self._write(lambda b: b.add_dependency(feature_id, dependency_id))

    def remove_dependency(self, feature_id: int, dependency_id: int) -> dict[str, Any]:
        return self._write(lambda b: b.remove_dependency(feature_id, dependency_id))

    def skip(self, feature_id: int) -> dict[str, Any]:
        return self._write(lambda b: b.skip(feature_id))

    def mark_failing(self, feature_id: int, reason: str | None) -> dict[str, Any]:
        args: dict[str, Any] = {"feature_id": feature_id}
        if reason:
            args["reason"] = reason
        self._check("feature_mark_failing", args)
        return self._write(lambda b: b.mark_failing(feature_id, reason or None))

    def delete(self, feature_id: int) -> dict[str, Any]:
        """Delete a feature; the features that depended on it lose that dependency."""
        return self._write(lambda b: b.delete(feature_id))

    def answer(self, feature_id: int, fields: dict[str, str | bool | list[str]]) -> dict[str, Any]:
        """Store the user's answer to a feature's request for human input (as upstream does)."""
        return self._write(lambda b: b.answer_human_input(feature_id, fields))

    # -- plumbing ----------------------------------------------------------------------------

    @contextmanager
    def _backlog(self, timeout: float) -> Iterator[Backlog]:
        from mcp_server.backlog import Backlog  # in the worker thread: not on the first screen

        backlog = Backlog(self.project, busy_timeout=timeout)
        try:
            yield backlog
        finally:
            backlog.close()

    def _write(self, call: Callable[[Backlog], T]) -> T:
        with self._backlog(WRITE_TIMEOUT_S) as backlog:
            return call(backlog)

    @staticmethod
    def _check(tool_name: str, args: dict[str, Any]) -> None:
        """The checks the assistant's tool of that name makes (its schema, no credentials):
        the user's edit obeys the rules a model's does; refusals are one sentence."""
        from mcp_server.tools import TOOLS, check_written_text
        from mcp_server.validate import ArgumentError, check

        tool = next((t for t in TOOLS if t.name == tool_name), None)
        if tool is None:
            return  # no such tool: the Backlog method's own rules still apply
        try:
            check(args, tool.input_schema, "arguments")
            check_written_text(args)
        except ArgumentError as error:
            raise BacklogError(str(error)) from error


def _fields(**values: Any) -> dict[str, Any]:
    """The given text fields, trimmed as the tools trim them; steps without blank lines."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if key == "steps":
            out[key] = [s.strip() for s in value if s.strip()]
        else:
            out[key] = str(value).strip()
    return out


def _sections(found: dict[str, Any]) -> list[BacklogSection]:
    """The pane's sections from ``Backlog.overview``: each status's first features in queue
    order, then the one kept from beyond the cut (the feature the user is on)."""
    sections = []
    for key, title in SECTIONS:
        features = [f for f in found["features"] if f["status"] == key]
        shown = [_listed(f) for f in features if not f["beyond_cut"]]
        kept = [_listed(f) for f in features if f["beyond_cut"]]
        sections.append(
            BacklogSection(key, title, shown + kept, found["counts"].get(key, 0), len(kept))
        )
    return sections


def with_created(view: BacklogView, feature: dict[str, Any], stats: dict[str, Any]) -> BacklogView:
    """``view`` with ``feature``, new at the end of the queue, counted in its status's section
    and listed there: among the first ``LISTED`` if the section has room, else from beyond the
    cut, as ``read(keep=feature)`` lists it. A feature kept from beyond the cut before (the one
    the user was on) gives way to it, as in that read."""
    sections = []
    for section in view.sections:
        shown = section.features[: len(section.features) - section.kept]
        total, kept = section.total, 0
        if section.key == feature["status"]:
            total += 1
            kept = 0 if len(shown) < LISTED else 1
            shown = [*shown, feature]
        sections.append(BacklogSection(section.key, section.title, shown, total, kept))
    return BacklogView(stats, sections, view.path)


def _listed(feature: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in feature.items() if k != "beyond_cut"}
