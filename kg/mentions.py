"""Stage 3b, mentions: people, countries, organizations, places and dates in a sentence.

People come from the person gazetteer, or from title patterns for people no gazetteer knows
("Cuban Deputy Foreign Minister Anayansi Rodríguez Camejo", "Sophia Shaningwa, Secretary
General of the SWAPO Party of Namibia"). Within a report, a surname used alone ("Xi",
"Rodríguez"), a descriptor ("the Russian leader") or a sentence-initial pronoun resolves to
the one person of the report it can mean; where it could mean two, it is left alone.
The titles around a name ("Vice Foreign Minister", ", first secretary of ... and Cuban
president,") belong to the mention, so a rule sees one token per person.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from kg.dates import MONTHS, DateExpression, find_dates
from kg.errors import Problem
from kg.gazetteer import Gazetteer, case_insensitive_alternation, fold, slug, trie_alternation
from kg.literals import CASE_FOLDS_TO_ASCII, Gate
from kg.sentences import Sentence

TOKEN_PREFIX = {"person": "P", "country": "C", "org": "O", "place": "L", "date": "D"}
_TOKEN_LETTERS = tuple(TOKEN_PREFIX.values())


@dataclass(frozen=True)
class Mention:
    kind: str                 # person | country | org | place | date
    start: int                # offsets in the sentence text
    end: int
    text: str
    key: str | None = None    # person key, country code, organization or place id
    name: str | None = None   # a person's name as the sentence writes it
    titles: tuple[str, ...] = ()
    country: str | None = None
    organization: str | None = None
    date: DateExpression | None = None
    how: str = "gazetteer"    # gazetteer | title | surname | descriptor | pronoun


@dataclass
class PersonInfo:
    key: str
    name: str
    country: str | None
    organization: str | None
    spellings: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    slot: str | None = None    # for a person known only by a title: the title and side that name it
    beside: frozenset[str] = frozenset()   # ... the holders of that title named beside it when it was first read
    quoted_in: set[int] = field(default_factory=set)   # paragraphs whose quotations this person is said to speak


@dataclass
class ReportContext:
    """What one report has said so far, in reading order."""

    persons: dict[str, PersonInfo] = field(default_factory=dict)
    short_forms: dict[str, set[str]] = field(default_factory=dict)
    acronyms: dict[str, set[str]] = field(default_factory=dict)
    last_subject: str | None = None
    known: dict[str, PersonInfo] = field(default_factory=dict)  # who a first reading found, with titles
    sides: set[str] = field(default_factory=set)  # countries and the countries of places the report names
    problems: list[Problem] = field(default_factory=list)
    warned: set[str] = field(default_factory=set)
    speaker: str | None = None      # who speaks the current turn of a transcript ("NAME, TITLE: ...")
    home: str | None = None         # the country of the government that publishes the page, if it says
    home_read: bool = False         # whether `home` has been read from the page's header yet
    unnamed: dict[str, str] = field(default_factory=dict)  # a title never given a name -> its person key
    # the people the first reading named in full that this reading has not met, by len(persons) then
    later: tuple[int, dict[str, PersonInfo], dict[str, set[str]]] | None = None


@dataclass
class Scan:
    """What a sentence's text alone says, found once and used by both readings of a report: the
    dates, the people the gazetteer and the title patterns name, and the matches of the patterns
    whose use depends on the report. `memo` keeps the title searches around a name, by offset."""

    folded: str
    dates: list[Mention]
    named: list[Mention]                  # people named by the gazetteer or a title, not overlapping
    descriptors: list[re.Match[str]]
    title_only: list[re.Match[str]]
    organizations: list[re.Match[str]]
    acronyms: list[re.Match[str]]
    places: list[Mention]
    countries: list[Mention]
    memo: dict[tuple[str, int], object] = field(default_factory=dict)


@dataclass(frozen=True)
class MentionedSentence:
    sentence: Sentence
    mentions: tuple[Mention, ...]
    masked: str                     # the sentence with one token per mention, dates taken out
    tokens: dict[str, Mention]      # "⟨P0⟩" -> mention

    def of_kind(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]

    @cached_property
    def lowered(self) -> str:
        """The masked sentence in lower case, for the rules' cue words (see Rule.cues)."""
        return self.masked.lower()

    @cached_property
    def plain(self) -> bool:
        """Whether the cue words can be looked up in `lowered` (see kg.literals)."""
        return CASE_FOLDS_TO_ASCII.search(self.masked) is None

    @cached_property
    def token_counts(self) -> dict[str, int]:
        """How many mention tokens of each kind the masked sentence holds ("⟨P" -> 2): a rule that
        needs more is not searched (asked by every rule of every sentence: counted once)."""
        return {f"⟨{letter}": self.masked.count(f"⟨{letter}") for letter in _TOKEN_LETTERS}


TITLES_JOINED = 4     # titles one person holds, joined by "and", that a title pattern reads as one


class MentionFinder:
    """Finds mentions with one gazetteer; holds only compiled patterns, no report state."""

    # one part of a name: initials ("A.K.", "J.") or a capitalised word that may hold hyphens,
    # apostrophes ("O’Neill", not a possessive "Trump's") and inner dots
    NAME = r"(?:[A-Z]\.(?:[A-Z]\.)*|[A-Z][\w-]*(?:(?:[’'](?![sS]\b)|\.(?=\w))[\w-]+)*(?<!-))"
    # what may follow a name: not more of a word, but a possessive may
    NAME_END = r"(?![\w-])(?![’'](?![sS]\b))"

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    @cached_property
    def _not_name(self) -> str:
        """No word that is never a name, nor a month that opens a date ("Ben Wallace Oct. 23")."""
        months = trie_alternation(sorted(m.capitalize() for m in MONTHS))
        return r"(?!(?:" + trie_alternation(sorted(self.gaz.not_names)) + r")\b)" + rf"(?!(?:{months})\.? \d)"

    @cached_property
    def _name(self) -> str:
        """Two to five capitalised parts, with particles between them ("Antonio de Aguiar Patriota")."""
        return self._name_of(1)

    @cached_property
    def _surname_or_name(self) -> str:
        """A name as it follows a title or an honorific, where one part is enough ("President Moon")."""
        return self._name_of(0)

    def _name_of(self, more_parts: int) -> str:
        particles = "|".join(re.escape(p) for p in self.gaz.particles)
        part = self._not_name + self.NAME
        joined = rf"(?:(?:{particles})[-’']{self.NAME}|{part})"    # "al-Abadi", "d’Estaing"
        return rf"{part}(?: (?:(?:{particles}) ){{0,2}}{joined}){{{more_parts},4}}"

    @cached_property
    def _complement(self) -> str:
        word = r"(?:[A-Z][\w’'.-]*|\([A-Z][\w]*\))"
        # "and" before a title word joins a second title (_title_phrase), never this complement:
        # either reading gives the same span, and allowing both made "Minister of Foreign Affairs
        # and " * 18 take minutes (every split of the "and"s was tried)
        joins = rf"and(?! (?:{self.gaz.title_alt})\b)"
        # a serial list of portfolios, its commas included: "of Economy, Trade, and Industry" (only
        # words and a closing "and": a list of titled people, "of Economy A, Minister of Trade B",
        # stays apart)
        portfolios = rf"(?:(?:, {word})+,? and {word})?"
        return rf"(?: (?:of|to|for|in|on|from) (?:the )?{word}{portfolios}(?: (?:{word}|of|the|for|{joins}|on|in|to|’s|'s))*?)?"

    @cached_property
    def _title_phrase(self) -> str:
        t, d = self.gaz.title_alt, self.gaz.demonym_alt + "|" + self.gaz.country_name_alt
        side = rf"(?:(?:{d})(?:['’]s)? )?"     # "Cuban", "European Council", "Ghana's"
        # at most four titles joined by "and" ("General Secretary of the CPC Central Committee and
        # President of China and Chairman of ..."): a title may be read as a longer title or as a
        # shorter one with its complement, so each further "and" doubled what a failing match
        # tries ("Minister of Foreign Affairs and " * 18 took seconds, each repetition twice as long)
        return (rf"(?:(?:his|her|their|my|our) )?{side}(?:{t})\b{self._complement}"
                rf"(?: and {side}(?:{t})\b{self._complement}){{0,{TITLES_JOINED - 1}}}")

    def _bare_title(self, title: str) -> str:
        """The title word itself, without the possessive and the side before it ("his Japanese
        counterpart" -> "counterpart")."""
        t = self.title_side_re.sub("", fold(title))
        core = self.title_start_re.match(t)
        return t[:core.end()] if core else t

    @cached_property
    def title_side_re(self) -> re.Pattern[str]:
        """What stands before a title itself: a possessive, a side ("Chinese president")."""
        d, c = self.gaz.demonym_alt_i, case_insensitive_alternation(
            [n for co in self.gaz.countries.values() for n in (co.label, *co.names)])
        return re.compile(rf"^(?:(?:his|her|their|my|our|the) )?(?:(?:{d}|{c})(?:'s)? )?", re.I)

    @cached_property
    def leading_honorific_re(self) -> re.Pattern[str]:
        return re.compile(rf"(?:{self.gaz.honorific_alt})(?= )")

    @cached_property
    def plain_title_re(self) -> re.Pattern[str]:
        """A title with its side but no complement ("Ghana's President", not "President of ...")."""
        t, d = self.gaz.title_alt, self.gaz.demonym_alt + "|" + self.gaz.country_name_alt
        return re.compile(rf"(?:(?:his|her|their|my|our) )?(?:(?:{d})(?:['’]s)? )?(?:{t})")

    @cached_property
    def pre_title_re(self) -> re.Pattern[str]:
        h = self.gaz.honorific_alt
        return re.compile(rf"(?:(?<=[\s\"(])|^)((?:(?:{h}) )*{self._title_phrase}(?: (?:{h}))*){_ACRONYM} $")

    @cached_property
    def lower_title_alt(self) -> str:
        """Every title written in lower case, as the folded text holds it ("prime minister")."""
        return trie_alternation([fold(w).lower() for w in self.gaz.titles if not w.islower()])

    @cached_property
    def lower_title_name_re(self) -> re.Pattern[str]:
        """A title written in lower case before a name of two to four words ("health minister Ong Ye
        Kung"): one word after it is no name ("the foreign minister Wang" stays unread)."""
        lower, c = self.lower_title_alt, self.gaz.country_name_alt
        return re.compile(rf"(?<![\w’'-])(?P<title>{lower}(?: of (?:the )?(?:{c}))?) (?P<name>{self.NAME}(?: {self.NAME}){{1,3}}){self.NAME_END}")

    @cached_property
    def lower_pre_title_re(self) -> re.Pattern[str]:
        """A title in lower case just before a name, with the side that may open it ("Singapore's
        finance minister", "health minister")."""
        lower = self.lower_title_alt
        c = self.gaz.country_name_alt
        d = self.gaz.demonym_alt + "|" + c
        # ... and its country after "of" ("with the president of Argentina Alberto Fernández")
        return re.compile(rf"(?:(?<=[\s\"(])|^)((?:(?:{d})(?:['’]s)? )?(?:{lower})(?: of (?:the )?(?:{c}))?) $")

    @cached_property
    def post_nominal_re(self) -> re.Pattern[str]:
        """Letters after a name that say what the person is ("MP", "QC"), no part of the name."""
        words = "|".join(re.escape(w) for w in sorted(self.gaz.post_nominals, key=len, reverse=True)) or "(?!)"
        return re.compile(rf"(?: (?:{words}))+(?![\w-])")

    @cached_property
    def honorific_re(self) -> re.Pattern[str]:
        return re.compile(rf"(?:(?<=\s)|^)((?:(?:{self.gaz.honorific_alt}) )+)$")

    @cached_property
    def title_name_re(self) -> re.Pattern[str]:
        h = self.gaz.honorific_alt
        return re.compile(rf"(?:(?<=\s)|^|(?<=[(“\"]))(?P<title>{self._title_phrase}){_ACRONYM}(?: (?:{h}))* "
                          rf"(?P<name>{self._surname_or_name}){self.NAME_END}")

    @cached_property
    def plural_title_res(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """A title in the plural before a list of full names ("Presidents Uhuru Kenyatta and Umaro
        Embalo of Guinea-Bissau", "Presidents A (Djibouti), B (Mali) and C (Somalia)"): the whole
        list (group "list"), and one name of it with its side, matched where the last one ended."""
        plural = rf"(?:(?<=\s)|^)(?:{self.gaz.title_alt})s"
        # "of Kenya", "(Djibouti)"
        side = r"(?: of (?:the )?[A-Z][\w’'-]*(?: [A-Z][\w’'-]*){0,3}| \([A-Z][\w’'-]*(?: [A-Z][\w’'-]*){0,3}\))?"
        item = rf"{self._name}{self.NAME_END}{side}"
        return (re.compile(rf"{plural} (?P<list>{item}(?:, {item})*,? and {item})"),
                re.compile(rf"(?P<name>{self._name}){self.NAME_END}{side}(?:,? and |, )?"))

    def _plural_names(self, folded: str) -> list[re.Match[str]]:
        """Each name of a list after a title in the plural (plural_title_res)."""
        listed, item = self.plural_title_res
        out = []
        for found in listed.finditer(folded):
            pos = found.start("list")
            while pos < found.end("list") and (m := item.match(folded, pos, found.end("list"))) and m.end() > pos:
                out.append(m)
                pos = m.end()
        return out

    @cached_property
    def title_full_name_re(self) -> re.Pattern[str]:
        """A title whose complement runs as far as it can before a name of two or more parts."""
        word = r"(?:[A-Z][\w’'.-]*|\([A-Z][\w]*\))"
        t, d = self.gaz.title_alt, self.gaz.demonym_alt + "|" + self.gaz.country_name_alt
        complement = rf"(?: (?:of|to|for|in|on|from) (?:the )?{word}(?:(?:, {word})+,? and {word})?(?: (?:{word}|of|the|for|and|on|in|to))*)?"
        return re.compile(rf"(?P<title>(?:(?:{d})(?:['’]s)? )?(?:{t})\b{complement}){_ACRONYM} (?P<name>{self._name}){self.NAME_END}")

    @cached_property
    def honorific_name_re(self) -> re.Pattern[str]:
        """ "Dr. Haider al-Abadi", "Mr. Abadi", "the Rt Hon Boris Johnson MP": an honorific is a title
        that says only that a name follows."""
        h = self.gaz.honorific_alt
        return re.compile(rf"(?:(?<=\s)|^|(?<=[(“\"]))(?:{h})(?: (?:{h}))* (?P<name>{self._surname_or_name}){self.NAME_END}")

    @cached_property
    def speaker_label_re(self) -> re.Pattern[str]:
        """The label that opens a speaker's turn in a transcript: "SECRETARY KERRY: ...", "ANTHONY
        ALBANESE, PRIME MINISTER: ...", "President of Russia Vladimir Putin: ...", "Mustafa Sentop
        (retranslated): ..."."""
        word = r"(?:[A-Z][\w’'.-]*|of|the|for|and|de|da|do|van|von|der|bin|al|el|y)"
        return re.compile(rf"^(?P<label>[A-Z][\w’'.-]*(?:,? {word}){{0,11}})(?: \([^()]{{1,30}}\))?:(?:(?= )|(?<=\):)(?=[A-Z]))")

    @cached_property
    def appositive_re(self) -> re.Pattern[str]:
        t, d, c = self.gaz.title_alt_i, self.gaz.demonym_alt_i, self.gaz.country_name_alt
        return re.compile(rf"^, (?:the |a |an )?(?P<title>(?:(?:{d}) |(?-i:{c})(?:['’]s)? )?(?:{t})\b[^,;()]*(?:\([^)]*\)[^,;()]*)*?)(?P<close>,|(?=[.;:])|$)", re.I)

    @cached_property
    def reverse_appositive_re(self) -> re.Pattern[str]:
        t, d = self.gaz.title_alt_i, self.gaz.demonym_alt_i
        # the leading ".*" makes the search take the title nearest the name
        # a title never runs across a date ("the Kazakh President on May 20, Tokayev asked ...")
        return re.compile(rf"^.*(?:(?<=\s)|^)(?P<title>(?:(?:{d}) )?(?:{t})\b(?:(?! on )[^,;–—\d])*?), $", re.I)

    @cached_property
    def title_start_re(self) -> re.Pattern[str]:
        return re.compile(rf"(?:(?:{self.gaz.demonym_alt}) )?(?:{self.gaz.title_alt})\b")

    @cached_property
    def unknown_appositive_re(self) -> re.Pattern[str]:
        t, d, c = self.gaz.title_alt_i, self.gaz.demonym_alt, self.gaz.country_name_alt
        # "X, US Secretary of Energy": a country's name as a demonym
        return re.compile(rf"(?:(?<=[\s—–(“\"])|^)(?P<name>{self._name}), (?:the |a |an |my |his |her |their |our )?(?:(?:{d}|{c}) )?(?i:{t})\b")

    @cached_property
    def unknown_reverse_appositive_re(self) -> re.Pattern[str]:
        """ "The Chairperson of the African Union Commission, Moussa Faki Mahamat, received ..." """
        t, d, h = self.gaz.title_alt, self.gaz.demonym_alt, self.gaz.honorific_alt
        # a title in lower case after "the" ("hosting the president of the Sahrawi Republic, X,"; Spanish "el", "la")
        lower = self.lower_title_alt
        return re.compile(rf"(?:(?<=\s)|^)(?:[Tt]he |[Aa] |[Aa]n )?(?:new |newly appointed |incoming |outgoing )?(?:(?:{d}) )?"
                          rf"(?:{t}|(?:(?<=[Tt]he )|(?<=[Ee]l )|(?<=[Ll]a ))(?:{lower}))\b[^,;]{{0,140}}, (?:(?:{h}) )?(?P<name>{self._name})(?=, | [a-z]|[.;]|$)")

    @cached_property
    def title_only_re(self) -> re.Pattern[str]:
        """ "The Prime Minister met President Biden", "the President of Russia met ...": a title
        standing for the report's one holder of it (matched on the folded text). A title in lower
        case ("the president noted") may only stand for a holder the report names."""
        t, c = self.gaz.title_alt, self.gaz.country_name_alt
        lower = self.lower_title_alt
        # titles joined by "and" are one person's ("The First Secretary and President of X"): the
        # whole chain is read, so that the "of" after it keeps it from standing alone
        h = trie_alternation(list(self.gaz.styles)) or "(?!)"   # "HRH Crown Prince was received by ...": a style for "the"
        return re.compile(rf"(?:\b[Tt]he|(?<![\w.])(?:{h})) (?:(?P<title>{t})|(?P<lower>{lower}))\b(?: and (?:{t})\b)*+"
                          rf"(?: of (?:the )?(?P<country>{c})(?![\w-]))?(?! of\b| to\b| for\b| [A-Z⟨]|-)")

    @cached_property
    def adverbs_re(self) -> re.Pattern[str]:
        """Adverbs between a person and the verb carry nothing the rules need: "X also met Y", "X on
        Tuesday received Y" read as "X met Y", "X received Y"."""
        words = "|".join(re.escape(w) for w in sorted(self.gaz.adverbs, key=len, reverse=True)) or "(?!)"
        asides = self._asides_alt
        # a photo's note or a party after the person ("X (pix) received Y", "X (Reform) called Y") is
        # dropped the same way
        return re.compile(rf"(⟨P\d+⟩),? (?:(?:{words})\b,? |\((?:{asides}|(?-i:[A-Z][\w-]*)(?: (?-i:[A-Z][\w-]*)){{0,2}})\),? )+")

    @cached_property
    def aside_re(self) -> re.Pattern[str]:
        """A photo's note in brackets after a name: " (pix)", " (left)"."""
        return re.compile(rf" \((?:{self._asides_alt})\)")

    @cached_property
    def _asides_alt(self) -> str:
        """The notes in brackets after a name (titles.yaml asides), as one alternation."""
        return "|".join(re.escape(w) for w in sorted(self.gaz.asides, key=len, reverse=True)) or "(?!)"

    @cached_property
    def name_word_re(self) -> re.Pattern[str]:
        """One part of a name standing as a word of its own (a surname alone, "Xi")."""
        return re.compile(rf"(?<![\w’'-]){self.NAME}(?![\w’'-])")

    @cached_property
    def descriptor_re(self) -> re.Pattern[str]:
        d = self.gaz.demonym_alt_i
        words = "|".join(re.escape(w) for w in sorted(self.gaz.leader_words, key=len, reverse=True))
        c = self.gaz.country_name_alt    # "the US President", "the UK Prime Minister": a country's name as written
        return re.compile(rf"\b(?:the|his|her|their) (?P<dem>{d}|(?-i:{c})) (?P<word>{words})\b(?!(?-i: [A-Z])|-)", re.I)

    # Most sentences of real news hold no title, honorific or leader word: the patterns that
    # need one are not tried on them (each is tried at every position of a sentence).
    @cached_property
    def title_word_re(self) -> re.Pattern[str]:
        """A title as the case-sensitive patterns read it (title_name_re, ...): on folded text."""
        return re.compile(rf"(?:{self.gaz.title_alt})")

    @cached_property
    def honorific_word_re(self) -> re.Pattern[str]:
        return re.compile(rf"(?:{self.gaz.honorific_alt})")

    @cached_property
    def title_words(self) -> Gate:
        """A title in any case (unknown_appositive_re, title_only_re): on folded text in lower case."""
        return Gate.of_words(fold(t) for t in self.gaz.titles)

    @cached_property
    def leader_words(self) -> Gate:
        """A leader word in any case (descriptor_re): on the text in lower case."""
        return Gate.of_words(self.gaz.leader_words)

    def _titles_held(self, folded: str) -> tuple[bool, bool]:
        """Whether the folded text holds a title as written, and in any case."""
        if self.title_word_re.search(folded):
            return True, True
        return False, self.title_words.admits(folded.lower(), CASE_FOLDS_TO_ASCII.search(folded) is None)

    # ------------------------------------------------------------------ finding
    SCANS_KEPT = 8        # texts whose scan is kept: a report reads its title and headline again and again

    def scan(self, text: str) -> Scan:
        """The report-independent part of finding mentions in a sentence (a pure function of its
        text), kept for the last texts scanned: a report's title, headline and bylines are read by
        each reading, by the statement's heading and by the title's meetings."""
        kept = self._scans
        found = kept.pop(text, None)
        if found is None:
            found = self._scan(text)
            if len(kept) >= self.SCANS_KEPT:
                del kept[next(iter(kept))]       # the least recently used
        kept[text] = found
        return found

    @cached_property
    def _scans(self) -> dict[str, Scan]:
        return {}

    def _fold(self, text: str) -> str:
        """The text folded for the patterns, but a word that folds into one that is never a name keeps
        its letters: "Tô Lâm" is a name, "To Lam" would open with "To"."""
        folded = fold(text)
        if folded is text or not _ACCENTED.search(text):
            return folded
        kept = None
        for m in _ACCENTED_WORD.finditer(text):
            word = folded[m.start():m.end()]
            if word in self.gaz.not_names or word in self.gaz.function_words:
                kept = kept or list(folded)
                kept[m.start():m.end()] = text[m.start():m.end()]
        return "".join(kept) if kept else folded

    def _scan(self, text: str) -> Scan:
        folded = self._fold(text)
        titles = self._titles_held(folded)
        leader = self.leader_words.admits(text.lower(), CASE_FOLDS_TO_ASCII.search(text) is None)
        return Scan(folded,
                    [Mention("date", e.start, e.end, e.text, date=e, how="date") for e in find_dates(text)],
                    self._named(text, folded, titles),
                    list(self.descriptor_re.finditer(text)) if leader else [],
                    list(self.title_only_re.finditer(folded)) if titles[1] else [],
                    list(self.gaz.org_re.finditer(folded)), list(self.gaz.acronym_re.finditer(folded)),
                    self._places(text, folded), self._countries(text, folded))

    def find(self, sentence: Sentence, ctx: ReportContext, scan: Scan | None = None,
             masking: bool = True) -> MentionedSentence:
        """The sentence's mentions as this report reads them so far (`ctx`, updated). `scan` is the
        sentence's own `scan` when the caller has it already; without `masking` (a first reading that
        only learns the report's people) the sentence is not masked."""
        text = sentence.text
        scan = scan or self.scan(text)
        folded = scan.folded
        accepted: list[Mention] = list(scan.dates)

        def free(s: int, e: int) -> bool:
            return all(e <= m.start or s >= m.end for m in accepted)

        if not ctx.home_read:
            ctx.home, ctx.home_read = self._home_side(sentence), True
        speaker = self._speaker_turn(sentence, scan, ctx)
        if speaker is not None:
            accepted.append(speaker)
        for m in self._persons(text, scan, ctx):
            if free(m.start, m.end):
                accepted.append(self._as_known(m, ctx))
        # in reading order (the gazetteer's people are found before those a title names): a title
        # taken by one name is not the next one's ("Mr X, Prime Minister of Japan, Mr Y, ...")
        for i in sorted(range(len(accepted)), key=lambda i: accepted[i].start):
            m = accepted[i]
            if m.kind == "person" and m.how != "speaker":
                accepted[i] = self._with_titles(m, text, folded, accepted, ctx, scan.memo)
        for m in self._first_person(text, ctx, sentence.paragraph):
            if free(m.start, m.end):
                accepted.append(m)
        named = {m.key for m in accepted if m.kind == "person"}
        for m in self._descriptors(scan.descriptors, ctx, named, sentence):
            if free(m.start, m.end):
                accepted.append(m)
        if "counterpart" in text or "homólog" in text:
            counterpart = self._counterpart(text, ctx, accepted)
            if counterpart and free(counterpart.start, counterpart.end):
                accepted.append(counterpart)
        named = {m.key for m in accepted if m.kind == "person"}
        titles_alone = [m for m in scan.title_only if free(m.start(), m.end())]
        for m in self._title_only(titles_alone, ctx, named, sentence):
            if free(m.start, m.end):
                accepted.append(m)
        pronoun = self._pronoun(text, ctx, accepted)
        if pronoun and free(pronoun.start, pronoun.end):
            accepted.append(pronoun)
        for m in self._organizations(text, scan, ctx, sentence):
            if free(m.start, m.end):
                accepted.append(m)
        for m in scan.places:
            if free(m.start, m.end):
                accepted.append(m)
        for m in scan.countries:
            if free(m.start, m.end):
                accepted.append(m)
        accepted.sort(key=lambda m: m.start)
        for m in accepted:
            if m.kind == "person":
                self._register(m, ctx)
            elif m.kind == "country" and m.key:
                ctx.sides.add(m.key)
            elif m.kind == "place" and m.key in self.gaz.places and self.gaz.places[m.key].country:
                ctx.sides.add(self.gaz.places[m.key].country)  # type: ignore[arg-type]
        persons = [m for m in accepted if m.kind == "person"]
        self._note_quotation(text, persons, sentence.paragraph, ctx)
        if persons:
            ctx.last_subject = _subject(text, persons).key
        masked, tokens = mask(text, accepted, self.adverbs_re) if masking else ("", {})
        return MentionedSentence(sentence, tuple(accepted), masked, tokens)

    def _named(self, text: str, folded: str, titles: tuple[bool, bool] | None = None) -> list[Mention]:
        """People the gazetteer names, then people a title pattern names, not overlapping. `titles`
        is _titles_held(folded) when the caller has it."""
        found: list[Mention] = []
        cased, any_case = titles or self._titles_held(folded)

        def add(m: Mention) -> None:
            if all(m.end <= o.start or m.start >= o.end for o in found):
                found.append(m)

        for m in self.gaz.person_re.finditer(folded):
            single = " " not in m.group(0)
            if folded[m.end():m.end() + 2] in ("'a", "'i") or (single and _inside_longer_name(text, m.start(), m.end(), self.gaz)):
                continue
            key = self.gaz.person_index[m.group(0)]
            p = self.gaz.persons[key]
            start = m.start()
            # the first name and a middle initial before a surname the gazetteer knows ("Donald J. Trump")
            head = _FIRST_AND_INITIAL.search(text, 0, start) if single else None
            if head and self._name_variant(text[head.start():m.end()]) == key:
                start = head.start()
            add(Mention("person", start, m.end(), text[start:m.end()], key, text[start:m.end()],
                        country=p.country, organization=p.organization))
        # the patterns run over the folded text (titles and sides are folded); names come from the text
        titled = []
        if cased:
            titled += [(m, text[m.end("name"):m.end("name") + 40]) for m in self.title_name_re.finditer(folded)]
        if any_case:
            titled += [(m, "") for m in self.unknown_appositive_re.finditer(folded)]
            # "Singapore's finance minister Lawrence Wong": a title in lower case, a full name
            titled += [(m, text[m.end("name"):m.end("name") + 40]) for m in self.lower_title_name_re.finditer(folded)]
        if cased or any_case:     # its title may be in lower case after "the"
            titled += [(m, "") for m in self.unknown_reverse_appositive_re.finditer(folded)]
        if "s " in folded:      # "Presidents A B and C D": a title in the plural before two full names
            titled += [(m, text[m.end("name"):m.end("name") + 40]) for m in self._plural_names(folded)]
        if self.honorific_word_re.search(folded):
            titled += [(m, text[m.end("name"):m.end("name") + 40]) for m in self.honorific_name_re.finditer(folded)]
        for m, after in titled:
            s, e = self._name_start(folded, m.start(), m.start("name"), m.end("name")), m.end("name")
            person = self._titled_person(m, s, e, text, folded, after)
            if person is None and m.groupdict().get("title"):
                # the shortest title left part of itself for a name ("Minister of the People's Power",
                # "Deputy Chief of Staff of the Presidential Executive"): the title runs on to the
                # full name after it ("... for Energy Rafael Ramirez", "... Office Maxim Oreshkin")
                longer = self.title_full_name_re.match(folded, m.start())
                if longer is not None and longer.end("name") > e:
                    s, e = self._name_start(folded, longer.start(), longer.start("name"), longer.end("name")), longer.end("name")
                    person = self._titled_person(longer, s, e, text, folded, text[e:e + 40])
            if person is not None:
                add(person)
        return found

    def _titled_person(self, m: re.Match[str], s: int, e: int, text: str, folded: str, after: str) -> Mention | None:
        """The person a title or honorific pattern found at text[s:e], unless that is no name: a
        gazetteer spelling (found already), one word that cannot be a surname, part of a longer
        proper noun."""
        name = text[s:e]
        if not name or self.gaz.person_index.get(fold(name)):
            return None
        initialled = re.fullmatch(r"(?:[A-Z]\.)+[A-Z][\w’'-]+", name)    # "D.Tsogtbaatar": an initial, then the name
        if " " not in name and not initialled and not self._is_surname(name, m.groupdict().get("title"), folded[:s]):
            return None
        known = self._name_variant(name)
        if known:
            p = self.gaz.persons[known]
            return Mention("person", s, e, name, known, name, country=p.country, organization=p.organization)
        if self._is_known_entity(name, after):
            return None
        return Mention("person", s, e, name, slug(name), name, how="title")

    def _persons(self, text: str, scan: Scan, ctx: ReportContext) -> list[Mention]:
        """The sentence's people: those it names, then the report's people written again
        (a known spelling, a surname alone)."""
        found = list(scan.named)

        def add(m: Mention) -> None:
            if all(m.end <= o.start or m.start >= o.end for o in found):
                found.append(m)

        # the people read so far, and those the first reading found later by a title: a full name
        # written before its title is given ("Kwon Young-se had talks ..." before "Minister Kwon Young-se")
        later, surnames = self._later_people(ctx) if ctx.known else ({}, {})
        # of those met later, only people whose surname the sentence holds (a cheap test first)
        present = [last for last in surnames if last in scan.folded] if surnames else []
        later = {k: later[k] for last in present for k in surnames[last]} if present else {}
        for key, info in sorted({**later, **ctx.persons}.items() if later else ctx.persons.items()):
            if info.slot is not None:     # known by a title only: found as a title (_title_only)
                continue
            # the spellings the sentence holds, in the order of all of them (longest first)
            held = [spelling for spelling in info.spellings | {info.name} if " " in spelling and spelling in text]
            for spelling in sorted(held, key=len, reverse=True):
                for s, e in _whole_words(text, spelling):
                    add(Mention("person", s, e, spelling, key, spelling, country=info.country,
                                organization=info.organization, how="surname"))
        # a surname alone: only a sentence that holds one of the report's surnames is read word by
        # word (folding is letter by letter, so a word's folded form is the folded text's slice)
        folded = scan.folded
        # ``surnames``: of the people the report names in full only later
        if not present and not any(short in folded for short in ctx.short_forms):
            return found
        for m in self.name_word_re.finditer(text):
            token = m.group(0)
            keys = ctx.short_forms.get(folded[m.start():m.end()]) or (surnames.get(folded[m.start():m.end()])
                                                                      if present else None)
            if not keys or len(keys) != 1 or _inside_longer_name(text, m.start(), m.end(), self.gaz):
                continue
            key = next(iter(keys))
            info = ctx.persons.get(key) or ctx.known[key]
            start = self._particles_before(text, m.start(), token, info.name)
            add(Mention("person", start, m.end(), text[start:m.end()], key, text[start:m.end()],
                        country=info.country, organization=info.organization, how="surname"))
        return found

    def _later_people(self, ctx: ReportContext) -> tuple[dict[str, PersonInfo], dict[str, set[str]]]:
        """The people with a full name the first reading found that this reading has not met yet, and
        the last word of each of those names ("Zarif met and held talks with ..." before "Mohammad
        Javad Zarif" is named). Kept on the report's context until it meets another person."""
        if ctx.later is not None and ctx.later[0] == len(ctx.persons):
            return ctx.later[1], ctx.later[2]
        people = {k: p for k, p in ctx.known.items() if k not in ctx.persons and " " in p.name}
        surnames: dict[str, set[str]] = {}
        for key, p in people.items():
            last = p.name.split()[-1]
            if p.slot is None and len(last) >= 3 and last[0].isupper() and last not in self.gaz.not_names \
                    and last not in self.gaz.function_words:
                surnames.setdefault(fold(last), set()).add(key)
        ctx.later = (len(ctx.persons), people, surnames)
        return people, surnames

    def _particles_before(self, text: str, start: int, token: str, name: str) -> int:
        """Where a surname written alone starts with the particles its full name puts before it
        ("bin Hamad" of "Tamim bin Hamad", "van der Bellen"): they are part of the mention."""
        words = name.split(" ")
        if token not in words:
            return start
        for word in reversed(words[:words.index(token)]):
            if word.lower() not in self.gaz.particles or not text[:start].endswith(word + " "):
                break
            start -= len(word) + 1
        return start

    def _name_start(self, folded: str, phrase: int, start: int, end: int) -> int:
        """Where the name itself starts: capitalised words of a title or a side are no part of it
        ("... of the Socialist Republic of Vietnam Pham Minh Chinh", "... of Sri Lanka Ranil
        Wickremesinghe", "Chargé d’Affaires Ambassador Hugo Llorens", "Deputy Chief of Staff")."""
        for side in self.gaz.country_re.finditer(folded, phrase, end):
            if side.start() < start < side.end():
                start = min(side.end() + 1, end)
        while start < end:
            lead = self.title_start_re.match(folded, start) or self.gaz.country_re.match(folded, start) \
                or self.leading_honorific_re.match(folded, start)
            if not lead or lead.end() >= end or folded[lead.end()] != " ":
                return end if lead else start
            start = lead.end() + 1
        return start

    def _is_surname(self, word: str, title: str | None, before: str = "") -> bool:
        """Can one capitalised word after a title or honorific be the person's surname? Not when it
        is itself a title or a common word ("Madam Speaker", "Mr President"), a side, a body or a
        place, initials alone, or when the title is one that precedes only full names ("Head Office")."""
        if title and (self._bare_title(title) in self.gaz.full_name_titles or not self.plain_title_re.fullmatch(title)):
            return False    # "Head Office"; "Prime Minister of the Democratic Socialist Republic": no surname after a complement
        if re.search(r"(?:\b(?:of|the|and|for|to|in|on|from)|'s) $", before):   # "Secretary of Defense of the United States of America"
            return False
        f = fold(word)
        return not (word in self.gaz.not_names or word in self.gaz.function_words or word.endswith(".")
                    or self.title_start_re.fullmatch(word) or self.gaz.country_index.get(f)
                    or self.gaz.org_index.get(f) or self.gaz.place_index.get(f) or self.gaz.acronym_index.get(word))

    def _name_variant(self, name: str) -> str | None:
        """A gazetteer person written another way: family name first and in capitals ("KISHIDA
        Fumio", "Kishida Fumio" for Fumio Kishida), or with a middle initial ("Dmitry A. Medvedev")."""
        parts = [p.title() if p.isupper() and len(p) > 1 else p for p in name.split()]
        candidates = [" ".join(parts)]
        if len(parts) == 2:
            candidates.append(f"{parts[1]} {parts[0]}")
        middle = [p for p in parts[1:-1] if not re.fullmatch(r"[A-Z]\.", p)]
        if len(parts) > 2 and len(middle) < len(parts) - 2:
            candidates.append(" ".join([parts[0], *middle, parts[-1]]))
        for c in candidates:
            key = self.gaz.person_index.get(fold(c))
            if key:
                return key
        return None

    def _continues_name(self, after: str) -> bool:
        """Is the word after a name more of a proper noun ("Cuban Communist Party")? Not a headline's
        verb or another word that is never a name ("Ambassador X Visits Herat")."""
        if after.startswith(" ("):
            # "X (pix) received": a photo's note; "X (Djibouti)": the person's side; "X (Reform)": a
            # party; none is part of a name. What is ("Cuban Communist Party (PCC)"): an acronym, or
            # an explanation of several words
            inner = after[2:].split(")", 1)[0]
            if self.aside_re.match(after) or self.gaz.country_index.get(fold(inner)):
                return False
            return bool(re.fullmatch(r"[A-Z]{2,}", inner)) or len(inner.split()) >= 3
        word = re.match(r" ([A-Z][\w’'-]*)", after)
        if not word or word.group(1) in self.gaz.headline_words:
            return False
        return not any(d.start == 1 for d in find_dates(after))    # "called X Oct. 23 to ...": a date

    def _is_known_entity(self, name: str, after: str = "") -> bool:
        """A title pattern's "name" that is really part of a proper noun ("Cuban Communist Party")."""
        f = fold(name)
        if self._continues_name(after) or any(self.gaz.country_index.get(t) for t in f.split()):
            return True
        return bool(self.gaz.country_index.get(f) or self.gaz.org_index.get(f) or self.gaz.place_index.get(f)
                    or any(f.startswith(fold(o)) for o in self.gaz.outlets))

    def _with_titles(self, m: Mention, text: str, folded: str, accepted: list[Mention],
                     ctx: ReportContext, memo: dict[tuple[str, int], object]) -> Mention:
        """Extend a person mention over the titles written around the name. The searches depend
        only on offsets in the text, so `memo` (the sentence's) keeps them for the next reading."""
        start, end, titles = m.start, m.end, []
        pre = self._title_before(folded, start, accepted, m, memo)
        if pre:
            titles.append(text[pre.start(1):pre.end(1)])
            start = pre.start(1)
            place = self._local_place(text, start, titles[-1], accepted, m)   # "Herat City Mayor X"
            if place is not None:
                titles[-1] = text[place:start] + titles[-1]
                start = place
            article = re.search(r"(?:(?<=\s)|^)[Tt]he $", text[:start])   # "met with the Russian Foreign Minister X"
            if article:
                start = article.start()
        elif (low := _memo(memo, "lower title before", start, lambda: self.lower_pre_title_re.search(folded[:start]))):
            titles.append(text[low.start(1):low.end(1)])        # "Singapore's finance minister X"
            start = low.start(1)
        else:
            hon = _memo(memo, "honorific before", start, lambda: self.honorific_re.search(folded[:start]))
            if hon:
                start = hon.start(1)
        rev, title_start, rev_start, title_end = _memo(memo, "reverse", start,
                                                       lambda: self._reverse_title(folded, start))
        relational = rev and self._relational(folded[title_start:title_end])
        if rev and not relational and self._not_in_apposition(text, folded, rev_start, m, title_start, title_end):
            rev = False
        if rev and (not pre or relational) and not _crosses(accepted, rev_start, start, m):
            titles.append(text[title_start:title_end])
            start = rev_start
            if text[end:end + 2] == ", ":
                end += 1
        more = self.name_tail_re.match(text, end)     # "Mohammed bin Salman bin Abdulaziz": more of a known name
        if more and not _crosses(accepted, end, more.end(), m):
            end = more.end()
        letters = self.post_nominal_re.match(folded, end)       # "the Rt Hon Oliver Grant MP"
        if letters:
            end = letters.end()
        post = _memo(memo, "after", end, lambda: self.appositive_re.match(folded[end:]))
        runs_on = self._title_runs_on(text, end + post.start("title"), end + post.end("title")) if post else None
        if post and runs_on is not None and post.group("close") == ",":
            if self.title_full_name_re.search(folded[end + post.start("title"):runs_on]):
                post = None      # "X, President of Vietnam Y paid a visit ...,": another person, no appositive
            else:
                runs_on = None   # "X, China's top diplomat and Foreign Minister,": the comma closes it
        if post and runs_on is not None and post.group("close") != "," and titles:
            post = None          # "At his reception for Ambassador X, the Prime Minister asked": the subject
        if post and not _crosses(accepted, end, end + post.end(), m):
            title_end, close = end + post.end("title"), end + post.end()
            if runs_on is not None:   # no comma closes it: the title ends where the sentence goes on
                title_end = close = runs_on
            titles.append(text[end + post.start("title"):title_end].strip())
            end = close
        side = re.match(r" of (?:the )?| \((?=[^()]{1,40}\))", text[end:]) if not post else None
        side_country = None
        if side:    # "X of Kenya", "X (Kenya)"
            c = self.gaz.country_re.match(folded, end + side.end())
            closed = c and (not side.group(0).startswith(" (") or folded[c.end():c.end() + 1] == ")")
            if c and closed and not re.match(r"[\w-]", folded[c.end():c.end() + 1]):
                side_country = self.gaz.country_of_text(c.group(0))
                if side_country:
                    end = c.end() + (1 if side.group(0).startswith(" (") else 0)
        titles = [_clean_title(t, self.gaz) for t in titles]
        country = m.country or side_country
        organization = m.organization
        if m.how == "gazetteer" and titles:
            # the side the page gives wins over the gazetteer's, which is a person's latest office
            # ("Portuguese Prime Minister António Costa" in 2016, before he led the European Council)
            given = side_country or next(filter(None, (self._country_in(t) for t in titles)), None)
            if given and given != country and not any(self._organization_in(t, ctx) for t in titles):
                country, organization = given, None
        for t in titles:
            country = country or self._country_in(t)
            organization = organization or self._organization_in(t, ctx)
        if country is None and organization and organization in self.gaz.organizations:
            country = self.gaz.organizations[organization].country
        if country is None and m.key in ctx.persons:
            country = ctx.persons[m.key].country
        if country is None and m.key in ctx.known:     # a side the report gives later ("..., Minister of X")
            country = ctx.known[m.key].country
        if country is None:     # an office only one government has ("Secretary of Defense X")
            country = self.gaz.national_side([*titles, *(ctx.known[m.key].titles if m.key in ctx.known else ())])
        return Mention("person", start, end, text[start:end], m.key, m.name, tuple(t for t in titles if t),
                       country, organization, how=m.how)

    @cached_property
    def name_tail_re(self) -> re.Pattern[str]:
        """Further parts of a name joined by a particle ("bin Abdulaziz", "Al Saud") after the
        spelling a gazetteer knows."""
        particles = "|".join(re.escape(p) for p in self.gaz.particles if len(p) > 1)
        return re.compile(rf"(?: (?:{particles}|Al|Bin|Ibn) {self.NAME}{self.NAME_END})+")

    def _title_runs_on(self, text: str, start: int, end: int) -> int | None:
        """Where a title that no comma closes gives way to the rest of the sentence ("X, President of
        the United Mexican States held a Summit Meeting"): before the first word in lower case that
        is no function word of a title; None when it runs to its end."""
        for w in re.finditer(r"(?<= )[a-z][\w’'-]*", text[start:end]):
            if w.group(0) not in self.gaz.title_connectives and not self.any_case_title_re.match(text, start + w.start()):
                return start + w.start() - 1
        return None

    @cached_property
    def any_case_title_re(self) -> re.Pattern[str]:
        """A title written in lower case ("Xi Jinping, general secretary of ... and Chinese president,")."""
        return re.compile(rf"(?:{self.gaz.title_alt_i})\b")

    def _local_place(self, text: str, start: int, title: str, accepted: list[Mention], m: Mention) -> int | None:
        """Where the name of a place begins that stands before a local office's title ("Herat City
        Mayor", "Sindh Chief Minister"): one or two capitalised words that are no title, side,
        honorific or common word of their own. None when there is none."""
        if title not in self.gaz.local_titles:
            return None
        found = re.search(r"(?:(?<=\s)|^)((?:[A-Z][\w’'-]+ ){1,2})$", text[:start])
        if not found:
            return None
        begin = found.start(1)
        for word in found.group(1).split():
            if word in self.gaz.not_names or word in self.gaz.function_words or self.title_start_re.fullmatch(word) \
                    or self.leading_honorific_re.fullmatch(word) or self.gaz.country_index.get(fold(word)) \
                    or self.gaz.org_index.get(fold(word)) or self.gaz.acronym_index.get(word):
                begin = found.start(1) + found.group(1).index(word) + len(word) + 1
        if begin >= start or _crosses(accepted, begin, start, m):
            return None
        return begin

    def _title_before(self, folded: str, start: int, accepted: list[Mention], m: Mention,
                      memo: dict[tuple[str, int], object]) -> re.Match[str] | None:
        """The title written just before a name. The leftmost title that runs up to the name may
        begin before another person ("Prime Minister of Finland X and Prime Minister of Russia Y"
        reads as one long title): then the search starts again after that person."""
        pre = _memo(memo, "title before", start, lambda: self.pre_title_re.search(folded[:start]))
        while pre is not None:
            crossed = [o for o in accepted if o is not m and o.kind == "person" and pre.start(1) < o.end and o.start < start]
            if not crossed:
                return pre
            pre = self.pre_title_re.search(folded[:start], max(o.end for o in crossed))
        return None

    def _relational(self, title: str) -> bool:
        """Does the title say how the person stands to another ("his Iranian counterpart")?"""
        return any(re.search(rf"\b{re.escape(w)}\b", title, re.I) for w in self.gaz.relational_titles)

    def _not_in_apposition(self, text: str, folded: str, rev_start: int, m: Mention,
                           title_start: int, title_end: int) -> bool:
        """Is "the TITLE, NAME" two phrases, not a title and its holder? So when a phrase the sentence
        opens with ends at the comma and the name, not closed by a comma, is the subject of what
        follows ("With the Maldivian president, Modi discussed ..."), and when the title names
        another country than the one the person is known for."""
        if _FRONTED.match(text[:rev_start]) and text[m.end:m.end + 1] != ",":
            return True
        named = self._country_in(folded[title_start:title_end])
        return bool(m.country and named and named != m.country)

    def _reverse_title(self, text: str, start: int) -> tuple[bool, int, int, int]:
        """A title written before the name and closed by a comma ("the Kazakh President, Tokayev"):
        whether there is one, where it starts, where the mention would start (with its article)
        and where the title ends. Such a title holds no comma, semicolon, dash or digit, so only
        the text after the last of them is searched: searching all the text before every name of
        a long sentence made the sentence's reading cubic."""
        if not text.endswith(", ", 0, start):          # the pattern ends in ", ": nothing to search
            return False, start, start, start
        cut = _LAST_BREAK.search(text, 0, max(0, start - 2))
        window = cut.start(1) if cut else 0
        rev = self.reverse_appositive_re.search(text[window:start])
        title_start = window + rev.start("title") if rev else start
        title_end = window + rev.end("title") if rev else start
        while rev:  # the nearest title word may be the end of a longer title ("High Commissioner")
            word = re.search(r"(?:(?<=\s)|^)([A-Za-z][\w-]*) $", text[:title_start])
            if not word or not (self.title_start_re.match(text, word.start(1)) if word.group(1)[0].isupper()
                                else self.any_case_title_re.match(text, word.start(1))):
                break
            title_start = word.start(1)
        lead = re.search(r"(?:(?<=\s)|^)(?:the|a|an|his|her|their|my|our) $", text[:title_start], re.I) if rev else None
        return rev is not None, title_start, (lead.start() if lead else title_start), title_end

    def _country_in(self, title: str) -> str | None:
        ft = fold(title)
        dem = re.search(rf"\b(?:{self.gaz.demonym_alt})\b", ft)
        if dem:
            return self.gaz.country_of_text(dem.group(0))
        # an envoy's title names the country he is sent to after "to" ("Ambassador of Cuba to Mongolia")
        # and no other is the one he is sent by ("High Commissioner to Nigeria" is no Nigerian, "envoy for
        # Iran" no Iranian)
        found = list(self.gaz.country_re.finditer(ft))
        m = next((c for c in found if not re.search(r"\b(?:to|for) (?:the )?$", ft[:c.start()])), None)
        return self.gaz.country_of_text(m.group(0)) if m else None

    def _organization_in(self, title: str, ctx: ReportContext) -> str | None:
        ft = fold(title)
        m = self.gaz.org_re.search(ft)
        if m:
            return self.gaz.org_index[re.sub(r" \(.*\)$", "", m.group(0))]
        for acr in self.gaz.acronym_re.findall(ft):
            key = self._acronym(acr, ctx)
            if key:
                return key
        return None

    def _acronym(self, acr: str, ctx: ReportContext) -> str | None:
        defined = ctx.acronyms.get(acr)
        if defined:
            return next(iter(defined)) if len(defined) == 1 else None
        return self.gaz.acronym_index.get(acr)

    def _descriptors(self, matches: list[re.Match[str]], ctx: ReportContext, named: set[str | None],
                     sentence: Sentence) -> list[Mention]:
        """ "the Russian leader", "the Samoan Prime Minister": the report's one person of that side;
        else its one holder of that title whose side it never gave (who gains the side); else, for a
        title, a person of its own known by the title and the side."""
        out = []
        for m in matches:
            code = self.gaz.country_of_text(m.group("dem"))
            if not code:
                continue
            keys = sorted(k for k, p in ctx.persons.items() if p.country == code) or \
                sorted(k for k, p in ctx.known.items() if p.country == code and p.slot is None)   # named later
            key = keys[0] if len(keys) == 1 else None
            title = m.group("word")[0].upper() + m.group("word")[1:]
            # "his Cuban counterpart" is someone the report names, never a person of its own
            is_title = bool(self.title_start_re.fullmatch(fold(title))) and \
                m.group("word").lower() not in self.gaz.relational_titles
            if key is None and not keys and is_title:
                sideless = [k for k in self._holders(title, None, ctx, named)
                            if not (ctx.persons.get(k) or ctx.known[k]).country]
                key = sideless[0] if len(sideless) == 1 else None
                if key is None and not sideless:
                    slot = _unnamed_slot(title, code)
                    key = ctx.unnamed.get(slot) or next((k for k, p in ctx.known.items() if p.slot == slot), None) \
                        or self._unnamed_person(title, code, code, sentence, ctx)
            if key is None or key in named:
                continue
            info = ctx.persons.get(key) or ctx.known[key]
            info.country = info.country or code
            out.append(Mention("person", m.start(), m.end(), m.group(0), info.key, None, (), code,
                               info.organization, how="descriptor"))
        return out

    def _title_only(self, matches: list[re.Match[str]], ctx: ReportContext, named: set[str | None],
                    sentence: Sentence) -> list[Mention]:
        """A title with no name resolves to the report's one holder of it that this sentence does not
        already name (of several, the person the report opens with: "King A received ..., who brought a
        letter from King B. Also, the King received ...": A). Where the sentence names the only holder, the bare title is another person of
        that title ("The Prime Minister met Fumio Kishida, the Prime Minister of Japan"), the one the
        title means for the rest of the report. Where no one holds it yet, it is a person of its own
        until the report names a holder ("The Prime Minister met ... Prime Minister Rishi Sunak and
        ..."): labelled by the title and the side."""
        out = []
        for m in matches:
            title = m.group("title") or m.group("lower")
            text = sentence.text[m.start():m.end()]
            code = self.gaz.country_of_text(m.group("country")) if m.group("country") else None
            slot = _unnamed_slot(title, code)
            unnamed = ctx.unnamed.get(slot) or next((k for k, p in ctx.known.items() if p.slot == slot), None)
            holders = self._holders(title, code, ctx, named)
            key = None
            beside = (ctx.persons.get(unnamed) or ctx.known[unnamed]).beside if unnamed is not None else frozenset()
            if beside and not (len(holders) == 1 and holders[0] not in beside):
                key = unnamed        # the other holder of the title than the one named beside it
            elif len(holders) == 1:
                key = holders[0]
            elif holders and next(iter(ctx.known), None) in holders:
                key = next(iter(ctx.known))     # of several holders, the one the report opens with
            elif not holders and m.group("title") and title not in self.gaz.full_name_titles:
                key = unnamed or self._unnamed_person(title, code or ctx.home, code, sentence, ctx)
                info = ctx.persons.get(key) or ctx.known[key]
                info.beside |= frozenset(self._holders(title, code, ctx, set()))
            if key is None or key in named:
                continue
            info = ctx.persons.get(key) or ctx.known[key]
            out.append(Mention("person", m.start(), m.end(), text, info.key, None, (text[4:],), info.country,
                               info.organization, how="title-only"))
        return out

    def _holders(self, title: str, code: str | None, ctx: ReportContext, named: set[str | None]) -> list[str]:
        """The report's people (as the first reading found them, and as read so far) with this title,
        of this side when one is given, not among those the sentence names."""
        people = {**ctx.known, **ctx.persons}
        full = {k: p for k, p in people.items() if " " in p.name}

        def person(key: str) -> str:
            """A surname the first reading met before the full name ("President Tsai" then "Tsai
            Ing-wen") is the same person."""
            p = people.get(key)
            if p is None or " " in p.name:
                return key
            same = [k for k, q in full.items() if fold(p.name) in fold(q.name).replace("-", " ").split()]
            return same[0] if len(same) == 1 else key

        def titles(key: str) -> set[str]:
            """What the first reading learnt of the whole report, and what this reading has so far."""
            return (ctx.known[key].titles if key in ctx.known else set()) | \
                (ctx.persons[key].titles if key in ctx.persons else set())

        excluded = {person(k) for k in named if k}
        return sorted({person(k) for k, p in people.items()
                       if p.slot is None and any(self._holds(t, title) for t in titles(k))
                       and (code is None or p.country == code)} - excluded)

    def _holds(self, held: str, title: str) -> bool:
        """Is `title` what one would call the holder of `held`? "Deputy Secretary" for "Deputy
        Secretary of State", "President" for "Russian President"; not "President" for "Vice President"."""
        t = self.gaz.title_abbreviations.get(title, title).lower()
        return any(bare == t or bare.startswith(t + " ") and not self._ends_in_another_office(bare, t)
                   for bare in self._title_cores(held))

    def _ends_in_another_office(self, held: str, title: str) -> bool:
        """ "Secretary of Defense Spokesperson" is no Secretary: its last word is another office."""
        last = held.rsplit(" ", 1)[-1]
        return last != title.rsplit(" ", 1)[-1] and last in self._office_words

    @cached_property
    def _office_words(self) -> frozenset[str]:
        """Titles of one word, in lower case ("spokesperson", "adviser", "general")."""
        return frozenset(fold(t).lower() for t in self.gaz.titles if " " not in t)

    def _title_cores(self, held: str) -> tuple[str, ...]:
        """The titles a held title joins, each without its side, in lower case (kept: a report
        asks about the same titles again and again)."""
        cores = self._cores.get(held)
        if cores is None:
            pieces = [self.gaz.title_abbreviations.get(p.strip(), p) for p in re.split(r",? and |, ", held)]
            cores = self._cores[held] = tuple(self.title_side_re.sub("", fold(piece)).lower() for piece in pieces)
        return cores

    @cached_property
    def _cores(self) -> dict[str, tuple[str, ...]]:
        return {}

    def _unnamed_person(self, title: str, side: str | None, stated: str | None, sentence: Sentence,
                        ctx: ReportContext) -> str:
        """A person the report knows only by title: one per report, labelled by the title and the side."""
        label = f"{title} of {self.gaz.label(side)}" if side else f"{title} (name not given)"
        key = slug(f"{sentence.article.key} {title} {side or ''}")
        ctx.unnamed[_unnamed_slot(title, stated)] = key
        if key not in ctx.persons:
            ctx.persons[key] = PersonInfo(key, label, side, None, {f"the {title}"}, {title}, _unnamed_slot(title, stated))
        return key

    def _home_side(self, sentence: Sentence) -> str | None:
        """The country of the government that publishes the page, when a header line (or the
        article's publisher) names one: the side of the page's own principal."""
        article = sentence.article
        body_start = article.body[0].start if article.body else sentence.start
        # the document's first lines only (split no further: a file of many articles is long)
        text = article.document.text
        cut = -1       # the first 60 lines of the text before the body: up to its 60th line break
        for _ in range(60):
            cut = text.find("\n", cut + 1, body_start)
            if cut < 0:
                break
        header = text[:body_start if cut < 0 else cut].split("\n")
        lines = (article.publisher or "", *[line for line in header if line.strip()][:15])
        # each reading of an article (and of its title and headline) asks again: read once
        memo = self._home_sides
        if lines not in memo:
            if len(memo) >= 256:
                memo.clear()
            memo[lines] = next(filter(None, (self.gaz.publisher_country(line) for line in lines if line)), None)
        return memo[lines]

    @cached_property
    def _home_sides(self) -> dict[tuple[str, ...], str | None]:
        return {}

    def _as_known(self, m: Mention, ctx: ReportContext) -> Mention:
        """A surname a title or an honorific introduced ("President Obama") is the report's person of
        that surname when the report names one in full ("Barack Obama"), else the one person of the
        gazetteer who bears it. A surname of several words ("Minister Le Drian") is the report's one
        person whose full name ends with it ("Jean-Yves Le Drian")."""
        if m.how != "title" or not m.name:
            return m
        initialled = re.fullmatch(r"([A-Z])\. ?(\S.*)", m.name)     # "E. Siliņa" for Evika Siliņa
        if " " in m.name or initialled:
            key = self._by_name_tail(m.name, ctx)
            if key is None and initialled:
                key = self._by_initial(initialled.group(1), initialled.group(2), ctx)
            if key is None or key == m.key:
                return m
            info = ctx.persons.get(key) or ctx.known[key]
            return replace(m, key=key, country=m.country or info.country,
                           organization=m.organization or info.organization, how="surname")
        key = self._by_surname(m.name, ctx)
        if key is not None and key != m.key:
            info = ctx.persons.get(key) or ctx.known[key]
            return replace(m, key=key, country=m.country or info.country, organization=m.organization or info.organization,
                           how="surname")
        known = self.gaz.person_by_surname(m.name)    # the report names no one of that surname: a known leader
        if known is None:
            return m
        p = self.gaz.persons[known]
        return replace(m, key=known, country=m.country or p.country, organization=m.organization or p.organization,
                       how="gazetteer")

    def _by_initial(self, initial: str, rest: str, ctx: ReportContext) -> str | None:
        """The report's one person whose name opens with the initial and ends with the rest."""
        tail = " " + fold(rest)
        keys = {k for k, p in {**ctx.known, **ctx.persons}.items()
                if p.slot is None and p.name.startswith(initial) and fold(p.name).endswith(tail)}
        return next(iter(keys)) if len(keys) == 1 else None

    def _by_name_tail(self, name: str, ctx: ReportContext) -> str | None:
        tail = " " + fold(name if not name.isupper() else name.title())
        keys = {k for k, p in {**ctx.known, **ctx.persons}.items()
                if p.slot is None and fold(p.name).endswith(tail) and len(p.name) > len(tail)}
        return next(iter(keys)) if len(keys) == 1 else None

    def _by_surname(self, word: str, ctx: ReportContext) -> str | None:
        f = fold(word if not word.isupper() else word.title())
        keys = {k for k in ctx.short_forms.get(f, set()) if " " in ctx.persons[k].name}
        if not keys:
            keys = {k for k, p in ctx.known.items()
                    if " " in p.name and f in {fold(t) for t in p.name.replace("-", " ").split()}}
        return next(iter(keys)) if len(keys) == 1 else None

    def _speaker_turn(self, sentence: Sentence, scan: Scan, ctx: ReportContext) -> Mention | None:
        """A line of a transcript opened by its speaker's label: the label is one person token, and
        the speaker is who "I" means until another label opens a turn. A label that names no one
        ("QUESTION:") ends the turn."""
        if not _at_line_start(sentence):
            return None
        m = self.speaker_label_re.match(sentence.text)
        if not m:
            return None
        label = m.group("label")
        if label in self.gaz.not_speakers or label.title() in self.gaz.not_speakers:
            ctx.speaker = None
            return None
        key = self._speaker_key(label, scan, ctx)
        ctx.speaker = key
        if key is None:
            return None
        info = ctx.persons.get(key) or ctx.known.get(key)
        known = self.gaz.persons.get(key)
        country = info.country if info else None
        country = country or (known.country if known else None)
        title = self._label_title(label)
        if country is None and title:
            country = self._country_in(title)
        name = info.name if info else known.name if known else label
        return Mention("person", 0, m.end("label"), label, key, name, (title,) if title else (), country,
                       info.organization if info else None, how="speaker")

    def _speaker_key(self, label: str, scan: Scan, ctx: ReportContext) -> str | None:
        """Who a speaker's label names: a person found in it ("President of Russia Vladimir
        Putin", "SECRETARY KERRY" read as "Secretary Kerry"), the report's one holder of a bare
        title ("PRIME MINISTER"), or a name of two to four words ("WINSTON PETERS")."""
        text = self._label_case(label)
        inside = [p for p in scan.named if p.end <= len(label)] if text == label else self._named(text, fold(text))
        if inside:
            p = self._as_known(inside[0], ctx)
            return p.key if p.how != "title" else self._register_name(p, ctx)
        bare = re.sub(r"^(?:[Tt]he) ", "", text)
        if self.title_start_re.fullmatch(bare):
            holders = self._holders(bare, None, ctx, set())
            return holders[0] if len(holders) == 1 else None
        words = text.replace(",", "").split()
        name_words = [w for w in words if not (w in self.gaz.not_names or w in self.gaz.function_words)]
        if len(words) == 1:
            return self._by_surname(text, ctx) or self.gaz.person_index.get(fold(text))
        if len(name_words) == len(words) <= 4 and not self.title_start_re.search(text) \
                and not any(self.gaz.country_index.get(fold(w)) or self.gaz.place_index.get(fold(w)) for w in words) \
                and not self.gaz.place_index.get(fold(text)):
            key = self.gaz.person_index.get(fold(text)) or self._name_variant(text) or self._by_surname(words[-1], ctx)
            if key is None and not label.isupper():
                return None     # a name no one else gives, not in the capitals of a transcript: "Media Note:"
            return key or self._register_name(Mention("person", 0, len(text), text, slug(text), text, how="title"), ctx)
        return None

    def _register_name(self, m: Mention, ctx: ReportContext) -> str:
        """A speaker named only in a label becomes one of the report's people."""
        key = m.key or slug(m.name or m.text)
        if key not in ctx.persons and key not in ctx.known:
            ctx.persons[key] = PersonInfo(key, m.name or m.text, m.country, m.organization, {m.name or m.text})
        return key

    def _label_case(self, label: str) -> str:
        """A label in capitals as a sentence writes it ("PRIME MINISTER OF NEW ZEALAND" -> "Prime
        Minister of New Zealand"), the same length."""
        if not label.isupper():
            return label
        small = {p.lower() for p in self.gaz.particles} | {"of", "the", "for", "and", "to", "on", "in"}
        return re.sub(r"[^\W\d_][\w’'.-]*", lambda w: w.group(0).lower() if w.group(0).lower() in small
                      else w.group(0).title(), label)

    def _label_title(self, label: str) -> str | None:
        text = self._label_case(label)
        t = self.title_start_re.search(text)
        if not t:
            return None
        rest = text[t.start():]
        comp = re.match(rf"(?:{self.gaz.title_alt})\b{self._complement}", fold(rest))
        return rest[:comp.end()] if comp else rest[:t.end() - t.start()]

    def _first_person(self, text: str, ctx: ReportContext, paragraph: int) -> list[Mention]:
        """ "I" in a speaker's turn is the speaker ("I've had a meeting" reads "⟨P⟩ had a meeting");
        outside a transcript, "I" of a paragraph whose quotation the report attributes to one
        person ("“I met my colleague ...,” said Prime Minister X.") is that person."""
        key = ctx.speaker
        if key is None:
            quoted = {p.key for p in (*ctx.known.values(), *ctx.persons.values()) if paragraph in p.quoted_in}
            key = next(iter(quoted)) if len(quoted) == 1 else None
        info = (ctx.persons.get(key) or ctx.known.get(key)) if key else None
        if info is None:
            return []
        return [Mention("person", m.start(), m.end(), m.group(0), info.key, None, (), info.country,
                        info.organization, how="speaker")
                for m in self.first_person_re.finditer(text)]

    def _note_quotation(self, text: str, persons: list[Mention], paragraph: int, ctx: ReportContext) -> None:
        """Remember who speaks the quotation a sentence closes: “...,” said X / “...,” X said."""
        for m in persons:
            if m.how in ("speaker", "pronoun") or m.key not in ctx.persons:
                continue
            before, after = text[:m.start], text[m.end:]
            if self.said_before_re.search(before) or (self.quote_end_re.search(before) and self.said_after_re.match(after)):
                ctx.persons[m.key].quoted_in.add(paragraph)

    @cached_property
    def said_before_re(self) -> re.Pattern[str]:
        verbs = "|".join(re.escape(v) for v in self.gaz.speech_verbs) or "(?!)"
        return re.compile(rf"[”\"],? (?:{verbs}) $")

    @cached_property
    def said_after_re(self) -> re.Pattern[str]:
        verbs = "|".join(re.escape(v) for v in self.gaz.speech_verbs) or "(?!)"
        return re.compile(rf" (?:{verbs})\b")

    @cached_property
    def quote_end_re(self) -> re.Pattern[str]:
        return re.compile(r"[”\"],? $")

    @cached_property
    def first_person_re(self) -> re.Pattern[str]:
        """ "I" as a pronoun: before a verb or a contraction, never "World War I"."""
        words = "|".join(re.escape(w) for w in self.gaz.first_person) or "(?!)"
        return re.compile(rf"(?<![\w’'-])(?:{words})(?:[’']ve\b)?(?=[’'] ?[a-z]| [a-z])")

    @cached_property
    def reported_pronoun_re(self) -> re.Pattern[str]:
        """ "he" or "she" opening what a person said ("The President noted that she had met ..."), or
        a clause of where or when ("X returned from Bhutan, where he was granted an audience with ...")"""
        verbs = "|".join(re.escape(v) for v in self.gaz.speech_verbs) or "(?!)"
        return re.compile(rf"\b(?:(?:{verbs}) that|,? (?:where|when|after|before|while)|, as) (he|she)\b")

    @cached_property
    def bare_counterpart_re(self) -> re.Pattern[str]:
        """ "his counterpart" with no name after it ("X received his counterpart at State House")."""
        words = "|".join(re.escape(w) for w in sorted(self.gaz.relational_titles, key=len, reverse=True)) or "(?!)"
        return re.compile(rf"\b(?:his|her|su) (?:(?:visiting|new|incoming) )?(?:{words})\b(?!,? (?:[A-Z⟨]|of\b|from\b|de\b))")

    def _counterpart(self, text: str, ctx: ReportContext, accepted: list[Mention]) -> Mention | None:
        """ "X received his counterpart": the one person the report names elsewhere, of another side
        than X's, who holds an office of X's kind (the last word of a title: "President", "Minister")."""
        m = self.bare_counterpart_re.search(text)
        persons = [p for p in accepted if p.kind == "person" and p.key]
        subject = max((p for p in persons if p.end <= (m.start() if m else 0)), key=lambda p: p.start, default=None)
        if m is None or subject is None:
            return None
        own = ctx.persons.get(subject.key) or ctx.known.get(subject.key)    # type: ignore[arg-type]
        country = subject.country or (own.country if own else None)
        heads = {_office(t) for t in (own.titles if own else set()) | set(subject.titles)} - {""}
        named = {p.key for p in persons}
        found = [info for info in list(ctx.persons.values()) + list(ctx.known.values())
                 if info.key not in named and info.country and info.country != country and info.slot is None
                 and heads & {_office(t) for t in info.titles}]
        keys = {info.key for info in found}
        if len(keys) != 1:
            return None
        info = found[0]
        return Mention("person", m.start(), m.end(), m.group(0), info.key, None, (), info.country,
                       info.organization, how="descriptor")

    def _pronoun(self, text: str, ctx: ReportContext, accepted: list[Mention]) -> Mention | None:
        """ "He" or "She" opening a sentence is the last sentence's first person; after "X said that"
        or in a clause of where or when ("X returned from Bhutan, where he ...") it is X, the one person
        the sentence names before it."""
        m = re.match(r"(?:He|She|His|Her)\b(?! (?i:excellency|majesty|highness|royal highness|holiness))", text)
        key = ctx.last_subject if m else None
        if m is None:
            m = self.reported_pronoun_re.search(text) if " he " in text or " she " in text else None
            before = sorted((p for p in accepted if p.kind == "person" and m and p.end <= m.start()),
                            key=lambda p: p.start)
            if m is None or not before or not before[0].key or len({p.key for p in before}) != 1:
                return None
            key, start, end = before[0].key, m.start(1), m.end(1)
            if key not in ctx.persons:    # named first in this very sentence: as the sentence names him
                return Mention("person", start, end, text[start:end], key, None, (), before[0].country,
                               before[0].organization, how="pronoun")
        else:
            start, end = 0, m.end()
        if key is None or key not in ctx.persons:
            return None
        info = ctx.persons[key]
        return Mention("person", start, end, text[start:end], info.key, None, (), info.country,
                       info.organization, how="pronoun")

    def _organizations(self, text: str, scan: Scan, ctx: ReportContext, sentence: Sentence) -> list[Mention]:
        out = []
        for m in scan.organizations:
            base = re.sub(r" \(.*\)$", "", m.group(0))
            key = self.gaz.org_index[base]
            acr = m.group("acr")
            if acr:
                ctx.acronyms.setdefault(acr, set()).add(key)
                if len(ctx.acronyms[acr]) > 1 and acr not in ctx.warned:
                    ctx.warned.add(acr)
                    names = ", ".join(self.gaz.organizations[k].label for k in sorted(ctx.acronyms[acr]))
                    ctx.problems.append(Problem(
                        "ambiguous-acronym", f"{acr!r} stands for several bodies in this report ({names}); "
                        "bare uses are left unresolved", file=sentence.article.document.name, line=sentence.line))
            out.append(Mention("org", m.start(), m.end(), text[m.start():m.end()], key, how="gazetteer"))
        for m in scan.acronyms:
            key = self._acronym(m.group(0), ctx)
            if key:
                out.append(Mention("org", m.start(), m.end(), m.group(0), key, how="acronym"))
        return out

    def _places(self, text: str, folded: str) -> list[Mention]:
        return [Mention("place", m.start(), m.end(), text[m.start():m.end()], self.gaz.place_index[m.group(0)])
                for m in self.gaz.place_re.finditer(folded)]

    def _countries(self, text: str, folded: str) -> list[Mention]:
        out = []
        for m in self.gaz.country_re.finditer(folded):
            code = self.gaz.country_of_text(m.group(0))
            if code:
                out.append(Mention("country", m.start(), m.end(), text[m.start():m.end()], code))
        return out

    def _surname_side(self, name: str, ctx: ReportContext) -> str | None:
        """The side of the person the report knew so far by this full name's surname alone (a title
        "Readout of Secretary Austin's Call" before "Lloyd J. Austin III" in the body)."""
        words = {fold(w) for w in name.replace("-", " ").split()}     # "Lai" of "Lai Ching-te" too
        sides = {p.country for p in ctx.persons.values() if " " not in p.name and fold(p.name) in words and p.country}
        return next(iter(sides)) if len(sides) == 1 else None

    def _home_for_principal(self, ctx: ReportContext) -> str | None:
        """The page's own principal speaks for the government that publishes it: the first person
        a government's page names without a side, while no one of the report speaks for it yet
        (the people it names with their sides are the others)."""
        people = [*ctx.persons.values(), *ctx.known.values()]
        if ctx.home is None or any(p.country is None or p.country == ctx.home for p in people):
            return None
        return ctx.home

    def _register(self, m: Mention, ctx: ReportContext) -> None:
        info = ctx.persons.get(m.key or "")
        canonical = self.gaz.persons[m.key].name if m.key in self.gaz.persons else \
            ctx.known[m.key].name if m.key in ctx.known else (m.name or m.text)
        if info is None:
            country = m.country or self._surname_side(canonical, ctx) or self._home_for_principal(ctx)
            info = ctx.persons[m.key] = PersonInfo(m.key, canonical, country, m.organization)  # type: ignore[index]
            first = ctx.known.get(m.key or "")
            if first is not None and first.slot is not None:    # known by a title only: as the first reading named it
                info.spellings.update(first.spellings)
                info.slot, info.beside = first.slot, first.beside
        info.country = info.country or m.country
        info.organization = info.organization or m.organization
        if m.name and m.how in ("gazetteer", "title"):
            info.spellings.add(m.name)
        info.titles.update(m.titles)
        if info.slot is not None:        # known by a title only: its label's words are no surname
            return
        for name in (canonical, m.name or ""):
            for token in name.split(" "):
                if token and token not in self.gaz.not_names and token.lower() not in self.gaz.particles \
                        and len(token) >= 2 and token[0].isupper():
                    ctx.short_forms.setdefault(fold(token), set()).add(info.key)


def _unnamed_slot(title: str, country: str | None) -> str:
    return f"{title.lower()}|{country or ''}"


def _at_line_start(sentence: Sentence) -> bool:
    """Does the sentence open its line (where a transcript puts its speakers' labels)?"""
    text = sentence.article.document.text
    line_start = text.rfind("\n", 0, sentence.start) + 1
    return not text[line_start:sentence.start].strip(" \t•-*")


_LAST_BREAK = re.compile(r".*([,;–—\d])", re.S)     # the last character no title before a name holds


def _memo(memo: dict[tuple[str, int], object], what: str, offset: int, compute):
    key = (what, offset)
    if key not in memo:
        memo[key] = compute()
    return memo[key]


# the letters a title is known by, written after it and before the name ("External Affairs Minister
# (EAM) S Jaishankar", "National Security Advisor (NSA) X"): no part of the title or of the name
_ACRONYM = r"(?: \([A-Z]{2,6}\))?"

# a phrase a sentence opens with, whose object a comma closes: "With the Maldivian president, X ..."
_ACCENTED = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")        # a letter with an accent (Latin, Vietnamese)
_ACCENTED_WORD = re.compile("(?<![\\w’'-])[A-Z\u00c0-\u00de\u0100-\u024f\u1e00-\u1eff][\\w’'-]*")
_FIRST_AND_INITIAL = re.compile(r"(?<![\w.])[A-Z][a-z]+ (?:[A-Z]\. ?)+$")
_OPENING_PHRASE = re.compile(r"^\W*(?:In|During|At|On|With|After|Before|Following|Besides|Upon|Ahead of) ")


def _subject(text: str, persons: list[Mention]) -> Mention:
    """Whom a sentence is about, for "He" in the next: its first person, but after a phrase the
    sentence opens with ("In the meeting with X on Monday, on the margins of the summit, Mr. Y
    sought ...": Y), the first person right after a comma."""
    if _OPENING_PHRASE.match(text):
        after_comma = next((p for p in persons if text[:p.start].rstrip().endswith(",")), None)
        if after_comma is not None:
            return after_comma
    return persons[0]


_FRONTED = re.compile(r"^\W*(?:With|For|To|After|Before|Like|Unlike|Besides|Beside|Along with|Together with|"
                      r"Apart from|As with|Than|Beyond) (?:(?:the|a|an|his|her|their) )?(?:[\w’'-]+ ){0,3}$")


def _inside_longer_name(text: str, start: int, end: int, gaz: Gazetteer) -> bool:
    """True when the match is part of a longer capitalized name ("Li" in "Li Haidong"); a title
    or an honorific before it ("Premier Li") is no part of a name."""
    after = re.match(r" (?:[A-Z][\w’'-]+)", text[end:])
    before = re.search(r"(?:[A-Z][\w’'.-]+) $", text[:start])
    if after and not re.match(r" (?:[A-Z]\w*’s|[A-Z]\w*'s)", text[end:]) and _namelike(after.group(0), gaz):
        return True
    if not before or not _namelike(before.group(0).rstrip("."), gaz):
        return False
    return not gaz.title_before_re.search(fold(text[max(0, start - 60):start]))


def _namelike(word: str, gaz: Gazetteer) -> bool:
    w = word.strip()
    return bool(w) and w not in gaz.function_words and not w.isupper()


def _crosses(accepted: list[Mention], s: int, e: int, own: Mention) -> bool:
    return any(m is not own and m.kind in ("person",) and s < m.end and m.start < e for m in accepted)


def _office(title: str) -> str:
    """The kind of office a title names, its last word before any "of"/"to"/"for": "President of
    the Republic of Zambia" -> "president", "Foreign Minister" -> "minister"."""
    words = re.split(r" (?:of|to|for)\b", title.strip(), maxsplit=1)[0].split()
    return words[-1].lower() if words else ""


def _clean_title(title: str, gaz: Gazetteer) -> str:
    """A title as the graph states it: no honorific before or after it, no possessive, no aside in
    brackets ("President of the Sahrawi Arab Democratic Republic (also known as Western Sahara)";
    an acronym in brackets is part of it: "(IDCPC)")."""
    t = re.sub(rf"^(?:(?:{gaz.honorific_alt}) )+", "", title).strip(" ,")
    if "(" in t:
        t = re.sub(r" ?\((?=[a-z])[^()]*\)", "", t)
    t = re.sub(rf"(?: (?:{gaz.honorific_alt}))+$", "", t)
    t = re.sub(r"^(?:his|her|their|my|our) ", "", t).rstrip(" .")
    return t


_DATE_CLEAN = re.compile(r"(?:\b(?:[Oo]n|[Ii]n|[Aa]t|this|last|earlier|later|[Ee]arly|[Ll]ate) )?"
                         r"(?:the (?:morning|afternoon|evening|night) of )?⟨D\d+⟩")


_EMPTY_PARENTHETICAL = re.compile(r" ?,(?: ?,)+ ?")
_EMPTY_BRACKETS = re.compile(r" ?\(\s*\)")
_SPACES = re.compile(r"\s{2,}")
_LEADING_SPACE = re.compile(r"^[\s,]+")
_SPACE_BEFORE_STOP = re.compile(r"\s+([,.;])")


_SCARE_QUOTES = re.compile(r"[“\"]([a-z][\w -]{0,40}?)[”\"]")


def mask(text: str, mentions: list[Mention], adverbs: re.Pattern[str] | None = None) -> tuple[str, dict[str, Mention]]:
    """The sentence with one token per mention; date tokens (and their prepositions) removed, and
    the `adverbs` pattern's words between a person and the verb ("X also met Y" reads "X met Y")."""
    counters: dict[str, int] = {}
    out, tokens, pos = [], {}, 0
    previous: Mention | None = None
    for m in sorted(mentions, key=lambda x: x.start):
        prefix = TOKEN_PREFIX[m.kind]
        n = counters.get(prefix, 0)
        counters[prefix] = n + 1
        token = f"⟨{prefix}{n}⟩"
        tokens[token] = m
        gap = text[pos:m.start]
        if previous and previous.kind == m.kind == "person" and previous.key and previous.key == m.key \
                and gap.strip() == "(" and text[m.end:m.end + 1] == ")":
            pos = m.end + 1     # the same person again in brackets, "President Joko Widodo (Jokowi)": one token
            continue
        if previous and previous.kind == m.kind == "person" and previous.text.endswith(",") and not gap.strip():
            gap = ", "      # a list of people with appositives: "X, Prime Minister of Japan, Y, ..."
        out.append(gap)
        out.append(token)
        pos = m.end
        previous = m
    out.append(text[pos:])
    masked = "".join(out)
    if "⟨D" in masked:      # no date token, nothing for _DATE_CLEAN (which is tried at every position)
        masked = _DATE_CLEAN.sub("", masked)
    masked = _SPACES.sub(" ", masked)
    masked = _LEADING_SPACE.sub("", masked)
    masked = _SPACE_BEFORE_STOP.sub(r"\1", masked)
    if "()" in masked or "( )" in masked:      # "receives (31) X": a date in brackets, taken out
        masked = _EMPTY_BRACKETS.sub("", masked)
    if ",," in masked or ", ," in masked:      # "X, on Tuesday, received", "held talks today, Wednesday, with"
        masked = _EMPTY_PARENTHETICAL.sub(" ", masked)     # the date was set off by commas: none are left
    masked = _SCARE_QUOTES.sub(r"\1", masked)    # had an “informal meeting”: the words, not a quotation
    if adverbs is not None:
        masked = adverbs.sub(r"\1 ", masked)
    return masked.strip(), tokens


def _whole_words(text: str, words: str):
    """Where `words` stand as whole words in `text` (not inside a longer word, a hyphenated or an
    apostrophized one), left to right without overlaps: what the pattern
    (?<![\\w’'-])words(?![\\w’'-]) finds, without compiling a pattern per person's spelling."""
    start = text.find(words)
    while start != -1:
        end = start + len(words)
        if (start == 0 or not _in_word(text[start - 1])) and (end == len(text) or not _in_word(text[end])):
            yield start, end
            start = text.find(words, end)
        else:
            start = text.find(words, start + 1)


def _in_word(ch: str) -> bool:
    return ch.isalnum() or ch in "_’'-"     # re's \w is str.isalnum() and the underscore
