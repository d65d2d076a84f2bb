"""The backlog pane's dialogs: a feature's form (new or edit), a feature picker, a reason.

They collect what the user typed; the screen makes the change through the backlog code in a
thread (``tui.screens.backlog_actions``), the feature form staying up until it is saved. Stored
text shown here (names, categories, descriptions) was written by another program, so it is made
inert, and so is whatever is typed or pasted: no escape sequence reaches the terminal from a
field.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.document._document import EditResult
from textual.document._edit import Edit
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, SelectionList, TextArea
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from tui.text import inert
from tui.widgets.inert_input import InertInput

SHOWN = 100  # candidates listed by a picker at once; typing narrows them


class InertTextArea(TextArea):
    """A TextArea whose every edit (typed, pasted) has its control characters made visible."""

    def edit(self, edit: Edit) -> EditResult:
        edit.text = inert(edit.text)
        return super().edit(edit)


@dataclass
class FeatureDraft:
    """What the feature form returns: the fields as typed, steps one per line."""

    category: str
    name: str
    description: str
    steps: list[str]
    dependencies: list[int] = field(default_factory=list)


SAVING_SHOWN_AFTER_S = 0.2  # a save still running then says so in the form
# Called with the draft and the form's close: it returns None once saved (having closed the form
# in the same update that shows the saved feature), else why not in one sentence.
Save = Callable[["FeatureDraft", Callable[[], None]], Awaitable[str | None]]


def matching(
    names: dict[int, str], text: str, first: list[int], left_out: int | None = None
) -> list[int]:
    """Ids whose "#id name" holds ``text`` (any case), ``first`` always listed first; never
    ``left_out`` (the feature being edited: it cannot wait on itself)."""
    wanted = text.strip().lower().lstrip("#")
    found = [i for i in first if i in names and i != left_out]
    for feature_id, name in names.items():
        if len(found) >= SHOWN + len(first):
            break
        if feature_id in first or feature_id == left_out:
            continue
        if wanted in f"{feature_id} {name}".lower():
            found.append(feature_id)
    return found


def _name(names: dict[int, str], feature_id: int) -> Text:
    return Text(inert(f"#{feature_id} {names.get(feature_id, '(missing)')}"))


class FeatureForm(ModalScreen[FeatureDraft | None]):
    """Category, name, description, steps (one per line) and dependencies chosen from a list."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save the form", priority=True),
        Binding("escape", "cancel", "Cancel the form"),
    ]

    def __init__(
        self,
        names: dict[int, str],
        draft: FeatureDraft | None = None,
        feature_id: int | None = None,
        save: Save | None = None,
    ) -> None:
        super().__init__(classes="dialog -wide")
        self.names = names  # not copied: 10,000 names cost milliseconds; matching skips itself
        self.draft = draft or FeatureDraft("", "", "", [])
        self.feature_id = feature_id
        self.chosen = list(self.draft.dependencies)
        self.save = save
        self.saving = False
        self.closed = False

    def compose(self) -> ComposeResult:
        draft = self.draft
        title = "New feature" if self.feature_id is None else f"Edit feature #{self.feature_id}"
        with Vertical(id="feature-form"):
            yield Label(title, classes="backlog-title")
            with VerticalScroll(id="feature-fields"):
                yield Label("Category")
                yield InertInput(inert(draft.category), id="form-category", max_length=100)
                yield Label("Name")
                yield InertInput(inert(draft.name), id="form-name", max_length=255)
                yield Label("Description")
                yield InertTextArea(inert(draft.description), id="form-description")
                yield Label("Steps, one per line")
                yield InertTextArea(inert("\n".join(draft.steps)), id="form-steps")
                yield Label("Depends on (type to narrow, Space to choose)")
                yield InertInput(placeholder="#id or words of a name", id="form-filter")
                yield SelectionList[int](id="form-dependencies")
            yield Label("", id="form-error")
            yield Label("Ctrl+S: save · Esc: cancel · Tab: next field", classes="hint")

    def on_mount(self) -> None:
        self._list("")
        self.query_one("#form-category").focus()

    @on(Input.Changed, "#form-filter")
    def _filtered(self, event: Input.Changed) -> None:
        self._list(event.value)

    def _list(self, text: str) -> None:
        listing = self.query_one("#form-dependencies", SelectionList)
        listing.clear_options()
        listing.add_options(
            [
                Selection(_name(self.names, i), i, i in self.chosen)
                for i in matching(self.names, text, self.chosen, self.feature_id)
            ]
        )

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled[int]) -> None:
        value = event.selection.value
        if value in self.chosen:
            self.chosen.remove(value)
        else:
            self.chosen.append(value)

    async def action_save(self) -> None:
        """Check the fields, then save while the form stays up: a refusal (another program
        deleted a chosen dependency meanwhile) is shown here with everything typed kept, and a
        saved form is closed by the saver in the update that shows the saved feature (closed
        after it, the form would draw itself once more over the changed screen behind it)."""
        if self.saving:
            return
        draft = self._draft()
        if draft is None:
            return
        if self.save is None:
            self.dismiss(draft)
            return
        self.saving = True
        # Said only if the save is slow (a busy file): a word shown and gone within a tenth of a
        # second is flicker, and drawing it cost the form a layout before the write began.
        slow = self.set_timer(SAVING_SHOWN_AFTER_S, lambda: self._error("Saving…", "dim"))
        try:
            refused = await self.save(draft, lambda: self._close(draft))
        finally:
            slow.stop()
            self.saving = False
        if refused is not None:
            self._error(f"{refused} Nothing was saved: change the form, or Esc to cancel.")
            return
        self._close(draft)

    def _close(self, draft: FeatureDraft) -> None:
        """Dismiss with the saved draft, once (the saver may have closed the form already)."""
        if not self.closed:
            self.closed = True
            self.dismiss(draft)

    def _error(self, sentence: str, style: str = "red") -> None:
        self.query_one("#form-error", Label).update(Text(inert(sentence), style=style))

    def _draft(self) -> FeatureDraft | None:
        """The form as a draft, or None with the missing fields named under the form."""
        draft = FeatureDraft(
            self.query_one("#form-category", Input).value.strip(),
            self.query_one("#form-name", Input).value.strip(),
            self.query_one("#form-description", TextArea).text.strip(),
            [s.strip() for s in self.query_one("#form-steps", TextArea).text.splitlines()],
            list(self.chosen),
        )
        draft.steps = [s for s in draft.steps if s]
        missing = [
            label
            for label, value in (
                ("a category", draft.category),
                ("a name", draft.name),
                ("a description", draft.description),
                ("at least one step", draft.steps),
            )
            if not value
        ]
        if missing:
            self._error(f"A feature needs {', '.join(missing)}; nothing was saved.")
            return None
        return draft

    def action_cancel(self) -> None:
        self.dismiss(None)


class FeaturePicker(ModalScreen[int | None]):
    """Choose one feature (a dependency to add or to remove); typing narrows the list."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, names: dict[int, str]) -> None:
        super().__init__(classes="dialog")
        self.question, self.names = question, names

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(inert(self.question), markup=False)
            yield InertInput(placeholder="#id or words of a name", id="picker-filter")
            yield OptionList(id="picker-list")
            yield Label("Enter: choose · Esc: cancel", classes="hint")

    def on_mount(self) -> None:
        self._list("")

    @on(Input.Changed, "#picker-filter")
    def _filtered(self, event: Input.Changed) -> None:
        self._list(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _first(self) -> None:
        listing = self.query_one("#picker-list", OptionList)
        if listing.option_count:
            self.dismiss(int(listing.get_option_at_index(listing.highlighted or 0).id or 0))

    def _list(self, text: str) -> None:
        listing = self.query_one("#picker-list", OptionList)
        listing.clear_options()
        listing.add_options(
            [Option(_name(self.names, i), id=str(i)) for i in matching(self.names, text, [])]
        )
        if listing.option_count:
            listing.highlighted = 0

    @on(OptionList.OptionSelected, "#picker-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonDialog(ModalScreen[str | None]):
    """Why a feature is failing, appended to its description (empty: no reason given)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(inert(self.question), markup=False)
            yield InertInput(placeholder="What fails (optional)", id="reason", max_length=2000)
            yield Label("Enter: mark failing · Esc: cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
