"""Branch the open conversation from one of its messages: refuse what cannot be, then open it.

The copy is the store's, how the model continues is the session manager's (a fork of the CLI
session when its transcript holds the branch point, else the stored messages sent along); this
module only decides whether a branch may start now and tells the user what happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.toast import toast
from tui.widgets.prompt_input import PromptInput

if TYPE_CHECKING:
    from tui.screens.main import MainScreen


def refusal(screen: MainScreen, message_id: int | None) -> str | None:
    """The sentence saying why no branch can start from ``message_id`` now, or None."""
    conversation = screen.conversation
    if conversation is None or message_id is None:
        return "This message is not saved yet, so no branch can start from it."
    if conversation.project_path != screen.services.settings.project:
        return (
            f"This conversation belongs to {conversation.project_path}; branch it from "
            "assistant-tui run there."
        )
    if conversation.id in screen.answering:
        return "Wait until the answer has finished (or press Esc to stop it), then branch."
    return None


async def branch_from(screen: MainScreen, message_id: int | None) -> None:
    """Create the branch, prepare how its next question continues, and open it."""
    problem = refusal(screen, message_id)
    if problem is not None or screen.conversation is None or message_id is None:
        toast(screen, problem or "", severity="warning", timeout=8)
        return
    parent = screen.conversation
    services = screen.services
    await services.open_services()
    branch = await services.store.conversation_branch(parent.id, message_id)
    forked = await services.manager.branch(parent, branch)
    await screen.open_conversation(branch)
    screen.query_one(PromptInput).focus()
    how = (
        "the model continues from that point"
        if forked
        else "its messages are sent along with your next question"
    )
    toast(
        screen, f'Branched "{branch.title}" with {branch.message_count} messages; {how}.', timeout=6
    )
