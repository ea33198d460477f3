"""Stage 5a, coreference: the meeting facts of all reports become meetings, one per real event.

Facts of the same principals are one meeting when their dates are compatible: within one
report and within one file always (an undated mention joins the dated one), across files
only when both give at least the month and day (so an undated "on Friday" in another file
stays apart) and no principal represents one country in one report and another in the other
(two people of one name: at 100,000 generated reports, a Czech and an Austrian minister of the
same name met the same president on the same day). Merging narrows the date: a weekday inside a stated range gives the day, a
month and day meet a year stated by another report.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from kg.dates import DateConstraint, PartialDate
from kg.facts import MeetingFact, ReportFacts

if TYPE_CHECKING:
    from kg.events import EventCode


@dataclass
class Meeting:
    facts: list[MeetingFact]
    date: DateConstraint
    ordinal: int = 0
    principals: frozenset[str] = field(default_factory=frozenset)
    files: set[str] = field(default_factory=set)      # the files of its facts, kept as facts join
    countries: dict[str, set[str]] = field(default_factory=dict)   # principal -> the countries it represents
    path: str | None = None     # its IRI path, once kg.triples has minted it
    events: tuple[EventCode, ...] = ()   # its event codes, once kg.events has coded it

    @property
    def recalled(self) -> bool:
        """Known only from reports that recall it in passing, as an earlier meeting than theirs."""
        return all(f.recalled for f in self.facts)

    def __post_init__(self) -> None:
        for f in self.facts:
            self.add(f)

    def add(self, fact: MeetingFact) -> None:
        self.files.add(fact.article.document.name)
        for p in fact.participants:
            if p.country:
                self.countries.setdefault(p.key, set()).add(p.country)

    def roles(self) -> dict[str, str | None]:
        """Each principal's role: the one most of its reports give (ties by name), or None."""
        votes: dict[str, Counter] = {}
        for f in self.facts:
            for p in f.participants:
                if p.role:
                    votes.setdefault(p.key, Counter())[p.role] += 1
        return {k: (sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if (c := votes.get(k)) else None)
                for k in self.principals}

    def mode(self) -> str | None:
        """How it was held: a video or phone call if any report says so, else what the first report says."""
        modes = [f.mode for f in self.facts if f.mode]
        return "Video" if "Video" in modes else "Phone" if "Phone" in modes else (modes[0] if modes else None)

    def location(self) -> str | None:
        """The venue (a place id, or "country:XX"): a named place before a country."""
        locations = sorted({f.location for f in self.facts if f.location}, key=lambda l: l.startswith("country:"))
        return locations[0] if locations else None

    def city(self) -> str | None:
        cities = sorted({f.city for f in self.facts if f.city})
        return cities[0] if cities else None

    def sides(self) -> set[str]:
        """The countries its principals represent."""
        return {p.country for f in self.facts for p in f.participants if p.country}

    def represents_otherwise(self, fact: MeetingFact) -> bool:
        """Does a principal of the fact represent a country here that it does not represent there?"""
        return any(p.country and self.countries.get(p.key) and p.country not in self.countries[p.key]
                   for p in fact.participants)


def _joinable(meeting: Meeting, fact: MeetingFact, same_file: bool) -> DateConstraint | None:
    if fact.ordinal != meeting.ordinal:
        return None
    if fact.recalled != meeting.recalled and not (meeting.date.value() and fact.date.value()):
        return None      # an earlier meeting recalled in passing: its own, unless both are dated alike
    if not (fact.principals <= meeting.principals or meeting.principals <= fact.principals):
        return None
    if fact.principals != meeting.principals and not same_file:
        return None
    merged = meeting.date.resolve_with(fact.date)
    if merged is None:
        return None
    if not same_file:
        a, b = meeting.date.value(), fact.date.value()
        if a is None or b is None or not (a.shares_day(b)):
            return None
        if meeting.represents_otherwise(fact):
            return None
    return merged


def resolve_meetings(reports: list[ReportFacts]) -> list[Meeting]:
    """Group meeting facts into meetings, deterministically (reports in file order).

    A fact can only join a meeting whose principals contain its own or are contained in them, so
    it shares a principal; in its own file any such meeting will do, in another file only one
    dated the same month and day. The candidates therefore come from two indexes, by file and
    by (principal, month, day), in creation order (the order a scan of every meeting would take):
    a famous president's thousands of meetings are not all tried for every new fact, which kept
    the stage linear (at 100,000 reports, a scan by principal alone took 316 s)."""
    meetings: list[Meeting] = []
    by_file: dict[str, list[int]] = {}
    by_day: dict[tuple[str, int, int], list[int]] = {}
    position: dict[int, int] = {}

    def index(meeting: Meeting, at: int, file: str) -> None:
        _append(by_file.setdefault(file, []), at)
        value = meeting.date.value()
        if value is not None and value.month is not None and value.day is not None:
            for p in meeting.principals:
                _append(by_day.setdefault((p, value.month, value.day), []), at)

    for report in reports:
        file = report.article.document.name
        for fact in report.meetings:
            target, merged = None, None
            if fact.principals:
                here = [meetings[i] for i in sorted(by_file.get(file, ())) if meetings[i].principals & fact.principals]
                value = fact.date.value()
                elsewhere = [] if value is None or value.month is None or value.day is None else \
                    [meetings[i] for i in sorted({i for p in fact.principals
                                                  for i in by_day.get((p, value.month, value.day), ())})
                     if file not in meetings[i].files]
                passes = ((True, here), (False, elsewhere))
            else:
                passes = ((True, [m for m in meetings if file in m.files]),
                          (False, [m for m in meetings if file not in m.files]))
            for same_file, candidates in passes:
                for m in candidates:
                    merged = _joinable(m, fact, same_file)
                    if merged is not None:
                        target = m
                        break
                if target:
                    break
            if target is None:
                target = Meeting([fact], fact.date, fact.ordinal, fact.principals)
                meetings.append(target)
                at = position[id(target)] = len(meetings) - 1
            else:
                target.facts.append(fact)
                target.add(fact)
                target.date = merged  # type: ignore[assignment]
                target.principals = target.principals | fact.principals
                at = position[id(target)]
            index(target, at, file)
    _same_day(meetings)
    return meetings


def _append(ids: list[int], at: int) -> None:
    if not ids or ids[-1] != at and at not in ids:
        ids.append(at)


def _same_day(meetings: list[Meeting]) -> None:
    """"On this day" with no date before it in its article means the day of the file's main event:
    the one fully dated meeting of the same file that shares a principal and fits what is known."""
    for meeting in meetings:
        if not any(f.date.same_day for f in meeting.facts) or (meeting.date.value() or PartialDate()).full:
            continue
        days: dict[PartialDate, DateConstraint] = {}
        for other in meetings:
            value = other.date.value()
            if other is meeting or not value or not value.full or not (other.files & meeting.files) \
                    or not (other.principals & meeting.principals):
                continue
            merged = meeting.date.resolve_with(DateConstraint(value, method="same-day"))
            if merged is not None:
                days[value] = merged
        if len(days) == 1:
            meeting.date = replace(next(iter(days.values())), method="same-day")
