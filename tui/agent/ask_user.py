"""The assistant's ``ask_user`` tool: an SDK tool in the app's own process, so a question can
reach the screen (our stdio backlog server cannot), and the call waits for the user's pick.

The guard's PreToolUse hook checks the arguments first (tui.user_questions, one sentence on bad
input) and tells this tool the call's id. The handler then puts a ``Pick`` on the session's question
queue, the same one the approval dialog is fed from (tui.agent.approval), and waits: the turn's
stream hands it to the screen, the chat's choice list answers it. A cancelled turn cancels the
wait. Headless nobody can answer, so the model is told at once to state its assumption.

The app sets MCP_TOOL_TIMEOUT (a minute) for the backlog server, and the CLI applies it to SDK
servers too: a person taking longer would see the call fail. This server carries its own
``timeout`` (a day, like the approval hook's) and asks the CLI never to move the waiting call to
the background (which it does after a delay when the user's environment turns background tasks
on: the model then reads "moved to the background" and the question is dropped). Both apply to
this server alone.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.agent.approval import ANSWER_WAIT_S, one_line
from tui.tool_lines import ASK_USER_SERVER, ASK_USER_TOOL
from tui.user_questions import (
    DESCRIPTION_CHARS,
    HEADER_CHARS,
    LABEL_CHARS,
    MAX_OPTIONS,
    MAX_QUESTIONS,
    MIN_OPTIONS,
    NOBODY_HERE,
    QUESTION_CHARS,
    Answer,
    Asking,
    BadQuestions,
    answer_text,
    parse,
    summary,
)

if TYPE_CHECKING:
    from tui.agent.approval import Approvals

DESCRIPTION = (
    "Ask the user to choose when the request has real alternatives that change the answer (which "
    "of two designs, which part of the code, how much detail) and the project does not settle it. "
    f"Give 1 to {MAX_QUESTIONS} questions, each with {MIN_OPTIONS} to {MAX_OPTIONS} options; "
    "the user picks one (several with multiSelect) or types an answer of their own, which comes "
    "back as this tool's result. Do not ask what you can find out by reading the project."
)
_OPTION = {
    "type": "object",
    "properties": {
        "label": {"type": "string", "description": f"1-5 words, at most {LABEL_CHARS} characters"},
        "description": {
            "type": "string",
            "description": f"what choosing it means, at most {DESCRIPTION_CHARS} characters",
        },
    },
    "required": ["label"],
}
INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "questions": {
            "type": "array",
            "description": f"1 to {MAX_QUESTIONS} questions, asked one after the other",
            "items": {
                "type": "object",
                "properties": {
                    "question": {
                        "type": "string",
                        "description": f"the full question, at most {QUESTION_CHARS} characters",
                    },
                    "header": {
                        "type": "string",
                        "description": f"a short label, at most {HEADER_CHARS} characters",
                    },
                    "options": {
                        "type": "array",
                        "description": f"{MIN_OPTIONS} to {MAX_OPTIONS} options",
                        "items": _OPTION,
                    },
                    "multiSelect": {
                        "type": "boolean",
                        "description": "true when several options may be chosen together",
                    },
                },
                "required": ["question", "options"],
            },
        }
    },
    "required": ["questions"],
}
# Limits live in tui.user_questions, not in the schema: the SDK's own check would answer bad input
# with a validator's message instead of our one sentence.


@dataclass(eq=False)
class Pick:
    """One call waiting for the user's choices; ``answer`` is set by the chat (or cancelled)."""

    tool_use_id: str
    questions: tuple[Asking, ...]
    answer: asyncio.Future[tuple[Answer, ...]] = field(repr=False)
    # The answers given so far, one per question in order: kept here, not in the card, so a
    # card drawn again (its conversation reopened) goes on from the first question unanswered.
    given: list[Answer] = field(default_factory=list)

    def choose(self, answers: tuple[Answer, ...]) -> None:
        """Answer once; a pick already answered or given up on stays as it is."""
        if not self.answer.done() and len(answers) == len(self.questions):
            self.answer.set_result(answers)


def _key(arguments: Any) -> str:
    return json.dumps(arguments, sort_keys=True, ensure_ascii=False, default=str)


class AskUser:
    """The tool of one session: its handler, and the ids the guard saw its calls arrive with."""

    def __init__(self, approvals: Approvals, decisions: dict[str, str]) -> None:
        self.approvals = approvals
        self.decisions = decisions  # the guard's, by tool use id: the tool log's note
        self._ids: defaultdict[str, list[str]] = defaultdict(list)
        self._count = 0

    def expect(self, arguments: dict[str, Any], use_id: str) -> None:
        """The guard allowed a call: its handler, called with the same arguments, takes the id."""
        self._ids[_key(arguments)].append(use_id)

    def _use_id(self, arguments: dict[str, Any]) -> str:
        waiting = self._ids.get(_key(arguments))
        if waiting:
            # The newest: an older id left here belongs to a call the CLI gave up on before
            # running it (the same arguments asked twice at once are the same question anyway).
            return waiting.pop()
        self._count += 1
        return f"ask_user-{self._count}"  # the hook did not see it: the pick still has an id

    async def handle(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """The SDK tool's handler: the user's answers as the result, or why there are none."""
        use_id = self._use_id(arguments)
        try:
            questions = parse(arguments)
        except BadQuestions as error:
            return _result(str(error), error=True)
        if not self.approvals.interactive:
            self.decisions[use_id] = "nobody to ask (headless)"
            return _result(NOBODY_HERE)
        self.decisions[use_id] = "asked: the turn ended before an answer"
        answer: asyncio.Future[tuple[Answer, ...]] = asyncio.get_running_loop().create_future()
        try:
            answers = await self.approvals.pick(Pick(use_id, questions, answer))
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise  # the CLI gave up on the call: nothing is waiting for a result
            # The pick was given up (the turn was stopped): said as a result, never a hang.
            return _result("The user did not answer: the question was given up.", error=True)
        self.decisions[use_id] = "answered by you: " + one_line(summary(answers))
        return _result(answer_text(questions, answers))

    def server(self) -> dict[str, Any]:
        """The in-process MCP server for the session's options (the SDK is imported here)."""
        from claude_agent_sdk import create_sdk_mcp_server, tool

        described = tool(ASK_USER_TOOL, DESCRIPTION, INPUT_SCHEMA)(self.handle)
        config: dict[str, Any] = dict(create_sdk_mcp_server(ASK_USER_SERVER, tools=[described]))
        # Read by the CLI for this server only (see the module's docstring).
        config["timeout"] = int(ANSWER_WAIT_S * 1000)
        config["disableAutoBackground"] = True
        return config


def _result(text: str, error: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = {"content": [{"type": "text", "text": text}]}
    if error:
        result["is_error"] = True
    return result
