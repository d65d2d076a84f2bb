"""The main screen's model and effort: the pickers, a choice checked and applied, and what the
header and the status bar say about them.

A choice belongs to the open conversation (or the new chat) and applies from its next question:
the session manager stores it and switches the session (tui.agent.session.follow_choices).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from tui.choices import (
    ALIASES,
    DEFAULT,
    EFFORTS,
    ChoiceError,
    ContextFill,
    context_window,
    effort_level,
    model_name,
    models_offered,
)
from tui.storage import StoreError
from tui.toast import toast
from tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from tui.agent.manager import Choice
    from tui.screens.main import MainScreen


class Choosing:
    """Model and effort for one main screen: ``choice`` is what the open conversation uses."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.choice: Choice | None = None  # None until the engine is open: the settings' model

    @property
    def model(self) -> str:
        return self.choice.model if self.choice else self.screen.host.settings.model

    @property
    def effort(self) -> str | None:
        return self.choice.effort if self.choice else None

    def label(self) -> str:
        """The header's words: ``sonnet`` or ``sonnet · low effort``."""
        return f"{self.model} · {self.effort} effort" if self.effort else self.model

    def context(self, tokens: int) -> ContextFill | None:
        """How full the window of the conversation's model was with ``tokens``."""
        if not tokens:
            return None
        windows = self.screen.host.settings.context_windows
        return ContextFill(tokens, context_window(self.model, windows))

    async def opened(self) -> None:
        """A conversation (or the new chat) is on screen: read its choice."""
        services = await self.screen.services()
        self.choice = services.manager.choice(self.screen.conversation)

    async def pick_model(self) -> None:
        """The model picker: the aliases, the configured default, those chosen before."""
        services = await self.screen.services()
        configured = services.settings.model
        named = await services.store.models_chosen()
        offered = models_offered(configured, named, self.model)
        labels = [(m, self._model_label(m, configured)) for m in offered]
        from tui.screens.choice_dialog import ChoiceDialog  # not on the first screen's path

        dialog = ChoiceDialog(
            "Model for this conversation, from its next question",
            labels,
            self.model,
            typed="another model name, e.g. claude-sonnet-4-5",
        )
        self.screen.app.push_screen(dialog, self._picked_model)

    @staticmethod
    def _model_label(model: str, configured: str) -> str:
        notes = []
        if model == configured:
            notes.append("configured default")
        if model in ALIASES:
            notes.append("the current model of that name")
        return f"{model}  ({', '.join(notes)})" if notes else model

    async def _picked_model(self, name: str | None) -> None:
        if name:
            await self.set_model(name)

    async def pick_effort(self) -> None:
        from tui.screens.choice_dialog import ChoiceDialog

        choices = [(DEFAULT, "default  (the CLI's own)"), *((e, e) for e in EFFORTS)]
        dialog = ChoiceDialog(
            "Effort for this conversation, from its next question",
            choices,
            self.effort or DEFAULT,
        )
        self.screen.app.push_screen(dialog, self._picked_effort)

    async def _picked_effort(self, level: str | None) -> None:
        if level:
            await self.set_effort(level)

    async def set_model(self, name: str) -> None:
        """Use ``name`` (or "default": the configured model) from the next question."""
        settings = self.screen.host.settings
        try:
            chosen = None if name.strip().lower() == DEFAULT else model_name(name)
        except ChoiceError as error:
            toast(self.screen, str(error), severity="warning", timeout=8)
            return
        if chosen == settings.model:
            chosen = None  # the configured default: follows the setting if it changes later
        if await self._apply(chosen, self.effort):
            toast(self.screen, f"Model: {self.model}, from the next question.")
            if chosen is not None:
                await self._remember(chosen)

    async def _remember(self, name: str) -> None:
        """The pickers list a model once named, even after its conversation goes back to
        the default; best effort (a read-only or locked file only forgets it)."""
        store = (await self.screen.services()).store
        if not store.read_only:
            with contextlib.suppress(StoreError):
                await store.model_named(name)

    async def set_effort(self, level: str) -> None:
        """Use effort ``level`` (or "default": the CLI's) from the next question."""
        try:
            chosen = effort_level(level)
        except ChoiceError as error:
            toast(self.screen, str(error), severity="warning", timeout=8)
            return
        if await self._apply(self.choice.chosen if self.choice else None, chosen):
            # The CLI decides per model: lower on some (Opus 4.5: high at most), none on others.
            said = (
                f"Effort: {chosen}, from the next question (the CLI lowers it for models "
                "without that level)."
                if chosen
                else "Effort: the CLI's default, from the next question."
            )
            toast(self.screen, said)

    async def _apply(self, model: str | None, effort: str | None) -> bool:
        """Store and apply a choice; the session switches between answers, ahead of need."""
        screen = self.screen
        services = await screen.services()
        try:
            self.choice = await services.manager.choose(screen.conversation, model, effort)
        except StoreError as error:
            toast(screen, str(error), severity="error", timeout=8)
            return False
        if screen.conversation is not None:  # re-read: a later session is made from it
            screen.conversation = await services.store.conversation_get(screen.conversation.id)
        screen.status(screen.query_one(StatusBar).state)
        screen.prewarm(screen.conversation)
        return True
