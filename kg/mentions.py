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
from dataclasses import dataclass, field
from functools import cached_property

from kg.dates import DateExpression, find_dates
from kg.errors import Problem
from kg.gazetteer import Gazetteer, fold, slug
from kg.sentences import Sentence

TOKEN_PREFIX = {"person": "P", "country": "C", "org": "O", "place": "L", "date": "D"}


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


class MentionFinder:
    """Finds mentions with one gazetteer; holds only compiled patterns, no report state."""

    NAME = r"[A-Z][\w’'.-]*[\w’']"

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    @cached_property
    def _not_name(self) -> str:
        return r"(?!(?:" + "|".join(re.escape(w) for w in sorted(self.gaz.not_names)) + r")\b)"

    @cached_property
    def _name(self) -> str:
        part = self._not_name + self.NAME
        particles = "|".join(re.escape(p) for p in self.gaz.particles)
        return rf"{part}(?: (?:(?:{particles}) ){{0,2}}{part}){{1,4}}"

    @cached_property
    def _complement(self) -> str:
        word = r"(?:[A-Z][\w’'.-]*|\([A-Z][\w]*\))"
        return rf"(?: (?:of|to|for|in|on) (?:the )?{word}(?: (?:{word}|of|the|for|and|on|in|to|’s|'s))*?)?"

    @cached_property
    def _title_phrase(self) -> str:
        t, d = self.gaz.title_alt, self.gaz.demonym_alt + "|" + self.gaz.country_name_alt
        return rf"(?:(?:his|her|their) )?(?:(?:{d}) )?(?:{t})\b{self._complement}(?: and (?:(?:{d}) )?(?:{t})\b{self._complement})*"

    @cached_property
    def pre_title_re(self) -> re.Pattern[str]:
        h = self.gaz.honorific_alt
        return re.compile(rf"(?:(?<=\s)|^)((?:(?:{h}) )*{self._title_phrase}(?: (?:{h}))*) $")

    @cached_property
    def honorific_re(self) -> re.Pattern[str]:
        return re.compile(rf"(?:(?<=\s)|^)((?:(?:{self.gaz.honorific_alt}) )+)$")

    @cached_property
    def title_name_re(self) -> re.Pattern[str]:
        h = self.gaz.honorific_alt
        return re.compile(rf"(?:(?<=\s)|^|(?<=[(“\"]))(?P<title>{self._title_phrase})(?: (?:{h}))* (?P<name>{self._name})(?![\w’'-])")

    @cached_property
    def appositive_re(self) -> re.Pattern[str]:
        t, d = self.gaz.title_alt_i, self.gaz.demonym_alt_i
        return re.compile(rf"^, (?:the |a |an )?(?P<title>(?:(?:{d}) )?(?:{t})\b[^,;()]*(?:\([^)]*\)[^,;()]*)*?)(?P<close>,|(?=[.;:])|$)", re.I)

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
        t, d = self.gaz.title_alt_i, self.gaz.demonym_alt
        return re.compile(rf"(?:(?<=[\s—–(“\"])|^)(?P<name>{self._name}), (?:the |a |an )?(?:(?:{d}) )?(?i:{t})\b")

    @cached_property
    def unknown_reverse_appositive_re(self) -> re.Pattern[str]:
        """ "The Chairperson of the African Union Commission, Moussa Faki Mahamat, received ..." """
        t, d, h = self.gaz.title_alt, self.gaz.demonym_alt, self.gaz.honorific_alt
        return re.compile(rf"(?:(?<=\s)|^)(?:[Tt]he |[Aa] |[Aa]n )?(?:new |newly appointed |incoming |outgoing )?(?:(?:{d}) )?"
                          rf"(?:{t})\b[^,;]{{0,90}}, (?:(?:{h}) )?(?P<name>{self._name})(?=, | [a-z]|[.;]|$)")

    @cached_property
    def title_only_re(self) -> re.Pattern[str]:
        """ "The Prime Minister met President Biden": a title standing for the report's one holder."""
        return re.compile(rf"\b[Tt]he (?P<title>{self.gaz.title_alt})\b(?! of\b| to\b| for\b| [A-Z⟨])")

    @cached_property
    def descriptor_re(self) -> re.Pattern[str]:
        d = self.gaz.demonym_alt_i
        words = "|".join(re.escape(w) for w in sorted(self.gaz.leader_words, key=len, reverse=True))
        return re.compile(rf"\b(?:the|his|her|their) (?P<dem>{d}) (?P<word>{words})\b(?! [A-Z])", re.I)

    # ------------------------------------------------------------------ finding
    def scan(self, text: str) -> Scan:
        """The report-independent part of finding mentions in a sentence (a pure function of its text)."""
        folded = fold(text)
        return Scan(folded,
                    [Mention("date", e.start, e.end, e.text, date=e, how="date") for e in find_dates(text)],
                    self._named(text, folded),
                    list(self.descriptor_re.finditer(text)), list(self.title_only_re.finditer(text)),
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

        for m in self._persons(text, scan, ctx):
            if free(m.start, m.end):
                accepted.append(m)
        accepted = [self._with_titles(m, text, folded, accepted, ctx, scan.memo) if m.kind == "person" else m
                    for m in accepted]
        for m in self._descriptors(scan.descriptors, ctx):
            if free(m.start, m.end):
                accepted.append(m)
        for m in self._title_only(scan.title_only, ctx):
            if free(m.start, m.end):
                accepted.append(m)
        pronoun = self._pronoun(text, ctx)
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
        if persons:
            ctx.last_subject = persons[0].key
        masked, tokens = mask(text, accepted) if masking else ("", {})
        return MentionedSentence(sentence, tuple(accepted), masked, tokens)

    def _named(self, text: str, folded: str) -> list[Mention]:
        """People the gazetteer names, then people a title pattern names, not overlapping."""
        found: list[Mention] = []

        def add(m: Mention) -> None:
            if all(m.end <= o.start or m.start >= o.end for o in found):
                found.append(m)

        for m in self.gaz.person_re.finditer(folded):
            single = " " not in m.group(0)
            if folded[m.end():m.end() + 2] in ("'a", "'i") or (single and _inside_longer_name(text, m.start(), m.end())):
                continue
            key = self.gaz.person_index[m.group(0)]
            p = self.gaz.persons[key]
            add(Mention("person", m.start(), m.end(), text[m.start():m.end()], key, text[m.start():m.end()],
                        country=p.country, organization=p.organization))
        titled = [(m, text[m.end("name"):m.end("name") + 2]) for m in self.title_name_re.finditer(text)]
        titled += [(m, "") for m in self.unknown_appositive_re.finditer(text)]
        titled += [(m, "") for m in self.unknown_reverse_appositive_re.finditer(text)]
        for m, after in titled:
            s, e = m.start("name"), m.end("name")
            name = m.group("name")
            if self.gaz.person_index.get(fold(name)):
                continue
            known = self._name_variant(name)
            if known:
                p = self.gaz.persons[known]
                add(Mention("person", s, e, name, known, name, country=p.country, organization=p.organization))
            elif not self._is_known_entity(name, after):
                add(Mention("person", s, e, name, slug(name), name, how="title"))
        return found

    def _persons(self, text: str, scan: Scan, ctx: ReportContext) -> list[Mention]:
        """The sentence's people: those it names, then the report's people written again
        (a known spelling, a surname alone)."""
        found = list(scan.named)

        def add(m: Mention) -> None:
            if all(m.end <= o.start or m.start >= o.end for o in found):
                found.append(m)

        for key, info in sorted(ctx.persons.items()):
            for spelling in sorted(info.spellings | {info.name}, key=len, reverse=True):
                if " " not in spelling:
                    continue
                for s, e in _whole_words(text, spelling):
                    add(Mention("person", s, e, spelling, key, spelling, country=info.country,
                                organization=info.organization, how="surname"))
        for m in re.finditer(rf"(?<![\w’'-]){self.NAME}(?![\w’'-])", text):
            token = m.group(0)
            keys = ctx.short_forms.get(fold(token))
            if not keys or len(keys) != 1 or _inside_longer_name(text, m.start(), m.end()):
                continue
            key = next(iter(keys))
            info = ctx.persons[key]
            add(Mention("person", m.start(), m.end(), token, key, token, country=info.country,
                        organization=info.organization, how="surname"))
        return found

    def _name_variant(self, name: str) -> str | None:
        """A gazetteer person written another way: family name first and in capitals ("KISHIDA
        Fumio", "Kishida Fumio" for Fumio Kishida)."""
        parts = [p.title() if p.isupper() and len(p) > 1 else p for p in name.split()]
        candidates = [" ".join(parts)]
        if len(parts) == 2:
            candidates.append(f"{parts[1]} {parts[0]}")
        for c in candidates:
            key = self.gaz.person_index.get(fold(c))
            if key:
                return key
        return None

    def _is_known_entity(self, name: str, after: str = "") -> bool:
        """A title pattern's "name" that is really part of a proper noun ("Cuban Communist Party")."""
        f = fold(name)
        if re.match(r" (?:[A-Z]|\()", after) or any(self.gaz.country_index.get(t) for t in f.split()):
            return True
        return bool(self.gaz.country_index.get(f) or self.gaz.org_index.get(f) or self.gaz.place_index.get(f)
                    or any(f.startswith(fold(o)) for o in self.gaz.outlets))

    def _with_titles(self, m: Mention, text: str, folded: str, accepted: list[Mention],
                     ctx: ReportContext, memo: dict[tuple[str, int], object]) -> Mention:
        """Extend a person mention over the titles written around the name. The searches depend
        only on offsets in the text, so `memo` (the sentence's) keeps them for the next reading."""
        start, end, titles = m.start, m.end, []
        pre = _memo(memo, "title before", start, lambda: self.pre_title_re.search(text[:start]))
        if pre and not _crosses(accepted, pre.start(1), start, m):
            titles.append(pre.group(1))
            start = pre.start(1)
        else:
            hon = _memo(memo, "honorific before", start, lambda: self.honorific_re.search(text[:start]))
            if hon:
                start = hon.start(1)
        rev, title_start, rev_start = _memo(memo, "reverse", start, lambda: self._reverse_title(text, start))
        if rev and not pre and not _crosses(accepted, rev_start, start, m):
            titles.append(text[title_start:rev.end("title")])
            start = rev_start
            if text[end:end + 2] == ", ":
                end += 1
        post = _memo(memo, "after", end, lambda: self.appositive_re.match(text[end:]))
        if post and not _crosses(accepted, end, end + post.end(), m):
            titles.append(post.group("title").strip())
            end = end + post.end()
        side = re.match(r" of (?:the )?", text[end:]) if not post else None
        side_country = None
        if side:
            c = self.gaz.country_re.match(folded, end + side.end())
            if c and not re.match(r"[\w-]", folded[c.end():c.end() + 1]):
                side_country = self.gaz.country_of_text(c.group(0))
                if side_country:
                    end = c.end()
        titles = [_clean_title(t, self.gaz) for t in titles]
        country = m.country or side_country
        organization = m.organization
        for t in titles:
            country = country or self._country_in(t)
            organization = organization or self._organization_in(t, ctx)
        if country is None and organization and organization in self.gaz.organizations:
            country = self.gaz.organizations[organization].country
        if country is None and m.key in ctx.persons:
            country = ctx.persons[m.key].country
        return Mention("person", start, end, text[start:end], m.key, m.name, tuple(t for t in titles if t),
                       country, organization, how=m.how)

    def _reverse_title(self, text: str, start: int) -> tuple[re.Match[str] | None, int, int]:
        """A title written before the name and closed by a comma ("the Kazakh President, Tokayev"):
        the match, where the title starts and where the mention would start (with its article)."""
        rev = self.reverse_appositive_re.search(text[:start])
        title_start = rev.start("title") if rev else start
        while rev:  # the nearest title word may be the end of a longer title ("High Commissioner")
            word = re.search(r"(?:(?<=\s)|^)([A-Z][\w-]*) $", text[:title_start])
            if not word or not self.title_start_re.match(text, word.start(1)):
                break
            title_start = word.start(1)
        lead = re.search(r"(?:(?<=\s)|^)(?:the|a|an) $", text[:title_start], re.I) if rev else None
        return rev, title_start, (lead.start() if lead else title_start)

    def _country_in(self, title: str) -> str | None:
        ft = fold(title)
        dem = re.search(rf"\b(?:{self.gaz.demonym_alt})\b", ft)
        if dem:
            return self.gaz.country_of_text(dem.group(0))
        m = self.gaz.country_re.search(ft)
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

    def _descriptors(self, matches: list[re.Match[str]], ctx: ReportContext) -> list[Mention]:
        out = []
        for m in matches:
            code = self.gaz.country_of_text(m.group("dem"))
            keys = sorted(k for k, p in ctx.persons.items() if p.country == code)
            if code and len(keys) == 1:
                info = ctx.persons[keys[0]]
                out.append(Mention("person", m.start(), m.end(), m.group(0), info.key, None, (),
                                   info.country, info.organization, how="descriptor"))
        return out

    def _title_only(self, matches: list[re.Match[str]], ctx: ReportContext) -> list[Mention]:
        out = []
        for m in matches:
            title = m.group("title")
            holders = sorted(k for k, p in ctx.known.items()
                             if any(re.search(rf"(?<![\w-]){re.escape(title)}\b", t, re.I) for t in p.titles))
            if len(holders) == 1:
                info = ctx.persons.get(holders[0]) or ctx.known[holders[0]]
                out.append(Mention("person", m.start(), m.end(), m.group(0), info.key, None, (title,), info.country,
                                   info.organization, how="title-only"))
        return out

    def _pronoun(self, text: str, ctx: ReportContext) -> Mention | None:
        m = re.match(r"(?:He|She|His|Her)\b(?! (?:excellency|majesty))", text)
        if not m or ctx.last_subject is None or ctx.last_subject not in ctx.persons:
            return None
        info = ctx.persons[ctx.last_subject]
        return Mention("person", 0, m.end(), m.group(0), info.key, None, (), info.country,
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

    def _register(self, m: Mention, ctx: ReportContext) -> None:
        info = ctx.persons.get(m.key or "")
        canonical = self.gaz.persons[m.key].name if m.key in self.gaz.persons else (m.name or m.text)
        if info is None:
            info = ctx.persons[m.key] = PersonInfo(m.key, canonical, m.country, m.organization)  # type: ignore[index]
        info.country = info.country or m.country
        info.organization = info.organization or m.organization
        if m.name and m.how in ("gazetteer", "title"):
            info.spellings.add(m.name)
        info.titles.update(m.titles)
        for name in (canonical, m.name or ""):
            for token in re.split(r"[ ]", name):
                if token and token not in self.gaz.not_names and token.lower() not in self.gaz.particles \
                        and len(token) >= 2 and token[0].isupper():
                    ctx.short_forms.setdefault(fold(token), set()).add(info.key)


def _memo(memo: dict[tuple[str, int], object], what: str, offset: int, compute):
    key = (what, offset)
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _inside_longer_name(text: str, start: int, end: int) -> bool:
    """True when the match is part of a longer capitalized name ("Li" in "Li Haidong")."""
    after = re.match(r" (?:[A-Z][\w’'-]+)", text[end:])
    before = re.search(r"(?:[A-Z][\w’'-]+) $", text[:start])
    return bool(after and not re.match(r" (?:[A-Z]\w*’s|[A-Z]\w*'s)", text[end:]) and _namelike(after.group(0))) or \
        bool(before and _namelike(before.group(0)) and not re.search(r"\b(?:President|Premier|Minister|Chairman|Ambassador|Secretary|Comrade|General|Madame|Mr|Ms|Dr)\.? $", text[:start]))


_FUNCTION_CAPS = {"The", "A", "An", "In", "On", "At", "And", "But", "As", "After", "Before", "During", "When", "While",
                  "Meeting", "Following", "Noting", "Premier", "President", "Chairman", "Minister", "Ambassador",
                  "Secretary", "General", "Comrade", "Madame", "Vice", "Deputy", "Prime", "First", "Foreign",
                  "Counsellor", "Consul", "Chancellor", "King", "Queen", "Dr", "Mr", "Ms", "Mrs", "H.E.", "Both",
                  "Accompanied", "Said", "Also", "Today", "Yesterday", "Meanwhile", "Prior"}


def _namelike(word: str) -> bool:
    w = word.strip()
    return bool(w) and w not in _FUNCTION_CAPS and not w.isupper()


def _crosses(accepted: list[Mention], s: int, e: int, own: Mention) -> bool:
    return any(m is not own and m.kind in ("person",) and s < m.end and m.start < e for m in accepted)


def _clean_title(title: str, gaz: Gazetteer) -> str:
    t = re.sub(rf"^(?:(?:{gaz.honorific_alt}) )+", "", title).strip(" ,")
    t = re.sub(r"^(?:his|her|their) ", "", t).rstrip(" .")
    return t


_DATE_CLEAN = re.compile(r"(?:\b(?:[Oo]n|[Ii]n|[Aa]t|this|last|earlier|later|[Ee]arly|[Ll]ate) )?"
                         r"(?:the (?:morning|afternoon|evening|night) of )?⟨D\d+⟩")


# adverbs between a person and the verb carry nothing the rules need: "X also met Y", "X on Tuesday
# received Y" read as "X met Y", "X received Y"
_ADVERBS = re.compile(r"(⟨P\d+⟩),? (?:(?:also|then|later|separately|recently|subsequently|earlier|first|today|here|"
                      r"yesterday|jointly|formally|officially|briefly|virtually)\b,? )+")
_DANGLING = re.compile(r"(⟨P\d+⟩),(?: ?,)+ ?")  # "X, on Tuesday, received" once the date is out


def mask(text: str, mentions: list[Mention]) -> tuple[str, dict[str, Mention]]:
    """The sentence with one token per mention; date tokens (and their prepositions) removed."""
    counters: dict[str, int] = {}
    out, tokens, pos = [], {}, 0
    for m in sorted(mentions, key=lambda x: x.start):
        prefix = TOKEN_PREFIX[m.kind]
        n = counters.get(prefix, 0)
        counters[prefix] = n + 1
        token = f"⟨{prefix}{n}⟩"
        tokens[token] = m
        out.append(text[pos:m.start])
        out.append(token)
        pos = m.end
    out.append(text[pos:])
    masked = _DATE_CLEAN.sub("", "".join(out))
    masked = re.sub(r"\s{2,}", " ", masked)
    masked = re.sub(r"^[\s,]+", "", masked)
    masked = re.sub(r"\s+([,.;])", r"\1", masked)
    masked = _DANGLING.sub(r"\1 ", masked)
    masked = _ADVERBS.sub(r"\1 ", masked)
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
