"""The README's key table is generated from the main screen's bindings: keys are declared once."""

from __future__ import annotations

from pathlib import Path

from tui.screens.keys import MAIN_KEYS, as_bindings, help_groups, key_label, readme_table
from tui.screens.main import MainScreen

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_key_table_is_the_one_the_bindings_make() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- keys:begin -->\n")[1].split("\n<!-- keys:end -->")[0]
    assert table == readme_table(), (
        "README.md's key table differs from the bindings; paste "
        "`python -c 'from tui.screens.keys import readme_table; print(readme_table())'`"
    )


def test_every_main_key_has_a_sentence_and_the_screen_uses_them() -> None:
    assert MainScreen.BINDINGS is MAIN_KEYS
    for binding in as_bindings(MAIN_KEYS):
        assert binding.description and binding.tooltip, binding


def test_help_lists_each_place_from_its_widgets_bindings() -> None:
    groups = help_groups()
    assert [b.action for b in groups["Anywhere"][: len(MAIN_KEYS)]] == [
        b.action for b in as_bindings(MAIN_KEYS)
    ]
    sidebar = {key_label(b.key) for b in groups["In the sidebar"]}
    assert {"Delete, d", "r", "p", "u"} <= sidebar
    assert "Shift+Tab" in key_label("tab,shift+tab") and key_label("alt+down") == "Alt+↓"
