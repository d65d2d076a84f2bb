"""Fuzzy ranking of the project's paths on every key: a few milliseconds at 100,000 files.

The paths are kept shortest first in one folded text (NFC, lower case), one per line, so the
regular-expression engine, in C, finds the candidates: tiers from best to worst (the query in a
file's name, anywhere in its path, its letters in order in the name, then anywhere), each tier
stopping once enough are found. Only those few hundred are scored in Python, together with the
recently mentioned paths wherever they are, which get a bonus that fades with age. A query with
a folder in front (``tui/scr``) is matched inside that folder's own listing, made once and kept.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

CANDIDATES = 200  # scored per key; the tiers stop once this many are found
SHOWN = 30  # matches returned (the popup shows ten; the rest scroll)
RECENT_KEPT = 100
RECENT_BONUS = 40.0  # the newest mention; the n-th newest gets RECENT_BONUS / n
SUBLISTINGS = 8  # folder listings kept
SUBSET = 10_000  # lines holding every letter searched alone up to this many
SCAN = 300_000  # characters the letters-in-order search may scan of the whole text
_BOUNDARY = "/_-. "


def fold(text: str) -> str:
    """What matching compares: NFC (a name typed and a name stored in NFD agree), lower case."""
    return unicodedata.normalize("NFC", text).lower()


@dataclass(frozen=True)
class Match:
    """One ranked path: as on disk (folders end with "/"), its score, the characters matched
    (indexes into ``path``; empty when folding changed its length)."""

    path: str
    score: float
    positions: tuple[int, ...] = ()


class Recent:
    """Paths mentioned lately, newest first; kept for the app's run and in the history file."""

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self.order: list[str] = list(dict.fromkeys(paths))[:RECENT_KEPT]

    def mentioned(self, paths: Iterable[str]) -> None:
        """Paths just sent: they move to the front, the first named first."""
        fresh = list(dict.fromkeys(paths))
        self.order = (fresh + [p for p in self.order if p not in fresh])[:RECENT_KEPT]

    def bonus(self) -> dict[str, float]:
        return {path: RECENT_BONUS / (n + 1) for n, path in enumerate(self.order)}


class Listing:
    """Paths searchable per key: ``full`` as on disk, ``keys`` the folded text matched (below a
    folder, the part after it)."""

    def __init__(
        self, full: Sequence[str], keys: Sequence[str] | None = None, ordered: bool = False
    ) -> None:
        keys = [fold(path) for path in full] if keys is None else keys
        order: Sequence[int] = range(len(full))
        if not ordered:
            order = sorted(order, key=lambda i: (len(keys[i]), keys[i], full[i]))
        self.full = [full[i] for i in order]
        self.keys = [keys[i] for i in order]
        self.text = _joined(self.keys)
        # A small listing is searched whole: its masks would cost more than they save.
        self.masks = _char_masks(self.keys) if len(self.keys) > SUBSET else None
        # Line numbers in the keys' alphabetical order: a folder's paths are one slice of it.
        self.alphabetical = sorted(range(len(self.keys)), key=self.keys.__getitem__)
        self.sorted_keys = [self.keys[line] for line in self.alphabetical]
        self._folders: dict[str, Listing] = {}
        self.folder = ""  # the folded folder this listing is narrowed to ("tui/"), if any
        self._complete: tuple[str, list[int]] = ("", [])  # a query and all its matches
        self._subset: tuple[int, list[int], str] = (0, [], "")  # a mask, its lines, their text

    def __len__(self) -> int:
        return len(self.full)

    def search(self, query: str, recent: Recent | None = None, limit: int = SHOWN) -> list[Match]:
        """The best ``limit`` paths for what follows the @, best first."""
        listing, depth, rest = self._narrowed(query)
        wanted = fold(rest)
        found = listing._candidates(wanted) if wanted else range(min(len(listing), CANDIDATES))
        bonus = recent.bonus() if recent else {}
        scored: dict[str, Match] = {}
        for index in found:
            listing._add(scored, listing.full[index], listing.keys[index], wanted, bonus)
        for path in bonus:
            if path not in scored and fold(path).startswith(listing.folder):
                listing._add(scored, path, fold(_below(path, depth)), wanted, bonus)
        ranked = sorted(scored.values(), key=lambda m: (-m.score, len(m.path), m.path))
        return ranked[:limit]

    def _add(
        self, into: dict[str, Match], path: str, key: str, wanted: str, bonus: dict[str, float]
    ) -> None:
        scored = score(key, wanted)
        if scored is None:
            return
        value, positions = scored
        shift = len(path) - len(key)
        if shift != len(self.folder):  # folding changed the length: no marks rather than wrong
            positions = ()
        into[path] = Match(path, value + bonus.get(path, 0.0), tuple(p + shift for p in positions))

    def _narrowed(self, query: str) -> tuple[Listing, int, str]:
        """The listing of the folder the query starts with (``dir/rest``), its depth and the
        rest; the whole listing when the part before the last "/" is no folder here."""
        folder, slash, rest = query.rpartition("/")
        if not slash or not folder:
            return self, 0, query
        key = fold(folder) + "/"
        found = self._folders.get(key)
        if found is None:
            found = self._folder(key)
            if found is None:
                return self, 0, query
            if len(self._folders) >= SUBLISTINGS:
                self._folders.pop(next(iter(self._folders)))
            self._folders[key] = found
        return found, key.count("/"), rest

    def _folder(self, key: str) -> Listing | None:
        """The paths below one folder (matched on what follows it); None when it is not one."""
        low = bisect.bisect_left(self.sorted_keys, key)
        high = bisect.bisect_left(self.sorted_keys, key + "\U0010ffff", low)
        if low == high:
            return None  # not even the folder itself is listed
        inside = sorted(line for line in self.alphabetical[low:high] if self.keys[line] != key)
        # Every key below the folder starts with it: the parent's order holds for the rest.
        rest = [self.keys[i][len(key) :] for i in inside]
        found = Listing([self.full[i] for i in inside], rest, ordered=True)
        found.folder = key
        return found

    def _candidates(self, wanted: str) -> list[int]:
        """Line numbers matching ``wanted``, by tier, at most CANDIDATES of them.

        The lines holding every letter of the query (one AND of per-letter bit masks) are
        searched alone when they are few; when many lines hold them, matches are plentiful
        and the tiers stop early in the whole text."""
        known, complete = self._complete
        if known and wanted.startswith(known):  # typing on: only the lines that matched before
            return self._within(wanted, complete)
        if self.masks is None:
            return self._remember(wanted, _tiered(wanted, self.text))
        mask = -1
        for char in set(wanted):
            mask &= self.masks.get(char, 0)
        if mask.bit_count() <= SUBSET:
            return self._remember(wanted, self._within(wanted, _set_bits(mask)))
        return self._plentiful(wanted, mask)

    def _plentiful(self, wanted: str, mask: int) -> list[int]:
        """The tiers where many lines hold every letter: in the whole text, where matches are
        usually plentiful and each tier stops early. The letters-in-the-name tier is left out
        (it would scan it all; scores rank names anyway). When the letters in order are rare
        ("readme": common letters in an order few names have; every literal match is one of
        theirs, so those are rarer still), the tiers would scan most of the text: a probe of
        the first SCAN characters tells, and then they search the lines holding every letter
        alone (the same matches in the same order, in a fraction of the text)."""
        in_order = tiers(wanted, False, False)[-1]
        probe: dict[int, None] = {}
        if len(self.text) > SCAN and not _filled(probe, _lines(in_order, self.text, SCAN)):
            lines, text = self._lines_of(mask)
            return [lines[line] for line in _tiered(wanted, text, name_tier=False)]
        return _tiered(wanted, self.text, name_tier=False)

    def _lines_of(self, mask: int) -> tuple[list[int], str]:
        """The lines a mask selects and their text; the last kept, as the next letter typed is
        often one the query holds already (same letters, same mask)."""
        if self._subset[0] != mask:
            lines = _set_bits(mask)
            self._subset = (mask, lines, _joined(_picked(self.keys, lines)))
        return self._subset[1], self._subset[2]

    def _within(self, wanted: str, lines: list[int]) -> list[int]:
        """``_tiered`` over some lines only (ascending, so still shortest first)."""
        return [lines[found] for found in _tiered(wanted, _joined(_picked(self.keys, lines)))]

    def _remember(self, wanted: str, found: list[int]) -> list[int]:
        """Keep a query's matches when they are all of them (fewer than the tiers' cap): a
        longer query typed on from it matches only among these."""
        if len(found) < CANDIDATES:
            self._complete = (wanted, sorted(found))
        return found


def _tiered(wanted: str, text: str, name_tier: bool = True) -> list[int]:
    """Line numbers of ``text`` matching ``wanted``, best tier first, at most CANDIDATES.

    The literal tiers are skipped when one find says the query is nowhere in the text,
    instead of each scanning all of it."""
    seen: dict[int, None] = {}
    for pattern in tiers(wanted, name_tier, wanted in text):
        if _filled(seen, _lines(pattern, text)):
            break
    return list(seen)


def _lines(pattern: re.Pattern[str], text: str, end: int | None = None) -> Iterator[int]:
    """The numbers of the lines where ``pattern`` matches (before ``end``), ascending, once
    each. A match's line is counted from the last one's (the newlines between, counted in
    C): no table of line starts is built per search."""
    position = line = 0
    while (found := pattern.search(text, position, len(text) if end is None else end)) is not None:
        start = found.start()
        line += text.count("\n", position, start)
        yield line
        position, line = text.index("\n", start) + 1, line + 1  # on from the next line


def _filled(seen: dict[int, None], lines: Iterable[int]) -> bool:
    """Add lines (in order, once each) until there are CANDIDATES; whether there are."""
    for line in lines:
        seen[line] = None
        if len(seen) >= CANDIDATES:
            return True
    return False


def _picked(keys: Sequence[str], lines: Sequence[int]) -> Sequence[str]:
    """``keys[line]`` for each line, gathered in C (twice as quick as a comprehension)."""
    if len(lines) < 2:  # itemgetter of one index gives the item, not a tuple
        return [keys[line] for line in lines]
    picked: tuple[str, ...] = operator.itemgetter(*lines)(keys)
    return picked


def _joined(keys: Sequence[str]) -> str:
    """The keys as one text, a line each (every line ends with a newline)."""
    return "\n".join(keys) + "\n" if keys else ""


_BYTE_BITS = [tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)]


def _set_bits(mask: int) -> list[int]:
    """The numbers of the bits set in a mask, ascending."""
    raw = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    return [at * 8 + bit for at, value in enumerate(raw) if value for bit in _BYTE_BITS[value]]


def _char_masks(keys: Sequence[str]) -> dict[str, int]:
    """For each character, a bit mask of the lines holding it (bit n: line n)."""
    found: dict[str, bytearray] = {}
    size = len(keys) // 8 + 1
    for line, key in enumerate(keys):
        byte, bit = line >> 3, 1 << (line & 7)
        for char in set(key):
            bits = found.get(char)
            if bits is None:
                bits = found[char] = bytearray(size)
            bits[byte] |= bit
    return {char: int.from_bytes(bits, "little") for char, bits in found.items()}


def _below(path: str, depth: int) -> str:
    return "/".join(path.split("/")[depth:])


@functools.lru_cache(maxsize=256)
def tiers(wanted: str, name_tier: bool = True, literal: bool = True) -> list[re.Pattern[str]]:
    """The searches of one query, best tier first. Each letter's gap is a negated class of the
    next letter (``a[^b\\n]*b``): the earliest match, found without backtracking. Without
    ``name_tier``, the letters-in-order search within file names is left out; without
    ``literal`` (the query is nowhere as typed), the two searches for it as typed."""
    gaps = [re.escape(wanted[0])]
    name_gaps = [re.escape(wanted[0])]
    for char in wanted[1:]:
        escaped = re.escape(char)
        gaps.append(f"[^{escaped}\\n]*{escaped}")
        name_gaps.append(f"[^{escaped}/\\n]*{escaped}")
    exact = re.escape(wanted)
    found = [re.compile(exact)] if literal else []
    if "/" not in wanted:
        if literal:
            found.insert(0, re.compile(exact + "[^/\\n]*/?\\n"))
        if name_tier:
            found.append(re.compile("".join(name_gaps) + "[^/\\n]*/?\\n"))
    found.append(re.compile("".join(gaps)))
    return found


def score(key: str, wanted: str) -> tuple[float, tuple[int, ...]] | None:
    """How well a folded path matches; None when it does not. A match in the file's name beats
    one in its folders, contiguous beats scattered, a word's start beats its middle; shorter
    paths win ties."""
    if not wanted:
        return -0.1 * len(key), ()
    name = key.rstrip("/").rfind("/") + 1
    at = key.find(wanted, name)
    if at >= 0:
        value = 100.0 + (20.0 if at == name else 0.0)
    else:
        at = key.find(wanted)
        value = 60.0 + (10.0 if at == 0 or key[at - 1] in _BOUNDARY else 0.0)
    if at >= 0:
        return value - 0.1 * len(key), tuple(range(at, at + len(wanted)))
    positions = _subsequence(key, wanted)
    if positions is None:
        return None
    gaps = sum(b - a - 1 for a, b in itertools.pairwise(positions))
    starts = sum(1 for p in positions if p == 0 or key[p - 1] in _BOUNDARY)
    in_name = sum(1 for p in positions if p >= name)
    value = 30.0 - 0.5 * gaps + 3.0 * starts + 1.0 * in_name
    return value - 0.1 * len(key), positions


def _subsequence(key: str, wanted: str) -> tuple[int, ...] | None:
    """Where the letters of ``wanted`` appear in order, preferring the file's name: matched from
    the end backwards, so the last letters land in the name when they can."""
    found: list[int] = []
    position = len(key)
    for char in reversed(wanted):
        position = key.rfind(char, 0, position)
        if position < 0:
            return None
        found.append(position)
    return tuple(reversed(found))
