"""The user's own changes to the backlog, asked for with a key in the backlog pane.

The pane posts ``BacklogPane.Asked``; this asks for what the change needs (a form, a choice, a
confirmation for a delete) and makes it through ``BacklogReader`` (so through ``Backlog``, the
code the assistant's tools run) in a thread, never on the UI loop. Then the pane reads the file
again and says what happened, or why it was refused, in one sentence. No approval dialog asks
as for the model's writes: the user's own keystroke is the consent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.screen import Screen
from textual.worker import WorkerFailed

from mcp_server.human_input import request_fields
from mcp_server.records import BacklogError
from tui.backlog_reader import BacklogReader
from tui.models import BacklogView
from tui.screens.dialogs import ConfirmDialog
from tui.screens.feature_form import FeatureDraft, FeatureForm, FeaturePicker, ReasonDialog
from tui.screens.human_input_form import Answers, HumanInputForm
from tui.widgets.backlog_pane import BacklogPane

Feature = dict[str, Any]
T = TypeVar("T")


class BacklogActions:
    """One asked-for change: the dialog it needs, then the write in a thread, then the pane."""

    def __init__(self, screen: Screen[Any], reader: BacklogReader, pane: BacklogPane) -> None:
        self.screen, self.reader, self.pane = screen, reader, pane

    def asked(self, message: BacklogPane.Asked) -> None:
        feature = message.feature
        if message.action == "create" or feature is None:
            self._names(self._open_create)
            return
        handlers: dict[str, Callable[[Feature], None]] = {
            "edit": self._edit,
            "skip": self._skip,
            "fail": self._fail,
            "add_dependency": self._add_dependency,
            "remove_dependency": self._remove_dependency,
            "delete": self._delete,
            "answer": self._answer,
        }
        handlers[message.action](feature)

    # -- each change -------------------------------------------------------------------------

    def _open_create(self, names: dict[int, str]) -> None:
        self.screen.app.push_screen(FeatureForm(names, save=self._create))

    async def _create(self, draft: FeatureDraft, close: Callable[[], None]) -> str | None:
        return await self._saved(
            lambda: self.reader.create(
                draft.category, draft.name, draft.description, draft.steps, draft.dependencies
            ),
            lambda new_id: (f"Created feature #{new_id}.", new_id),
            close,
            placed=True,
        )

    def _edit(self, feature: Feature) -> None:
        """Read the whole feature (the list holds no description), then the filled-in form."""

        def opened(found: tuple[Feature, dict[int, str]]) -> None:
            full, names = found
            draft = FeatureDraft(
                str(full["category"]),
                str(full["name"]),
                str(full.get("description") or ""),
                [str(s) for s in full.get("steps") or []],
                list(full.get("dependencies") or []),
            )
            fid = full["id"]
            form = FeatureForm(
                names, draft, fid, save=lambda new, close: self._save(fid, draft, new, close)
            )
            self.screen.app.push_screen(form)

        fid = feature["id"]
        self._off_loop(lambda: (self.reader.feature(fid), self.reader.names()), opened)

    async def _save(
        self,
        feature_id: int,
        before: FeatureDraft,
        after: FeatureDraft,
        close: Callable[[], None],
    ) -> str | None:
        """Write only what the user changed: a field left alone keeps another program's edit."""
        changed = {
            key: getattr(after, key)
            for key in ("category", "name", "description", "steps")
            if getattr(after, key) != getattr(before, key)
        }

        deps = after.dependencies if after.dependencies != before.dependencies else None
        if not changed and deps is None:
            self.pane.say(f"Nothing to save: feature #{feature_id} was left as it was.")
            return None

        def save() -> int:
            self.reader.edit(feature_id, changed, deps)
            return feature_id

        return await self._saved(
            save, lambda _: (f"Saved feature #{feature_id}.", feature_id), close
        )

    def _skip(self, feature: Feature) -> None:
        fid = feature["id"]
        self._run(lambda: self.reader.skip(fid), lambda r: (str(r["message"]), fid))

    def _fail(self, feature: Feature) -> None:
        fid = feature["id"]

        def reason(text: str | None) -> None:
            if text is not None:
                self._run(
                    lambda: self.reader.mark_failing(fid, text or None),
                    lambda _: (
                        f"Feature #{fid} is pending again: the agents will pick it up.",
                        fid,
                    ),
                )

        question = f'Why is feature #{fid} "{feature["name"]}" failing?'
        self.screen.app.push_screen(ReasonDialog(question), reason)

    def _add_dependency(self, feature: Feature) -> None:
        fid, deps = feature["id"], feature.get("dependencies") or []

        def chosen(dep: int | None) -> None:
            if dep is not None:
                self._run(
                    lambda: self.reader.add_dependency(fid, dep),
                    lambda _: (f"Feature #{fid} now waits on #{dep}.", fid),
                )

        def pick(names: dict[int, str]) -> None:
            names = {k: v for k, v in names.items() if k != fid and k not in deps}
            picker = FeaturePicker(f"Feature #{fid} waits on which feature?", names)
            self.screen.app.push_screen(picker, chosen)

        self._names(pick)

    def _remove_dependency(self, feature: Feature) -> None:
        fid, deps = feature["id"], feature.get("dependencies") or []
        if not deps:
            self.pane.say(f"Feature #{fid} has no dependencies to remove.", error=True)
            return

        def chosen(dep: int | None) -> None:
            if dep is not None:
                self._run(
                    lambda: self.reader.remove_dependency(fid, dep),
                    lambda _: (f"Feature #{fid} no longer waits on #{dep}.", fid),
                )

        def pick(names: dict[int, str]) -> None:
            shown = {d: names.get(d, "(missing)") for d in deps}
            picker = FeaturePicker(f"Feature #{fid} should stop waiting on which?", shown)
            self.screen.app.push_screen(picker, chosen)

        self._names(pick)

    def _delete(self, feature: Feature) -> None:
        fid = feature["id"]

        def done(result: dict[str, Any]) -> tuple[str, None]:
            ids = result.get("unlinked") or []
            verb = "waits" if len(ids) == 1 else "wait"
            also = f"; {', '.join(f'#{i}' for i in ids)} no longer {verb} on it" if ids else ""
            return f"Deleted feature #{fid}{also}.", None

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run(lambda: self.reader.delete(fid), done)

        question = (
            f'Delete feature #{fid} "{feature["name"]}"? This cannot be undone; features that '
            "depend on it lose that dependency."
        )
        self.screen.app.push_screen(ConfirmDialog(question), confirmed)

    def _answer(self, feature: Feature) -> None:
        """Read the request, build its form, store the answer (the agent then continues)."""
        fid = feature["id"]

        def opened(full: Feature) -> None:
            raw = full.get("human_input_request")
            try:
                fields = request_fields(raw, fid)
            except BacklogError as error:
                self.pane.say(str(error), error=True)
                return
            prompt = raw.get("prompt") if isinstance(raw, dict) else ""
            form = HumanInputForm(full, prompt if isinstance(prompt, str) else "", fields)
            self.screen.app.push_screen(form, answered)

        def answered(answers: Answers | None) -> None:
            if answers is not None:
                self._run(
                    lambda: self.reader.answer(fid, answers),
                    lambda _: (f"Answered feature #{fid}: it is back in the queue.", fid),
                )

        self._off_loop(lambda: self.reader.feature(fid), opened)

    # -- off the UI loop ---------------------------------------------------------------------

    def _names(self, then: Callable[[dict[int, str]], None]) -> None:
        """Every feature's name (what a form or picker lists), read in a thread when one opens:
        the pane's refreshes never read or copy 10,000 names."""
        self._off_loop(self.reader.names, then)

    def _off_loop(self, read: Callable[[], T], then: Callable[[T], None]) -> None:
        """Read in a thread, then continue on the UI loop; a refusal is said in the pane."""

        def run() -> None:
            try:
                found = read()
            except BacklogError as error:
                self.screen.app.call_from_thread(self.pane.say, str(error), True)
                return
            self.screen.app.call_from_thread(then, found)

        self.screen.run_worker(run, thread=True, group="backlog-read", exit_on_error=False)

    def _run(
        self, change: Callable[[], Any], said: Callable[[Any], tuple[str, int | None]]
    ) -> None:
        """A change asked for by a key or a dialog already closed: the same write and read-back
        as a form's, and a refusal said in the pane."""

        async def run() -> None:
            refused = await self._saved(change, said)
            if refused is not None:
                self.pane.say(refused, error=True)

        self.screen.run_worker(run(), group="backlog-change", exit_on_error=False)

    async def _saved(
        self,
        change: Callable[[], Any],
        said: Callable[[Any], tuple[str, int | None]],
        close: Callable[[], None] | None = None,
        placed: bool = False,
    ) -> str | None:
        """Make a change and read the file back in one thread, then update the pane; return
        the refusal in one sentence, or None. A form stays up meanwhile and is closed by
        ``close`` in the same update as the new row, so both are drawn in one frame. Reading in
        the write's thread starts no second thread and cancels no read of the pane's own (the
        file watch may have started one mid-write). ``keep`` None: the pane keeps its row and
        reads, knowing which. ``placed`` (a create): the new feature is added to the view on
        screen from a read of it and the stats alone, and the full read comes after the frame
        that shows it (it scans the file: 25-40 ms at 10,000 features)."""
        before = self.pane.view

        def write() -> tuple[str, int | None, tuple[BacklogView, object] | None]:
            sentence, keep = said(change())
            if keep is None:
                return sentence, None, None
            if placed and (view := self.reader.placed(before, keep)) is not None:
                return sentence, keep, (view, None)  # not a read of the file: not ``seen``
            signature = self.reader.signature()  # before the read: a later write is seen
            return sentence, keep, (self.reader.read(keep), signature)

        worker = self.screen.run_worker(
            write, thread=True, group="backlog-write", exit_on_error=False
        )
        try:
            sentence, keep, read = await worker.wait()
        except WorkerFailed as failed:
            if isinstance(failed.error, BacklogError):
                return str(failed.error)
            raise
        with self.screen.app.batch_update():
            if close is not None:
                close()
            self._done(sentence, keep, read)
        return None

    def _done(
        self, sentence: str, keep: int | None, read: tuple[BacklogView, object] | None = None
    ) -> None:
        self.pane.say(sentence)
        if read is None:
            self.pane.changed(keep)
            return
        self.pane.read_elsewhere(*read, keep)
        if read[1] is None:  # placed, not read: the full read follows the frame showing it
            self.pane.call_after_refresh(self.pane.changed)
