"""The mapping rules: compiled from ``mappings/rules/*.yaml`` and matched against masked
sentences (one token per mention, see ``kg.mentions``).

A pattern is a regular expression in which ``{name:type}`` stands for a mention:

    person    one person            persons    one or more, joined by commas or "and"
    country   one country or side   countries  one or more
    org       one organization      place      one city or venue
    date      one date expression   text       any text (unmasked back to the sentence's words)

and ``{@name}`` stands for one word of the lexicon ``name`` (a rules file's ``lexicon`` key), so a
rule is a construction ("{a:person} {@meeting_verb} with {b:person}") and a new way of saying
it is one line in a lexicon. Two lexicons shape every person slot: ``before_person`` (words a
mention may carry in front that the recogniser leaves outside it: "the", "H.E.", an adjective of
nationality) and ``after_person`` ("MP").
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.literals import CASE_FOLDS_TO_ASCII, Gate, Sieve, WordIndex, gate_of
from kg.mappings import Mappings, line_of
from kg.mentions import Mention, MentionedSentence

_SLOT = re.compile(r"\{(\w+):(\w+)\}")
LEXICON_REF = re.compile(r"\{@(\w+)\}")
_ONE = {"person": "P", "country": "C", "org": "O", "place": "L", "date": "D"}
_MANY = {"persons": "P", "countries": "C"}
TOKEN = re.compile(r"⟨([A-Z])(\d+)⟩")
_TOKEN_PART = re.compile(r"⟨[a-z]?|⟩")   # a mention token's ends, in lower case


def _only_tokens(words: frozenset[str]) -> bool:
    """Words that are mention tokens' ends only: what a rule needs of those, its required tokens
    count (Rule.required_tokens)."""
    return all(_TOKEN_PART.fullmatch(w) for w in words)


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
    each_from: int = 2               # with each: the fewest persons a list needs to be one meeting with each
    count: str | None = None
    mode: str | None = None
    type: str | None = None
    both: bool = False
    prefix: str = ""
    split: bool = False
    examples: tuple[str, ...] = ()
    line: int | None = None
    title: bool = False              # matched against the article's title, not its sentences
    principal: str | None = None     # a slot the pattern lacks: the report's principal (see facts)
    addressee: str | None = None     # a slot the pattern lacks: whom the speaker addresses as "you"
    lead: str | None = None          # a slot the pattern lacks: the person whose meetings the report tells
    each_side: bool = False          # with each: a list of two of two sides is one meeting with each too
    inherits: bool = False        # clause-side: the speaker named before in the clause ("We ..."), else both
    items_follow: bool = False    # agreement: the documents are the bulleted paragraphs below the sentence
    cues: tuple[str, ...] = ()       # words one of which every match holds (lower case): others are not searched
    recalled: bool = False        # every match tells an earlier meeting than the report's ("we last met in X")
    pair: bool = False            # no person slots: the report's two principals ("their discussion last week")
    now: bool = False             # a pair rule telling the report's own meeting ("the two leaders held talks")

    @property
    def slot_names(self) -> tuple[str, ...]:
        return tuple(m.group(1) for m in _SLOT.finditer(self.pattern))

    @functools.cached_property
    def required_tokens(self) -> tuple[tuple[str, int], ...]:
        """The mention tokens ("⟨P", "⟨C" ...) any match needs, each with how many: one per slot
        the pattern holds outside every group and alternation (a slot inside an optional group
        may be missing). A sentence with fewer cannot match, so it is not searched at all: most
        sentences of real news name no person or one, and most meeting rules need two."""
        letters = {**_ONE, **_MANY}
        if _top_level_alternation(self.pattern):
            return ()
        needed: dict[str, int] = {}
        for m in _SLOT.finditer(self.pattern):
            if m.group(2) in letters and _depth_at(self.pattern, m.start()) == 0:
                token = f"⟨{letters[m.group(2)]}"
                needed[token] = needed.get(token, 0) + 1
        return tuple(sorted(needed.items()))

    @functools.cached_property
    def gate(self) -> Gate:
        """The words one of which every match holds, read off the compiled pattern (its lexicons
        expanded): a sentence without any is not searched."""
        return Gate.of(self.regex, skip=_only_tokens)

    @functools.cached_property
    def words_needed(self) -> tuple[frozenset[str], ...]:
        """The sets of words a sentence must hold one word of each of for `match` to search it
        (its cues, then its gate's), or for a pair rule to be read (its gate's: a pair rule's
        cues are not asked)."""
        cues = () if self.pair or not self.cues or "" in self.cues else (frozenset(self.cues),)
        return cues + self.gate.words

    @functools.cached_property
    def slot_letters(self) -> dict[str, str]:
        """The token letter each slot holds ("P" for person and persons), so that the words a slot
        may carry around its mentions (an adjective of nationality before a person) are not read
        as mentions of the slot."""
        letters = {**_ONE, **_MANY}
        return {m.group(1): letters[m.group(2)] for m in _SLOT.finditer(self.pattern) if m.group(2) in letters}


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
    recalled: tuple[re.Pattern[str], ...] = ()         # a specific earlier meeting, told in passing
    date_breaks: tuple[re.Pattern[str], ...] = ()      # after these, a sentence's date is of another event
    earlier: tuple[re.Pattern[str], ...] = ()          # what makes the report's pair's meeting an earlier one
    speaker_labels: tuple[re.Pattern[str], ...] = ()   # a transcript's "NAME, TITLE:" that opens a turn
    meeting_words: tuple[re.Pattern[str], ...] = ()    # what makes a planned or recalled phrase a meeting
    counts: dict[str, int] = field(default_factory=dict)  # "twice" -> 2 (a count slot's words)
    place_cues: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)  # here, visit_to, delegation_of
    speaker_titles: tuple[re.Pattern[str], ...] = ()   # "Remarks by X": X speaks the report
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
    companions: tuple[re.Pattern[str], ...] = ()  # "Mrs." before a principal's surname: the spouse, no principal

    def agreement_key(self, label: str) -> str:
        """The content words of a signed document's label, so that "BRI cooperation" and "Belt and
        Road cooperation" give the same key."""
        text = " " + re.sub(r"[^\w -]+", " ", label.lower()) + " "
        for word, same in self.agreement_synonyms:
            text = re.sub(rf"(?<= ){re.escape(word)}(?= )", same, text)
        words = sorted({w for w in text.split() if w not in self.agreement_ignore})
        return "-".join(words) or "document"

    def of_kind(self, kind: str) -> tuple[Rule, ...]:
        """The rules of one kind read in the sentences, in file order (asked for every sentence:
        grouped once). Rules read in an article's title are ``on_title``."""
        return self._by_kind.get((kind, False), ())

    def meeting_rules_for(self, persons: int) -> tuple[Rule, ...]:
        """The sentence rules of meetings a sentence naming this many persons can match (a rule
        whose every match fills two person slots cannot match a sentence naming one): most
        sentences of news name none or one, and most rules need two."""
        persons = min(persons, 3)
        found = self._by_persons.get(persons)
        if found is None:
            found = self._by_persons[persons] = tuple(
                r for r in self.of_kind("meeting") if r.pair or dict(r.required_tokens).get("⟨P", 0) <= persons)
        return found

    @functools.cached_property
    def _by_persons(self) -> dict[int, tuple[Rule, ...]]:
        return {}

    def meeting_rules_in(self, ms: MentionedSentence) -> tuple[Rule, ...]:
        """meeting_rules_for the persons the sentence names, less those whose cue words or gate
        words the sentence lacks (which `match`, or a pair rule's gate, would refuse): the words of
        every rule are looked for in one pass (cue_index), not once per rule and set."""
        persons = min(ms.token_counts.get("⟨P", 0), 3)
        return self._sieved(("meeting", persons), self.meeting_rules_for(persons), ms)

    def rules_in(self, kind: str, ms: MentionedSentence) -> tuple[Rule, ...]:
        """of_kind(kind), less the rules `match` would refuse for the words the sentence lacks
        (see meeting_rules_in)."""
        return self._sieved(kind, self.of_kind(kind), ms)

    def _sieved(self, key, rules: tuple[Rule, ...], ms: MentionedSentence) -> tuple[Rule, ...]:
        if not ms.plain:            # a letter re.I folds to ASCII: the gates admit it, match() decides
            return rules
        sieve = self._sieves.get(key)
        if sieve is None:
            sieve = self._sieves[key] = Sieve(rules, [r.words_needed for r in rules])
        return sieve.admitted(self.cue_index.present(ms.lowered))

    @functools.cached_property
    def _sieves(self) -> dict[object, Sieve]:
        return {}

    @functools.cached_property
    def told_patterns(self) -> Sieve:
        """The patterns of a meeting only planned (hypothetical) or recalled, each with its kind,
        sieved by the words every match of it holds (see told_not_as_event)."""
        told = [(kind, p) for kind, patterns in (("hypothetical", self.hypothetical), ("historical", self.recalled))
                for p in patterns]
        return Sieve(told, [gate_of(p).words for _, p in told])

    @functools.cached_property
    def cue_index(self) -> WordIndex:
        """Every word of every rule's cues and gate, derived from the mapping files when they load
        (see kg.literals): a rule or a lexicon word added there is in it too."""
        sets = [words for r in self.rules for words in r.words_needed]
        sets += [words for p in (*self.hypothetical, *self.recalled) for words in gate_of(p).words]
        return WordIndex(w for words in sets for w in words)

    def on_title(self, kind: str) -> tuple[Rule, ...]:
        """The rules of one kind read in the article's title ("Readout of the President's Call with
        ..."), in file order."""
        return self._by_kind.get((kind, True), ())

    @functools.cached_property
    def _by_kind(self) -> dict[tuple[str, bool], tuple[Rule, ...]]:
        kinds: dict[tuple[str, bool], list[Rule]] = {}
        for r in self.rules:
            kinds.setdefault((r.kind, r.title), []).append(r)
        return {k: tuple(v) for k, v in kinds.items()}


def lexicon_alternation(words: list[str] | tuple[str, ...]) -> str:
    """One lexicon as a regular-expression alternation, longest entry first so that "telephone
    talks" wins over "telephone" (an entry is itself a small regular expression)."""
    return "(?:" + "|".join(sorted(words, key=lambda w: (-len(w), w))) + ")"


def expand_lexicons(pattern: str, lexicon: dict[str, tuple[str, ...]], depth: int = 0) -> str:
    """Replace every ``{@name}`` by the alternation of that lexicon's entries; an entry may itself
    name a lexicon ("by {@phone_word}"). An unknown name and a lexicon that names itself are
    refused when the mapping files load (``kg.mappings``), so here they are programming errors."""
    if depth > 8:
        raise ValueError(f"lexicons nested too deeply in {pattern!r}")
    return LEXICON_REF.sub(lambda m: expand_lexicons(lexicon_alternation(lexicon[m.group(1)]), lexicon, depth + 1),
                           pattern)


def _person_slot(name: str, lexicon: dict[str, tuple[str, ...]], many: bool, leading: bool = False) -> str:
    """One person (or a list of persons) with the words a mention may carry around it: "with the
    ⟨P1⟩", "met ⟨C0⟩ ⟨P0⟩" (the nationality masked apart), "the Rt Hon ⟨P0⟩ MP". At most three
    words in front and one after, so the slot cannot run away along the sentence. A slot that
    opens the pattern (``leading``) takes no words in front: they would only widen the match,
    and a pattern that starts with the token itself is searched for as a literal, many times
    faster than one that tries the words in front at every position of the sentence."""
    before = lexicon.get("before_person")
    after = lexicon.get("after_person")
    pre = rf"(?:{lexicon_alternation(before)} ){{0,3}}" if before else ""
    first = "" if leading else pre
    post = rf"(?: {lexicon_alternation(after)}\b)?" if after else ""
    # "X, who is visiting India, held talks"; "X who is visiting Tokyo, Japan, held talks"; with no
    # comma at all, a short "who is / was ..." ("X who is on an official visit in Pakistan has held")
    # ... or a phrase set off by commas that says when or where ("X, within the framework of an official
    # visit to Ankara, met with Y")
    relative = (r"(?:,? (?:who|whose) [^,]{1,80}(?:, ⟨[CL]\d+⟩[^,]{0,80})?,| who (?:is|was|has been) [^,⟨]{1,60}?(?: ⟨[CL]\d+⟩)?"
                r"|, (?:within|during|in the course of|as part of|while|after|following|upon) [^,⟨]{1,80}?(?:⟨[CL]\d+⟩[^,⟨]{0,40})?,)?")
    if not many:
        return rf"{first}(?P<{name}>⟨P\d+⟩){post}{relative}"
    one = rf"⟨P\d+⟩{post}"
    # a person whose possessive follows is no member of the list: "with X, Y's Special Envoy"
    further = rf"⟨P\d+⟩(?![’']s\b){post}"
    return rf"{first}(?P<{name}>{one}(?:(?:,? and |, |; |,? as well as ){pre}{further})*){relative}"


_LEADING = re.compile(r"^(?:\^|\(\?<[!=][^()]*\))*$")   # what may stand before a slot that opens a pattern


def _depth_at(pattern: str, position: int) -> int:
    """How many groups of a regular expression are open at `position` (escapes and character
    classes skipped)."""
    depth, i, in_class = 0, 0, False
    while i < position:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        i += 1
    return depth


def _top_level_alternation(pattern: str) -> bool:
    return any(c == "|" and _depth_at(pattern, i) == 0 and (i == 0 or pattern[i - 1] != "\\")
               for i, c in enumerate(pattern))


def compile_pattern(pattern: str, lexicon: dict[str, tuple[str, ...]] | None = None) -> re.Pattern[str]:
    lexicon = lexicon or {}

    def slot(m: re.Match[str]) -> str:
        name, kind = m.group(1), m.group(2)
        if kind in ("person", "persons"):
            return _person_slot(name, lexicon, kind == "persons", leading=bool(_LEADING.match(m.string[:m.start()])))
        if kind in _ONE:
            return rf"(?P<{name}>⟨{_ONE[kind]}\d+⟩)"
        if kind in _MANY:
            t = _MANY[kind]
            return rf"(?P<{name}>⟨{t}\d+⟩(?:(?:,? and |, |; |,? as well as )⟨{t}\d+⟩)*)"
        return rf"(?P<{name}>.+?)"
    return re.compile(_SLOT.sub(slot, expand_lexicons(pattern, lexicon)), re.I)


def load_lexicon(mappings: Mappings) -> dict[str, tuple[str, ...]]:
    """Every ``lexicon`` of the rules files, merged by name (two files may add to one lexicon)."""
    lexicon: dict[str, list[str]] = {}
    for f in mappings.of_kind("rules"):
        for name, words in (f.data.get("lexicon") or {}).items():
            lexicon.setdefault(name, []).extend(w for w in words if w not in lexicon.get(name, []))
    return {k: tuple(v) for k, v in lexicon.items()}


def load_rules(mappings: Mappings) -> RuleBook:
    lexicon = load_lexicon(mappings)

    def regexes(patterns: list[str]) -> list[re.Pattern[str]]:
        return [re.compile(expand_lexicons(p, lexicon), re.I) for p in patterns]

    rules: list[Rule] = []
    cues: dict[str, list[re.Pattern[str]]] = {}
    hypothetical: list[re.Pattern[str]] = []
    unnamed: list[re.Pattern[str]] = []
    historical: list[re.Pattern[str]] = []
    recalled: list[re.Pattern[str]] = []
    date_breaks: list[re.Pattern[str]] = []
    earlier: list[re.Pattern[str]] = []
    companions: list[re.Pattern[str]] = []
    speaker_labels: list[re.Pattern[str]] = []
    speaker_titles: list[re.Pattern[str]] = []
    meeting_words: list[re.Pattern[str]] = []
    counts: dict[str, int] = {}
    place_cues: dict[str, list[re.Pattern[str]]] = {}
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
                r["id"], r["kind"], r["description"], r["pattern"], compile_pattern(r["pattern"], lexicon), f.path,
                tuple(regexes(r.get("unless", []))), dict(r.get("roles", {})),
                r.get("each"), int(r.get("each_from", 2)), r.get("count"), r.get("mode"), r.get("type"),
                bool(r.get("both", False)),
                r.get("prefix", ""), bool(r.get("split", False)), tuple(r.get("examples", [])),
                line_of(f, ["rules", i]), title=bool(r.get("title", False)), principal=r.get("principal"),
                addressee=r.get("addressee"), lead=r.get("lead"), each_side=bool(r.get("each_side", False)),
                inherits=bool(r.get("inherits", False)),
                items_follow=bool(r.get("items_follow", False)),
                cues=tuple(c.lower() for c in r.get("cues", [])), recalled=bool(r.get("recalled", False)),
                pair=bool(r.get("pair", False)), now=bool(r.get("now", False))))
        hypothetical.extend(regexes(f.data.get("hypothetical", [])))
        unnamed.extend(regexes(f.data.get("unnamed", [])))
        historical.extend(regexes(f.data.get("historical", [])))
        recalled.extend(regexes(f.data.get("recalled", [])))
        date_breaks.extend(regexes(f.data.get("date_breaks", [])))
        earlier.extend(regexes(f.data.get("earlier", [])))
        companions.extend(regexes(f.data.get("companions", [])))
        speaker_labels.extend(regexes(f.data.get("speaker_labels", [])))
        speaker_titles.extend(regexes(f.data.get("speaker_titles", [])))
        meeting_words.extend(regexes(f.data.get("meeting_words", [])))
        counts.update({k.lower(): int(v) for k, v in (f.data.get("counts") or {}).items()})
        for cue, patterns in (f.data.get("place_cues") or {}).items():
            place_cues.setdefault(cue, []).extend(regexes(patterns))
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
            cues.setdefault(mode, []).extend(regexes(patterns))
    openers = tuple(re.compile(p, re.I) for f in mappings.of_kind("rules") for p in f.data.get("clause_openers", []))
    joints = tuple(re.compile(p, re.I) for f in mappings.of_kind("rules") for p in f.data.get("clause_joints", []))
    furniture = tuple(re.compile(p, re.I) for f in mappings.of_kind("rules") for p in f.data.get("heading_furniture", []))
    narrative = tuple(re.compile(p, re.I) for f in mappings.of_kind("rules") for p in f.data.get("statement_narrative", []))
    return RuleBook(tuple(rules), {k: tuple(v) for k, v in cues.items()}, tuple(hypothetical),
                    tuple(sorted(synonyms.items(), key=lambda kv: -len(kv[0]))), frozenset(ignore), tuple(unnamed),
                    tuple(historical), recalled=tuple(recalled), date_breaks=tuple(date_breaks), earlier=tuple(earlier),
                    speaker_labels=tuple(speaker_labels), meeting_words=tuple(meeting_words),
                    counts=counts, place_cues={k: tuple(v) for k, v in place_cues.items()},
                    speaker_titles=tuple(speaker_titles),
                    clause_openers=openers, clause_joints=joints, agreement_tails=tuple(tails),
                    agreement_label_ends=tuple(label_ends), agreement_documents=frozenset(documents),
                    heading_furniture=furniture, statement_narrative=narrative,
                    agreement_determiners=tuple(determiners), agreement_boundaries=tuple(boundaries),
                    statement_named=named, statement_title_ends=tuple(title_ends),
                    statement_commentary=tuple(commentary), companions=tuple(companions))


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


def recalled_words(book: RuleBook, rm: RuleMatch, ms: MentionedSentence) -> str | None:
    """The words that make a meeting rule's match an earlier meeting the report recalls in passing
    ("had exchanged views with", "last met in"), in the same window as the historical cues; None
    when the match tells the report's own meeting."""
    window = ms.masked[rm.span[0]:rm.span[1] + 16]
    for p in book.recalled:
        found = p.search(window)
        if found:
            return unmask(found.group(0), ms)
    return None


def told_not_as_event(book: RuleBook, ms: MentionedSentence) -> tuple[str, str] | None:
    """For a sentence no meeting rule read: ('hypothetical' | 'historical', words) when it names a person
    and tells a meeting or visit that is only planned ("will visit", "is expected to meet", "invited him
    to visit") or only recalled ("had met"); None otherwise."""
    if not any(t.startswith("⟨P") for t in ms.tokens):
        return None
    # a general history ("they have met many times") is no event to warn about; one earlier meeting
    # that no rule could read ("had met", "last met") is
    # the patterns whose words every match holds the sentence lacks are not searched
    told = book.told_patterns.admitted(book.cue_index.present(ms.lowered)) if ms.plain else book.told_patterns.items
    for kind, p in told:
        for found in p.finditer(ms.masked):
            if any(w.search(found.group(0)) for w in book.meeting_words):
                return kind, unmask(found.group(0), ms)
    return None


def match(rule: Rule, ms: MentionedSentence, text: str | None = None) -> list[RuleMatch]:
    """Every non-overlapping match of one rule in one sentence (or in ``text``, e.g. a title)."""
    # most sentences cannot match most rules: the cheap tests first, the search only when they pass
    if text is None:
        target, lowered, plain, counts = ms.masked, ms.lowered, ms.plain, ms.token_counts
        for token, n in rule.required_tokens:
            if counts.get(token, 0) < n:
                return []
    else:
        target, lowered = text, text.lower()
        plain = CASE_FOLDS_TO_ASCII.search(text) is None
        if not all(target.count(token) >= n for token, n in rule.required_tokens):
            return []
    if rule.cues and not any(cue in lowered for cue in rule.cues):
        return []
    if not rule.gate.admits(lowered, plain):
        return []
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
            letter = rule.slot_letters.get(name)
            tokens = [ms.tokens[t.group(0)] for t in TOKEN.finditer(value)
                      if t.group(0) in ms.tokens and (letter is None or t.group(1) == letter)]
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
            article = Article(doc, 1, example if rule.kind == "statement" or rule.title else None, None, None, None,
                              (Line(0, len(text), text),), 1)
            ms = finder.find(Sentence(article, 0, 0, 0, len(text), text), ReportContext())
            if not match(rule, ms):
                failures.append((rule, example, ms.masked))
    return failures
