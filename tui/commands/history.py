"""``assistant-tui history``: list a project's conversations, or print one with its tools."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from tui.clock import local, relative
from tui.commands.common import open_store, settings_from
from tui.storage import StoreError
from tui.text import count_of, inert
from tui.tool_lines import describe


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "history",
        help="list the project's conversations, or print one",
        description="Without an id, list the project's conversations (newest first); with one, "
        "print its messages and tool calls.",
    )
    parser.add_argument("--project", help="project directory (default: the current directory)")
    parser.add_argument("--db", help="history database (default: $ASSISTANT_TUI_DB or user data)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("conversation", nargs="?", type=int, metavar="CONVERSATION_ID")
    parser.set_defaults(run=run)


async def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    store = await open_store(settings)
    try:
        if args.conversation is None:
            conversations = await store.conversation_list(settings.project, limit=10_000)
            if args.json:
                print(json.dumps([asdict(c) for c in conversations], default=str, indent=1))
            for c in conversations if not args.json else []:
                mark = "*" if c.pinned else " "
                size = count_of(c.message_count)
                print(
                    f"{c.id:>6} {mark} {relative(c.updated_at):>12}  {size:>12}  {inert(c.title)}"
                )
            if not conversations and not args.json:
                print(f"No conversations yet for {settings.project}.", file=sys.stderr)
            return 0
        return await _show(store, args.conversation, args.json)
    finally:
        await store.close()


async def _show(store: Any, conversation_id: int, as_json: bool) -> int:
    conversation = await store.conversation_get(conversation_id)
    if conversation is None:
        raise StoreError(
            f"Conversation {conversation_id} does not exist; run "
            "`assistant-tui history` to see the ids."
        )
    messages = await store.message_page(conversation_id, limit=1_000_000)
    events = await store.tool_event_list(conversation_id)
    if as_json:
        print(
            json.dumps(
                {
                    "conversation": asdict(conversation),
                    "messages": [asdict(m) for m in messages],
                    "tool_events": [asdict(e) for e in events],
                },
                default=str,
                indent=1,
            )
        )
        return 0
    tools_by_message: dict[int | None, list[Any]] = {}
    for event in events:
        tools_by_message.setdefault(event.message_id, []).append(event)
    print(f"# {inert(conversation.title)}  ({conversation.project_path})\n")
    for message in messages:
        when = local(message.created_at).strftime("%Y-%m-%d %H:%M")
        status = "" if message.status == "complete" else f" [{message.status}]"
        print(f"## {message.role.value} · {when}{status}")
        for event in tools_by_message.get(message.id, []):
            print(f"  · {inert(describe(event.name, event.input))} — {event.status}")
        print(inert(message.content))
        if message.error:
            print(f"(error: {inert(message.error)})")
        print()
    return 0
