"""Words every match of a regular expression holds, read off the expression itself.

A rule's pattern is searched in every sentence, yet most sentences of real news hold none of the
words its lexicons give ("met", "held talks", "signed"): when the text lacks every one of a set
of words each match must hold, the search cannot succeed and is not run. The words are derived
from the pattern (its parse tree), never written twice, so a lexicon changed in ``mappings/``
changes them too.

The words are in lower case and are looked for in the text in lower case, which is sound for
case-sensitive and case-insensitive patterns alike: a word keeps only ASCII characters and
characters without case, and ``re.I`` matches an ASCII letter to itself in either case and to
nothing else except the few letters of ``CASE_FOLDS_TO_ASCII``; a text holding one of those is
searched anyway (``Gate.admits``).
"""
from __future__ import annotations

import functools
import itertools
import operator
import re
from dataclasses import dataclass
from re import _constants as sre   # the parse tree's node kinds (the module ``re`` itself uses)
from re import _parser

import ahocorasick

CASE_FOLDS_TO_ASCII = re.compile(r"[İıſK]")   # the non-ASCII letters re.I matches to an ASCII one
_MAX_STRINGS = 64        # beyond this many spellings a part of a pattern is taken as unknown text
_MAX_WORDS = 256         # beyond this many alternative words a set is not worth its search

Strings = frozenset[str]
_KEPT = 4                # sets of words kept per part of a pattern (the least likely in a text first)


@dataclass(frozen=True)
class _Shape:
    """What one part of a pattern matches: every string it can match when they are few
    (`exact`), else None; and sets of words such that each of its matches holds a word of every
    set (`needs`), the least likely in a text first."""

    exact: Strings | None
    needs: tuple[Strings, ...] = ()


_UNKNOWN = _Shape(None)
_EMPTY = _Shape(frozenset({""}))


def _char(code: int) -> str | None:
    """The character in lower case, or None when case folding could make it another letter."""
    c = chr(code)
    if c.isascii():
        return c.lower()
    return c if c.lower() == c == c.upper() else None


def _product(parts: list[Strings]) -> Strings | None:
    size = 1
    for p in parts:
        size *= len(p)
        if size > _MAX_STRINGS:
            return None
    return frozenset("".join(t) for t in itertools.product(*parts))


def _rarity(words: Strings) -> tuple[int, int]:
    """How unlikely a text is to hold one of the words: its shortest word is longer, then there
    are fewer of them."""
    return (min(map(len, words)), -len(words))


def _needed(*candidates: Strings | None) -> tuple[Strings, ...]:
    """The candidates that are sets of words a match must hold one of (no empty word), the least
    likely first, at most 2 * _KEPT of them (the pattern's own are pruned to _KEPT: _pruned)."""
    sets = {c for c in candidates if c and "" not in c and len(c) <= _MAX_WORDS}
    return tuple(sorted(sets, key=lambda w: (_rarity(w), sorted(w)), reverse=True)[:2 * _KEPT])


def _pruned(needs: tuple[Strings, ...]) -> tuple[Strings, ...]:
    """At most _KEPT of the sets, leaving out each that one kept before implies."""
    kept: list[Strings] = []
    for words in needs:
        if min(map(len, words)) < 2:     # a single character: nearly every text holds it
            continue
        if len(kept) < _KEPT and not any(_implies(k, words) for k in kept):
            kept.append(words)
    return tuple(kept)


def _implies(a: Strings, b: Strings) -> bool:
    """Does a text holding a word of `a` hold a word of `b`? (Then `b` tells nothing more.)"""
    return all(any(w in v for w in b) for v in a)


def _sequence(items) -> _Shape:
    shapes = [_node(op, av) for op, av in items]
    exact = _product([s.exact for s in shapes]) if all(s.exact is not None for s in shapes) else None
    candidates: list[Strings | None] = [exact]
    run: list[Strings] = []
    for s in [*shapes, _UNKNOWN]:
        candidates += s.needs
        if s.exact is not None:
            run.append(s.exact)
            continue
        # consecutive parts of known spelling make longer words ("⟨p" of a person slot, " met with")
        if run:
            candidates.append(_joined(run))
        run = []
    return _Shape(exact, _needed(*candidates))


def _joined(run: list[Strings]) -> Strings | None:
    """The words a run of parts of known spelling spells, or the best of shorter runs within it
    when it spells too many."""
    whole = _product(run)
    if whole is not None or len(run) == 1:
        return whole
    best = _needed(_joined(run[:-1]), _joined(run[1:]))
    return best[0] if best else None


def _branch(alternatives) -> _Shape:
    shapes = [_sequence(a.data) for a in alternatives]
    exact: Strings | None = None
    if all(s.exact is not None for s in shapes):
        union = frozenset().union(*(s.exact for s in shapes))  # type: ignore[arg-type]
        exact = union if len(union) <= _MAX_STRINGS else None
    # a match holds a word of one alternative: of each, the set it is least likely to hold
    best = [_needed(*s.needs, s.exact) for s in shapes]
    needs = _needed(exact, frozenset().union(*(b[0] for b in best)) if all(best) else None)
    return _Shape(exact, needs)


@functools.lru_cache(maxsize=None)
def _literal(code: int) -> _Shape:
    c = _char(code)
    return _Shape(frozenset({c})) if c is not None else _UNKNOWN


def _node(op, av) -> _Shape:
    if op is sre.LITERAL:
        return _literal(av)
    if op is sre.IN:
        chars = [_char(code) if kind is sre.LITERAL else None for kind, code in av]
        if not chars or None in chars or len(chars) > _MAX_STRINGS:
            return _UNKNOWN
        return _Shape(frozenset(chars))  # type: ignore[arg-type]
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return _EMPTY     # a position, no text (what a lookaround needs is left out)
    if op is sre.SUBPATTERN:
        return _sequence(av[3].data)
    if op is sre.ATOMIC_GROUP:
        return _sequence(av.data)
    if op is sre.BRANCH:
        return _branch(av[1])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, item = av
        inner = _sequence(item.data)
        if low == 0:
            return _Shape(inner.exact | {""} if high == 1 and inner.exact is not None else None)
        exact = _product([inner.exact] * low) if inner.exact is not None and low == high else None
        return _Shape(exact, _needed(exact, inner.exact, *inner.needs))
    return _UNKNOWN


def required_words(pattern: str, flags: int = 0) -> tuple[Strings, ...]:
    """Sets of words in lower case such that every match of the pattern holds a word of each set,
    the least likely in a text first; none when the pattern's parse gives no such words (it may
    match nearly anything, or the words are too many)."""
    try:
        return _pruned(_sequence(_parser.parse(pattern, flags).data).needs)
    except (re.error, TypeError, ValueError, AttributeError):   # a parse tree of another Python: no gate
        return ()


def word_search(words: Strings) -> re.Pattern[str]:
    """A pattern that finds any of the words, shaped like a trie: at each position of a text only
    the words that go on with its next character are tried (a flat list tries them all)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        if "" in node:          # a word ends here: it is found, whatever follows
            return ""
        branches = [re.escape(ch) + pattern(node[ch]) for ch in sorted(node)]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return re.compile(pattern(trie) if trie else "(?!)")


@dataclass(frozen=True)
class Gate:
    """Whether a text may hold a match of one pattern: only when it holds a word of each set of
    the pattern's required words (a pattern none can be derived for admits every text)."""

    needs: tuple[re.Pattern[str], ...] = ()
    words: tuple[Strings, ...] = ()     # the sets of words `needs` search for, in the same order

    @classmethod
    def of(cls, regex: re.Pattern[str], skip=lambda words: False) -> "Gate":
        """The gate of a compiled pattern; `skip` leaves out sets of words the caller tests itself."""
        sets = tuple(words for words in required_words(regex.pattern, regex.flags) if not skip(words))
        return cls(tuple(word_search(words) for words in sets), sets)

    @classmethod
    def of_words(cls, words) -> "Gate":
        """The gate of a list of words (a lexicon), one of which every match of some pattern holds
        in any case; it admits every text when a word holds a letter whose case re.I folds
        otherwise than lower() does (a non-ASCII letter)."""
        lowered = {w.lower() for w in words}
        if not lowered or "" in lowered or not all(_char(ord(c)) is not None for w in lowered for c in w):
            return cls(())
        return cls((word_search(frozenset(lowered)),), (frozenset(lowered),))

    def admits(self, lowered: str, plain: bool) -> bool:
        """`lowered` is the text in lower case; `plain` says it holds none of CASE_FOLDS_TO_ASCII."""
        if not plain:
            return True
        for words in self.needs:
            if words.search(lowered) is None:
                return False
        return True


    def admits_present(self, present: Strings | set[str], plain: bool) -> bool:
        """`admits`, told which of its words the text holds (`present`, from a WordIndex that
        holds them all) instead of searching the text once per set."""
        return not plain or all(not words.isdisjoint(present) for words in self.words)


_VALUE = operator.itemgetter(1)     # of an automaton's (end, value) hit: the word


class WordIndex:
    """The words of many gates, found in a text by one pass instead of one search per gate and set.

    Most sentences are refused by the gates of most rules; asking each gate in turn searches the
    sentence again and again. An Aho-Corasick automaton of all their words reads the text once
    and reports every occurrence of every word, overlapping ones included, so a gate admits the
    text exactly when each of its sets meets the words found (Gate.admits_present)."""

    def __init__(self, words) -> None:
        self.words = frozenset(words)
        self._automaton = ahocorasick.Automaton()
        for word in sorted(self.words - {""}):
            self._automaton.add_word(word, word)
        self._searched = len(self._automaton) > 0
        if self._searched:
            self._automaton.make_automaton()
        self._empty = frozenset({""} & self.words)     # the empty word: every text holds it
        self._last: tuple[str, frozenset[str]] = ("", self._empty)

    def present(self, lowered: str) -> frozenset[str]:
        """The words of the index the text (in lower case) holds. The last answer is kept: the
        gates of one sentence are asked one after another."""
        last_text, last = self._last
        if lowered is last_text:
            return last
        answer = self._empty.union(map(_VALUE, self._automaton.iter(lowered))) if self._searched else self._empty
        self._last = (lowered, answer)
        return answer


class Sieve:
    """Of many items, each with sets of words a text must hold one word of each of (a rule's gate
    and cues), those a text admits, in their order, told the words it holds (WordIndex.present).
    Items are found through the words of their first set, so an item whose first word the text
    lacks costs nothing: most of a sentence's rules are never looked at."""

    def __init__(self, items, conditions) -> None:
        self.items = tuple(items)
        self._rest = tuple(tuple(sets[1:]) for sets in conditions)
        self._always = frozenset(i for i, sets in enumerate(conditions) if not sets)
        by_word: dict[str, list[int]] = {}
        for i, sets in enumerate(conditions):
            for word in sets[0] if sets else ():
                by_word.setdefault(word, []).append(i)
        self._by_word = {word: tuple(found) for word, found in by_word.items()}
        self._first_words = frozenset(by_word)

    def admitted(self, present) -> tuple:
        candidates = set(self._always)
        for word in self._first_words.intersection(present):
            candidates.update(self._by_word[word])
        return tuple(self.items[i] for i in sorted(candidates)
                     if all(not words.isdisjoint(present) for words in self._rest[i]))


_GATES: dict[re.Pattern[str], Gate] = {}


def gate_of(pattern: re.Pattern[str]) -> Gate:
    """Gate.of, kept for each pattern (asked for the same few patterns text after text)."""
    gate = _GATES.get(pattern)
    if gate is None:
        gate = _GATES[pattern] = Gate.of(pattern)
    return gate
