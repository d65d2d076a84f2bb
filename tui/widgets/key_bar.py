"""The bottom line of key hints: what the focused widget and the screen offer now.

Textual's Footer is a widget per key, composed again (mounted, styled, laid out) every time the
focus moves, and its first composition came after the first frame: at launch it was the largest
part of the time to a usable screen. This draws the same hints as one line of text; a click on a
hint presses its key.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.widgets import Static


class KeyBar(Static):
    """Key hints from the screen's active bindings, one per action, the palette key last."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def on_mount(self) -> None:
        self.auto_links = False  # clickable hints keep the key colours, not the link style
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Any) -> None:
        """Redrawn only when the hints differ: the screen refreshes its bindings after every
        focus change, and a refresh for the same line costs a frame."""
        if self.is_attached and screen is self.screen:
            hints = self.hints()
            if hints != self.drawn:
                self.computed = hints  # drawn as compared, not computed a second time
                self.refresh()

    drawn: Text | None = None  # the hints as last rendered
    computed: Text | None = None  # hints computed for the next render, if any

    def render(self) -> Text:
        """The hints as the bindings are when drawn: at launch, after the screen set the focus;
        any other draw (a theme change, a resize) computes them again."""
        self.drawn, self.computed = self.computed or self.hints(), None
        return self.drawn

    def hints(self) -> Text:
        """One hint per action that shows in the footer, as the focus makes them active."""
        key_style = self.get_component_rich_style("key-bar--key")
        words_style = self.get_component_rich_style("key-bar--description")
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        seen: set[str] = set()
        palette = None
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == self.app.COMMAND_PALETTE_BINDING:
                palette = binding
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            click = Style(meta={"@click": f"app.simulate_key({binding.key.split(',')[0]!r})"})
            line.append(f" {self.app.get_key_display(binding)} ", style=key_style + click)
            line.append(f"{binding.description} ", style=words_style + click)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            line.append("  ")
            line.append(f" {self.app.get_key_display(palette)} ", style=key_style)
            line.append(f"{palette.description or 'palette'} ", style=words_style)
        return line
