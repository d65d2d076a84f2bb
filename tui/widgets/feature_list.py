"""The backlog pane's list: an OptionList whose drawn rows outlive a refill and a hide.

Textual's OptionList keeps each drawn row under the Option object and forgets all of them when
its options are set again or it is resized, and being shown again counts as a resize. The pane
refills the list after every change to the file and is hidden and shown with F4, so at 10,000
features every F4 drew the ~40 visible rows from scratch, about 1 ms each, which made most of a
frame. Here a row's drawing is kept by what it draws (its text, style and width) across refills;
only the row's index, which a click reports, is applied again.
"""

from __future__ import annotations

from collections.abc import Hashable

from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

KEPT_ROWS = 1024  # drawings kept: the pane lists ~210 rows, each in up to three styles


def drawn_as(text: Text) -> Hashable:
    """What a Text draws: its characters, its style and its spans (Text's own ``==`` leaves
    the style out, so a red error and the same words plain would compare equal)."""
    return text.plain, str(text.style), tuple(text.spans)


def row_key(option: Option) -> Hashable:
    """What a row draws: equal keys, equal rows."""
    prompt = option.prompt
    return option.id, option.disabled, drawn_as(prompt) if isinstance(prompt, Text) else prompt


class FeatureList(OptionList):
    """An OptionList that draws a row again only when what it shows changed."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._drawn: LRUCache[Hashable, list[Strip]] = LRUCache(KEPT_ROWS)

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        padding = self.get_component_styles("option-list--option").padding
        cache_key = (option, style, padding)
        if (strips := self._option_render_cache.get(cache_key)) is None:
            meta = {"option": self._option_to_index[option]}
            strips = [strip.apply_meta(meta) for strip in self._drawing(option, style)]
            self._option_render_cache[cache_key] = strips
        return strips

    def _drawing(self, option: Option, style: Style) -> list[Strip]:
        """The row drawn at the current width, without the index a click reports."""
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        key = (row_key(option), style, padding, width)
        if (strips := self._drawn.get(key)) is None:
            visual = self._get_visual(option)
            if padding:
                visual = Padding(visual, padding)
            drawn = visual.to_strips(self, visual, width, None, style)
            strips = [strip.extend_cell_length(width, style.rich_style) for strip in drawn]
            self._drawn[key] = strips
        return strips
