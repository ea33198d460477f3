"""The gazetteers of ``mappings/gazetteers`` as lookup tables: countries (every ISO 3166 state
from pycountry plus the sub-national sides of the data file), people, organizations, places,
titles and outlets. Matching folds accents and typographic apostrophes, never case."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

import pycountry

from kg.mappings import Mappings


_FOLDED = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": " ", "‐": "-"}


def _fold_char(ch: str) -> str:
    return _FOLDED.get(base := unicodedata.normalize("NFD", ch)[0], base)


class _FoldTable(dict):
    """str.translate's table for fold(): each character's folded form, worked out the first time
    the character is met (a text is translated in C; only new characters cost a call)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Same-length folding for matching: accents off, typographic quotes and dashes plain (an em
    dash separates words, so it folds to a space)."""
    return text if text.isascii() else text.translate(_FOLD_TABLE)


def slug(text: str) -> str:
    t = fold(text).lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")


@dataclass(frozen=True)
class Country:
    code: str
    label: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    parent: str | None = None


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    country: str | None
    aliases: tuple[str, ...] = ()
    organization: str | None = None
    surname: str | None = None     # written after a title ("President Moon"); the last word of the name if not given


@dataclass(frozen=True)
class Organization:
    key: str
    label: str
    country: str
    names: tuple[str, ...]
    acronyms: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    key: str
    label: str
    type: str
    country: str
    city: str | None
    names: tuple[str, ...]


def _alternation(words: list[str]) -> str:
    uniq = sorted({fold(w) for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in uniq)


def trie_alternation(words: list[str], not_after: tuple[str, ...] = ()) -> str:
    """The folded words as one case-sensitive pattern shaped like a trie ("Sa(?:int Lucia|moa)"):
    Python's re tries a flat list of names one by one at each position of a text, a trie only the
    names that go on with the text's next character. At each position it offers the same
    candidates as `_alternation` (the longest first, then shorter ones as the rest of the pattern
    needs), so it finds the same matches, several times faster for hundreds of names.

    `not_after` holds fixed-width patterns that may not stand just before a match: what
    ``(?<!X)(?:trie)`` says, written after each name's first letter c as ``(?<!Xc)``, so that the
    pattern opens with the names' first letters and re skips every other position of a text in
    one sweep (a pattern that opens with a lookbehind is tried at every position)."""
    trie: dict = {}
    for word in {fold(w) for w in words if w}:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict, first: bool = False) -> str:
        def guard(ch: str) -> str:
            return "".join(f"(?<!{x}{re.escape(ch)})" for x in not_after) if first else ""
        branches = [re.escape(ch) + guard(ch) + pattern(node[ch]) for ch in sorted(ch for ch in node if ch)]
        if not branches:
            return ""
        if "" in node:                      # a word ends here: the longer ones first, then this one
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return pattern(trie, first=True) if trie else "(?!)"


def case_insensitive_alternation(words: list[str]) -> str:
    """trie_alternation() for a case-insensitive pattern: a trie of the words in lower case, so
    that no two branches can match the same letter ("External ..." and "envoy" would both match
    "E", and be tried in another order than longest first). Only for ASCII words, where lower case
    is what re.I compares; other words keep the flat list."""
    folded = [fold(w) for w in words if w]
    if not all(w.isascii() for w in folded):
        return _alternation(folded)
    return trie_alternation([w.lower() for w in folded])


@dataclass
class Gazetteer:
    countries: dict[str, Country]
    persons: dict[str, Person]
    organizations: dict[str, Organization]
    places: dict[str, Place]
    titles: tuple[str, ...]
    honorifics: tuple[str, ...]
    leader_words: tuple[str, ...]
    particles: tuple[str, ...]
    not_names: frozenset[str]
    outlets: tuple[str, ...]
    # titles after which one capitalised word is not yet a name ("Head Office", "Member States")
    full_name_titles: frozenset[str] = frozenset()
    # capitalised words that open sentences or stand before names without being names themselves
    function_words: frozenset[str] = frozenset()
    # line-initial labels of transcripts that name no person ("QUESTION:", "MODERATOR:")
    not_speakers: frozenset[str] = frozenset()
    # how a speaker refers to him- or herself ("I")
    first_person: tuple[str, ...] = ()
    # titles that say how a person stands to another ("his Iranian counterpart, Deputy Foreign Minister X")
    relational_titles: tuple[str, ...] = ()
    # words of headlines that may follow a name without making it a longer proper noun ("X Visits Herat")
    headline_words: frozenset[str] = frozenset()
    # countries whose people's names are written family name first in English ("Zheng Zeguang")
    family_name_first: frozenset[str] = frozenset()
    # verbs that attribute a quotation to its speaker ("...,” said X")
    speech_verbs: tuple[str, ...] = ()
    title_abbreviations: dict[str, str] = field(default_factory=dict)   # "PM" -> "Prime Minister"
    styles: tuple[str, ...] = ()   # honorifics that stand for "the" before a bare title ("HRH Crown Prince")
    title_connectives: frozenset[str] = frozenset()   # lower-case words inside a title ("of", "for")
    # titles of a local office that the place's name may precede ("Herat City Mayor", "Sindh Chief Minister")
    local_titles: frozenset[str] = frozenset()
    # titles of offices only one country's government has, folded -> that country ("secretary of defense" -> US)
    national_titles: dict[str, str] = field(default_factory=dict)
    # letters after a name that say what the person is ("MP", "QC")
    post_nominals: tuple[str, ...] = ()
    # adverbs that may stand between a person and the verb ("X also met Y")
    adverbs: tuple[str, ...] = ()
    # a note in brackets after a name that says where the person stands in a photo ("X (pix)", "X (left)")
    asides: tuple[str, ...] = ()
    # words that join a chain of fathers' names ("bin", "ibn"): its last word is no surname
    patronymics: frozenset[str] = frozenset()
    # publishers named in a page's header lines -> the country whose government publishes them
    publishers: dict[str, str] = field(default_factory=dict)
    person_index: dict[str, str] = field(default_factory=dict)   # folded alias -> person key
    country_index: dict[str, str] = field(default_factory=dict)  # folded name/demonym -> code
    org_index: dict[str, str] = field(default_factory=dict)
    acronym_index: dict[str, str] = field(default_factory=dict)
    place_index: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for p in self.persons.values():
            for alias in (p.name, *p.aliases):
                self.person_index.setdefault(fold(alias), p.key)
        for c in self.countries.values():
            for name in (c.label, *c.names, *c.demonyms):
                self.country_index.setdefault(fold(name), c.code)
        for o in self.organizations.values():
            for name in (o.label, *o.names):
                self.org_index.setdefault(fold(name), o.key)
            for a in o.acronyms:
                self.acronym_index.setdefault(a, o.key)
        for pl in self.places.values():
            for name in (pl.label, *pl.names):
                self.place_index.setdefault(fold(name), pl.key)

    @cached_property
    def surname_index(self) -> dict[str, set[str]]:
        """Folded surname -> the people of the gazetteer who bear it, for a surname written after a
        title ("Prime Minister Abe"): the stated surname, else the last word of the name (the first
        where names are written family name first, "Ambassador Zheng" for Zheng Zeguang); a chain of
        fathers' names has none ("King Abdullah" is not Faisal bin Farhan bin Abdullah)."""
        index: dict[str, set[str]] = {}
        for p in self.persons.values():
            words = p.name.split()
            first = p.country in self.family_name_first
            chain = any(w.lower() in self.patronymics for w in words)
            surname = p.surname or ((words[0] if first else words[-1]) if len(words) > 1 and not chain else None)
            if surname:
                index.setdefault(fold(surname), set()).add(p.key)
        return index

    def person_by_surname(self, surname: str) -> str | None:
        keys = self.surname_index.get(fold(surname.title() if surname.isupper() else surname), set())
        return next(iter(keys)) if len(keys) == 1 else None

    # Each name stands as a word of its own: not after a letter or a hyphen (trie_alternation's
    # not_after, so that the patterns open with the names' first letters).
    @cached_property
    def person_re(self) -> re.Pattern[str]:
        return re.compile(r"(?:" + trie_alternation(list(self.person_index), (r"[\w-]",)) + r")(?![\w-])")

    @cached_property
    def country_re(self) -> re.Pattern[str]:
        # "India-Japan" names two sides; "Latin America" and "South America" name none
        not_after = (r"\w", "Latin ", "South ", "North ", "Central ", "latin ", "south ")
        return re.compile(r"(?:" + trie_alternation(list(self.country_index), not_after) + r")(?:'s)?(?: side)?(?![\w])")

    @cached_property
    def org_re(self) -> re.Pattern[str]:
        return re.compile(r"(?:" + trie_alternation(list(self.org_index), (r"[\w-]",))
                          + r")(?: \((?P<acr>[A-Z][A-Za-z]{1,9})\))?(?![\w])")

    @cached_property
    def acronym_re(self) -> re.Pattern[str]:
        return re.compile(r"[A-Z](?<![\w-][A-Z])[A-Z]{1,9}(?![\w-])")

    @cached_property
    def place_re(self) -> re.Pattern[str]:
        return re.compile(r"(?:" + trie_alternation(list(self.place_index), (r"[\w-]",)) + r")(?![\w-])")

    # The alternations of titles and the like, for the mention finder's patterns: `*_alt` in a
    # case-sensitive pattern, `*_alt_i` in a case-insensitive one (re.I or (?i:...)).
    @cached_property
    def title_alt(self) -> str:
        return trie_alternation(list(self.titles))

    @cached_property
    def title_alt_i(self) -> str:
        return case_insensitive_alternation(list(self.titles))

    @cached_property
    def demonym_alt(self) -> str:
        return trie_alternation(self._demonyms)

    @cached_property
    def demonym_alt_i(self) -> str:
        return case_insensitive_alternation(self._demonyms)

    @property
    def _demonyms(self) -> list[str]:
        return [d for c in self.countries.values() for d in c.demonyms]

    @cached_property
    def country_name_alt(self) -> str:
        """Names of sides written before a title ("European Council President", "US Secretary of State")."""
        words = [n for c in self.countries.values() for n in (c.label, *c.names) if " " not in n or len(n) < 30]
        return trie_alternation(words)

    @cached_property
    def honorific_alt(self) -> str:
        """The honorifics, each not where it opens the name of a side ("Sri" of "Sri Lankan President")."""
        sides = [n for c in self.countries.values() for n in (c.label, *c.names, *c.demonyms)]
        plain = [h for h in self.honorifics if not any(s.startswith(h + " ") for s in sides)]
        guarded = [rf"{re.escape(h)}(?! (?:{trie_alternation([s[len(h) + 1:] for s in sides if s.startswith(h + ' ')])})\b)"
                   for h in self.honorifics if h not in plain]
        return "|".join(filter(None, [trie_alternation(plain)] + guarded))

    @property
    def abbreviated_honorifics(self) -> tuple[str, ...]:
        """Honorifics ending in a full stop ("Hon.", "Amb."), which end no sentence: for the sentence splitter."""
        return tuple(h.split()[-1] for h in self.honorifics if h.endswith("."))

    @cached_property
    def title_before_re(self) -> re.Pattern[str]:
        """A title or an honorific that ends just before a name (matched on folded text)."""
        return re.compile(rf"(?:^|\s)(?:{self.title_alt}|{self.honorific_alt}) $")

    @cached_property
    def publisher_re(self) -> re.Pattern[str]:
        """A publisher's name standing as a header line of its own, or opening one ("The White
        House, Office of the Press Secretary", "[Ministry of Foreign Affairs of Japan]")."""
        return re.compile(r"^\W{0,3}(?:" + trie_alternation(list(self.publishers)) + r")(?![\w-])")

    def national_side(self, titles) -> str | None:
        """The one country whose government alone has an office among these titles ("Secretary of
        Defense": US); None when none is such an office, or they name two countries."""
        found = {code for t in titles if (code := self.national_titles.get(fold(t).lower()))}
        return found.pop() if len(found) == 1 else None

    def publisher_country(self, line: str) -> str | None:
        """The country whose government publishes under the name a header line starts with."""
        m = self.publisher_re.match(fold(line.strip()[:200]))   # a name opens the line: fold no more
        if not m:
            return None
        name = re.sub(r"^\W+", "", m.group(0))
        return next((code for pub, code in self.publishers.items() if fold(pub) == name), None)

    def country_of_text(self, text: str) -> str | None:
        """The country a name or demonym (with or without "'s", " side") refers to."""
        t = re.sub(r"(?:'s)?(?: side)?$", "", fold(text).strip())
        return self.country_index.get(t)

    def label(self, code: str) -> str:
        return self.countries[code].label if code in self.countries else code


def build_gazetteer(mappings: Mappings) -> Gazetteer:
    countries = _countries(mappings)
    persons: dict[str, Person] = {}
    for f in mappings.of_kind("persons"):
        for p in f.data["persons"]:
            key = slug(p["name"])
            persons[key] = Person(key, p["name"], p["country"], tuple(p.get("aliases", [])), p.get("organization"),
                                  p.get("surname"))
    organizations = {o["id"]: Organization(o["id"], o["label"], o["country"], tuple(o.get("names", [])),
                                           tuple(o.get("acronyms", [])))
                     for f in mappings.of_kind("organizations") for o in f.data["organizations"]}
    places = {p["id"]: Place(p["id"], p["label"], p["type"], p["country"], p.get("city"), tuple(p.get("names", [])))
              for f in mappings.of_kind("places") for p in f.data["places"]}
    titles_data: dict = {}
    for f in mappings.of_kind("titles"):
        for k, v in f.data.items():
            if isinstance(v, list):
                titles_data.setdefault(k, []).extend(v)
            elif isinstance(v, dict):
                titles_data.setdefault(k, {}).update(v)
    outlets = tuple(o for f in mappings.of_kind("outlets") for o in f.data["outlets"])
    publishers = {name: code for f in mappings.of_kind("outlets")
                  for code, names in f.data.get("publishers", {}).items() for name in names}
    return Gazetteer(countries, persons, organizations, places,
                     tuple(titles_data.get("titles", [])) + tuple(titles_data.get("title_abbreviations", {})),
                     tuple(titles_data.get("honorifics", [])),
                     tuple(titles_data.get("leader_words", [])), tuple(titles_data.get("name_particles", [])),
                     frozenset(titles_data.get("not_names", [])), outlets,
                     full_name_titles=frozenset(titles_data.get("full_name_titles", [])),
                     function_words=frozenset(titles_data.get("function_words", [])),
                     not_speakers=frozenset(titles_data.get("not_speakers", [])),
                     first_person=tuple(titles_data.get("first_person", [])),
                     relational_titles=tuple(titles_data.get("relational_titles", [])),
                     adverbs=tuple(titles_data.get("adverbs", [])),
                     asides=tuple(titles_data.get("asides", [])),
                     patronymics=frozenset(titles_data.get("patronymics", [])),
                     post_nominals=tuple(titles_data.get("post_nominals", [])),
                     headline_words=frozenset(titles_data.get("headline_words", [])),
                     family_name_first=frozenset(titles_data.get("family_name_first", [])),
                     speech_verbs=tuple(titles_data.get("speech_verbs", [])),
                     title_connectives=frozenset(titles_data.get("title_connectives", [])),
                     title_abbreviations=dict(titles_data.get("title_abbreviations", {})),
                     styles=tuple(titles_data.get("styles", [])),
                     local_titles=frozenset(titles_data.get("local_titles", [])),
                     national_titles={fold(t).lower(): code for code, ts in titles_data.get("national_titles", {}).items()
                                      for t in ts},
                     publishers=publishers)


def _countries(mappings: Mappings) -> dict[str, Country]:
    extra: dict[str, dict] = {}
    for f in mappings.of_kind("countries"):
        extra.update(f.data["countries"])
    result: dict[str, Country] = {}
    for c in pycountry.countries:
        e = extra.get(c.alpha_2, {})
        label = e.get("label") or getattr(c, "common_name", None) or c.name
        names = {c.name, getattr(c, "official_name", None) or c.name, *e.get("names", [])} - {label}
        result[c.alpha_2] = Country(c.alpha_2, label, tuple(sorted(n for n in names if "," not in n)),
                                    tuple(e.get("demonyms", [])))
    for code, e in extra.items():
        if code not in result:
            result[code] = Country(code, e.get("label", code), tuple(e.get("names", [])),
                                   tuple(e.get("demonyms", [])), e.get("parent"))
    return result
