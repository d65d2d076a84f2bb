"""A realistic conversation history for benchmarks: chat about code, with English word
frequencies (a few words everywhere, most rare), identifiers, paths and code blocks.

The text decides how hard search is: a common word or a one-letter prefix matches most
messages, a rare identifier a handful, so the generator mixes both as real chats do.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui.models import Role
from tui.storage import Store


def words(text: str) -> list[str]:
    return text.split()


COMMON = words(
    """the of and to a in is it you that for on with as this be are not have or
can by from at but if an was will your we so do what which there use when all one how
would should need like just more about then also into some only other than them could
new time now way may each make because does here file see these get first well call
where want work after any most same our through test code value function return error
data line list name type change run set case check find example think know look back
thing sure right keep add read point part still while might both show question answer
"""
)

TOPICS = words(
    """parser tokenizer lexer grammar expression statement module package import
class method attribute property decorator generator iterator coroutine async await event
loop thread process queue lock mutex semaphore channel socket request response header
cookie session token database table column index query transaction migration schema
cursor connection pool cache memory buffer stream pipe file path directory config setting
option argument parameter variable constant string integer float boolean array dictionary
tuple object instance interface protocol abstract inheritance composition dependency
injection container service client server endpoint route handler middleware plugin
extension widget layout render style theme color font border margin padding scroll
keyboard mouse cursor selection clipboard terminal screen window frame pixel canvas image
sprite animation timer clock date timezone calendar schedule backlog feature priority
category status progress passing blocked ready skip commit branch merge rebase conflict
review release version tag changelog deploy docker kubernetes cluster node replica
benchmark latency throughput profile flamegraph allocation garbage collector leak
exception traceback warning logging metric trace span alert incident outage retry
timeout backoff fallback circuit breaker idempotent checksum hash signature encryption
certificate credential permission role policy audit compliance fixture mock snapshot
coverage assertion regression flaky pipeline workflow artifact runner matrix linter
formatter typing annotation generic variance overload protocol dataclass enum pattern
"""
)

PREFIXES = ["get", "set", "load", "save", "parse", "render", "build", "make", "find", "open"]
SUFFIXES = ["item", "node", "row", "page", "state", "config", "result", "token", "event"]
CODE = [
    "```python\ndef {a}_{b}(value):\n    return {c}(value) or None\n```",
    "```sh\npytest tests/{a}/test_{b}.py -k {c}\n```",
    "```sql\nSELECT * FROM {a} WHERE {b}_id = ? ORDER BY {c}\n```",
]


class Writer:
    """Sentences drawn from a Zipf-like vocabulary, seeded so every run writes the same text."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        idents = [f"{p}_{s}" for p, s in itertools.product(PREFIXES, SUFFIXES)]
        self.words = COMMON + TOPICS + idents
        self.weights = [1 / (rank + 1) ** 0.9 for rank in range(len(self.words))]

    def sentence(self) -> str:
        words = self.rng.choices(self.words, self.weights, k=self.rng.randint(6, 18))
        if self.rng.random() < 0.3:
            words.insert(self.rng.randrange(len(words)), f"`{self.rng.choice(TOPICS)}.py`")
        return " ".join(words).capitalize() + self.rng.choice([".", ".", ".", "?", "!"])

    def message(self, role: Role) -> str:
        count = self.rng.randint(1, 3) if role is Role.USER else self.rng.randint(2, 9)
        text = " ".join(self.sentence() for _ in range(count))
        if role is Role.ASSISTANT and self.rng.random() < 0.25:
            a, b, c = self.rng.sample(TOPICS, 3)
            text += "\n\n" + self.rng.choice(CODE).format(a=a, b=b, c=c)
        return text


# How the history is shared between projects: one busy, a few in between, one barely used (a
# scoped search of a small project must still find its few matches behind everyone else's).
PROJECT_SHARES = (40, 25, 15, 10, 8, 2)


async def build(path: Path, root: Path, messages: int = 100_000, seed: int = 7) -> list[Path]:
    """Fill a history file through the Store: ``messages`` messages in conversations of 2 to
    120 messages, spread over projects (PROJECT_SHARES) and a year. Returns the projects,
    busiest first."""
    writer, rng = Writer(seed), random.Random(seed)
    folders = [root / f"project-{n}" for n in range(len(PROJECT_SHARES))]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    store = await Store.open(path)
    start, made, number = datetime(2025, 1, 1, tzinfo=UTC), 0, 0
    while made < messages:
        size = min(messages - made, rng.choice([2, 4, 6, 10, 20, 40, 120]))
        at = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
        rows = []
        for i in range(size):
            role = Role.USER if i % 2 == 0 else Role.ASSISTANT
            rows.append((role, writer.message(role), at + timedelta(seconds=30 * i)))
        title = " ".join(rows[0][1].split()[:8])[:50]
        await store.conversation_import(
            rng.choices(folders, PROJECT_SHARES)[0], "bench", str(number), title, at, rows
        )
        made, number = made + size, number + 1
    await store.close()
    return folders
