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

from dataclasses import dataclass, field, replace

from kg.dates import DateConstraint, PartialDate
from kg.facts import MeetingFact, ReportFacts


@dataclass
class Meeting:
    facts: list[MeetingFact]
    date: DateConstraint
    ordinal: int = 0
    principals: frozenset[str] = field(default_factory=frozenset)
    files: set[str] = field(default_factory=set)      # the files of its facts, kept as facts join
    countries: dict[str, set[str]] = field(default_factory=dict)   # principal -> the countries it represents
    path: str | None = None     # its IRI path, once kg.triples has minted it

    def __post_init__(self) -> None:
        for f in self.facts:
            self.add(f)

    def add(self, fact: MeetingFact) -> None:
        self.files.add(fact.article.document.name)
        for p in fact.participants:
            if p.country:
                self.countries.setdefault(p.key, set()).add(p.country)

    def represents_otherwise(self, fact: MeetingFact) -> bool:
        """Does a principal of the fact represent a country here that it does not represent there?"""
        return any(p.country and self.countries.get(p.key) and p.country not in self.countries[p.key]
                   for p in fact.participants)


def _joinable(meeting: Meeting, fact: MeetingFact, same_file: bool) -> DateConstraint | None:
    if fact.ordinal != meeting.ordinal:
        return None
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
    """Group meeting facts into meetings, deterministically (reports in file order)."""
    meetings: list[Meeting] = []
    # A fact can only join a meeting whose principals contain its own or are contained in them,
    # so it shares a principal: candidates come from an index by principal, in creation order
    # (the order the former scan of every meeting went through), which keeps the build linear.
    by_principal: dict[str, list[int]] = {}
    position: dict[int, int] = {}
    for report in reports:
        for fact in report.meetings:
            target, merged = None, None
            if fact.principals:
                candidates = [meetings[i] for i in sorted({i for p in fact.principals for i in by_principal.get(p, ())})]
            else:
                candidates = meetings
            for same_file in (True, False):
                for m in candidates:
                    if same_file != (report.article.document.name in m.files):
                        continue
                    merged = _joinable(m, fact, same_file)
                    if merged is not None:
                        target = m
                        break
                if target:
                    break
            if target is None:
                target = Meeting([fact], fact.date, fact.ordinal, fact.principals)
                meetings.append(target)
                index = position[id(target)] = len(meetings) - 1
            else:
                target.facts.append(fact)
                target.add(fact)
                target.date = merged  # type: ignore[assignment]
                target.principals = target.principals | fact.principals
                index = position[id(target)]
            for p in fact.principals:
                ids = by_principal.setdefault(p, [])
                if not ids or ids[-1] != index and index not in ids:
                    ids.append(index)
    _same_day(meetings)
    return meetings


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
