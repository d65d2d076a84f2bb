"""``assistant-tui ask``: one question from a script or a shell, answered as it streams."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from dataclasses import asdict
from typing import Any

from tui.agent.events import (
    Compacted,
    Event,
    Notice,
    Retrying,
    TextDelta,
    TextReplaced,
    ToolFinished,
    ToolStarted,
    TurnFailed,
    TurnFinished,
)
from tui.agent.manager import SessionManager
from tui.commands.common import add_common, open_store, settings_from
from tui.storage import StoreError
from tui.text import inert
from tui.tool_lines import ASK_USER, describe
from tui.user_questions import BadQuestions, parse


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "ask",
        help="ask one question; the answer streams to stdout",
        description="Ask the project assistant one question. The answer streams to stdout, tool "
        "activity to stderr, and the turn is stored like any conversation.",
    )
    add_common(parser)
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--continue",
        dest="resume_last",
        action="store_true",
        help="continue the project's most recent conversation",
    )
    which.add_argument("--conversation", type=int, metavar="ID", help="continue conversation ID")
    parser.add_argument("--json", action="store_true", help="print one JSON object per event")
    parser.add_argument("prompt", metavar="PROMPT", help="the question, or - to read stdin")
    parser.set_defaults(run=run)


async def run(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.prompt == "-" else args.prompt
    if not text.strip():
        raise SystemExit("assistant-tui: the question is empty; give a PROMPT or pipe one to -.")
    settings = settings_from(args)
    store = await open_store(settings)
    if not store.read_only:
        await store.messages_orphaned()  # replies cut off by an earlier crash
    manager = SessionManager(settings, store)
    try:
        conversation = None
        if args.conversation is not None:
            conversation = await store.conversation_get(args.conversation)
            if conversation is None:
                raise StoreError(
                    f"Conversation {args.conversation} does not exist; "
                    "see `assistant-tui history` for the ids."
                )
        elif args.resume_last:
            found = await store.conversation_list(settings.project, limit=1)
            conversation = found[0] if found else None
        printer = JsonPrinter() if args.json else TextPrinter()
        failed = False
        # Closed before the store when printing fails (stdout's reader gone, `| head`): the
        # reply is then stored as far as it got, marked interrupted.
        async with contextlib.aclosing(manager.run(text, conversation)) as events:
            async for event in events:
                printer.show(event)
                failed = failed or isinstance(event, TurnFailed)
        return 1 if failed else 0
    finally:
        await manager.close_all()
        await store.close()


class TextPrinter:
    """Answer text to stdout as it arrives; tool lines and failures to stderr."""

    def __init__(self) -> None:
        self.tty = sys.stdout.isatty()
        self.shown = ""

    def show(self, event: Event) -> None:
        if isinstance(event, TextDelta):
            self._out(event.text)
        elif isinstance(event, TextReplaced):
            self._out("\n[the stream was retried; the answer restarts]\n" + event.text)
        elif isinstance(event, ToolStarted) and event.name == ASK_USER:
            print(asked_lines(event.input), file=sys.stderr, flush=True)
        elif isinstance(event, ToolStarted):
            print(f"· {inert(describe(event.name, event.input))}", file=sys.stderr, flush=True)
        elif isinstance(event, ToolFinished) and event.status != "ok":
            print(f"  {event.status}: {inert(event.result[:200])}", file=sys.stderr, flush=True)
        elif isinstance(event, Retrying):
            print(f"note: {event.line()}", file=sys.stderr, flush=True)
        elif isinstance(event, Notice):
            print(f"note: {event.text}", file=sys.stderr, flush=True)
        elif isinstance(event, Compacted):
            print(f"note: {event.line()}", file=sys.stderr, flush=True)
        elif isinstance(event, TurnFinished):
            print("" if self.shown.endswith("\n") else "\n", end="", flush=True)
            if event.status == "interrupted":
                print("(interrupted)", file=sys.stderr)
        elif isinstance(event, TurnFailed):
            if self.shown and not self.shown.endswith("\n"):
                print(flush=True)
            print(f"assistant-tui: {event.message}", file=sys.stderr, flush=True)

    def _out(self, text: str) -> None:
        self.shown += text
        sys.stdout.write(inert(text) if self.tty else text)
        sys.stdout.flush()


def asked_lines(tool_input: dict[str, object]) -> str:
    """The assistant's question to the user, with its options, for stderr: nobody can pick
    here, and the tool tells the model so (it states its assumption and goes on)."""
    try:
        questions = parse(tool_input)
    except BadQuestions:  # refused by the guard; the tool's error line follows
        return f"· {inert(describe(ASK_USER, tool_input))}"
    lines = []
    for asking in questions:
        header = f" [{' '.join(asking.header.split())}]" if asking.header else ""
        lines.append(f"? The assistant asks{header}: {' '.join(asking.question.split())}")
        for number, option in enumerate(asking.options, 1):
            about = f" — {' '.join(option.description.split())}" if option.description else ""
            lines.append(f"    {number}. {' '.join(option.label.split())}{about}")
    lines.append("  (nobody is here to choose: the assistant states its assumption and goes on)")
    return inert("\n".join(lines))


class JsonPrinter:
    """One JSON object per event, named by its type, for scripts."""

    def show(self, event: Event) -> None:
        record = {"event": type(event).__name__, **asdict(event)}
        print(json.dumps(record, ensure_ascii=False, default=str), flush=True)
