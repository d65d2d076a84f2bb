"""The chat pane: messages as blocks, the answer streaming in as Markdown, auto-scroll.

Only the newest messages are mounted; older ones are loaded by the screen when the user scrolls to
the top. Every answer is Rich Markdown rendered into cached blocks (one per past answer, a few
segments for the streaming one), never a live Textual Markdown tree, which Textual would lay out
again on every change.
"""

from __future__ import annotations

import asyncio
import itertools
from functools import lru_cache, partial

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.layout import DockArrangeResult
from textual.message import Message as TextualMessage
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import Static

from tui.clock import local
from tui.models import Message, MessageStatus, Role
from tui.text import inert, settled_cuts
from tui.user_questions import Answer, Asking
from tui.widgets.block_cursor import BlockCursorScroll, Stop
from tui.widgets.choice_card import ChoiceCard
from tui.widgets.drawn_above import Following, y_in
from tui.widgets.markdown_block import MarkdownBlock
from tui.widgets.one_layout import OneLayout
from tui.widgets.prerendered import Prerendered
from tui.widgets.thinking_view import LiveThinking, ThinkingView

REFRESH_S = 0.1  # at most 10 redraws a second of the streaming answer
SEGMENT = 1_000  # characters of live tail before its settled part is frozen
# A view opened mid-answer has all the text so far to draw: 120 KB of Markdown is a second of
# rendering. It is cut into blocks of PIECE characters; the newest are drawn at once, and the
# older ones after, one per frame above them, so keys and the newest text never wait for it.
# Markdown dense with code and tables draws at up to 40 ms a KB: a block stays a short frame.
PIECE = 2_000
NEWEST_AT_ONCE = 1
# Opening a conversation draws its newest messages, up to AT_ONCE characters of them, with the
# switch, and the older ones of the page above them after, up to PIECE characters a frame.
AT_ONCE = 2 * PIECE

GREETING = (
    "Hello! I can read and search this project and manage its feature backlog. "
    "Ask me anything about the code."
)


def plain_note(note: str) -> Text:
    """A note for an answer's border: Textual reads a str border title as markup, and an error
    comes from the model's service or the stored history."""
    return Text(inert(note))


class UserMessage(Prerendered):
    """What the user typed, shown as plain text (never interpreted)."""

    def __init__(self, text: str, when: str = "", message_id: int | None = None) -> None:
        label = Text(f"You {when}\n", style="bold")
        label.append(inert(text))
        super().__init__(label, classes="user-message")
        self.text = text
        self.message_id = message_id  # None until the screen hears the question was stored


class SystemNote(Prerendered):
    """A line the app or the CLI added to the conversation (a compaction), not anyone's words;
    drawn muted and plain (an imported system message may hold anything)."""

    def __init__(self, text: str) -> None:
        super().__init__(Text(f"· {inert(text)}", style="italic"), classes="system-note")
        self.text = text


class LiveText:
    """The reply of one turn as it streams, kept by the screen whether or not it is shown.

    Fragments are only appended (a retried stream replaces them all and bumps ``generation``),
    so a view that fell behind, or that is opened mid-answer, catches up with what it lacks.
    """

    def __init__(self) -> None:
        self.fragments: list[str] = []
        self.generation = 0
        self.thinking = LiveThinking()  # the model's thinking, shown folded above the answer
        # The newest message stored before this reply: an answer after it in the history is
        # this reply's own stored copy (set once the question is stored, or by a retry).
        self.after: int | None = None

    def add(self, fragment: str) -> None:
        self.fragments.append(fragment)

    def replace(self, text: str) -> None:
        self.fragments = [text]
        self.generation += 1

    def text(self) -> str:
        return "".join(self.fragments)

    def earlier(self, messages: list[Message]) -> list[Message]:
        """The stored messages to show above this reply: not its own stored copy, which lags
        behind the live text, or is already final while the end is still on its way here."""
        if self.after is None:  # its question is not stored yet: no copy can be either
            return messages
        after = self.after
        return [m for m in messages if m.role is not Role.ASSISTANT or m.id <= after]


class AnswerView(OneLayout, Vertical):
    """The answer streaming now: settled Markdown frozen in segments, a short live tail.

    Rendering the whole answer per chunk costs more the longer it gets, and a live Textual
    Markdown widget is a tree of widgets laid out on every change. Here the live text is drawn
    at most REFRESH_S apart: the part that can no longer change (up to a blank line outside a
    code fence, past SEGMENT characters) is rendered once into a block and kept, and only the
    short tail after it is rendered again. Finished, it looks exactly like a PastAnswer.
    """

    def __init__(
        self,
        text: str = "",
        status: MessageStatus = MessageStatus.COMPLETE,
        live: LiveText | None = None,
        classes: str = "answer live",
        following: Following | None = None,
    ) -> None:
        super().__init__(classes=classes)
        self.text = text
        self.live = live
        # Nothing of the live text is drawn yet: a view opened mid-answer draws all it missed.
        self._seen = (live.generation, 0) if live else (0, 0)
        self._cuts: list[int] = []  # where each frozen segment of self.text ends
        self._tail = MarkdownBlock(text, classes="tail")
        # The frozen blocks still to draw, oldest first, as (start, end) in self.text: each is
        # parsed only when drawn (parsing 120 KB of Markdown at once took over a second).
        self._older: list[tuple[int, int]] = []
        # While they are drawn: the chat stays at its end, until the user scrolls up (one
        # judgement for everything the opening of a conversation draws after it).
        self._following = following or Following()
        self._scheduled = False
        self._writing = asyncio.Lock()  # a flush and finish must not interleave
        self.set_status(status)

    def compose(self) -> ComposeResult:
        yield self._tail

    def set_status(self, status: MessageStatus) -> None:
        self.set_class(status is MessageStatus.INTERRUPTED, "-interrupted")
        self.set_class(status is MessageStatus.ERROR, "-error")
        self.border_subtitle = "" if status is MessageStatus.COMPLETE else status.value

    def segments(self) -> list[str]:
        """The text drawn by each block, in order: the frozen segments, then the tail."""
        bounds = [0, *self._cuts, len(self.text)]
        return [self.text[a:b] for a, b in itertools.pairwise(bounds)]

    async def catch_up(self) -> None:
        """The live text grew: draw it with the next refresh (at most one per REFRESH_S).

        The first words are drawn at once: that wait is the one the user feels most."""
        if self.live is not None and not self._scheduled:
            self._scheduled = True
            if self.text:
                self.set_timer(REFRESH_S, self._flush)
            else:
                self.call_later(self._flush)

    async def _flush(self) -> None:
        self._scheduled = False
        await self.draw_now()

    async def draw_now(self) -> None:
        """Draw what the live text holds now, without waiting for the next refresh."""
        async with self._writing:
            await self._draw()

    async def _draw(self) -> None:
        """Bring the view up to the live text: freeze what settled, render the tail."""
        live = self.live
        if live is None:
            return
        generation, count = self._seen
        fragments = live.fragments
        self._seen = (live.generation, len(fragments))
        if generation != live.generation:  # the stream restarted: start over
            await self._forget_frozen()
            self.text = live.text()
        elif count < len(fragments):
            self.text += "".join(fragments[count:])
        else:
            return
        pane = self.parent  # a live answer is always in the chat
        if isinstance(pane, ChatPane) and pane.is_vertical_scroll_end:
            pane.land_at_end()
        frozen = self._cuts[-1] if self._cuts else 0
        tail = self.text[frozen:]
        # One frame shows the settled part as its own block and the tail without it: painted
        # between the two, the text the tail still held was shown twice.
        with self.app.batch_update():
            if len(tail) > SEGMENT and (cuts := settled_cuts(tail, PIECE)):
                await self._freeze(frozen, cuts)
                tail = tail[cuts[-1] :]
            self._tail.show_markdown(tail)
            self._space(self._tail)

    async def _freeze(self, start: int, cuts: list[int]) -> None:
        """Keep the settled text from ``start`` as blocks ending at ``cuts`` (relative to it):
        the newest drawn now, older ones by ``_draw_older`` (only a caught-up view has those)."""
        ends = [start + cut for cut in cuts]
        spans = list(itertools.pairwise([start, *ends]))
        self._cuts += ends
        if self._older:  # older blocks still to draw: all of this newer text goes below them
            newer = [self._frozen(span) for span in spans]
            await self.mount_all(newer, before=self._tail)
            self._space(*newer)
            return
        now = [self._frozen(span) for span in spans[-NEWEST_AT_ONCE:]]
        await self.mount_all(now, before=self._tail)
        self._space(*now)
        if older := spans[:-NEWEST_AT_ONCE]:
            self._older = older
            self._following.later(self, partial(self._draw_older, now[0]))

    async def _draw_older(self, above: MarkdownBlock) -> None:
        """Draw the newest of the blocks not drawn yet above ``above``, then the next, one per
        frame; the part of the answer the user looks at stays where it is."""
        async with self._writing:
            if not self._older or above.parent is not self or not self.is_attached:
                return  # drawn again from the start meanwhile (a restart, a final text), or gone
            pane = self.parent
            was = y_in(pane, above) if isinstance(pane, VerticalScroll) else 0
            block = self._frozen(self._older.pop())
            await self.mount(block, before=above)
            self._space(block, above)
            if isinstance(pane, VerticalScroll):
                self._following.place(pane, above, was)
            if self._older:
                self._following.later(self, partial(self._draw_older, block))

    def _frozen(self, span: tuple[int, int]) -> MarkdownBlock:
        start, end = span
        return MarkdownBlock(self.text[start:end], classes="frozen", settled=True)

    def _space(self, *blocks: MarkdownBlock) -> None:
        """Put the blank line Markdown draws between two blocks of one text above each of
        ``blocks`` that needs it (and above the tail, whose text changes, and the block
        after them)."""
        shown = [child for child in self.children if isinstance(child, MarkdownBlock)]
        changed = {*blocks, self._tail}
        for index, block in enumerate(shown):
            if block in changed or (index and shown[index - 1] in changed):
                gap = block.edges.gap_after(shown[index - 1].edges) if index else 0
                if block.styles.margin.top != gap:
                    block.styles.margin = (gap, 0, 0, 0)

    async def _forget_frozen(self) -> None:
        """Drop every frozen block, drawn or not: the text is drawn again from its start."""
        self._older = []
        await self.remove_children(".frozen")
        self._cuts = []

    async def finish(self, status: MessageStatus, final: str | None = None) -> None:
        """Stop streaming; ``final`` replaces the text when the stream restarted or was cut."""
        async with self._writing:
            await self._draw()
            self.live = None
            if final is not None and final != self.text:
                await self._forget_frozen()
                self.text = final
                self._tail.show_markdown(final)
                self._space(self._tail)
            self.set_status(status)
            self._tail.settle()  # its references are looked for now, not while it streamed


class LongAnswer(AnswerView):
    """A finished answer from the history too long to draw with the switch (dense Markdown
    renders at up to 40 ms a KB): drawn like a view opened mid-answer, its newest block with
    the switch and the older ones above it one per frame. Looks like a PastAnswer.

    ``following``: the chat stays at its end meanwhile (opening a conversation), or keeps
    what the user reads in place (older messages loaded above it).
    """

    def __init__(
        self,
        text: str,
        status: MessageStatus,
        error: str | None,
        message_id: int | None,
        following: Following,
    ) -> None:
        super().__init__("", status, classes="answer long", following=following)
        self.text = text
        self.message_id = message_id
        note = error or ("" if status is MessageStatus.COMPLETE else status.value)
        self.border_subtitle = plain_note(note)
        cuts = long_cuts(text)
        spans = list(itertools.pairwise([0, *cuts]))
        self._cuts = list(cuts)
        self._older = spans[:-NEWEST_AT_ONCE]
        self._newest = [self._frozen(span) for span in spans[-NEWEST_AT_ONCE:]]
        self._tail.show_markdown(text[cuts[-1] :] if cuts else text)

    @staticmethod
    def wanted(text: str) -> bool:
        """Long enough that drawing it in blocks pays: more than two blocks' worth."""
        return len(text) > 2 * PIECE

    @property
    def drawn_now(self) -> int:
        """Characters drawn with the switch: the newest block and the tail."""
        return len(self.text) - (self._older[-1][1] if self._older else 0)

    def compose(self) -> ComposeResult:
        yield from self._newest
        yield self._tail

    def on_mount(self) -> None:
        self._space(*self._newest)
        self._tail.settle()
        if self._older and self._newest:
            self._following.later(self, partial(self._draw_older, self._newest[0]))


class PastAnswer(MarkdownBlock):
    """A finished answer loaded from history: Markdown rendered once into one widget.

    A live Markdown widget is a tree of ~10 widgets per message that Textual lays out on every
    change; history never changes, so one block rendered once per width keeps long
    conversations cheap to open and to scroll.
    """

    def __init__(
        self,
        text: str,
        status: MessageStatus,
        error: str | None,
        when: str = "",
        message_id: int | None = None,
        labelled: bool = True,
    ) -> None:
        label = Text(f"Assistant {when}", style="bold") if labelled else None
        super().__init__(text, label=label, classes="answer past", blank=" ", settled=True)
        self.text = text
        self.message_id = message_id
        self.set_class(status is MessageStatus.INTERRUPTED, "-interrupted")
        self.set_class(status is MessageStatus.ERROR, "-error")
        note = error or ("" if status is MessageStatus.COMPLETE else status.value)
        self.border_subtitle = plain_note(note)


class ChatPane(OneLayout, BlockCursorScroll):
    """The conversation shown; the screen feeds it messages and stream events.

    With focus it shows the block cursor (tui.widgets.block_cursor) over its messages and the
    code blocks and file references of its answers.
    """

    class NearTop(TextualMessage):
        """The user scrolled to the top: time to load older messages."""

    class NearBottom(TextualMessage):
        """The user scrolled to the bottom of a part of the conversation opened from search,
        with newer messages still to load (``more_below``)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.answer: AnswerView | None = None
        self.card: ChoiceCard | None = None  # the assistant's question waiting for the user
        self.thinking: ThinkingView | None = None  # the streaming answer's, once it thinks
        self.more_below = False  # set by the screen: newer messages exist below the last shown
        # The older messages of the page opened, still to draw above, oldest first (their
        # widgets are made when drawn: parsing is half the cost); ``_shown`` counts the
        # conversations shown, so a step knows it is stale.
        self._earlier: list[Message] = []
        self._following = Following()  # how what the opening draws after it moves the chat
        self._shown = 0
        self._mounting = asyncio.Lock()  # a step above and a new conversation do not interleave
        self._lands_at_end = False  # the next layout puts the view at the end (a switch's)
        self._pinned = False  # every layout does, while a streaming answer is followed

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        """The children placed; after a switch, the view at their end in that same layout.

        Textual's own scroll to the end waits for the layout after a switch, so its first
        frame showed the conversation at the top (or where the last one was) and a second
        frame, 10-30 ms later, its end: a switch was two frames. Set here, between arranging
        the children and placing them, the first frame is the end (Textual's anchor does the
        same, but also draws a view shorter than the chat at its foot). While a streaming
        answer is followed it is so in every layout (``land_at_end``)."""
        arranged = super().arrange(size, optimal)
        if self._lands_at_end or self._pinned:
            self._lands_at_end = False
            room = self.container_size.height - self.scrollbar_size_horizontal
            end = max(0, arranged.spatial_map.total_region.bottom - room)
            self.set_reactive(Widget.scroll_y, end)
            self.set_reactive(Widget.scroll_target_y, end)
            self.vertical_scrollbar.set_reactive(ScrollBar.position, end)
            self.vertical_scrollbar.refresh()  # its thumb is drawn where the view now is
        return arranged

    def land_at_end(self) -> None:
        """Keep the view at the end in every layout until the answer ends, the next one first:
        the one that shows what just grew.

        Scrolled after that layout instead (Textual's ``scroll_end``), each redraw of a
        streaming answer painted two frames: the new lines pushed below the view, then the view
        moved down to them; it cost twice the frames and the text jumped. A scroll up by the
        user ends it (``watch_scroll_y``), and so do the answer's end and a switch: a thinking
        block unfolded later grows in place."""
        self._pinned = True
        self.refresh(layout=True)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if new < old:
            self._lands_at_end = self._pinned = False  # the user went up: what they read stays
        if new < 1 <= old or (new == 0 and old > 0):
            self.post_message(self.NearTop())
        if self.more_below and new >= self.max_scroll_y - 1 > old:
            self.post_message(self.NearBottom())

    async def warn(self, text: str) -> None:
        """A sentence the user must read before asking (no credentials), below the messages."""
        await self.mount(Static(Text(text), classes="greeting -warning"))
        self.scroll_end(animate=False)

    async def show(
        self, messages: list[Message], live: LiveText | None = None, found: int | None = None
    ) -> None:
        """Show a conversation; ``live`` is its reply still streaming, shown as it goes on.

        ``found`` is a message opened from search: marked and scrolled into view instead of
        the end (drawn whole at once). Else the newest messages are drawn now and the older
        ones above them after (``_draw_earlier``)."""
        async with self._mounting:
            self._shown += 1
            self._lands_at_end = self._pinned = False  # a search's find is not sent to the end
            self._earlier = []
            self.forget_cursor()
            await self.remove_children()
            self.answer = self.card = self.thinking = None
            if live is not None:
                messages = live.earlier(messages)
            if not messages and live is None:
                await self.mount(Static(GREETING, classes="greeting"))
                return
            # From search each stored answer is drawn whole, and nothing drawn after moves the
            # chat from the one found, put in its middle.
            self._following = following = Following(follow=found is None)
            drawn_after = following if found is None else None
            if found is None:
                messages, self._earlier = _newest(messages, AT_ONCE - (PIECE if live else 0))
            await self.mount_all([v for m in messages for v in self._views(m, found, drawn_after)])
            if live is not None:
                await self._mount_answer(live, following)
        self.call_after_refresh(self.show_cursor)  # still focused after a switch: show it
        if found is None:
            self._lands_at_end = True
            self.scroll_end(animate=False)  # the end again, if the layout moved it since
            if self._earlier:
                self._following.later(self, partial(self._draw_earlier, self._shown))
            return
        for view in self.query(".-found"):
            self.call_after_refresh(self.scroll_to_widget, view, center=True, animate=False)
            self.call_after_refresh(self._check_bottom)

    async def _draw_earlier(self, shown: int) -> None:
        """Draw the newest of the older messages still to draw above the others (up to PIECE
        characters), then the next ones a frame later; the chat stays at its end, or what the
        user reads stays where it is."""
        async with self._mounting:
            if shown != self._shown or not self._earlier or not self.children:
                return  # another conversation is shown now, or older ones were loaded at once
            drawn, self._earlier = _newest(self._earlier, PIECE)
            batch = [v for m in drawn for v in self._views(m, following=self._following)]
            anchor = self.children[0]
            was = y_in(self, anchor)
            await self.mount_all(batch, before=anchor)
            self._following.place(self, anchor, was)
        if self._earlier:
            self._following.later(self, partial(self._draw_earlier, shown))

    async def append(self, messages: list[Message], live: LiveText | None = None) -> None:
        """Newer messages below the ones shown (reading down from a message found by search);
        ``live`` is the reply still streaming when these reach the end."""
        if live is not None:
            messages = live.earlier(messages)
        async with self._mounting:
            await self.mount_all([v for m in messages for v in self._views(m)])
            if live is not None:
                await self._mount_answer(live, Following(follow=False))
        self.call_after_refresh(self._check_bottom)

    def _check_bottom(self) -> None:
        """Ask for newer messages while what is shown does not reach below the screen."""
        if self.more_below and self.scroll_y >= self.max_scroll_y - 1:
            self.post_message(self.NearBottom())

    async def prepend(self, messages: list[Message]) -> None:
        """Older messages above the ones shown, keeping what the user looks at in place."""
        async with self._mounting:
            if not messages or not self.children:
                return
            # The page's own older messages not drawn yet go first, at once, under these.
            following, earlier, self._earlier = self._following, self._earlier, []
            earlier_views = [v for m in earlier for v in self._views(m, following=following)]
            kept = Following(follow=False)
            views = [v for m in messages for v in self._views(m, following=kept)]
            anchor = self.children[0]
            await self.mount_all([*views, *earlier_views], before=0)
        # After the new rows are laid out, put the message the user was reading back on top.
        self.call_after_refresh(self.scroll_to_widget, anchor, top=True, animate=False)

    def stops(self) -> list[Stop]:
        """Each message, and after an answer each of its code blocks and references."""
        found: list[Stop] = []
        for child in self.children:
            if isinstance(child, UserMessage) or (
                isinstance(child, ThinkingView) and child.display
            ):
                found.append(Stop(child))  # a thinking view is hidden until the model thinks
            elif isinstance(child, PastAnswer | AnswerView):
                found.append(Stop(child))
                blocks = [child] if isinstance(child, PastAnswer) else child.query(MarkdownBlock)
                found += [Stop(child, block, part) for block in blocks for part in block.parts()]
        return found

    def branch_point(self, stop: Stop) -> int | None:
        """A stored message id: an answer's own, or for the answer streamed in this view (not
        yet known here) its question's, which the branch takes with the answer after it."""
        message = stop.message
        if isinstance(message, UserMessage | PastAnswer | LongAnswer):
            return message.message_id
        if isinstance(message, ThinkingView) and message.message_id is not None:
            return message.message_id  # a stored answer's thinking: branch with that answer
        index = self.children.index(message)
        asked = [c for c in self.children[:index] if isinstance(c, UserMessage)]
        return asked[-1].message_id if asked else None

    def at_first_stop(self) -> None:
        self.post_message(self.NearTop())

    def user_stored(self, live: LiveText, message_id: int) -> None:
        """The question whose answer streams into ``live`` is stored as ``message_id``."""
        if self.answer is None or self.answer.live is not live:
            return
        asked = [c for c in self.children if isinstance(c, UserMessage)]
        if asked and asked[-1].message_id is None:
            asked[-1].message_id = message_id

    def _views(
        self, message: Message, found: int | None = None, following: Following | None = None
    ) -> list[Widget]:
        """A message's widgets: a question, or an answer (its label and thinking above it
        when it thought). A long answer is drawn in blocks (LongAnswer) when ``following`` says
        how the chat moves meanwhile; without it, whole at once."""
        when = local(message.created_at).strftime("%H:%M")
        view: Widget
        above: list[Widget] = []
        if message.role is Role.USER:
            view = UserMessage(message.content, when, message.id)
        elif message.role is Role.SYSTEM:
            view = SystemNote(message.content)
        else:
            thought = bool(message.thinking)
            long = following is not None and LongAnswer.wanted(message.content)
            if following is not None and long:
                view = LongAnswer(
                    message.content, message.status, message.error, message.id, following
                )
            else:
                view = PastAnswer(
                    message.content, message.status, message.error, when, message.id, not thought
                )
            if thought or long:
                label = Static(Text(f"Assistant {when}", style="bold"), classes="answer-label")
                above = [label]
            if thought:
                seconds = message.thinking_ms / 1000
                above.append(ThinkingView(message.thinking, seconds, message_id=message.id))
        view.set_class(message.id == found, "-found")
        return [*above, view]

    async def add_user(self, text: str, live: LiveText) -> None:
        for greeting in self.query(".greeting"):
            await greeting.remove()
        await self.mount(UserMessage(text, "now"))
        await self._mount_answer(live)
        self.scroll_end(animate=False)

    async def add_answer(self, live: LiveText) -> None:
        """Another answer to the question above (a retry); the one that failed stays shown."""
        await self._mount_answer(live)
        self.scroll_end(animate=False)

    async def _mount_answer(self, live: LiveText, following: Following | None = None) -> None:
        """The live answer's view; ``following``: how its older blocks, if it opens mid-way,
        move the chat as they are drawn."""
        await self.mount(Static(Text("Assistant now", style="bold"), classes="answer-label"))
        self.thinking = ThinkingView(live=live.thinking)  # hidden until the model thinks
        self.answer = AnswerView("", MessageStatus.STREAMING, live, following=following)
        await self.mount_all([self.thinking, self.answer])
        if live.fragments:  # opened mid-answer: its newest text is in the switch's own frame
            await self.answer.draw_now()
        else:
            await self.answer.catch_up()

    async def note(self, live: LiveText, text: str) -> None:
        """A system line during the turn of ``live`` (a compaction): above its answer (label,
        thinking and text), where the history keeps it, if that answer is the one on screen."""
        if self.answer is None or self.answer.live is not live:
            return
        before = self.children[: self.children.index(self.answer)]
        asked = [i for i, child in enumerate(before) if isinstance(child, UserMessage)]
        this_turn = before[asked[-1] + 1 :] if asked else before
        if any(isinstance(c, SystemNote) and c.text == text for c in this_turn):
            return  # read from the history when the conversation opened, after it was stored
        labels = [child for child in before if child.has_class("answer-label")]
        await self.mount(SystemNote(text), before=labels[-1] if labels else self.answer)

    async def ask(
        self, questions: tuple[Asking, ...], token: object, given: list[Answer] | None = None
    ) -> None:
        """Put the assistant's question below the answer; ``token`` comes back with the answers
        (ChoiceCard.Answered). One at a time: a second waits until the first is settled.
        ``given``: the answers so far, kept by the caller (see ChoiceCard)."""
        if self.card is not None:
            return
        self.card = ChoiceCard(questions, token, given)
        await self.mount(self.card)
        self.scroll_end(animate=False)

    async def unask(self) -> None:
        """The question was answered or given up: the card goes."""
        card, self.card = self.card, None
        if card is not None:
            await card.remove()

    async def think(self, live: LiveText) -> None:
        """The live thinking grew: show it if its answer is the one on screen (folded, only
        its line is drawn again, at most ten times a second)."""
        if self.thinking is None or self.answer is None or self.answer.live is not live:
            return
        following = self.is_vertical_scroll_end
        self.thinking.catch_up()
        if following:
            self.scroll_end(animate=False)

    async def follow(self, live: LiveText) -> None:
        """The live text grew (or restarted): show it if it is the answer on screen."""
        if self.answer is not None and self.answer.live is live:
            await self.answer.catch_up()  # its draw keeps the view at the end if it was there

    async def end(
        self,
        live: LiveText,
        status: MessageStatus,
        final: str | None,
        error: str | None = None,
    ) -> None:
        """The turn of ``live`` ended: finish its answer if it is the one on screen."""
        if self.answer is None or self.answer.live is not live:
            return
        await self.answer.catch_up()
        await self.answer.finish(status, final)
        if self.thinking is not None:
            self.thinking.finish()
            self.thinking = None
        if error:  # once, in full below the answer; its border says "error" (a border cuts it)
            line = Text(f"⚠ {inert(error)}", style="bold red")
            await self.mount(Static(line, classes="error-line"))
        self.answer = None
        self._pinned = False
        self.scroll_end(animate=False)


@lru_cache(maxsize=8)
def long_cuts(text: str) -> tuple[int, ...]:
    """Where a long stored answer is cut into blocks: found once per text, as an opening
    weighs each message (``_weight``) and then draws the long ones (``LongAnswer``)."""
    return tuple(settled_cuts(text, PIECE))


def _weight(message: Message) -> int:
    """Characters of a message drawn when its widgets are mounted: a long answer's newest
    block and its tail, else all of it."""
    text = message.content
    if message.role is Role.ASSISTANT and LongAnswer.wanted(text):
        cuts = long_cuts(text)
        older = cuts[-1 - NEWEST_AT_ONCE] if len(cuts) > NEWEST_AT_ONCE else 0
        return len(text) - older
    return len(text)


def _newest(messages: list[Message], budget: int) -> tuple[list[Message], list[Message]]:
    """The newest messages whose text drawn at once fits ``budget`` (at least the newest),
    and the older ones, to draw after."""
    spent = 0
    split = len(messages)
    while split > 0:
        weight = _weight(messages[split - 1])
        if split < len(messages) and spent + weight > budget:
            break
        spent += weight
        split -= 1
    return messages[split:], messages[:split]
