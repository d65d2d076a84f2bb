"""Terminal escapes in model text and tool results never reach the terminal as commands.

A model (or a file it reads) can carry OSC 52 clipboard writes, title changes, screen clears,
colours, C1 control introducers and OSC 8 hyperlinks. Shown raw they would act on the user's
terminal, so the app neutralises them at display time (``tui.text.inert``) while the history keeps
the original text. These tests drive the real app and the real ``assistant-tui ask`` command
against the scripted model and look at what a terminal would receive.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pty
import sys
from pathlib import Path
from typing import Any

from tests.helpers.figures import Figures
from tests.helpers.pilot import SIZE
from tests.helpers.processes import children_of, run_cli
from tests.helpers.screen import OWN_SEQUENCES, RAW_CONTROL, answers, frame
from tui.demo.model_server import ModelServer, ToolCall, Turn
from tui.models import MessageStatus, Role, ToolStatus
from tui.text import inert
from tui.widgets.chat_pane import ChatPane
from tui.widgets.conversation_list import ConversationList
from tui.widgets.tool_log import ToolLog

# Each sample carries its own payload, so finding it in the output means it came from the content.
SAMPLES = {
    "osc52": "\x1b]52;c;SGVsbG8=\x07",
    "title": "\x1b]0;pwned\x07",
    "clear": "\x1b[2Jcleared",
    "colour": "\x1b[31mred-text",
    "c1": "\x9b31mc1-red",
    "link": "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",
}
# One sample per paragraph, each followed by a word, so Markdown keeps every character visible.
HOSTILE = "\n\n".join(f"{name}: {sample} end" for name, sample in SAMPLES.items())
ANSWER = "Here is the file.\n\n" + HOSTILE + "\n\n" + "tail " * 400
HOLD_AT = len("Here is the file.\n\n" + HOSTILE)
FILE_MARK = "hostile-file-marker"
GREP_PATTERN = "\x1b]0;pwned\x07"


def assert_inert_frame(app: Any) -> str:
    """No content escape is drawn: no raw control in the text, no foreign escape on the wire."""
    visible, wire = frame(app)
    assert not RAW_CONTROL.search(visible), RAW_CONTROL.findall(visible)
    for sample in SAMPLES.values():
        assert sample not in wire
    leftover = OWN_SEQUENCES.sub("", wire)
    assert not RAW_CONTROL.search(leftover), sorted({hex(ord(c)) for c in leftover if c < " "})
    screenshot = app.export_screenshot()
    assert not RAW_CONTROL.search(screenshot)
    return visible


def all_samples_in(visible: str) -> bool:
    return all(f"{name}: {inert(sample)} end" in visible for name, sample in SAMPLES.items())


def assert_samples_visible(visible: str) -> int:
    """Every sample is shown as visible symbols (␛, ^G, <0x9b>); returns how many were checked."""
    for name, sample in SAMPLES.items():
        assert f"{name}: {inert(sample)} end" in visible, name
    assert "␛" in visible
    return len(SAMPLES)


async def test_live_answer_tool_log_and_history_are_inert(
    app_factory: Any, project: Path, figures: Figures
) -> None:
    """The streaming answer, the expanded tool rows and the reopened answer all stay inert.

    The stored answer and tool result keep the original bytes: only the display neutralises them.
    """
    file_text = FILE_MARK + "\n" + "\n".join(f"{n} {s}" for n, s in SAMPLES.items()) + "\n"
    (project / "hostile.txt").write_text(file_text, encoding="utf-8")
    turns = [
        Turn(
            match="inspect",
            tools=[
                ToolCall("Read", {"file_path": "hostile.txt"}),
                ToolCall("Grep", {"pattern": GREP_PATTERN}),
            ],
        ),
        # The stream holds after the hostile part until the test has looked at it live.
        Turn(match=FILE_MARK, text=ANSWER, chunk=4, pace=0.004, hold_after=HOLD_AT),
    ]
    checked = 0
    async with app_factory(turns) as (app, server), app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.click("#prompt")
        for char in "inspect":
            await pilot.press(char)
        await pilot.press("enter")
        # Every frame drawn while the answer streams, until the hostile part is on screen
        # (the view redraws the answer in steps, so a frame can hold only part of it).
        live_frames, visible = 0, ""
        while not all_samples_in(visible) or answers(app)[0].border_subtitle != "streaming":
            await pilot.pause()
            visible = assert_inert_frame(app)
            live_frames += 1
            assert live_frames < 2000, "the hostile part of the answer never appeared"
        checked += assert_samples_visible(visible)
        server.release()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert answers(app)[0].border_subtitle == ""  # the answer completed
        app.screen.query_one(ChatPane).focus()
        await pilot.press("home")  # the long tail scrolled the hostile part away
        await pilot.pause()
        checked += assert_samples_visible(assert_inert_frame(app))

        # The tool log: both rows expanded show the input and the result, neutralised.
        tools = app.screen.query_one(ToolLog)
        assert [(r.name, r.status) for r in tools.rows.values()] == [
            ("Read", ToolStatus.OK),
            ("Grep", ToolStatus.OK),
        ]
        tools.focus()
        for index in range(tools.row_count):
            tools.highlighted = index
            await pilot.press("enter")
        await pilot.pause()
        assert all(row.expanded for row in tools.rows.values())
        assert_inert_frame(app)
        read_label, grep_label = (tools.label(i) for i in range(2))
        read_shown, grep_shown = str(read_label), str(grep_label)
        assert not RAW_CONTROL.search(read_shown + grep_shown)
        for name, sample in SAMPLES.items():
            assert f"{name} {inert(sample)}" in read_shown, name
        assert f"Searching for: {inert(GREP_PATTERN)}" in grep_shown
        checked += len(SAMPLES) + 1

        # What is stored is the original text, escapes included.
        conversation = app.screen.conversation
        stored = await app.store.message_page(conversation.id)
        assert [m.role for m in stored] == [Role.USER, Role.ASSISTANT]
        assert stored[1].content == ANSWER and stored[1].status is MessageStatus.COMPLETE
        events = {e.name: e for e in await app.store.tool_event_list(conversation.id)}
        assert all(sample in (events["Read"].result or "") for sample in SAMPLES.values())
        assert events["Grep"].input == {"pattern": GREP_PATTERN}

        # Leave and reopen: the answer now comes from the store, rendered once, still inert.
        await pilot.press("ctrl+n")
        await pilot.pause()
        sidebar = app.screen.query_one(ConversationList)
        await app.screen.open_conversation(sidebar.conversations[0])
        await pilot.pause()
        assert "past" in answers(app)[0].classes
        app.screen.query_one(ChatPane).focus()
        await pilot.press("home")
        await pilot.pause()
        checked += assert_samples_visible(assert_inert_frame(app))
    assert children_of(os.getpid()) == set()
    places = 4 * len(SAMPLES) + 1  # live, finished, tool log (+ the Grep input), reopened
    figures.record(
        "hostile input", "escape sequences rendered inert in the app", checked, of=places
    )
    assert checked == places


async def run_in_pty(*args: str, env: dict[str, str]) -> tuple[int, str]:
    """Run ``python -m tui ARGS`` with a pseudo-terminal as stdout and stderr; all it printed."""
    master, slave = pty.openpty()
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tui",
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=slave,
            stderr=slave,
            env={**os.environ, **env},
        )
    finally:
        os.close(slave)  # the child holds the only copy now: its exit ends the stream (EIO)
    loop = asyncio.get_running_loop()
    ended: asyncio.Future[None] = loop.create_future()
    chunks: list[bytes] = []

    def readable() -> None:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: every slave end is closed
            data = b""
        if data:
            chunks.append(data)
        elif not ended.done():
            loop.remove_reader(master)
            ended.set_result(None)

    loop.add_reader(master, readable)
    try:
        code = await process.wait()
        await asyncio.wait_for(ended, timeout=30)
    finally:
        loop.remove_reader(master)
        with contextlib.suppress(OSError):
            os.close(master)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


async def test_ask_is_inert_on_a_terminal_and_verbatim_in_a_pipe(
    isolated: Path, project: Path, tmp_path: Path, figures: Figures
) -> None:
    """`ask` neutralises escapes only when a person's terminal reads its output.

    On a pseudo-terminal no ESC, BEL or C1 byte of the answer, of a tool's input or of a failed
    tool's result is printed, and ␛ shows where they were; through a pipe the answer is the
    model's text byte for byte, for scripts that want it unchanged.
    """
    (project / "hostile.txt").write_text(FILE_MARK + "\n" + HOSTILE + "\n", encoding="utf-8")
    missing = "missing" + SAMPLES["title"] + ".txt"
    turns = [
        Turn(
            match="question",
            tools=[
                ToolCall("Read", {"file_path": "hostile.txt"}),
                ToolCall("Grep", {"pattern": GREP_PATTERN}),
                ToolCall("Read", {"file_path": missing}),
            ],
        ),
        Turn(match=FILE_MARK, text=ANSWER),
    ]
    db = str(tmp_path / "h.db")
    common = ["ask", "--project", str(project), "--db", db, "--model", "scripted"]
    async with ModelServer(turns) as server:
        env = {"ANTHROPIC_BASE_URL": server.url}
        code, shown = await run_in_pty(*common, "question", env=env)
        assert code == 0, shown
        assert not RAW_CONTROL.search(shown), sorted({hex(ord(c)) for c in shown if c < " "})
        assert inert(ANSWER).strip() in shown
        assert f"· Searching for: {inert(GREP_PATTERN)}" in shown
        assert f"· Reading file: {inert(missing)}" in shown
        checked = assert_samples_visible(shown) + 2  # + the two tool lines on stderr

        code, out, err = await run_cli(*common, "question", env=env)
        assert code == 0, err
        assert out == ANSWER + "\n"  # a pipe gets the answer unchanged
        assert not RAW_CONTROL.search(err)  # tool lines on stderr are always neutralised
        assert f"· Searching for: {inert(GREP_PATTERN)}" in err
    figures.record(
        "hostile input", "escape sequences rendered inert by ask", checked, of=len(SAMPLES) + 2
    )
    assert checked == len(SAMPLES) + 2
