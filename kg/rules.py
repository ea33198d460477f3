"""The mapping rules: compiled from ``mappings/rules/*.yaml`` and matched against masked
sentences (one token per mention, see ``kg.mentions``).

A pattern is a regular expression in which ``{name:type}`` stands for a mention:

    person    one person            persons    one or more, joined by commas or "and"
    country   one country or side   countries  one or more
    org       one organization      place      one city or venue
    date      one date expression   text       any text (unmasked back to the sentence's words)
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.mappings import Mappings, line_of
from kg.mentions import Mention, MentionedSentence

_SLOT = re.compile(r"\{(\w+):(\w+)\}")
_ONE = {"person": "P", "country": "C", "org": "O", "place": "L", "date": "D"}
_MANY = {"persons": "P", "countries": "C"}
TOKEN = re.compile(r"⟨([A-Z])(\d+)⟩")


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    description: str
    pattern: str
    regex: re.Pattern[str]
    file: Path
    unless: tuple[re.Pattern[str], ...] = ()
    roles: dict[str, str] = field(default_factory=dict)
    each: str | None = None
    count: str | None = None
    mode: str | None = None
    type: str | None = None
    both: bool = False
    prefix: str = ""
    split: bool = False
    examples: tuple[str, ...] = ()
    line: int | None = None
    inherits: bool = False        # clause-side: the speaker named before in the clause ("We ..."), else both
    items_follow: bool = False    # agreement: the documents are the bulleted paragraphs below the sentence

    @property
    def slot_names(self) -> tuple[str, ...]:
        return tuple(m.group(1) for m in _SLOT.finditer(self.pattern))


@dataclass(frozen=True)
class RuleMatch:
    rule: Rule
    slots: dict[str, list[Mention]]
    texts: dict[str, str]
    span: tuple[int, int]


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[Rule, ...]
    mode_cues: dict[str, tuple[re.Pattern[str], ...]]
    hypothetical: tuple[re.Pattern[str], ...] = ()
    agreement_synonyms: tuple[tuple[str, str], ...] = ()
    agreement_ignore: frozenset[str] = frozenset()
    unnamed: tuple[re.Pattern[str], ...] = ()
    historical: tuple[re.Pattern[str], ...] = ()
    clause_openers: tuple[re.Pattern[str], ...] = ()   # an opening phrase before a clause's speaker
    clause_joints: tuple[re.Pattern[str], ...] = ()    # where a second speaker comes in within a sentence
    agreement_tails: tuple[re.Pattern[str], ...] = ()  # words closing a list of signed documents ("among others")
    agreement_label_ends: tuple[re.Pattern[str], ...] = ()  # where a signed document's name ends (", which ...")
    agreement_documents: frozenset[str] = frozenset()  # nouns naming a signed document ("memorandum", "treaty")
    heading_furniture: tuple[re.Pattern[str], ...] = ()  # page furniture before a statement's heading
    statement_narrative: tuple[re.Pattern[str], ...] = ()  # an opening that tells the meeting, not a point
    agreement_determiners: tuple[str, ...] = ()  # words opening a document's name that are not part of it
    agreement_boundaries: tuple[re.Pattern[str], ...] = ()  # where another document's name may begin
    statement_named: re.Pattern[str] | None = None  # "entitled “...”": the statement's own name
    statement_title_ends: tuple[re.Pattern[str], ...] = ()  # where a statement's title told in a sentence ends
    statement_commentary: tuple[re.Pattern[str], ...] = ()  # a report about a statement, not its text

    def agreement_key(self, label: str) -> str:
        """The content words of a signed document's label, so that "BRI cooperation" and "Belt and
        Road cooperation" give the same key."""
        text = " " + re.sub(r"[^\w -]+", " ", label.lower()) + " "
        for word, same in self.agreement_synonyms:
            text = re.sub(rf"(?<= ){re.escape(word)}(?= )", same, text)
        words = sorted({w for w in text.split() if w not in self.agreement_ignore})
        return "-".join(words) or "document"

    def of_kind(self, kind: str) -> tuple[Rule, ...]:
        """The rules of one kind, in file order (asked for every sentence: grouped once)."""
        return self._by_kind.get(kind, ())

    @functools.cached_property
    def _by_kind(self) -> dict[str, tuple[Rule, ...]]:
        kinds: dict[str, list[Rule]] = {}
        for r in self.rules:
            kinds.setdefault(r.kind, []).append(r)
        return {k: tuple(v) for k, v in kinds.items()}


def compile_pattern(pattern: str) -> re.Pattern[str]:
    def slot(m: re.Match[str]) -> str:
        name, kind = m.group(1), m.group(2)
        if kind == "person":  # "X, who is visiting India, held talks": the relative clause is skipped
            return rf"(?P<{name}>⟨P\d+⟩)(?:,? (?:who|whose) [^,]{{1,80}},)?"
        if kind in _ONE:
            return rf"(?P<{name}>⟨{_ONE[kind]}\d+⟩)"
        if kind in _MANY:
            t = _MANY[kind]
            return rf"(?P<{name}>⟨{t}\d+⟩(?:(?:,? and |, |; |,? as well as )⟨{t}\d+⟩)*)"
        return rf"(?P<{name}>.+?)"
    return re.compile(_SLOT.sub(slot, pattern), re.I)


def load_rules(mappings: Mappings) -> RuleBook:
    rules: list[Rule] = []
    cues: dict[str, list[re.Pattern[str]]] = {}
    hypothetical: list[re.Pattern[str]] = []
    unnamed: list[re.Pattern[str]] = []
    historical: list[re.Pattern[str]] = []
    synonyms: dict[str, str] = {}
    ignore: set[str] = set()
    tails: list[re.Pattern[str]] = []
    label_ends: list[re.Pattern[str]] = []
    documents: set[str] = set()
    determiners: list[str] = []
    boundaries: list[re.Pattern[str]] = []
    named: re.Pattern[str] | None = None
    title_ends: list[re.Pattern[str]] = []
    commentary: list[re.Pattern[str]] = []
    for f in mappings.of_kind("rules"):
        for i, r in enumerate(f.data["rules"]):
            rules.append(Rule(
                r["id"], r["kind"], r["description"], r["pattern"], compile_pattern(r["pattern"]), f.path,
                tuple(re.compile(u, re.I) for u in r.get("unless", [])), dict(r.get("roles", {})),
                r.get("each"), r.get("count"), r.get("mode"), r.get("type"), bool(r.get("both", False)),
                r.get("prefix", ""), bool(r.get("split", False)), tuple(r.get("examples", [])),
                line_of(f, ["rules", i]), bool(r.get("inherits", False)), bool(r.get("items_follow", False))))
        hypothetical.extend(re.compile(p, re.I) for p in f.data.get("hypothetical", []))
        unnamed.extend(re.compile(p, re.I) for p in f.data.get("unnamed", []))
        historical.extend(re.compile(p, re.I) for p in f.data.get("historical", []))
        words = f.data.get("agreement_words") or {}
        synonyms.update({k.lower(): v.lower() for k, v in words.get("synonyms", {}).items()})
        ignore.update(w.lower() for w in words.get("ignore", []))
        tails.extend(re.compile(p, re.I) for p in words.get("tails", []))
        label_ends.extend(re.compile(p) for p in words.get("label_ends", []))
        documents.update(w.lower() for w in words.get("documents", []))
        determiners.extend(w.lower() for w in words.get("determiners", []))
        boundaries.extend(re.compile(p) for p in words.get("phrase_boundaries", []))
        if f.data.get("statement_named"):
            named = re.compile(f.data["statement_named"])
        title_ends.extend(re.compile(p) for p in f.data.get("statement_title_ends", []))
        commentary.extend(re.compile(p, re.I) for p in f.data.get("statement_commentary", []))
        for mode, patterns in (f.data.get("mode_cues") or {}).items():
            cues.setdefault(mode, []).extend(re.compile(p, re.I) for p in patterns)
    openers = tuple(re.compile(p, re.I) for f in mappings.of_kind("rules") for p in f.data.get("clause_openers", []))
    joints = tuple(re.compile(p, re.I) for f in mappings.of_kind("rules") for p in f.data.get("clause_joints", []))
    furniture = tuple(re.compile(p, re.I) for f in mappings.of_kind("rules") for p in f.data.get("heading_furniture", []))
    narrative = tuple(re.compile(p, re.I) for f in mappings.of_kind("rules") for p in f.data.get("statement_narrative", []))
    return RuleBook(tuple(rules), {k: tuple(v) for k, v in cues.items()}, tuple(hypothetical),
                    tuple(sorted(synonyms.items(), key=lambda kv: -len(kv[0]))), frozenset(ignore), tuple(unnamed),
                    tuple(historical), openers, joints, tuple(tails), tuple(label_ends), frozenset(documents), furniture, narrative,
                    tuple(determiners), tuple(boundaries), named, tuple(title_ends), tuple(commentary))


def not_an_event(book: RuleBook, rm: RuleMatch, ms: MentionedSentence) -> tuple[str, str] | None:
    """Why a meeting rule's match is not a meeting the report tells: ('hypothetical', words) for one
    only planned or imagined, ('historical', words) for one only recalled; None when it is one."""
    windows = (("hypothetical", book.hypothetical, ms.masked[:rm.span[1] + 16]),      # "is expected to meet"
               ("historical", book.historical, ms.masked[rm.span[0]:rm.span[1] + 16]))  # in the match: "had met"
    for kind, patterns, window in windows:
        for p in patterns:
            found = p.search(window)
            if found:
                return kind, unmask(found.group(0), ms)
    return None


_MEETING_WORD = re.compile(r"\b(?:meet|met|meeting|visit|host|receiv|talks?|hold talks|held talks)", re.I)


def told_not_as_event(book: RuleBook, ms: MentionedSentence) -> tuple[str, str] | None:
    """For a sentence no meeting rule read: ('hypothetical' | 'historical', words) when it names a person
    and tells a meeting or visit that is only planned ("will visit", "is expected to meet", "invited him
    to visit") or only recalled ("had met"); None otherwise."""
    if not any(t.startswith("⟨P") for t in ms.tokens):
        return None
    for kind, patterns in (("hypothetical", book.hypothetical), ("historical", book.historical)):
        for p in patterns:
            for found in p.finditer(ms.masked):
                if _MEETING_WORD.search(found.group(0)):
                    return kind, unmask(found.group(0), ms)
    return None


def match(rule: Rule, ms: MentionedSentence, text: str | None = None) -> list[RuleMatch]:
    """Every non-overlapping match of one rule in one sentence (or in ``text``, e.g. a title)."""
    target = ms.masked if text is None else text
    found = list(rule.regex.finditer(target))
    if not found or any(u.search(ms.sentence.text) for u in rule.unless):   # the rare match pays for `unless`
        return []
    out = []
    for m in found:
        slots: dict[str, list[Mention]] = {}
        texts: dict[str, str] = {}
        for name, value in m.groupdict().items():
            if value is None:
                continue
            tokens = [ms.tokens[t.group(0)] for t in TOKEN.finditer(value) if t.group(0) in ms.tokens]
            slots[name] = tokens
            texts[name] = unmask(value, ms)
        out.append(RuleMatch(rule, slots, texts, m.span()))
    return out


def unmask(value: str, ms: MentionedSentence) -> str:
    return TOKEN.sub(lambda t: ms.tokens[t.group(0)].text if t.group(0) in ms.tokens else t.group(0), value).strip(" .,;")


def mode_of(book: RuleBook, text: str, default: str | None) -> str | None:
    for mode in ("Video", "Phone"):
        if any(p.search(text) for p in book.mode_cues.get(mode, ())):
            return mode
    return default


def check_examples(book: RuleBook, finder) -> list[tuple[Rule, str, str]]:
    """Every example sentence of a rule must make that rule fire; returns (rule, example, the
    sentence as rules see it) for each that does not."""
    from kg.articles import Article, Line
    from kg.documents import normalize, Document
    from kg.mentions import ReportContext
    from kg.sentences import Sentence

    failures = []
    for rule in book.rules:
        for example in rule.examples:
            text, offsets = normalize(example)
            doc = Document(rule.file, rule.file.name, example, text, offsets, (0,))
            article = Article(doc, 1, example if rule.kind == "statement" else None, None, None, None,
                              (Line(0, len(text), text),), 1)
            ms = finder.find(Sentence(article, 0, 0, 0, len(text), text), ReportContext())
            if not match(rule, ms):
                failures.append((rule, example, ms.masked))
    return failures
