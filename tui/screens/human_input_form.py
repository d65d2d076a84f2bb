"""The form a feature waiting for human input asks the user to fill in, built from its request.

Upstream's request (REFERENCE.md 2.1) is a prompt and fields of type text, textarea, select or
boolean, each required unless it says otherwise. The form returns the answers; the screen stores
them through ``Backlog.answer_human_input`` (which checks them against the request again). The
request was written by an agent, so every label, placeholder and option is shown inert.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from tui.screens.feature_form import InertTextArea
from tui.text import inert
from tui.widgets.inert_input import InertInput

Answers = dict[str, str | bool | list[str]]


def _text(value: Any) -> str:
    return inert(value) if isinstance(value, str) else ""


def field_widget(field: dict[str, Any], index: int) -> Widget:
    """The input for one field of the request, by its type (unknown types take text)."""
    kind, wid = field.get("type") or "text", f"answer-{index}"
    if kind == "boolean":
        return Checkbox(Text(_text(field.get("label")) or field["id"]), id=wid)
    if kind == "select":
        options = [o for o in field.get("options") or [] if isinstance(o, dict)]
        choices = [
            (Text(_text(o.get("label")) or _text(o.get("value"))), o["value"])
            for o in options
            if isinstance(o.get("value"), str)
        ]
        return Select(choices, id=wid, prompt="Choose…")
    if kind == "textarea":
        return InertTextArea(id=wid, classes="answer-area")
    return InertInput(placeholder=_text(field.get("placeholder")), id=wid)


class HumanInputForm(ModalScreen[Answers | None]):
    """The agent's question and its fields; Ctrl+S stores the answer, Esc leaves it waiting."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Send the answer", priority=True),
        Binding("escape", "cancel", "Cancel the form"),
    ]

    def __init__(self, feature: dict[str, Any], prompt: str, fields: list[dict[str, Any]]) -> None:
        super().__init__(classes="dialog -wide")
        self.feature, self.prompt, self.fields = feature, prompt, fields

    def compose(self) -> ComposeResult:
        title = f"#{self.feature['id']} {self.feature['name']} asks"
        with Vertical(id="answer-form"):
            yield Label(Text(inert(title), style="bold"))
            yield Static(Text(inert(self.prompt)), id="answer-prompt")
            with VerticalScroll(id="answer-fields"):
                for index, field in enumerate(self.fields):
                    if (field.get("type") or "text") != "boolean":
                        yield Label(self._label(field))
                    yield field_widget(field, index)
            yield Label("", id="answer-error")
            yield Label("Ctrl+S: send the answer · Esc: cancel · Tab: next field", classes="hint")

    def on_mount(self) -> None:
        if self.fields:  # the first field, not the scrolling box around them
            self.query_one("#answer-0").focus()

    @staticmethod
    def _label(field: dict[str, Any]) -> Text:
        label = Text(_text(field.get("label")) or inert(field["id"]))
        if field.get("required", True):
            label.append(" *", style="bold red")
        return label

    def answers(self) -> Answers:
        """What the user filled in; a field left empty is absent (as upstream's UI sends it)."""
        found: Answers = {}
        for index, field in enumerate(self.fields):
            widget = self.query_one(f"#answer-{index}")
            value: str | bool | None
            if isinstance(widget, Checkbox):
                value = widget.value
            elif isinstance(widget, Select):
                value = None if widget.is_blank() else str(widget.value)
            elif isinstance(widget, TextArea):
                value = widget.text if widget.text.strip() else None
            else:
                text = widget.value if isinstance(widget, Input) else ""
                value = text if text.strip() else None
            if value is not None:
                found[field["id"]] = value
        return found

    def action_save(self) -> None:
        answers = self.answers()
        missing = [
            _text(f.get("label")) or inert(f["id"])
            for f in self.fields
            if f.get("required", True) and f["id"] not in answers
        ]
        if missing:
            said = f"Answer {', '.join(missing)} first (required); nothing was sent."
            self.query_one("#answer-error", Label).update(Text(said, style="red"))
            return
        self.dismiss(answers)

    def action_cancel(self) -> None:
        self.dismiss(None)
