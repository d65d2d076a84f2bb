"""The user's own changes to the backlog, asked for with a key in the backlog pane.

The pane posts ``BacklogPane.Asked``; this asks for what the change needs (a form, a choice, a
confirmation for a delete) and makes it through ``BacklogReader`` (so through ``Backlog``, the
code the assistant's tools run) in a thread, never on the UI loop. Then the pane reads the file
again and says what happened, or why it was refused, in one sentence. No approval dialog asks
as for the model's writes: the user's own keystroke is the consent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from mcp_server.human_input import request_fields
from mcp_server.records import BacklogError
from tui.backlog_reader import BacklogReader
from tui.screens.dialogs import ConfirmDialog
from tui.screens.feature_form import FeatureDraft, FeatureForm, FeaturePicker, ReasonDialog
from tui.screens.human_input_form import Answers, HumanInputForm
from tui.widgets.backlog_pane import BacklogPane

Feature = dict[str, Any]


class BacklogActions:
    """One asked-for change: the dialog it needs, then the write in a thread, then the pane."""

    def __init__(self, screen: Screen[Any], reader: BacklogReader, pane: BacklogPane) -> None:
        self.screen, self.reader, self.pane = screen, reader, pane

    def asked(self, message: BacklogPane.Asked) -> None:
        feature = message.feature
        if message.action == "create" or feature is None:
            self.screen.app.push_screen(FeatureForm(self.pane.view.names), self._create)
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

    def _create(self, draft: FeatureDraft | None) -> None:
        if draft is not None:
            self._run(
                lambda: self.reader.create(
                    draft.category, draft.name, draft.description, draft.steps, draft.dependencies
                ),
                lambda new_id: (f"Created feature #{new_id}.", new_id),
            )

    def _edit(self, feature: Feature) -> None:
        """Read the whole feature (the list holds no description), then the filled-in form."""

        def opened(full: Feature) -> None:
            draft = FeatureDraft(
                str(full["category"]),
                str(full["name"]),
                str(full.get("description") or ""),
                [str(s) for s in full.get("steps") or []],
                list(full.get("dependencies") or []),
            )
            form = FeatureForm(self.pane.view.names, draft, full["id"])
            self.screen.app.push_screen(form, lambda edited: self._save(full["id"], draft, edited))

        self._read(feature["id"], opened)

    def _save(self, feature_id: int, before: FeatureDraft, after: FeatureDraft | None) -> None:
        """Write only what the user changed: a field left alone keeps another program's edit."""
        if after is None:
            return
        changed = {
            key: getattr(after, key)
            for key in ("category", "name", "description", "steps")
            if getattr(after, key) != getattr(before, key)
        }

        def save() -> int:
            if changed:
                self.reader.update(feature_id, **changed)
            if after.dependencies != before.dependencies:
                self.reader.set_dependencies(feature_id, after.dependencies)
            return feature_id

        self._run(save, lambda _: (f"Saved feature #{feature_id}.", feature_id))

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
        names = {k: v for k, v in self.pane.view.names.items() if k != fid and k not in deps}

        def chosen(dep: int | None) -> None:
            if dep is not None:
                self._run(
                    lambda: self.reader.add_dependency(fid, dep),
                    lambda _: (f"Feature #{fid} now waits on #{dep}.", fid),
                )

        picker = FeaturePicker(f"Feature #{fid} waits on which feature?", names)
        self.screen.app.push_screen(picker, chosen)

    def _remove_dependency(self, feature: Feature) -> None:
        fid, deps = feature["id"], feature.get("dependencies") or []
        if not deps:
            self.pane.say(f"Feature #{fid} has no dependencies to remove.", error=True)
            return
        names = {d: self.pane.view.names.get(d, "(missing)") for d in deps}

        def chosen(dep: int | None) -> None:
            if dep is not None:
                self._run(
                    lambda: self.reader.remove_dependency(fid, dep),
                    lambda _: (f"Feature #{fid} no longer waits on #{dep}.", fid),
                )

        picker = FeaturePicker(f"Feature #{fid} should stop waiting on which?", names)
        self.screen.app.push_screen(picker, chosen)

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

        self._read(fid, opened)

    # -- off the UI loop ---------------------------------------------------------------------

    def _read(self, feature_id: int, then: Callable[[Feature], None]) -> None:
        """Read one whole feature in a thread, then continue on the UI loop."""

        def read() -> None:
            try:
                feature = self.reader.feature(feature_id)
            except BacklogError as error:
                self.screen.app.call_from_thread(self.pane.say, str(error), True)
                return
            self.screen.app.call_from_thread(then, feature)

        self.screen.run_worker(read, thread=True, group="backlog-read", exit_on_error=False)

    def _run(
        self, change: Callable[[], Any], said: Callable[[Any], tuple[str, int | None]]
    ) -> None:
        """Make a change in a thread; then the pane reads the file again (keeping the feature
        ``said`` names in sight) and shows the sentence, or the refusal."""

        def write() -> None:
            try:
                result = change()
            except BacklogError as error:
                self.screen.app.call_from_thread(self.pane.say, str(error), True)
                return
            sentence, keep = said(result)
            self.screen.app.call_from_thread(self._done, sentence, keep)

        self.screen.run_worker(write, thread=True, group="backlog-write", exit_on_error=False)

    def _done(self, sentence: str, keep: int | None) -> None:
        self.pane.say(sentence)
        self.pane.changed(keep)
