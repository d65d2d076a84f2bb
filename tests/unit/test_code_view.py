"""The code viewer's colouring: one token list per line, a window that starts at a statement,
and control characters made visible before anything is drawn."""

from __future__ import annotations

from tui.widgets.code_view import CodeView, lexer_for, token_lines, window_start

SOURCE = (
    'def f():\n    """A docstring\n\n    over lines."""\n    return 1\n\n\n'
    'x = "\x1b]52;c;aGk=\x07"\n'
)


def test_every_line_gets_its_tokens_and_they_spell_the_line() -> None:
    lines = SOURCE.splitlines()
    tokens = list(token_lines(lexer_for("a.py", SOURCE), lines))
    assert len(tokens) == len(lines)
    assert ["".join(piece for piece, _style in line) for line in tokens] == lines
    docstring = {style for piece, style in tokens[2 - 1] if "docstring" in piece.lower()}
    assert docstring and tokens[3][0][1] in docstring  # the string's colour carries over a line


def test_a_window_starts_at_a_line_at_column_zero_above_the_margin() -> None:
    lines = ["def f():", *["    pass"] * 30, "class C:", *["    x = 1"] * 30]
    assert window_start(lines, 50) == 31  # "class C:" is the nearest statement above 40
    assert window_start(lines, 5) == 0
    assert window_start(["    a"] * 500, 400) == 390  # none found: the margin alone


def test_no_lexer_for_an_unknown_name_and_controls_shown_inert() -> None:
    assert lexer_for("notes.unknownext", "text") is None
    view = CodeView("a.py", SOURCE)
    assert "\x1b" not in "".join(view.shown) and "␛]52" in view.shown[7]
    assert view.raw[7] == SOURCE.splitlines()[7]  # copied as in the file


def test_lines_are_split_at_newlines_only_and_stay_aligned() -> None:
    text = "a\r\nb\x0cc\u2028d\n\tx\x1b\n"
    view = CodeView("notes.txt", text)
    assert view.raw == ["a", "b\x0cc\u2028d", "\tx\x1b"]
    assert view.shown == ["a", "b^Lc<U+2028>d", "    x␛"]


def test_bidi_and_invisible_characters_and_markup_are_drawn_as_they_are() -> None:
    text = 'access = "user\u202e \u2066// admin\u2069\u2066"  # [bold red]x[/]\u200b\n'
    view = CodeView("a.py", text)
    assert view.shown[0] == (
        'access = "user<U+202E> <U+2066>// admin<U+2069><U+2066>"  # [bold red]x[/]<U+200B>'
    )
    drawn = "".join(segment.text for segment in view._code(0))
    assert drawn == view.shown[0]  # no markup read: the brackets are drawn


def test_fillers_tags_and_other_blank_drawing_characters_show_as_code_points() -> None:
    hidden = "\u3164\uffa0\u061c\u00ad\u034f\ufe0f\U000e0041\U000e0100"
    view = CodeView("a.js", f"const {{ timeout,{hidden}}} = req.query;\n")
    assert view.shown[0] == (
        "const { timeout,<U+3164><U+FFA0><U+061C><U+00AD><U+034F><U+FE0F><U+E0041><U+E0100>}"
        " = req.query;"
    )


def test_a_file_with_a_very_long_line_is_shown_without_colours() -> None:
    """A minified bundle: lexing its one 1 MiB line took 9.5 s on the event loop."""
    bundle = CodeView("bundle.min.js", "var a=1;" * 130_000 + "\n")
    assert bundle.lexer is None
    bundle.highlight_window(0, 40)
    assert bundle.tokens == {}
    assert CodeView("app.js", "var a = 1;\n" * 10).lexer is not None


def test_the_first_window_is_left_plain_when_its_lines_are_long() -> None:
    wide = CodeView("wide.py", ("x = '" + "a" * 1_900 + "'\n") * 200)
    assert wide.lexer is not None  # each line under the limit: the sliced lex colours it
    wide.highlight_window(100, 40)
    assert wide.tokens == {}
