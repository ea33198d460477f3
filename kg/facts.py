"""Stage 4, facts: apply the mapping rules to the sentences of one report.

``extract_report`` is a pure function of one article (and the compiled mappings): it returns
the meetings, attendances, agreements and joint statements the report states, each with the
sentence and rule it was read from, plus what it could not decide.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from kg.articles import Article
from kg.dates import DateConstraint, DateContext, DateCues, DateTrail, PartialDate, resolve
from kg.errors import Problem
from kg.gazetteer import Gazetteer
from kg.mentions import Mention, MentionedSentence, MentionFinder, PersonInfo, ReportContext
from kg.rules import Rule, RuleBook, RuleMatch, match, mode_of, not_an_event, told_not_as_event, unmask
from kg.sentences import Sentence, split_sentences

_DURING_VISIT = re.compile(r"\bduring (?:the|his|her|this|their) (?:state |official |working )?visit\b", re.I)


BUILT_IN_RULES = {
    # Readings done by code, not by a mapping rule; each is a rule resource in the graph all the same.
    "clause.default-both": "A joint-statement clause that names no side is asserted by both sides.",
    "date.stated": "The date is stated in the sentence.",
    "date.stated+report-year": "A day and month stated in the sentence, with the year of the report's date.",
    "date.report-date": "A date relative to the report's date ('today', 'yesterday', 'last week').",
    "date.previous-date": "The date of the meeting told before ('the same day', 'later that day', 'Earlier,').",
    "date.weekday": "A weekday ('on Tuesday') resolved against the report's date or a stated range.",
    "date.range": "Only a range is known: a stated visit ('November 24 to 26') or a month.",
    "date.narrative": "A visit told day by day ('The second day of the visit'): the day of the visit.",
    "date.same-day": "'On this day' with no date before it: the day of the file's fully dated meeting "
                     "that shares a principal.",
    "date.merged": "Dates read by different readings of one report, combined.",
    "location.venue": "A venue named in the meeting's sentence (with its city).",
    "location.city": "A city named in the meeting's sentence.",
    "location.here": "'here' in the meeting's sentence: the city of the report's dateline.",
    "location.visit-to": "'a visit to <country>': the country is where the meeting took place.",
}


class Tally(dict):
    """How often each rule fired in a report, and which of its slots ever took a value (for lint)."""

    def __init__(self) -> None:
        super().__init__()
        self.slots: dict[str, set[str]] = {}

    def hit(self, rule_id: str, *matches: "RuleMatch") -> None:
        self[rule_id] = self.get(rule_id, 0) + 1
        seen = self.slots.setdefault(rule_id, set())
        for rm in matches:
            seen.update(name for name, found in rm.slots.items() if found)
            seen.update(name for name, text in rm.texts.items() if text)


@dataclass(frozen=True)
class Evidence:
    sentence: Sentence
    rule: str

    @property
    def key(self) -> tuple:
        return (self.sentence.article.key, self.sentence.start, self.sentence.end, self.rule)


@dataclass
class ParticipantFact:
    key: str
    role: str | None
    titles: tuple[str, ...]
    country: str | None
    organization: str | None


@dataclass
class MeetingFact:
    article: Article
    evidence: Evidence
    participants: list[ParticipantFact]
    date: DateConstraint
    mode: str | None
    type: str | None
    location: str | None          # a place id, or "country:XX"
    city: str | None
    ordinal: int = 0              # 1, 2, ... when the text counts several meetings ("twice")
    attendees: list[tuple[str, Evidence]] = field(default_factory=list)
    agreements: list[tuple[str, Evidence]] = field(default_factory=list)
    statement: bool = False
    located_by: str | None = None  # the built-in rule that found location and city (see BUILT_IN_RULES)

    @property
    def principals(self) -> frozenset[str]:
        return frozenset(p.key for p in self.participants)


@dataclass
class ClauseFact:
    number: int | None
    text: str
    sides: tuple[str, ...]
    sentences: tuple[Sentence, ...]
    rule: str


@dataclass
class StatementFact:
    article: Article
    title: str
    sides: tuple[str, ...]
    meeting: MeetingFact | None
    clauses: list[ClauseFact]
    rule: str


@dataclass
class ReportFacts:
    article: Article
    sentences: int
    meetings: list[MeetingFact]
    statements: list[StatementFact]
    persons: dict[str, PersonInfo]
    problems: list[Problem]
    fired: Tally


@dataclass(frozen=True)
class Extractor:
    """What extraction needs besides the report: gazetteer, mention finder, rules."""

    gazetteer: Gazetteer
    finder: MentionFinder
    rules: RuleBook
    abbreviations: tuple[str, ...]
    date_cues: DateCues = DateCues()


def extract_report(article: Article, ex: Extractor) -> ReportFacts:
    sentences = split_sentences(article, ex.abbreviations)
    # a first reading learns who holds which title ("The Prime Minister met ..."); what the text
    # alone says is found once for both readings
    scans = [ex.finder.scan(sentence.text) for sentence in sentences]
    first = ReportContext()
    for sentence, scan in zip(sentences, scans):
        ex.finder.find(sentence, first, scan, masking=False)
    ctx = ReportContext(known=first.persons, sides=set(first.sides))
    trail = DateTrail()
    last_range: DateConstraint | None = None
    year = article.date.year if article.date else None
    if year is None:
        year, _ = ex.date_cues.article_year(" ".join(line.text for line in article.body))
    narrated = any(ex.date_cues.day_of_visit(s.text) is not None for s in sentences)
    visit: DateConstraint | None = None   # the visit range a day-by-day narrative walks through
    visit_day: dt.date | None = None
    visit_sentence: Sentence | None = None
    meetings: list[MeetingFact] = []
    fired = Tally()
    mentioned: list[MentionedSentence] = []
    paragraph_date: dict[int, DateConstraint] = {}
    dateline_end = article.body[0].start + article.dateline if article.dateline else -1
    speaker = _report_speaker(article, sentences, ex, first.persons)   # who says "I" in this turn
    speakers: dict[str, Mention] = {}    # every person whose label opens a turn
    addressed: list[tuple[RuleMatch, MentionedSentence, DateConstraint, Mention]] = []  # "meet with you"
    for sentence, scan in zip(sentences, scans):
        ms = ex.finder.find(sentence, ctx, scan)
        mentioned.append(ms)
        speaker = _speaker(ms, ex.rules, speaker)
        if speaker is not None and speaker.key:
            speakers.setdefault(speaker.key, speaker)
        dctx = DateContext(article.date, trail.last, year)
        constraints = [replace(resolve(m.date, dctx), source=sentence) for m in ms.of_kind("date")
                       if m.date and sentence.start + m.start >= dateline_end]   # the dateline dates the report
        date = _best_date(constraints)
        marker = ex.date_cues.day_of_visit(sentence.text) if visit is not None else None
        if marker is not None and visit is not None and visit.low and visit.high:
            visit_day = visit.high if marker == -1 else min(visit.low + dt.timedelta(marker - 1), visit.high)
            visit_sentence = sentence
        if not date.known and last_range is not None and _DURING_VISIT.search(sentence.text):
            date = last_range
        if not date.known and sentence.paragraph in paragraph_date:
            date = paragraph_date[sentence.paragraph]  # a paragraph narrates one time
        if not date.known and visit_day is not None:
            date = DateConstraint(PartialDate(visit_day.year, visit_day.month, visit_day.day), method="narrative",
                                  text=visit.text if visit else "", source=visit_sentence or sentence)
        if not date.known:
            date = next((c for c in constraints if c.same_day), date)
        if date.known:
            paragraph_date[sentence.paragraph] = date
        for rule in ex.rules.of_kind("meeting"):
            for rm in match(rule, ms):
                if rule.principal:
                    rm = _with_speaker(rm, speaker)
                    if rm is None:
                        continue
                if rule.addressee:      # whom "you" is, the transcript tells only once it is read
                    if speaker is not None and not not_an_event(ex.rules, rm, ms):
                        addressed.append((rm, ms, date, speaker))
                    continue
                skipped = not_an_event(ex.rules, rm, ms)
                if skipped:
                    kind, words = skipped
                    what = "only planned or imagined" if kind == "hypothetical" else "only recalled from before"
                    ctx.problems.append(Problem(
                        f"skipped-{kind}", f"rule {rule.id} matched a meeting that is {what} ({words!r}); "
                        f"not a meeting", file=article.document.name, line=sentence.line, rule=rule.id))
                    continue
                for fact in _meetings_from(rm, ms, date, article, ex, ctx):
                    fired.hit(rule.id, rm)
                    _add_meeting(meetings, fact)
        if not any(m.evidence.sentence is sentence for m in meetings):
            unnamed = next(filter(None, (p.search(ms.masked) for p in ex.rules.unnamed)), None)
            told = told_not_as_event(ex.rules, ms)
            if told:
                kind, words = told
                what = "only planned or imagined" if kind == "hypothetical" else "only recalled from before"
                ctx.problems.append(Problem(f"skipped-{kind}", f"a meeting or visit that is {what} ({words!r}); "
                                            f"not a meeting", file=article.document.name, line=sentence.line))
            elif unnamed:
                ctx.problems.append(Problem("unnamed-principals", f"a meeting is told without naming its principals "
                                            f"({unmask(unnamed.group(0), ms)!r}); no meeting is made",
                                            file=article.document.name, line=sentence.line))
        if meetings:
            _attach(ex, ms, meetings[-1], fired)
        for c in constraints:
            trail.note(c)
            if c.low is not None:
                last_range = c
                if narrated and c.high is not None:
                    visit, visit_day = c, c.low
    for rm, ms, date, who in addressed:
        filled = _with_addressee(rm, who, speakers)
        for fact in _meetings_from(filled, ms, date, article, ex, ctx) if filled else ():
            fired.hit(rm.rule.id, filled)
            _add_meeting(meetings, fact)
    for fact, rm in _title_meetings(article, mentioned, meetings, ex, ctx):
        fired.hit(fact.evidence.rule, rm)
        meetings.append(fact)
    statements = _statements(article, mentioned, meetings, ex, fired)
    return ReportFacts(article, len(sentences), meetings, statements, ctx.persons, ctx.problems, fired)


def _best_date(constraints: list[DateConstraint]) -> DateConstraint:
    def rank(c: DateConstraint) -> int:
        d = c.date
        if d.full:
            return 0 if c.method == "stated" else 1
        if c.low is not None:
            return 2
        if d.month and d.day:
            return 3
        if c.weekday is not None:
            return 4
        if d.year:
            return 5
        return 9
    known = [c for c in constraints if c.known]
    return min(known, key=rank) if known else DateConstraint()


def _meetings_from(rm: RuleMatch, ms: MentionedSentence, date: DateConstraint, article: Article,
                   ex: Extractor, ctx: ReportContext) -> list[MeetingFact]:
    rule = rm.rule
    people: list[tuple[Mention, str | None]] = []
    for slot, role in rule.roles.items():
        for m in rm.slots.get(slot, []):
            if all(m.key != p.key for p, _ in people):
                people.append((m, None if role == "Participant" else role))
    groups = [people]
    if rule.each and len(rm.slots.get(rule.each, [])) > 1:
        each = {m.key for m in rm.slots[rule.each]}
        fixed = [p for p in people if p[0].key not in each]
        groups = [fixed + [p] for p in people if p[0].key in each]
    count = 1
    if rule.count:
        count = ex.rules.counts.get(rm.texts.get(rule.count, "").lower().strip(), 1)
    location, city, located_by = _location(ms, article, ex)
    mode = _mode(rule, ms, article, ex)
    out = []
    for group in groups:
        participants = [ParticipantFact(m.key or "", role, m.titles, m.country, m.organization) for m, role in group]
        _infer_countries(participants, ms, ctx, location, ex)
        if len(participants) < 2:
            continue
        sides = {p.country for p in participants if p.country}
        if len(sides) > 2:
            ctx.problems.append(Problem("not-bilateral", f"rule {rule.id} matched people of {len(sides)} sides "
                                        f"({', '.join(sorted(sides))}); a multilateral meeting, not a bilateral one",
                                        file=article.document.name, line=ms.sentence.line, rule=rule.id))
            continue
        if len(sides) == 1 and all(p.country for p in participants):
            ctx.problems.append(Problem("not-bilateral", f"rule {rule.id} matched people of one side only "
                                        f"({', '.join(sorted(p.key for p in participants))}); not a bilateral meeting",
                                        file=article.document.name, line=ms.sentence.line, rule=rule.id))
            continue
        _roles_from_location(participants, location, ex)
        for n in range(count):
            out.append(MeetingFact(article, Evidence(ms.sentence, rule.id), participants, date, mode, rule.type,
                                   location, city, ordinal=n + 1 if count > 1 else 0, located_by=located_by))
    return out


def _mode(rule: Rule, ms: MentionedSentence, article: Article, ex: Extractor) -> str | None:
    """Phone or video when the sentence says so; else the rule's own mode; else, for a rule that
    fixes none ("X spoke with Y"), what the article's title says ("Readout of the President's
    Call with ...")."""
    said = mode_of(ex.rules, ms.sentence.text, None)
    if said or rule.mode:
        return said or rule.mode
    return mode_of(ex.rules, article.title or "", None)


def _speaker(ms: MentionedSentence, book: RuleBook, current: Mention | None) -> Mention | None:
    """The speaker of a transcript's turn: a sentence that opens with a speaker label ("Anthony
    Albanese, Prime Minister:", "SECRETARY BLINKEN:") starts a turn, spoken by the person named in
    the label, or by someone unknown when the label names no person the recogniser knows
    ("QUESTION:"); other sentences continue the turn. A heading line ("Video conference of Foreign
    Affairs Ministers: Remarks by ...", no closing punctuation) opens no turn."""
    if not _HEADING_END.search(ms.sentence.text.strip()):
        return current
    for label in book.speaker_labels:
        found = label.match(ms.sentence.text)
        if found:
            return next((m for m in ms.of_kind("person") if m.start < found.end() and m.key), None)
    return current


def _report_speaker(article: Article, sentences: list[Sentence], ex: Extractor,
                    known: dict[str, PersonInfo]) -> Mention | None:
    """Who speaks in a report its headline gives as one person's words ("Remarks by High
    Representative Josep Borrell at the press conference", "Statement by the Prime Minister"):
    that person says "I" and "we" until a speaker label opens another turn. None otherwise."""
    title = _title_as_sentence(article)
    headings = [title] if title is not None else []
    for sentence in sentences:
        if _HEADING_END.search(sentence.text.strip()):
            break
        headings.append(sentence)
    for sentence in headings:
        for cue in ex.rules.speaker_titles:
            found = cue.search(sentence.text)
            if found:
                ms = ex.finder.find(sentence, ReportContext(known=known))
                person = next((m for m in ms.of_kind("person") if m.start >= found.start() and m.key), None)
                if person is not None:
                    return person
    return None


def _with_speaker(rm: RuleMatch, speaker: Mention | None) -> RuleMatch | None:
    """A sentence rule's ``principal`` slot ("I had a bilateral meeting with ⟨P0⟩") is the speaker of
    the turn; None (no meeting) when the speaker is unknown or is the other participant."""
    rule = rm.rule
    if rule.principal is None or rm.slots.get(rule.principal):
        return rm
    others = {m.key for name, found in rm.slots.items() if name in rule.roles for m in found}
    if speaker is None or not speaker.key or speaker.key in others:
        return None
    return replace(rm, slots={**rm.slots, rule.principal: [speaker]})


def _with_addressee(rm: RuleMatch, speaker: Mention, speakers: dict[str, Mention]) -> RuleMatch | None:
    """In a transcript of two principals ("President of Russia Vladimir Putin: ... it is a pleasure to
    welcome you"), "you" is the one other person whose label opens a turn. Only when that person
    and the speaker are of two known, different countries: an interviewer or a compatriot is not a
    counterpart. None when the transcript does not say who "you" is."""
    rule = rm.rule
    others = [m for key, m in speakers.items() if key != speaker.key]
    if len(others) != 1 or rule.addressee is None:
        return None
    you = others[0]
    if not (speaker.country and you.country and speaker.country != you.country):
        return None
    slots = {**rm.slots, rule.addressee: [you]}
    if rule.principal:
        slots[rule.principal] = [speaker]
    return replace(rm, slots=slots)


def _title_as_sentence(article: Article) -> Sentence | None:
    """The article's title as a sentence of the document (its offsets are those of the title line,
    so that evidence quotes it), or None when the article has no title."""
    if not article.title:
        return None
    text = article.document.text
    end = article.body[0].start if article.body else len(text)
    start = text.rfind(article.title, 0, end)
    if start < 0:
        start = max(0, text.find(article.title))
    return Sentence(article, -1, -1, start, start + len(article.title), article.title)


def _body_persons(mentioned: list[MentionedSentence]) -> list[Mention]:
    """The persons the body names, in order of first mention, once each."""
    seen: dict[str, Mention] = {}
    for ms in mentioned:
        for m in ms.of_kind("person"):
            if m.key and m.key not in seen:
                seen[m.key] = m
    return list(seen.values())


def _fill_from_body(rm: RuleMatch, persons: list[Mention]) -> RuleMatch | None:
    """A title names a side where the body names its person: a country slot ("Japan-UK Summit
    Meeting") stands for the first person of that country the body names, and the rule's
    ``principal`` slot, when the title leaves it empty ("Remarks with Foreign Minister Lavrov
    Before Their Meeting"), for the first person the body names who is not another participant:
    the report's principal, who speaks or is read out. None when the body names no such person."""
    rule = rm.rule
    slots = {name: list(found) for name, found in rm.slots.items()}
    for name in rule.roles:
        if rule.slot_letters.get(name) == "C":
            country = next((m.key for m in slots.get(name, []) if m.key), None)
            person = next((p for p in persons if country and p.country == country), None)
            if person is None:
                return None
            slots[name] = [person]
    if rule.principal and not slots.get(rule.principal):
        others = {m.key for name, found in slots.items() if name in rule.roles for m in found}
        person = next((p for p in persons if p.key not in others), None)
        if person is None:
            return None
        slots[rule.principal] = [person]
    return replace(rm, slots=slots)


_HEADING_END = re.compile(r"[.!?;:,]$")


def _headlines(article: Article, mentioned: list[MentionedSentence], ex: Extractor,
               ctx: ReportContext) -> list[MentionedSentence]:
    """Where a report says what it is: its title, and the heading lines that open its body before
    the first sentence of prose (a line with no closing punctuation: "Remarks with Foreign Minister
    X Before Their Meeting", the byline, the dateline), since many pages set their headline apart
    from the title the layout finds."""
    found: list[MentionedSentence] = []
    title = _title_as_sentence(article)
    if title is not None:
        found.append(ex.finder.find(title, ReportContext(known=ctx.persons, sides=set(ctx.sides))))
    for ms in mentioned:
        if _HEADING_END.search(ms.sentence.text.strip()):
            break
        found.append(ms)
    return found


def _heading_date(article: Article, headlines: list[MentionedSentence], year: int | None) -> DateConstraint:
    """The date of a meeting told only by a headline: the report's date, or else the first full
    date of its heading lines ("Rome, Italy / December 14, 2014")."""
    if article.date:
        return DateConstraint(article.date, method="report-date", text=article.title or "")
    for ms in headlines:
        for m in ms.of_kind("date"):
            if m.date:
                c = resolve(m.date, DateContext(None, None, year))
                if c.date.full:
                    return replace(c, source=ms.sentence)
    return DateConstraint()


def _title_meetings(article: Article, mentioned: list[MentionedSentence], meetings: list[MeetingFact],
                    ex: Extractor, ctx: ReportContext) -> list[tuple[MeetingFact, RuleMatch]]:
    """The meeting a report's headline tells ("Readout of the President's Call with Prime Minister
    X", "Remarks with Foreign Minister Y Before Their Meeting", "Japan-UK Summit Meeting"), when no
    sentence of the body told a meeting of the same principals: readouts and remarks often say it
    only there."""
    rules = ex.rules.on_title("meeting")
    if not rules:
        return []
    headlines = _headlines(article, mentioned, ex, ctx)
    persons = _body_persons(mentioned)
    told = [m.principals for m in meetings]
    date: DateConstraint | None = None
    out: list[tuple[MeetingFact, RuleMatch]] = []
    for ms in headlines:
        for rule in rules:
            for rm in match(rule, ms):
                filled = _fill_from_body(rm, persons)
                if filled is None or not_an_event(ex.rules, filled, ms):
                    continue
                if date is None:
                    year = article.date.year if article.date else None
                    date = _heading_date(article, headlines, year)
                for fact in _meetings_from(filled, ms, date, article, ex, ctx):
                    if not any(fact.principals <= principals for principals in told):   # the body told it
                        told.append(fact.principals)
                        out.append((fact, filled))
    return out


def _infer_countries(participants: list[ParticipantFact], ms: MentionedSentence, ctx: ReportContext,
                     location: str | None, ex: Extractor) -> None:
    """A participant of unknown side speaks for the one country its titles name that is not the
    other side's ("Vietnam Minister of Industry"); else for the one other country the sentence names; else
    for the country of the meeting place when that is not the other side's ("received at her
    office in Dhaka"); else for the one other side the whole report names. When the report names
    no side but the known one ("President X met with the Speaker of the Federation Council Y"),
    the meeting is domestic: the participant is of that side (on this fact only), so that the
    meeting is found not bilateral."""
    for m in (found for p in ex.rules.place_cues.get("delegation_of", ()) for found in p.finditer(ms.masked)):
        org, person = ms.tokens.get(m.group(1)), ms.tokens.get(m.group(2))
        body = ex.gazetteer.organizations.get(org.key or "") if org else None
        for p in participants:
            if person and body and body.country and p.key == person.key and not p.country:
                p.country, p.organization = body.country, p.organization or body.key
    unknown = [p for p in participants if not p.country]
    if len(unknown) != 1:
        return
    known = {p.country for p in participants if p.country}
    guesses = [{m.key for m in ex.finder.scan(" ".join(unknown[0].titles)).countries} - known,   # "Vietnam Minister"
               {m.key for m in ms.of_kind("country")} - known]
    place = location.split(":", 1)[1] if location and location.startswith("country:") else \
        ex.gazetteer.places[location].country if location in ex.gazetteer.places else None
    guesses.append({place} - known if place else set())
    guesses.append(set(ctx.sides) - known)
    for named in guesses:
        named.discard(None)  # type: ignore[arg-type]
        if len(named) == 1:
            unknown[0].country = next(iter(named))
            if unknown[0].key in ctx.persons and not ctx.persons[unknown[0].key].country:
                ctx.persons[unknown[0].key].country = unknown[0].country
            return
    if len(known) == 1 and ctx.sides and set(ctx.sides) <= known:
        unknown[0].country = next(iter(known))


def _location(ms: MentionedSentence, article: Article, ex: Extractor) -> tuple[str | None, str | None, str | None]:
    """The venue and the city of a meeting told in this sentence, and the built-in rule that found them."""
    text = ms.sentence.text
    places = [ex.gazetteer.places[m.key] for m in ms.of_kind("place") if m.key in ex.gazetteer.places
              and not re.match(r",? (?:said|says|announced|stated|confirmed)\b", text[m.end:])]
    venue = next((p for p in places if p.type == "venue"), None)
    city = next((p for p in places if p.type == "city"), None)
    if venue:
        return venue.key, venue.city or (city.key if city else None), "location.venue"
    if city:
        return None, city.key, "location.city"
    if any(p.search(ms.sentence.text) for p in ex.rules.place_cues.get("here", ())) and article.city:
        key = ex.gazetteer.place_index.get(article.city.strip().title()) or \
            ex.gazetteer.place_index.get(article.city.strip())
        if key:
            return None, key, "location.here"
    v = next(filter(None, (p.search(ms.masked) for p in ex.rules.place_cues.get("visit_to", ()))), None)
    if v and v.group(1) in ms.tokens:
        return f"country:{ms.tokens[v.group(1)].key}", None, "location.visit-to"
    return None, None, None


def _roles_from_location(participants: list[ParticipantFact], location: str | None, ex: Extractor) -> None:
    """Where the meeting's country is known, its people host and the others are guests."""
    if not location:
        return
    country = location.split(":", 1)[1] if location.startswith("country:") else \
        ex.gazetteer.places[location].country if location in ex.gazetteer.places else None
    if country is None:
        return
    home = [p for p in participants if p.country == country]
    away = [p for p in participants if p.country and p.country != country]
    if home and away:
        for p in home:
            p.role = "Host"
        for p in away:
            p.role = "Guest"


def _add_meeting(meetings: list[MeetingFact], fact: MeetingFact) -> None:
    """Within one sentence, two rules describing the same meeting give one fact."""
    for m in meetings:
        if m.evidence.sentence is fact.evidence.sentence and m.principals == fact.principals and m.ordinal == fact.ordinal:
            return
    meetings.append(fact)


def _attach(ex: Extractor, ms: MentionedSentence, meeting: MeetingFact, fired: Tally) -> None:
    """Attendance, agreements and an issued statement belong to the last meeting of the report."""
    for kind in ("attendance", "agreement"):
        for rule in ex.rules.of_kind(kind):
            found = match(rule, ms)
            if not found:
                continue
            fired.hit(rule.id, *found)
            ev = Evidence(ms.sentence, rule.id)
            for rm in found:
                if kind == "attendance":
                    for m in next(iter(rm.slots.values()), []):
                        if m.key and m.key not in meeting.principals and all(m.key != a for a, _ in meeting.attendees):
                            meeting.attendees.append((m.key, ev))
                else:
                    for item in _items(rm, rule.split):
                        label = f"{rule.prefix} {item}".strip() if rule.prefix else item
                        label = label[0].upper() + label[1:]
                        if all(label != a for a, _ in meeting.agreements):
                            meeting.agreements.append((label, ev))
            break
    for rule in ex.rules.of_kind("statement-issued"):
        found = match(rule, ms)
        if found:
            fired.hit(rule.id, *found)
            meeting.statement = True


def _items(rm: RuleMatch, split: bool) -> list[str]:
    text = next(iter(rm.texts.values()), "")
    text = re.sub(r",? (?:among others|and others)$", "", text).strip(" .")
    if not split:
        return [re.sub(r"^(?:a|an|the) ", "", text)] if text else []
    parts = [p.strip() for p in text.split(", ") if p.strip()]
    if parts and " and " in parts[-1]:
        head, tail = parts[-1].rsplit(" and ", 1)
        parts[-1:] = [head, tail]
    return [re.sub(r"^(?:and|the|a|an) ", "", p).strip() for p in parts if p]


# ---------------------------------------------------------------- joint statements
def _statements(article: Article, mentioned: list[MentionedSentence], meetings: list[MeetingFact],
                ex: Extractor, fired: Tally) -> list[StatementFact]:
    if not article.title:
        return []
    title_ms = ex.finder.find(_title_sentence(article), ReportContext())
    for rule in ex.rules.of_kind("statement"):
        found = match(rule, title_ms)
        if not found:
            continue
        sides = tuple(sorted({m.key for ms in found[0].slots.values() for m in ms if m.key}))
        fired.hit(rule.id, *found)
        meeting = next((m for m in meetings if {p.country for p in m.participants} >= set(sides)), None)
        if meeting:
            meeting.statement = True
        clauses = _clauses(mentioned, ex, fired, sides)
        return [StatementFact(article, article.title, sides, meeting, clauses, rule.id)]
    return []


def _title_sentence(article: Article) -> Sentence:
    return Sentence(article, -1, -1, 0, 0, article.title or "")


def _side_of(ms: MentionedSentence, ex: Extractor,
             sides: tuple[str, ...]) -> tuple[tuple[str, ...], str, RuleMatch] | None:
    for rule in ex.rules.of_kind("clause-side"):
        found = match(rule, ms)
        if not found:
            continue
        if rule.both:
            return sides, rule.id, found[0]
        mentions = [m for ml in found[0].slots.values() for m in ml]
        codes = []
        for m in mentions:
            code = m.country if m.kind == "person" else \
                ex.gazetteer.organizations[m.key].country if m.kind == "org" and m.key in ex.gazetteer.organizations \
                else m.key
            if code:
                codes.append(code)
        codes = [c for c in codes if c in sides] or codes
        if codes:
            return tuple(sorted(set(codes))), rule.id, found[0]
    return None


def _clauses(mentioned: list[MentionedSentence], ex: Extractor, fired: Tally,
             sides: tuple[str, ...]) -> list[ClauseFact]:
    paragraphs: dict[int, list[MentionedSentence]] = {}
    for ms in mentioned:
        paragraphs.setdefault(ms.sentence.paragraph, []).append(ms)
    numbered = [p for p in paragraphs.values() if p[0].sentence.number is not None]
    out: list[ClauseFact] = []
    if numbered:
        for para in numbered:
            # a numbered clause is asserted by every side one of its sentences gives a voice
            found = [s for ms in para if (s := _side_of(ms, ex, sides))]
            side = tuple(sorted({c for f in found for c in f[0]})) if found else sides
            rule_id = found[0][1] if found else "clause.default-both"
            for contributing in dict.fromkeys(f[1] for f in found) or [rule_id]:   # every rule that gave a side
                fired.hit(contributing, *(f[2] for f in found if f[1] == contributing))
            out.append(ClauseFact(para[0].sentence.number, " ".join(ms.sentence.text for ms in para), side,
                                  tuple(ms.sentence for ms in para), rule_id))
        return out
    for para in list(paragraphs.values())[1:]:
        current: list[MentionedSentence] = []
        current_side: tuple[str, ...] = ()
        current_rule = ""
        for k, ms in enumerate(para):
            found = _side_of(ms, ex, sides)
            starts = found is not None and (k == 0 or (len(current_side) == 1 and len(found[0]) == 1
                                                       and found[0] != current_side))
            if starts:
                if current:
                    out.append(_clause(current, current_side, current_rule))
                current, (current_side, current_rule, rm) = [ms], found  # type: ignore[misc]
                fired.hit(current_rule, rm)
            elif current:
                current.append(ms)
            else:
                break
        if current:
            out.append(_clause(current, current_side, current_rule))
    return out


def _clause(mss: list[MentionedSentence], side: tuple[str, ...], rule: str) -> ClauseFact:
    return ClauseFact(None, " ".join(ms.sentence.text for ms in mss), side, tuple(ms.sentence for ms in mss), rule)
