"""Stage 4, facts: apply the mapping rules to the sentences of one report.

``extract_report`` is a pure function of one article (and the compiled mappings): it returns
the meetings, attendances, agreements and joint statements the report states, each with the
sentence and rule it was read from, plus what it could not decide.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from kg.articles import Article
from kg.dates import DateConstraint, DateContext, DateCues, DateTrail, PartialDate, resolve
from kg.errors import Problem
from kg.gazetteer import Gazetteer
from kg.mentions import Mention, MentionedSentence, MentionFinder, PersonInfo, ReportContext
from kg.rules import TOKEN, Rule, RuleBook, RuleMatch, match, mode_of, not_an_event, recalled_words, told_not_as_event, unmask
from kg.sentences import MAX_SENTENCE, Sentence, split_sentences

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
    "location.named-venue": "A venue or the event the meeting was held on the margins of, named in the meeting's "
                            "sentence by its capitalised name ('at the Pentagon', 'on the sidelines of the G20 "
                            "Summit'), no gazetteer knowing it.",
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
    statement_title: str | None = None  # the title of the statement it issued, where the report names it
    recalled: bool = False        # an earlier meeting the report recalls in passing, not the one it reports

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
    part: int = 0                 # 1, 2 ... for each time the statement's numbering starts again


@dataclass
class StatementFact:
    article: Article
    title: str
    sides: tuple[str, ...]
    meeting: MeetingFact | None
    clauses: list[ClauseFact]
    rule: str


@dataclass
class AgreementFact:
    """A document a report says was signed where the report tells no meeting to sign it at."""

    label: str
    sides: tuple[str, ...]
    evidence: Evidence


@dataclass
class ReportFacts:
    article: Article
    sentences: int
    meetings: list[MeetingFact]
    statements: list[StatementFact]
    persons: dict[str, PersonInfo]
    problems: list[Problem]
    fired: Tally
    agreements: list[AgreementFact] = field(default_factory=list)   # signed at no meeting the report tells


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
    title = _title_as_sentence(article)   # often the one place that gives a name in full
    for head in ([title] if title is not None else []) + _bylines(article, ex):
        ex.finder.find(head, first, masking=False)
    for sentence, scan in zip(sentences, scans):
        ex.finder.find(sentence, first, scan, masking=False)
    ctx = ReportContext(known=first.persons, sides=set(first.sides))
    ctx.problems.extend(
        Problem("long-sentence", f"a sentence of {s.cut_from} characters without a full stop is read in pieces of "
                f"at most {MAX_SENTENCE} characters (a fact told across a cut is not read)",
                file=article.document.name, line=s.line) for s in sentences if s.cut_from)
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
    told_in: dict[int, list[int]] = {}      # sentence (by id) -> where its meetings stand in `meetings`
    fired = Tally()
    mentioned: list[MentionedSentence] = []
    paragraph_date: dict[int, DateConstraint] = {}
    dateline_end = article.body[0].start + article.dateline if article.dateline else -1
    speaker = _report_speaker(article, sentences, ex, first.persons)   # who says "I" in this turn
    speakers: dict[str, Mention] = {}    # every person whose label opens a turn
    addressed: list[tuple[RuleMatch, MentionedSentence, DateConstraint, Mention]] = []  # "meet with you"
    paired: list[tuple[Rule, MentionedSentence, DateContext]] = []   # "their discussion last week"
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
        for rule in ex.rules.meeting_rules_in(ms):
            if rule.pair:       # names no one: read once the report's meeting is known
                if rule.gate.admits(ms.lowered, ms.plain):
                    paired.append((rule, ms, dctx))
                continue
            for rm in match(rule, ms):
                if rule.principal:
                    rm = _with_speaker(rm, speaker)
                    if rm is None:
                        continue
                if rule.lead:
                    rm = _with_lead(rm, meetings, first.persons, ms)
                    if rm is None:
                        continue
                recalled, own_date = _recalled(rm, ms, date, article, ex)
                if rule.addressee:      # whom "you" is, the transcript tells only once it is read
                    if speaker is not None and not not_an_event(ex.rules, rm, ms):
                        addressed.append((rm, ms, own_date, speaker, recalled))
                    continue
                skipped = not_an_event(ex.rules, rm, ms)
                if skipped:
                    kind, words = skipped
                    what = "only planned or imagined" if kind == "hypothetical" else "only recalled from before"
                    ctx.problems.append(Problem(
                        f"skipped-{kind}", f"rule {rule.id} matched a meeting that is {what} ({words!r}); "
                        f"not a meeting", file=article.document.name, line=sentence.line, rule=rule.id))
                    continue
                for fact in _meetings_from(rm, ms, _date_of_match(rm, ms, own_date, ex), article, ex, ctx, recalled):
                    fired.hit(rule.id, rm)
                    _add_meeting(meetings, fact, told_in)
        if id(sentence) not in told_in:
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
        reported = _reported(meetings)
        if reported:
            _attach(ex, ms, reported[-1], fired)
        for c in constraints:
            trail.note(c)
            if c.low is not None:
                last_range = c
                if narrated and c.high is not None:
                    visit, visit_day = c, c.low
    for rm, ms, date, who, recalled in addressed:
        filled = _with_addressee(rm, who, speakers, ctx)
        for fact in _meetings_from(filled, ms, date, article, ex, ctx, recalled) if filled else ():
            fired.hit(rm.rule.id, filled)
            _add_meeting(meetings, fact, told_in)
    named_after_all: set[int] = set()     # lines whose principals a pair rule found: no warning that they are not
    for rule, ms, dctx in paired:
        for fact, rm in _earlier_of_pair(rule, ms, dctx, meetings, article, ex, ctx):
            fired.hit(rule.id, rm)
            _add_meeting(meetings, fact, told_in)
            named_after_all.add(ms.sentence.line)
    ctx.problems = [p for p in ctx.problems if not (p.code == "unnamed-principals" and p.line in named_after_all)]
    for fact, rm in _title_meetings(article, mentioned, meetings, ex, ctx, list(speakers.values())):
        fired.hit(fact.evidence.rule, rm)
        meetings.append(fact)
    _sides_learned_later(meetings, ctx)
    _date_by_page(meetings, article, trail.stated)
    headline = _headline(article, ex, ctx)
    _sides_from_pairs(meetings, mentioned + ([headline] if headline else []), ctx, ex)
    meetings = _without_unknowns(meetings, article, ctx)
    _located_by_headline(meetings, headline, article, ex)
    agreements = _agreements(mentioned, meetings, ex, fired, headline)
    statements = _statements(article, mentioned, meetings, ex, fired)
    return ReportFacts(article, len(sentences), meetings, statements, ctx.persons, ctx.problems, fired, agreements)


def _earlier_of_pair(rule: Rule, ms: MentionedSentence, dctx: DateContext, meetings: list[MeetingFact],
                     article: Article, ex: Extractor, ctx: ReportContext) -> list[tuple[MeetingFact, RuleMatch]]:
    """An earlier meeting of the report's two principals that the report tells without naming them
    ("Their conversation today was a continuation of their discussion at the Pentagon last week",
    "the positive discussions they had during his stay"): the pattern is read in the sentence as
    written (it names no one), and gives a meeting only when the words right after it, up to the
    next comma, make it an earlier one (see `earlier`), or the rule says so itself (`recalled`:
    "this follows on from our meeting in Bali"). Dated by a date told in those words only."""
    if not rule.gate.admits(ms.lowered, ms.plain):    # the words every match holds
        return []
    told = next((m for m in _reported(meetings) if len(m.participants) == 2), None)
    pair = told.participants if told is not None else None
    if rule.now:         # "The two leaders held talks": the report's meeting, told without names
        if told is not None or not_an_event(ex.rules, RuleMatch(rule, {}, {}, (0, len(ms.masked))), ms):
            return []        # a meeting the report tells already, or one only planned
        pair = _named_pair(ctx)
    if pair is None:
        return []
    text, out = ms.sentence.text, []
    for found in rule.regex.finditer(text):
        after = re.split(r"[,;]|\.(?:\s|$)", text[found.end():found.end() + 60], maxsplit=1)[0]
        window = text[found.start():found.end()] + after
        if not rule.recalled and not rule.now and not any(p.search(window) for p in ex.rules.earlier):
            continue
        told = [m for m in ms.of_kind("date") if m.date and found.start() <= m.start < found.end() + len(after)]
        date = replace(resolve(told[0].date, dctx), source=ms.sentence) if told else DateConstraint()
        participants = [replace(p, role=None) for p in pair]
        rm = RuleMatch(rule, {}, {}, found.span())
        if rule.now:
            date = next((replace(resolve(m.date, dctx), source=ms.sentence) for m in ms.of_kind("date") if m.date),
                                    DateConstraint())
        location, city, located_by = _location_within(ms, window, article, ex)
        if any(not p.country for p in participants):    # the side the report gives ("Egyptian-Turkish relations")
            _infer_countries(participants, ms, ctx, location, ex)
        out.append((MeetingFact(article, Evidence(ms.sentence, rule.id), participants, date, _mode(rule, ms, article, ex),
                                rule.type, location, city, located_by=located_by, recalled=not rule.now), rm))
    return out


def _location_within(ms: MentionedSentence, words: str, article: Article,
                     ex: Extractor) -> tuple[str | None, str | None, str | None]:
    """The sentence's place of meeting where these words of it name that place ("their discussion
    at the Pentagon last week"); none where the place belongs to the rest of the sentence."""
    location, city, located_by = _location(ms, article, ex)
    names = [location.split(":", 1)[1]] if location and location.startswith("venue:") else []
    for key in (location, city):
        if key and key in ex.gazetteer.places:
            names += ex.gazetteer.places[key].names or (ex.gazetteer.places[key].label,)
    if not any(n and n in words for n in names):
        return None, None, None
    return location, city, located_by


def _named_pair(ctx: ReportContext) -> list[ParticipantFact] | None:
    """The two principals of a report that tells its meeting without naming them ("The two leaders,
    along with delegations, held talks"): the only two people the report names, of two sides (one of
    them may be unknown). None otherwise."""
    people = [p for p in {**ctx.known, **ctx.persons}.values() if p.slot is None]
    full = [p for p in people if " " in p.name]
    people = [p for p in people if " " in p.name or not any(p.name in q.name.split() for q in full)]   # "Alvi" is "Arif Alvi"
    if len(people) != 2 or not any(p.country for p in people) or people[0].country == people[1].country:
        return None
    return [ParticipantFact(p.key, None, tuple(sorted(p.titles)), p.country, p.organization) for p in people]


def _recalled(rm: RuleMatch, ms: MentionedSentence, date: DateConstraint, article: Article,
              ex: Extractor) -> tuple[bool, DateConstraint]:
    """Does the match tell an earlier meeting the report recalls in passing ("we last met in Bali",
    "she had exchanged views with X during his visit in May")? Not when the sentence dates it to the
    report's own day: "we met today" is the meeting reported. With the date the match may take: a
    recalled meeting takes none that the sentence tells before it ("We welcomed X today - seven
    months since we last met in Beijing": today is the other meeting's)."""
    if not (rm.rule.recalled or recalled_words(ex.rules, rm, ms)):
        return False, date
    told = ms.sentence.text.find(ms.masked[rm.span[0]:rm.span[1]]) if rm.rule.recalled else -1
    page, value = article.date, date.value()
    today = date.same_day or (page is not None and page.full and value == page)
    if told > 0 and date.known and today and any(m.text == date.text and m.end <= told for m in ms.of_kind("date")):
        return True, DateConstraint()       # "today" before "since we last met" is the other meeting's day
    return not (page is not None and value is not None and page.full and value == page), date


def _date_of_match(rm: RuleMatch, ms: MentionedSentence, date: DateConstraint, ex: Extractor) -> DateConstraint:
    """The sentence's date, unless the sentence tells it after the match and after words that open
    what someone said or another event ("... and stated that ..., including when Z visited Japan in
    April last year"): then the match has no date of its own."""
    if not date.known or date.source is not ms.sentence or not ex.rules.date_breaks:
        return date
    ends = [m.end for found in rm.slots.values() for m in found if m.kind == "person"]
    told = next((m for m in ms.of_kind("date") if m.text and (m.text in date.text or date.text in m.text)), None)
    if not ends or told is None or told.start < max(ends):
        return date
    between = ms.sentence.text[max(ends):told.start]
    return DateConstraint() if any(p.search(between) for p in ex.rules.date_breaks) else date


def _reported(meetings: list[MeetingFact]) -> list[MeetingFact]:
    """The meetings the report tells as its news, without those it only recalls."""
    return [m for m in meetings if not m.recalled]


def _date_by_page(meetings: list[MeetingFact], article: Article, stated: list[PartialDate]) -> None:
    """A page that states its own date reports its meetings of that day unless it says
    otherwise: a meeting told with no time at all takes the page's date ("President X met with
    Prime Minister Y, who arrived on a working visit" under "22 January 2024 - 14:56"). Not when
    the text states a different day (the undated meeting belongs to that narrative, "On 8 April
    ..." on a page of 9 April), nor when the same principals' meeting is dated elsewhere in the
    report, and never from a date the page does not state in full."""
    page = article.date
    if page is None or not page.full or any(d != page for d in stated):
        return
    for m in meetings:
        if m.recalled or m.date.known or any(o.date.known and o.principals == m.principals
                                             for o in _reported(meetings)):
            continue
        m.date = DateConstraint(page, method="report-date", text=page.lexical()[0], source=m.evidence.sentence)


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
                   ex: Extractor, ctx: ReportContext, recalled: bool = False) -> list[MeetingFact]:
    rule = rm.rule
    people: list[tuple[Mention, str | None]] = []
    companions = _companions(rm, ex)
    for slot, role in rule.roles.items():
        for m in rm.slots.get(slot, []):
            if all(m.key != p.key for p, _ in people) and m not in companions:
                people.append((m, None if role == "Participant" else role))
    groups = [people]
    listed = [m for m in rm.slots.get(rule.each or "", []) if m not in companions]
    mode = _mode(rule, ms, article, ex)
    # "met A, B and C", or "met A and B" of two sides at a gathering of many, separately or by phone
    # ("met French President X and Singapore's Prime Minister Y on the sidelines of the summit", "made
    # phone calls to A and B"): one meeting with each; "met A and B at Camp David" is a meeting of three
    # ... and, for a rule that says so, a host receiving guests of two sides ("received A and B") receives each
    if rule.each and (len({m.key for m in listed}) >= rule.each_from or
                      (len({m.country for m in listed if m.country}) >= 2
                       and (mode in ("Phone", "Video") or rule.each_side or _apart(ms, ex)))):
        each = {m.key for m in listed}
        fixed = [p for p in people if p[0].key not in each]
        groups = [fixed + [p] for p in people if p[0].key in each]
    count = 1
    if rule.count:
        count = ex.rules.counts.get(rm.texts.get(rule.count, "").lower().strip(), 1)
    # a call is held nowhere: a place its sentence names is what was discussed ("discussed X's visit to China by phone")
    location, city, located_by = _location(ms, article, ex) if mode not in ("Phone", "Video") else (None, None, None)
    out = []
    for group in groups:
        participants = [ParticipantFact(m.key or "", role, m.titles, m.country, m.organization) for m, role in group]
        _infer_countries(participants, ms, ctx, location, ex)
        _side_of_fellows(participants, ctx)
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
                                   location, city, ordinal=n + 1 if count > 1 else 0, located_by=located_by,
                                   recalled=recalled))
    return out


def _apart(ms: MentionedSentence, ex: Extractor) -> bool:
    """Does the sentence tell its meetings as held apart: at a gathering of many ("on the sidelines of
    the summit") or "separately"?"""
    return bool(re.search(r"\bseparate(?:ly)?\b", ms.masked)) or _at_a_gathering(ms, ex)


def _at_a_gathering(ms: MentionedSentence, ex: Extractor) -> bool:
    """Is the sentence's meeting held at a gathering of more than its two sides (place_cues: elsewhere)?"""
    return any(p.search(ms.masked) for p in ex.rules.place_cues.get("elsewhere", ()))


def _companions(rm: RuleMatch, ex: Extractor) -> list[Mention]:
    """The persons a list names right after a principal as his or her spouse ("Governor-General
    Sir Colville Young and Mrs. Young"): a companion cue (mappings: companions) and then the
    principal's surname alone. They come with the principal; they are not principals."""
    out: list[Mention] = []
    for found in rm.slots.values():
        for before, m in zip(found, found[1:]):
            surname = (before.name or before.text).split()[-1:] if before.name or before.text else []
            for cue in ex.rules.companions:
                lead = cue.match(m.text)
                if lead and surname and m.text[lead.end():].strip() == surname[0] and not m.titles:
                    out.append(m)
                    break
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
    if title is not None:       # "Press Statement by" on the line above a title that names the speaker
        at = article.document.text.find(title.text[:40])
        above = article.document.text[:max(at, 0)].rstrip().rsplit("\n", 1)[-1].strip()
        if above and any(cue.search(above) for cue in ex.rules.speaker_titles):
            headings[0] = replace(title, text=above + " " + title.text)
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
    if rule.principal is None:
        return rm
    filled = rm.slots.get(rule.principal)
    if filled:       # the speaker's own "I", read as a person token: nobody else fills a principal slot
        return rm if all(m.how == "speaker" for m in filled) else None
    others = {m.key for name, found in rm.slots.items() if name in rule.roles for m in found}
    if speaker is None or not speaker.key or speaker.key in others:
        return None
    return replace(rm, slots={**rm.slots, rule.principal: [speaker]})


def _with_lead(rm: RuleMatch, meetings: list[MeetingFact], known: dict[str, PersonInfo],
               ms: MentionedSentence) -> RuleMatch | None:
    """A rule's ``lead`` slot ("During the meeting with X, the two leaders discussed ...") is the person
    whose meetings the report tells: the one principal of most of its meetings so far, else the
    first person it names; None (no meeting) when that is another participant, or the sentence
    names someone else before the match (who may be the one meeting X)."""
    rule = rm.rule
    counts = Counter(p.key for m in meetings if not m.recalled for p in m.participants).most_common(2)
    if counts and (len(counts) == 1 or counts[0][1] > counts[1][1]):
        key = counts[0][0]
    else:
        key = next(iter(known), None)
        if key is not None and " " not in known[key].name:   # a headline's "Prime Minister Thapa": Ram Thapa
            full = [k for k, p in known.items() if p.name.endswith(" " + known[key].name)]
            key = full[0] if len(full) == 1 else key
    others = {m.key for name, found in rm.slots.items() if name in rule.roles for m in found}
    before = [m for t in re.findall(r"⟨P\d+⟩", ms.masked[:rm.span[0]])
              if (m := ms.tokens.get(t)) is not None and m.key not in others]
    if key is None or key in others or key not in known or (before and before[0].key != key):
        return None
    info = known[key]
    lead = Mention("person", rm.span[0], rm.span[0], info.name, key, info.name, (), info.country, info.organization,
                   how="lead")
    return replace(rm, slots={**rm.slots, rule.lead: [lead]})


def _with_addressee(rm: RuleMatch, speaker: Mention, speakers: dict[str, Mention],
                    ctx: ReportContext) -> RuleMatch | None:
    """In a transcript of two principals ("President of Russia Vladimir Putin: ... it is a pleasure to
    welcome you"), "you" is the one other person whose label opens a turn; where the speaker's is the
    only turn (a press statement, one side of a joint press conference), the one person of another
    country the whole report names ("... welcome Indonesia's Foreign Minister Dr Wirajuda to
    Australia"). Only when that person and the speaker are of two known, different countries: an
    interviewer or a compatriot is not a counterpart. None when the report does not say who "you" is."""
    rule = rm.rule
    others = [m for key, m in speakers.items() if key != speaker.key]
    if not others and not speaker.country and ctx.home:     # the one voice of the publishing government
        speaker = replace(speaker, country=ctx.home)
    if not others and speaker.country:
        people = {**ctx.known, **ctx.persons}     # the title's people too ("Joint Statement by A and B")
        foreign = sorted(p.key for p in people.values()
                         if p.slot is None and p.country and p.country != speaker.country)
        if len(foreign) == 1:
            p = people[foreign[0]]
            others = [Mention("person", 0, 0, p.name, p.key, p.name, tuple(sorted(p.titles)), p.country,
                              p.organization, how="addressee")]
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


_BYLINE_NAME = re.compile(r"(?:[A-Z][\w’'.-]+ ){1,4}[A-Z][\w’'-]+")


def _bylines(article: Article, ex: Extractor) -> list[Sentence]:
    """A page's head that gives a person on one line and the office on the next ("John Kerry" /
    "Secretary of State", above the place and date of a transcript), as the sentence "Secretary of
    State John Kerry", so that the first reading learns who the page's "SECRETARY KERRY" is. Only
    the first eight lines of the head and body are read; offsets are those of the name's line."""
    text = article.document.text
    start = article.body[0].start if article.body else len(text)
    if article.title:
        found = text.rfind(article.title, 0, start)
        start = found if found >= 0 else start
    lines: list[tuple[int, str]] = []
    pos = start
    while len(lines) < 8 and pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if text[pos:end].strip():
            lines.append((pos, text[pos:end].strip()))
        pos = end + 1
    out = []
    for (at, name), (_, office) in zip(lines, lines[1:]):
        if _BYLINE_NAME.fullmatch(name) and ex.finder.plain_title_re.fullmatch(office) \
                and not ex.finder.plain_title_re.match(name):
            out.append(Sentence(article, -1, -1, at, at + len(name), f"{office} {name}"))
    return out


def _body_persons(mentioned: list[MentionedSentence]) -> list[Mention]:
    """The persons the body names, in order of first mention, once each."""
    seen: dict[str, Mention] = {}
    for ms in mentioned:
        for m in ms.of_kind("person"):
            if m.key and m.key not in seen:
                seen[m.key] = m
    return list(seen.values())


def _fill_from_body(rm: RuleMatch, persons: list[Mention], speakers: list[Mention]) -> RuleMatch | None:
    """A title names a side where the body names its person: a country slot ("Japan-UK Summit
    Meeting") stands for the first person of that country the body names, and the rule's
    ``principal`` slot, when the title leaves it empty ("Remarks with Foreign Minister Lavrov
    Before Their Meeting"), for the first person the body names who is not another participant:
    the report's principal, who speaks or is read out: in a transcript, the first speaker who is
    not the other participant (before anyone the speakers name). None when the body names no such
    person."""
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
        person = next((p for p in (*speakers, *persons) if p.key not in others), None)
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


LONG_HEADING_WORDS = 14    # a heading of this many words may be a sentence


def _title_meetings(article: Article, mentioned: list[MentionedSentence], meetings: list[MeetingFact],
                    ex: Extractor, ctx: ReportContext, speakers: list[Mention]) -> list[tuple[MeetingFact, RuleMatch]]:
    """The meeting a report's headline tells ("Readout of the President's Call with Prime Minister
    X", "Remarks with Foreign Minister Y Before Their Meeting", "Japan-UK Summit Meeting"), when no
    sentence of the body told a meeting of the same principals: readouts and remarks often say it
    only there."""
    rules = ex.rules.on_title("meeting")
    if not rules:
        return []
    headlines = _headlines(article, mentioned, ex, ctx)
    persons = _body_persons(mentioned)
    told = [m.principals for m in _reported(meetings)]
    told_facts = _reported(meetings)
    date: DateConstraint | None = None
    out: list[tuple[MeetingFact, RuleMatch]] = []
    for ms in headlines:
        # a heading as long as a sentence is read as one too (a lead paragraph without its full stop
        # taken for a heading: "Prime Minister X and his Croatian counterpart, Y, engaged in a bilateral
        # meeting at Castille on Thursday")
        long = len(ms.sentence.text.split()) >= LONG_HEADING_WORDS
        extra = [r for r in ex.rules.meeting_rules_in(ms) if not (r.pair or r.principal or r.addressee)] if long else []
        for rule in [*rules, *(r for r in extra if r not in rules)]:
            for rm in match(rule, ms):
                filled = _fill_from_body(rm, persons, speakers)
                if filled is None or not_an_event(ex.rules, filled, ms):
                    continue
                if date is None:
                    year = article.date.year if article.date else None
                    date = _heading_date(article, headlines, year)
                for fact in _meetings_from(filled, ms, date, article, ex, ctx):
                    body = [m for m in told_facts if fact.principals <= m.principals]
                    if body or _told_by_the_body(fact, told_facts, ctx):
                        if date.known and not any(m.date.known for m in body):
                            for m in body:      # the body told it without a date: the heading dates it
                                m.date = date
                        continue
                    if not any(fact.principals <= principals for principals in told):
                        told.append(fact.principals)
                        out.append((fact, filled))
    return out


def _told_by_the_body(fact: MeetingFact, told: list[MeetingFact], ctx: ReportContext) -> bool:
    """A headline meeting with someone the headline names only by title and side ("President Kovind
    holds talks with his Bangladeshi counterpart") that the body tells with that person named: the
    body's meeting of the same principal with a person of that side."""
    people = {**ctx.known, **ctx.persons}
    unnamed = [p for p in fact.participants if p.key in people and people[p.key].slot is not None]
    named = {p.key for p in fact.participants} - {p.key for p in unnamed}
    return bool(unnamed) and any(named <= m.principals and
                                 all(any(q.country == p.country for q in m.participants if q.key not in named)
                                     for p in unnamed) for m in told)


def _infer_countries(participants: list[ParticipantFact], ms: MentionedSentence, ctx: ReportContext,
                     location: str | None, ex: Extractor) -> None:
    """A participant of unknown side speaks for the one country its titles name that is not the
    other side's ("Vietnam Minister of Industry"); else for the one other country the sentence names; else
    for the country of the meeting place when that is not the other side's ("received at her
    office in Dhaka"); else for the one other side the whole report names. Else the side stays
    unknown: a page that names only the other side's country ("Chairman of the National Assembly
    X had talks with Speaker of the Philippine House Y in Manila") does not make X a Filipino (a
    domestic meeting is found by the side of the body a title names: "Speaker of the Federation
    Council")."""
    for m in (found for p in ex.rules.place_cues.get("delegation_of", ()) for found in p.finditer(ms.masked)):
        org, person = ms.tokens.get(m.group(1)), ms.tokens.get(m.group(2))
        body = ex.gazetteer.organizations.get(org.key or "") if org else None
        for p in participants:
            if person and body and body.country and p.key == person.key and not p.country:
                p.country, p.organization = body.country, p.organization or body.key
    # (cue, its (country group, person group) pairs): "the Embassy of C's Minister X"; "of A and B, X and Y"
    for cue, pairs in (("mission_of", ((1, 2),)), ("pair_of", ((1, 3), (2, 4)))):
        for m in (found for p in ex.rules.place_cues.get(cue, ()) for found in p.finditer(ms.masked)):
            for c, who in pairs:
                country, person = ms.tokens.get(m.group(c)), ms.tokens.get(m.group(who))
                for p in participants:
                    if person and country and country.key and p.key == person.key and not p.country:
                        _set_side(p, country.key, ctx)
    for m in (found for p in ex.rules.place_cues.get("envoy_of", ()) for found in p.finditer(ms.masked)):
        envoy, sender = ms.tokens.get(m.group(1)), ms.tokens.get(m.group(2))
        for p in participants:
            if envoy and sender and sender.country and p.key == envoy.key and not p.country:
                _set_side(p, sender.country, ctx)
    unknown = [p for p in participants if not p.country]
    if len(unknown) > 1:
        _infer_sides_of_one_slot(unknown, participants, ms, ctx, ex)
        return
    if not unknown:
        return
    known = {p.country for p in participants if p.country}
    place = location.split(":", 1)[1] if location and location.startswith("country:") else \
        ex.gazetteer.places[location].country if location in ex.gazetteer.places else None
    if _at_a_gathering(ms, ex):
        # at a summit of many, the country it is held in is nobody's side ("at the G7 Summit in Italy")
        known = known | {place} | {m.key for m in ms.of_kind("country")
                                   if re.search(r"\b(?:in|at) (?:the )?$", ms.sentence.text[:m.start])}
        place = None
    guesses = [{m.key for m in ex.finder.scan(" ".join(unknown[0].titles)).countries} - known,   # "Vietnam Minister"
               {m.key for m in ms.of_kind("country")} - known]
    guesses.append({place} - known if place else set())
    guesses.append(set(ctx.sides) - known)
    for named in guesses:
        named.discard(None)  # type: ignore[arg-type]
        if len(named) == 1:
            unknown[0].country = next(iter(named))
            if unknown[0].key in ctx.persons and not ctx.persons[unknown[0].key].country:
                ctx.persons[unknown[0].key].country = unknown[0].country
            return


def _infer_sides_of_one_slot(unknown: list[ParticipantFact], participants: list[ParticipantFact],
                             ms: MentionedSentence, ctx: ReportContext, ex: Extractor) -> None:
    """Several participants of unknown side: each speaks for the one country its titles name that
    is not the other side's ("Vietnam Minister of Industry"); those left, when they are all guests
    or all hosts of one meeting and no known participant shares their role ("A and B hosted C and
    D"), are one side together: the one other country the sentence names, else the one other side
    the whole report names."""
    known = {p.country for p in participants if p.country}
    for p in unknown:
        named = {m.key for m in ex.finder.scan(" ".join(p.titles)).countries} - known - {None}
        if len(named) == 1:
            _set_side(p, next(iter(named)), ctx)
    left = [p for p in unknown if not p.country]
    roles = {p.role for p in left}
    if not left or len(roles) != 1 or None in roles or any(p.country and p.role in roles for p in participants):
        return
    known = {p.country for p in participants if p.country}
    for named in ({m.key for m in ms.of_kind("country")} - known, set(ctx.sides) - known):
        named.discard(None)  # type: ignore[arg-type]
        if len(named) == 1:
            for p in left:
                _set_side(p, next(iter(named)), ctx)
            return


def _side_of_fellows(participants: list[ParticipantFact], ctx: ReportContext) -> None:
    """A host or guest of unknown side, named beside hosts (or guests) who are all of one side,
    is of that side when the meeting's other principals are of one other side ("A and B hosted C
    and D" where D's side is not told: D is C's)."""
    sides = {p.country for p in participants if p.country}
    if len(sides) != 2:
        return
    for p in participants:
        if p.country or p.role not in ("Host", "Guest"):
            continue
        fellows = {o.country for o in participants if o.role == p.role and o.country}
        others = {o.country for o in participants if o.role != p.role and o.country}
        if len(fellows) == 1 and len(others) == 1 and fellows != others:
            _set_side(p, next(iter(fellows)), ctx)


def _sides_learned_later(meetings: list[MeetingFact], ctx: ReportContext) -> None:
    """A participant whose side a meeting's sentence did not give takes the side the report gives
    that person elsewhere, later ones included ("President Tsai arrived ... to meet President
    Cartes" before "... during his visit to Taiwan"), unless it is another participant's side."""
    for m in meetings:
        sides = {p.country for p in m.participants if p.country}
        for p in m.participants:
            info = ctx.persons.get(p.key) or ctx.known.get(p.key)
            if not p.country and info is not None and info.country and info.country not in sides:
                p.country = info.country
                sides.add(p.country)


def _sides_from_pairs(meetings: list[MeetingFact], mentioned: list[MentionedSentence], ctx: ReportContext,
                      ex: Extractor) -> None:
    """A principal of unknown side, in a meeting whose other principals are all of one country K,
    is of the one country the report pairs with K ("the Japan-Brazil Foreign Ministers' Meeting",
    "bilateral issues between Finland and Russia"); when the report pairs K with two countries, or
    none, the side stays unknown."""
    if not any(len({p.country for p in m.participants if p.country}) == 1 and any(not p.country for p in m.participants)
               for m in meetings):
        return
    partners: dict[str, set[str]] = {}
    for ms in mentioned:
        for m in (found for p in ex.rules.place_cues.get("country_pair", ()) for found in p.finditer(ms.masked)):
            a, b = ms.tokens.get(m.group(1)), ms.tokens.get(m.group(2))
            if a and b and a.key and b.key and a.key != b.key:
                partners.setdefault(a.key, set()).add(b.key)
                partners.setdefault(b.key, set()).add(a.key)
    if not partners:
        return
    for meeting in meetings:
        sides = {p.country for p in meeting.participants if p.country}
        unknown = [p for p in meeting.participants if not p.country]
        if len(sides) != 1 or not unknown:
            continue
        other = partners.get(next(iter(sides)), set())
        if len(other) == 1:
            for p in unknown:
                _set_side(p, next(iter(other)), ctx)


def _without_unknowns(meetings: list[MeetingFact], article: Article, ctx: ReportContext) -> list[MeetingFact]:
    """A meeting of no known side with a principal the report never names ("President X hosted the
    PM"): who met is not told, and so no meeting is made (a warning says so)."""
    kept = []
    for m in meetings:
        unnamed = [p for p in m.participants if (info := ctx.persons.get(p.key) or ctx.known.get(p.key))
                   and info.slot is not None]
        if unnamed and not any(p.country for p in m.participants):
            who = f"the {unnamed[0].titles[0]}" if unnamed[0].titles else "a person"
            ctx.problems.append(Problem(
                "unnamed-principals", f"rule {m.evidence.rule} matched a meeting with {who} whom the report never "
                f"names, and of no side it gives; no meeting is made", file=article.document.name,
                line=m.evidence.sentence.line, rule=m.evidence.rule))
            continue
        kept.append(m)
    return kept


def _set_side(p: ParticipantFact, country: str, ctx: ReportContext) -> None:
    p.country = country
    if p.key in ctx.persons and not ctx.persons[p.key].country:
        ctx.persons[p.key].country = country


def _location(ms: MentionedSentence, article: Article, ex: Extractor) -> tuple[str | None, str | None, str | None]:
    """The venue and the city of a meeting told in this sentence, and the built-in rule that found them."""
    text = ms.sentence.text
    places = [ex.gazetteer.places[m.key] for m in ms.of_kind("place") if m.key in ex.gazetteer.places
              and not re.match(r",? (?:said|says|announced|stated|confirmed)\b", text[m.end:])]
    venue = next((p for p in places if p.type == "venue"), None)
    city = next((p for p in places if p.type == "city"), None)
    if venue:
        return venue.key, venue.city or (city.key if city else None), "location.venue"
    named = next(filter(None, (p.search(ms.masked) for p in ex.rules.place_cues.get("venue", ()))), None)
    if named and (not TOKEN.search(named.group("venue")) or named.groupdict().get("holder")
                  or named.groupdict().get("body")):
        venue = re.sub(r"^[Tt]he ", "", unmask(named.group("venue"), ms).rstrip("."))   # "the Prime Minister's Office"
        return f"venue:{venue}", city.key if city else None, "location.named-venue"
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


def _add_meeting(meetings: list[MeetingFact], fact: MeetingFact, told_in: dict[int, list[int]]) -> None:
    """Within one sentence, two rules describing the same meeting give one fact; the reading that
    tells an earlier meeting ("this follows on from our meeting in Bali") is the more precise. A
    sentence may tell both a dated meeting and an earlier one ("We welcomed X today - seven months
    since we last met in Beijing"): two facts. `told_in` holds, for each sentence (by id), where
    its meetings stand in `meetings`: only those are compared (comparing every meeting of the report
    made a report of thousands of meetings quadratic)."""
    sentence = fact.evidence.sentence
    for i in told_in.get(id(sentence), ()):
        m = meetings[i]
        if m.principals == fact.principals and m.ordinal == fact.ordinal:
            if fact.recalled and not m.recalled:
                if m.date.known:
                    break
                meetings[i] = fact
            return
    told_in.setdefault(id(sentence), []).append(len(meetings))
    meetings.append(fact)


def _attach(ex: Extractor, ms: MentionedSentence, meeting: MeetingFact, fired: Tally) -> None:
    """Attendance and an issued statement belong to the last meeting of the report (documents signed
    are read by _agreements, which also places those told before the meeting)."""
    for kind in ("attendance",):
        for rule in ex.rules.rules_in(kind, ms):
            found = match(rule, ms)
            if not found:
                continue
            fired.hit(rule.id, *found)
            ev = Evidence(ms.sentence, rule.id)
            for rm in found:
                for m in next(iter(rm.slots.values()), []):
                    if m.key and m.key not in meeting.principals and all(m.key != a for a, _ in meeting.attendees):
                        meeting.attendees.append((m.key, ev))
            break
    _issue_statement(ex, ms, meeting, fired)


def _issue_statement(ex: Extractor, ms: MentionedSentence, meeting: MeetingFact, fired: Tally) -> None:
    """A sentence that tells a joint statement issued ("issued a joint statement") marks the meeting."""
    for rule in ex.rules.rules_in("statement-issued", ms):
        found = match(rule, ms)
        if found:
            fired.hit(rule.id, *found)
            meeting.statement = True
            meeting.statement_title = meeting.statement_title or _issued_title(found[0], ms, ex)


def _issued_title(rm: RuleMatch, ms: MentionedSentence, ex: Extractor) -> str | None:
    """The title of an issued statement where the sentence names it with capitals ("announced a
    “Joint Declaration on Comprehensive Partnership between A and B.”"); None for "a joint statement"."""
    told = unmask(ms.masked[rm.span[0]:], ms)
    for rule in ex.rules.of_kind("statement"):
        found = None if rule.slot_names else rule.regex.search(told)
        if found and told[found.start()].isupper():
            title = told[found.start():]
            named = ex.rules.statement_named.match(title, found.end() - found.start()) \
                if ex.rules.statement_named else None
            if named:
                return named.group(1).strip(" .")
            ends = [m.start() for p in ex.rules.statement_title_ends if (m := p.search(title))]
            return title[:min(ends, default=len(title))].strip(" .") or None
    return None


# ---------------------------------------------------------------- agreements
_BULLET = re.compile(r"^[•·▪◦*–—-]\s*")


def _headline(article: Article, ex: Extractor, ctx: ReportContext) -> MentionedSentence | None:
    """The article's title read as a sentence with what the report knows of its people (a
    headline may tell a signing: "President meets Prime Minister, signs air services agreement")."""
    title = _title_as_sentence(article)
    return ex.finder.find(title, ReportContext(known=ctx.persons, sides=set(ctx.sides))) if title else None


def _located_by_headline(meetings: list[MeetingFact], headline: MentionedSentence | None, article: Article,
                         ex: Extractor) -> None:
    """A headline that names where the report's meeting is held ("... Remarks Welcoming X to the
    Pentagon") places the meetings the report tells as its news of the page's day where no
    sentence of theirs did; not the meetings it only recalls, nor those of another day."""
    if headline is None:
        return
    location, city, located_by = _location(headline, article, ex)
    if location is None and city is None:
        return
    for m in _reported(meetings):
        if m.mode in ("Phone", "Video"):      # a call is held nowhere
            continue
        if m.location is None and m.city is None and (not m.date.known or m.date.value() == article.date):
            m.location, m.city, m.located_by = location, city, located_by


def _agreements(mentioned: list[MentionedSentence], meetings: list[MeetingFact], ex: Extractor,
                fired: Tally, headline: MentionedSentence | None = None) -> list[AgreementFact]:
    """The documents a report says were signed. Each belongs to the meeting told last before it,
    or, told before any meeting (a headline: "... meets President B, signs air transport
    agreement"), to the report's first meeting; a report that tells no meeting keeps them as its
    own, with the sides the sentence (or else the report, most often) names. Within one sentence the first
    agreement rule that matches wins; a rule with `items_follow` reads the list below its lead-in
    ("The following documents were signed:"), one document per bulleted or numbered paragraph."""
    unattached: list[AgreementFact] = []
    headlines = [(-1, headline)] if headline is not None else []
    for k, ms in headlines + list(enumerate(mentioned)):
        for rule in ex.rules.rules_in("agreement", ms):
            if k < 0 and rule.items_follow:       # a headline leads no list
                continue
            found = match(rule, ms)
            if not found:
                continue
            labels = _listed_items(mentioned, k, ex) if rule.items_follow else \
                [_agreement_label(rule, item, ex) for rm in found for item in _items(rm, rule.split, ex)
                 for item in ([item] if rule.split else _documents_in(item, ex))]
            labels = [label for label in (_without_statement(x, ex) for x in labels) if label]
            told = unattached or any(m.agreements for m in meetings)
            labels = [label for label in labels if not (told and _refers_back(label, ex))]
            if not labels:
                continue
            fired.hit(rule.id, *found)
            ev = Evidence(ms.sentence, rule.id)
            meeting = _meeting_at(ms, meetings)
            for label in labels:
                if meeting is not None:
                    if all(label != a for a, _ in meeting.agreements):
                        meeting.agreements.append((label, ev))
                elif all(label != a.label for a in unattached):
                    unattached.append(AgreementFact(label, _agreement_sides(ms, mentioned, ex), ev))
            break
    return unattached


def _meeting_at(ms: MentionedSentence, meetings: list[MeetingFact]) -> MeetingFact | None:
    """The meeting a sentence of the report speaks of: the last one told before it, else the first
    one, if the sentence names none but its principals."""
    meetings = _reported(meetings)
    before = [m for m in meetings if m.evidence.sentence.index <= ms.sentence.index]
    if before:
        return before[-1]
    return meetings[0] if meetings and _only_principals_of(meetings[0], ms) else None


def _only_principals_of(meeting: MeetingFact, ms: MentionedSentence) -> bool:
    """A headline told before its meeting names that meeting's principals, or nobody."""
    return all(m.key in meeting.principals for m in ms.of_kind("person") if m.key)


def _agreement_sides(ms: MentionedSentence, mentioned: list[MentionedSentence], ex: Extractor) -> tuple[str, ...]:
    """The parties of a document signed at no meeting: the countries its sentence names (or its
    signers speak for), else the two the report names most often."""
    named = _countries_of(list(ms.mentions), ex)
    if len(named) < 2:
        counts: dict[str, int] = {}
        for other in mentioned:
            for code in _countries_of(list(other.mentions), ex):
                counts[code] = counts.get(code, 0) + 1
        ranked = sorted(counts, key=lambda c: (-counts[c], c))
        named = list(dict.fromkeys(named + ranked))[:2]
    return tuple(sorted(set(named)))


def _documents_in(text: str, ex: Extractor) -> list[str]:
    """The documents one phrase names: "an agreement on energy and a memorandum on trade" is two;
    what comes before a document in the phrase and names none ("Witnessed by the two Presidents, the
    MOU"; "when a donation was made and memorandums of understanding") is not part of its name."""
    nouns = "|".join(re.escape(n) for n in sorted(ex.rules.agreement_documents, key=len, reverse=True))
    determiners = _determiners(ex)
    starts_document = re.compile(rf"(?:(?:{determiners}|\d+) )?(?:[\w’'“”-]+ ){{0,3}}?(?:{nouns})\b", re.I)
    names_document = re.compile(rf"\b(?:{nouns})\b", re.I)
    cuts = sorted((m for p in ex.rules.agreement_boundaries for m in p.finditer(text)), key=lambda m: m.start())
    out, start = [], 0
    for cut in cuts:
        if cut.start() >= start and starts_document.match(text, cut.end()):
            head = text[start:cut.start()]
            if names_document.search(head):
                out.append(head)
            start = cut.end()
    out.append(text[start:])
    return [_without_determiner(item.strip(), ex) for item in out if item.strip()]


def _determiners(ex: Extractor) -> str:
    return "|".join(re.escape(w) for w in sorted(ex.rules.agreement_determiners, key=len, reverse=True)) or "(?!)"


def _without_determiner(text: str, ex: Extractor) -> str:
    """"the Agreement on Air Services" is named "Agreement on Air Services"."""
    return re.sub(rf"^(?:{_determiners(ex)}) ", "", text, flags=re.I)


def _refers_back(label: str, ex: Extractor) -> bool:
    """"the MOU", "the agreement": a document named before, not another one."""
    words = _without_determiner(label.lower(), ex).strip()
    return words in ex.rules.agreement_documents


def _listed_items(mentioned: list[MentionedSentence], k: int, ex: Extractor) -> list[str]:
    """The bulleted or numbered paragraphs right below sentence k, each one document."""
    lead = mentioned[k].sentence
    out: list[str] = []
    paragraph = lead.paragraph
    for ms in mentioned[k + 1:]:
        s = ms.sentence
        if s.paragraph == lead.paragraph or (s.paragraph == paragraph and out):
            continue
        if not (_BULLET.match(s.text) or _bulleted(s) or s.number is not None):
            break
        paragraph = s.paragraph
        out.append(_trim_label(_BULLET.sub("", s.text), ex))
    return [item for item in out if item]


def _bulleted(s: Sentence) -> bool:
    """The sentence opens a list item whose bullet the page reader took off the text: what stands
    between the start of its line in the file and the sentence is a bullet alone."""
    text = s.article.document.text
    line_start = text.rfind("\n", 0, s.start) + 1
    return bool(_BULLET.fullmatch(text[line_start:s.start].strip() + " ")) if s.start > line_start else False


def _without_statement(label: str, ex: Extractor) -> str:
    """A joint statement signed with a document is a statement, not an agreement: "air transport
    agreement and joint declaration" is the agreement alone, "a joint declaration" is none."""
    for rule in ex.rules.of_kind("statement"):
        found = None if rule.slot_names else rule.regex.search(label)
        if found:
            head = re.sub(r",? and (?:an? |the )?$", "", label[:found.start()])
            return head.strip() if head != label[:found.start()] else ""
    return label


def _agreement_label(rule: Rule, item: str, ex: Extractor) -> str:
    """The name of one signed document: its words after the last phrase set off before it ("Witnessed
    by the two Presidents, the MOU was signed"), to where the sentence goes on about it."""
    label = f"{rule.prefix} {item}".strip() if rule.prefix else item
    label = _trim_label(label, ex)
    return label[0].upper() + label[1:] if label else label


def _trim_label(text: str, ex: Extractor) -> str:
    """A document's name without what the sentence goes on to say about it (", which ...")."""
    for end in ex.rules.agreement_label_ends:
        found = end.search(text)
        if found:
            text = text[:found.start()]
    return text.strip(" .;,:")


def _items(rm: RuleMatch, split: bool, ex: Extractor) -> list[str]:
    """The documents a rule's text slot names: the list of a `split` rule item by item ("documents on
    A, B and C"), else the one phrase, without the words that close a list ("among others")."""
    text = next(iter(rm.texts.values()), "")
    for tail in ex.rules.agreement_tails:
        text = tail.sub("", text)
    text = text.strip(" .")
    if not split:
        return [_without_determiner(text, ex)] if text else []
    parts = [p.strip() for p in text.split(", ") if p.strip()]
    if parts and " and " in parts[-1]:
        head, tail = parts[-1].rsplit(" and ", 1)
        parts[-1:] = [head, tail]
    return [re.sub(r"^(?:and|the|a|an) ", "", p).strip() for p in parts if p]


# ---------------------------------------------------------------- joint statements
_TERMINAL = re.compile(r"[.!?;:][\"”’)\]]*$")


@dataclass(frozen=True)
class _Heading:
    """Where a joint statement begins: its title (the article's, or a heading line of the body)
    and the paragraph it stands in (-1 for the article's own title)."""

    title: str
    paragraph: int
    ms: MentionedSentence
    found: RuleMatch


def _statements(article: Article, mentioned: list[MentionedSentence], meetings: list[MeetingFact],
                ex: Extractor, fired: Tally) -> list[StatementFact]:
    """The joint statement an article carries: found by its title, which real pages put in the
    article's title or, after the page's furniture, in a heading line of the body; its parties,
    then its clauses, the paragraphs under that heading."""
    headline = _headline(article, ex, ReportContext())
    _issued_before_meeting(([headline] if headline is not None else []) + mentioned, meetings, ex, fired)
    heading = _statement_heading(article, mentioned, ex)
    if heading is None:
        return []
    paragraphs = _paragraphs_after(mentioned, heading.paragraph)
    sides = _parties(heading, paragraphs, meetings, ex)
    meeting = next((m for m in meetings if sides and {p.country for p in m.participants} >= set(sides)), None)
    if meeting:
        meeting.statement = True
    clauses = _clauses(paragraphs, ex, fired, sides, meetings)
    if heading.paragraph >= 0 and not paragraphs:
        return []   # a page that only lists or links a statement (or an article cut right after its heading)
    fired.hit(heading.found.rule.id, heading.found)
    return [StatementFact(article, heading.title, sides, meeting, clauses, heading.found.rule.id)]


def _issued_before_meeting(mentioned: list[MentionedSentence], meetings: list[MeetingFact], ex: Extractor,
                           fired: Tally) -> None:
    """A statement issued, told before the report tells its meeting (a headline: "... meets B, signs
    air transport agreement and joint declaration"), is issued at the first meeting the report tells
    (one told after its meeting is the last meeting's: see _attach)."""
    meetings = _reported(meetings)
    if not meetings:
        return
    first = meetings[0]
    for ms in mentioned:
        if ms.sentence.index >= first.evidence.sentence.index:
            return
        if not _only_principals_of(first, ms):
            continue
        _issue_statement(ex, ms, first, fired)


def _statement_heading(article: Article, mentioned: list[MentionedSentence], ex: Extractor) -> _Heading | None:
    """The first line that titles a joint statement: the article's title, else a body paragraph
    that reads as a heading (no closing punctuation, or opening with the statement's name, as in
    "Joint statement by the UK and Vietnam on ... ."), so that a sentence of a news report that
    mentions a statement ("The two sides issued a Joint Statement on ...") is not taken for one."""
    if article.title:
        title_ms = ex.finder.find(_title_sentence(article), ReportContext())
        found = _statement_title(title_ms, ex)
        if found:
            return _Heading(article.title, -1, title_ms, found)
    found_in_body = []
    for para in _paragraphs_after(mentioned, -1).values():
        if len(para) > 2 or sum(len(ms.sentence.text) for ms in para) > 250:
            continue
        ms = para[0] if len(para) == 1 else _joined(para)
        found = _statement_title(ms, ex)
        # a heading, or the line that presents the text below it ("Here is the full text of their joint statement:")
        if found and (found.span[0] == 0 or not _TERMINAL.search(ms.sentence.text)):
            found_in_body.append(_Heading(ms.sentence.text, ms.sentence.paragraph, ms, found))
        elif found and ms.sentence.text.rstrip().endswith(":") and len(ms.masked) - found.span[1] < 40:
            named = unmask(ms.masked[found.span[0]:found.span[1]], ms)     # the statement the line presents
            found_in_body.append(_Heading(named[:1].upper() + named[1:], ms.sentence.paragraph, ms, found))
    if not found_in_body:
        return None
    first = found_in_body[0]
    # a breadcrumb ("Home > News > 21st A-B Summit Joint Press Statement") ends with the heading below it
    chosen = next((h for h in found_in_body[1:] if first.title.endswith(h.title)), first)
    return replace(chosen, title=_without_furniture(chosen.title, ex))


def _without_furniture(title: str, ex: Extractor) -> str:
    """A heading without what page furniture puts before it on its line (mappings: heading_furniture)."""
    for furniture in ex.rules.heading_furniture:
        title = furniture.sub("", title, count=1)
    return title.strip()


def _statement_title(ms: MentionedSentence, ex: Extractor) -> RuleMatch | None:
    for rule in ex.rules.rules_in("statement", ms):
        found = match(rule, ms)
        if found:
            return found[0]
    return None


def _joined(para: list[MentionedSentence]) -> MentionedSentence:
    """Sentences read as one: a heading the sentence splitter cut in two ("Joint Statement by Mr. X
    ..."), or a sentence that runs over broken lines."""
    first, last = para[0], para[-1]
    tokens: dict[str, Mention] = {}
    masked = []
    shift = 0
    for ms in para:
        renamed = {tok: f"⟨{tok[1]}{int(tok[2:-1]) + shift}⟩" for tok in ms.tokens}   # one pass: no chains
        masked.append(TOKEN.sub(lambda t: renamed.get(t.group(0), t.group(0)), ms.masked))
        tokens.update({renamed[tok]: m for tok, m in ms.tokens.items()})
        shift += len(ms.tokens)
    text = first.sentence.article.document.text[first.sentence.start:last.sentence.end]
    sentence = replace(first.sentence, end=last.sentence.end, text=re.sub(r"\s*\n\s*", " ", text))
    return MentionedSentence(sentence, tuple(m for ms in para for m in ms.mentions), " ".join(masked), tokens)


def _title_sentence(article: Article) -> Sentence:
    return Sentence(article, -1, -1, 0, 0, article.title or "")


def _paragraphs_after(mentioned: list[MentionedSentence], paragraph: int) -> dict[int, list[MentionedSentence]]:
    """The article's paragraphs below a given one, each as its sentences, in reading order. Where the
    page indents the first line of each paragraph and breaks lines inside it (printed records), a
    line that is not indented continues the unfinished paragraph above it."""
    out: dict[int, list[MentionedSentence]] = {}
    for ms in mentioned:
        if ms.sentence.paragraph > paragraph:
            out.setdefault(ms.sentence.paragraph, []).append(ms)
    if not any(_indented(p[0].sentence) for p in out.values()):
        return out
    merged: dict[int, list[MentionedSentence]] = {}
    last: list[MentionedSentence] | None = None
    for key, para in out.items():
        first = para[0].sentence
        if last is not None and not _indented(first) and first.number is None \
                and not _TERMINAL.search(last[-1].sentence.text):
            last.extend(para)
            continue
        merged[key] = last = list(para)
    return {key: _whole_sentences(para) for key, para in merged.items()}


def _whole_sentences(para: list[MentionedSentence]) -> list[MentionedSentence]:
    """The sentences of a paragraph whose lines were broken, each read again as one."""
    out: list[MentionedSentence] = []
    pieces: list[MentionedSentence] = []
    for ms in para:
        pieces.append(ms)
        if _TERMINAL.search(ms.sentence.text):
            out.append(pieces[0] if len(pieces) == 1 else _joined(pieces))
            pieces = []
    if pieces:
        out.append(pieces[0] if len(pieces) == 1 else _joined(pieces))
    return out


def _indented(sentence: Sentence) -> bool:
    """A sentence that opens its line after two or more spaces of indentation (in the original text:
    normalizing folds the spaces away)."""
    doc = sentence.article.document
    start, _ = doc.original_span(sentence.start, sentence.end)
    lead = doc.original[doc.original.rfind("\n", 0, start) + 1:start]
    return len(lead) >= 2 and not lead.strip()


def _parties(heading: _Heading, paragraphs: dict[int, list[MentionedSentence]], meetings: list[MeetingFact],
             ex: Extractor) -> tuple[str, ...]:
    """The sides of a statement: the ones its title's rule names; else every country the title
    names, directly ("UK-Vietnam", "Japanese"), through a leader ("by President X and Prime
    Minister Y") or through a body that stands for one ("the European Council"); where the title
    gives fewer than two, the countries of its first paragraph ("We, the Presidents of Ukraine
    and the Republic of Poland:"); else the sides of the meeting the report tells."""
    slotted = [m for ms in heading.found.slots.values() for m in ms]
    sides = _countries_of(slotted or list(heading.ms.mentions), ex)
    for para in list(paragraphs.values())[:2]:
        if len(sides) >= 2:
            break
        for ms in para:
            for code in _countries_of(list(ms.mentions), ex):
                if code not in sides and len(sides) < 2:
                    sides.append(code)
    reported = _reported(meetings)
    if len(sides) < 2 and reported:
        sides.extend(p.country for p in reported[0].participants if p.country and p.country not in sides)
    return tuple(sorted(set(sides)))


def _countries_of(mentions: list[Mention], ex: Extractor) -> list[str]:
    """The countries these mentions stand for, in order of first mention."""
    out: list[str] = []
    for m in mentions:
        code = _country_of(m, ex)
        if code and code not in out:
            out.append(code)
    return out


def _country_of(m: Mention, ex: Extractor) -> str | None:
    if m.kind == "country":
        return m.key
    if m.kind == "person":
        return m.country
    if m.kind == "org" and m.key in ex.gazetteer.organizations:
        return ex.gazetteer.organizations[m.key].country
    return None


def _side_of(ms: MentionedSentence, ex: Extractor, sides: tuple[str, ...],
             text: str | None = None) -> tuple[tuple[str, ...], str, RuleMatch] | None:
    """Which side speaks in one sentence of a clause (or in `text`, a part of its masked form): the
    first clause-side rule that matches at its opening, or after an opening phrase ("During their
    talks in London, both leaders ..."). Only the statement's parties assert its clauses: a third
    country in subject position ("The EU enlargement means ...") gives the sentence no voice."""
    texts = _after_openers(ms.masked if text is None else text, ex)
    for rule in ex.rules.of_kind("clause-side"):
        found = next((f for t in texts if (f := match(rule, ms, t))), None)
        if not found:
            continue
        if rule.both or rule.inherits:
            return sides, rule.id, found[0]
        codes = _countries_of([m for ml in found[0].slots.values() for m in ml], ex)
        if len(sides) >= 2:
            codes = [c for c in codes if c in sides]
        if codes:
            return tuple(sorted(set(codes))), rule.id, found[0]
    return None


def _voices(ms: MentionedSentence, ex: Extractor,
            sides: tuple[str, ...]) -> list[tuple[tuple[str, ...], str, RuleMatch]]:
    """Every side that speaks in one sentence: the one that opens it, and one that a joint brings in
    after it ("Prime Minister A expressed ..., and the B side appreciated ...")."""
    found = [f] if (f := _side_of(ms, ex, sides)) else []
    for joint in ex.rules.clause_joints:
        for m in joint.finditer(ms.masked):
            if (f := _side_of(ms, ex, sides, ms.masked[m.end():])):
                found.append(f)
    return found


def _after_openers(masked: str, ex: Extractor, most: int = 3) -> list[str]:
    """The sentence, and what follows each of its opening phrases (up to `most` of them in a row)."""
    texts = [masked]
    while len(texts) <= most:
        found = next((m for p in ex.rules.clause_openers if (m := p.match(texts[-1]))), None)
        if found is None or not found.group(0):
            break
        texts.append(texts[-1][found.end():])
    return texts


def _clauses(paragraphs: dict[int, list[MentionedSentence]], ex: Extractor, fired: Tally,
             sides: tuple[str, ...], meetings: list[MeetingFact]) -> list[ClauseFact]:
    """The statement's points. Where it numbers its paragraphs, the numbered ones are its clauses
    (an unnumbered opening that tells the meeting, and section headings, are not); numbering that
    starts again under a new heading begins a new part. Otherwise each paragraph of prose is a
    clause, except the preamble: lead-ins ("We, the Presidents of A and B:"), headings, dates and
    page furniture, a paragraph that names the statement itself ("issued the following joint
    statement") or tells about it ("the statement also refers to"), and, before the first clause, one that tells the meeting (a meeting read from it, or
    its opening sentence narrates one: mappings, statement_narrative)."""
    numbered = [p for p in paragraphs.values() if p[0].sentence.number is not None]
    if numbered:
        out, part, last = [], 0, 0
        for para in numbered:
            number = para[0].sentence.number or 0
            if number <= last:
                part += 1
            last = number
            out.append(_clause(para, ex, fired, sides, number, part))
        return out
    told = {id(m.evidence.sentence) for m in meetings}
    out = []
    for para in paragraphs.values():
        if _preamble(para, ex) or (not out and (any(id(ms.sentence) in told for ms in para)
                                                or any(p.search(para[0].masked) for p in ex.rules.statement_narrative))):
            continue
        out.extend(_clause(part, ex, fired, sides, None, 0) for part in _by_speaker(para, ex, sides))
    return out


def _by_speaker(para: list[MentionedSentence], ex: Extractor,
                sides: tuple[str, ...]) -> list[list[MentionedSentence]]:
    """An unnumbered paragraph in which one side speaks and then the other ("Russia reaffirmed ...
    China supports ...") is two points; a joint sentence followed by one side's is one."""
    parts: list[list[MentionedSentence]] = []
    speaker: tuple[str, ...] = ()
    for ms in para:
        voice = next((f[0] for f in _voices(ms, ex, sides) if not f[2].rule.inherits), ())
        if parts and len(voice) == 1 and len(speaker) == 1 and voice != speaker:
            parts.append([ms])
        elif parts:
            parts[-1].append(ms)
        else:
            parts.append([ms])
        speaker = voice or speaker
    return parts


def _preamble(para: list[MentionedSentence], ex: Extractor) -> bool:
    """A paragraph of a statement that is not one of its points (see _clauses)."""
    text = " ".join(ms.sentence.text for ms in para)
    if text.rstrip().endswith(":") or (len(para) == 1 and not _TERMINAL.search(text) and len(text) < 120):
        return True   # a lead-in; a heading, a date line or page furniture (one short line, unfinished)
    if any(p.search(ms.masked) for ms in para for p in ex.rules.statement_commentary):
        return True   # a report about the statement ("the statement also refers to ..."), not its text
    return any(match(rule, ms) for ms in para for rule in ex.rules.rules_in("statement", ms)
               + ex.rules.rules_in("statement-issued", ms))


def _clause(para: list[MentionedSentence], ex: Extractor, fired: Tally, sides: tuple[str, ...],
            number: int | None, part: int) -> ClauseFact:
    """One paragraph as a clause, asserted by every side one of its sentences gives a voice, and by
    all the statement's sides when none does (a joint text speaks for its parties)."""
    found = []
    for ms in para:
        for f in _voices(ms, ex, sides):
            if not (f[2].rule.inherits and found):   # "We ..." after a speaker is named: that speaker again
                found.append(f)
    side = tuple(sorted({c for f in found for c in f[0]})) if found else sides
    rule_id = found[0][1] if found else "clause.default-both"
    for contributing in dict.fromkeys(f[1] for f in found):   # every rule that gave a side
        fired.hit(contributing, *(f[2] for f in found if f[1] == contributing))
    return ClauseFact(number, " ".join(ms.sentence.text for ms in para), side, tuple(ms.sentence for ms in para),
                      rule_id, part)
