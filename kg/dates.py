"""Dates as the reports give them: full, partial (no year, no day), relative, or a range.

A ``PartialDate`` keeps only what the text says; ``DateConstraint`` collects what one or more
reports say about the day of one meeting and resolves it (a weekday inside a stated range
gives the day; a month and day with a year from a merged report gives the full date).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

import yaml

from kg.gazetteer import trie_alternation
from kg.literals import CASE_FOLDS_TO_ASCII, Gate, WordIndex, gate_of
from kg.mappings import DEFAULT_MAPPINGS

def _lexicon() -> dict:
    """The words of dates (month and weekday names, words of relative time), kept with the other
    date cues in ``mappings/dates.yaml``: read once, when the module is loaded, because the
    patterns below are compiled once for every report."""
    return yaml.safe_load((DEFAULT_MAPPINGS / "dates.yaml").read_text(encoding="utf-8"))


_WORDS = _lexicon()
_RELATIVE: dict[str, list[str]] = _WORDS["relative"]
MONTHS: dict[str, int] = {name.lower(): number for name, number in _WORDS["months"].items()}
WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(_WORDS["weekdays"])}


def _phrases(*kinds: str) -> str:
    """One alternation of the words of relative time of these kinds, longest first."""
    words = sorted({w for kind in kinds for w in _RELATIVE.get(kind, [])}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", " ") for w in words)


# as tries: the same matches as the names listed longest first, tried only where the text's next
# letter can begin one (the patterns are case-insensitive, the names all lower case)
_MONTH_NAME = r"(?P<month>" + trie_alternation(list(MONTHS)) + r")"
_MONTH = _MONTH_NAME + r"\.?"
_WEEKDAY = r"(?P<weekday>" + trie_alternation(list(WEEKDAYS)) + r")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# the order matters: the first pattern that matches at a position wins
DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(p, re.I)) for name, p in [
    ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    # day.month.year, as Nordic and German pages write it ("9.12.2016"); not a decimal or a version
    ("dmy-dotted", r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<mnum>[01]?\d)\.(?P<year>(?:19|20)\d\d)(?![\d.]\d)"),
    ("range-mdy", _MONTH + r" (?P<day>[0-3]?\d)(?:st|nd|rd|th)? ?(?:-|–|to) ?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?,? " + _YEAR + r"\b"),
    ("range-md", _MONTH + r" (?P<day>[0-3]?\d)(?:st|nd|rd|th)? ?(?:-|–|to) ?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\b"),
    # day first: "22-23 January 2013", "22 and 23 January 2013", "9 to 11 May"
    ("range-dmy", r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)? ?(?:-|–|to|and) ?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)? " + _MONTH + r",? " + _YEAR + r"\b"),
    ("range-dm", r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)? ?(?:-|–|to|and) ?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)? " + _MONTH + r"\b(?!,? (?:19|20)\d\d)"),
    # Spanish and Portuguese: "30 de enero de 2019", "el 30 y 31 de enero de 2019", "30 de enero"
    ("range-dmy-de", r"\b(?P<day>[0-3]?\d) (?:y|e|al|a) (?P<day2>[0-3]?\d) de " + _MONTH_NAME + r",? (?:de )?" + _YEAR + r"\b"),
    ("dmy-de", r"\b" + _DAY + r" de " + _MONTH_NAME + r",? (?:de )?" + _YEAR + r"\b"),
    ("dm-de", r"\b" + _DAY + r" de " + _MONTH_NAME + r"\b(?!,? (?:de )?(?:19|20)\d\d)"),
    ("weekday-md", _WEEKDAY + r",? " + _MONTH + r" " + _DAY + r"(?:,? " + _YEAR + r")?\b"),
    ("weekday-dm", _WEEKDAY + r",? " + _DAY + r" " + _MONTH + r"(?:,? " + _YEAR + r")?\b"),
    ("mdy", r"\b" + _MONTH + r" " + _DAY + r"(?:,? |,|/)" + _YEAR + r"\b"),     # "March 24,2021", "August 24/2021" too
    ("dmy", r"\b" + _DAY + r" " + _MONTH + r",? " + _YEAR + r"\b"),
    ("md", r"\b" + _MONTH + r" " + _DAY + r"\b(?!,? (?:19|20)\d\d)"),
    ("dm", r"\b" + _DAY + r" " + _MONTH + r"\b(?!,? (?:19|20)\d\d)"),
    ("my", r"\b" + _MONTH + r",? " + _YEAR + r"\b"),
    # a month alone, "in January": the month of the report's year (when the report has one)
    ("month", r"\bin (?:early |late |mid-)?" + _MONTH_NAME + r"(?: (?P<which>last|this|next) year)?(?!\w| \d)"),
    # with the part of the day that may follow it ("on Thursday morning")
    ("weekday", r"\b(?:on |this |last )?" + _WEEKDAY + r"\b(?: (?:morning|afternoon|evening|night)\b)?"),
    ("today", r"\b(?P<today>" + _phrases("today") + r")\b"),
    ("yesterday", r"\b(?P<yesterday>" + _phrases("yesterday") + r")\b"),
    ("same-day", r"\b(?:" + _phrases("same_day", "other_day") + r")\b|^(?:" + _phrases("same_day_openers") + r")(?=,)"),
    ("last-year", r"\b(?:" + _phrases("last_year") + r")\b"),
    ("this-year", r"\b(?:" + _phrases("this_year") + r")\b"),
    ("last-month", r"\b(?:" + _phrases("last_month") + r")\b"),
    ("last-week", r"\b(?:" + _phrases("last_week") + r")\b"),
    ("year", r"\bin " + _YEAR + r"\b"),
]]
_MONTH_WORDS_NOT_DATES = re.compile(r"^(?:" + "|".join(map(re.escape, _WORDS.get("month_words_not_dates", [])))
                                    + r")\b", re.I) if _WORDS.get("month_words_not_dates") else None
_OTHER_DAY = {w.lower() for w in _RELATIVE.get("other_day", [])}
_THIS_DAY = re.compile(r"\b(?:" + _phrases("this_day") + r")\b", re.I)
# the patterns above that cannot match a sentence without a digit (a day, a month number or a year)
_NEED_A_DIGIT = {"iso", "dmy-dotted", "range-mdy", "range-md", "range-dmy", "range-dm", "weekday-md", "weekday-dm",
                 "range-dmy-de", "dmy-de", "dm-de",
                 "mdy", "dmy", "md", "dm", "my", "year"}
_DIGIT = re.compile(r"\d")


def _lower(*kinds: str) -> tuple[str, ...]:
    return tuple(sorted({w.lower() for kind in kinds for w in _RELATIVE.get(kind, [])}))


# What else a pattern cannot match without, as lower-case text: a month (each name begins with
# one of these), a weekday (each ends in "day"), its own words. Looked up in the sentence in lower
# case, which is what re.I matches for every letter but the few non-ASCII ones it equates with an
# ASCII letter (CASE_FOLDS_TO_ASCII, "ſ" for "s"): a sentence with one of those gets every pattern.
_MONTH_CUES = tuple(sorted({name[:3] for name in MONTHS}))
_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "range-mdy": (_MONTH_CUES,), "range-md": (_MONTH_CUES,), "range-dmy": (_MONTH_CUES,), "range-dm": (_MONTH_CUES,),
    "mdy": (_MONTH_CUES,), "dmy": (_MONTH_CUES,), "md": (_MONTH_CUES,), "dm": (_MONTH_CUES,), "my": (_MONTH_CUES,),
    "weekday-md": (_MONTH_CUES, ("day",)), "weekday-dm": (_MONTH_CUES, ("day",)), "weekday": (("day",),),
    "today": (_lower("today"),), "yesterday": (_lower("yesterday"),),
    "same-day": (_lower("same_day", "other_day", "same_day_openers"),), "last-year": (_lower("last_year"),),
    "this-year": (_lower("this_year"),), "last-week": (_lower("last_week"),), "year": (("in ",),),
    "month": (_MONTH_CUES, ("in ",)), "last-month": (_lower("last_month"),),
    "range-dmy-de": (_MONTH_CUES, (" de ",)), "dmy-de": (_MONTH_CUES, (" de ",)), "dm-de": (_MONTH_CUES, (" de ",)),
}
# an ASCII cue letter stands in the patterns for itself in either case only: the gate holds in
# any sentence without the letters re.I equates with ASCII ones
_CUES_ASCII = all(cue.isascii() for needs in _NEEDS.values() for cues in needs for cue in cues)


@dataclass(frozen=True)
class PartialDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def full(self) -> bool:
        return None not in (self.year, self.month, self.day)

    def lexical(self) -> tuple[str, str]:
        """The literal and its XSD datatype local name: date, gYearMonth, gYear or gMonthDay."""
        y, m, d = self.year, self.month, self.day
        if y and m and d:
            return f"{y:04d}-{m:02d}-{d:02d}", "date"
        if y and m:
            return f"{y:04d}-{m:02d}", "gYearMonth"
        if m and d:
            return f"--{m:02d}-{d:02d}", "gMonthDay"
        if y:
            return f"{y:04d}", "gYear"
        return "", ""

    def compatible(self, other: "PartialDate") -> bool:
        return all(a is None or b is None or a == b for a, b in
                   ((self.year, other.year), (self.month, other.month), (self.day, other.day)))

    def shares_day(self, other: "PartialDate") -> bool:
        return self.month is not None and self.month == other.month and self.day is not None and self.day == other.day

    def merge(self, other: "PartialDate") -> "PartialDate":
        return PartialDate(self.year or other.year, self.month or other.month, self.day or other.day)

    def as_date(self) -> dt.date | None:
        try:
            return dt.date(self.year, self.month, self.day) if self.full else None  # type: ignore[arg-type]
        except ValueError:
            return None


@dataclass(frozen=True)
class DateExpression:
    """One date expression found in a sentence, still unresolved."""

    kind: str
    start: int
    end: int
    text: str
    date: PartialDate = PartialDate()
    day2: int | None = None  # end of a range
    weekday: int | None = None
    which: str | None = None  # "last", "this" or "next" year of a month told alone ("in April last year")


@dataclass(frozen=True)
class _DatePlan:
    """The date patterns in order, each with what a sentence must hold for it to be tried: a digit,
    and a word of each of its lists of cue words (bits of `cues`; the words of every list are
    found in one pass of `index`, however many lists and patterns need them). A pattern's lists
    are those written below and those its gate reads off the pattern itself (kg.literals: "dmy"
    needs " dec" or another month after a space, and "19" or "20"; "iso" needs "19" or "20")."""

    patterns: tuple[tuple[str, re.Pattern[str], bool, int], ...]   # kind, pattern, needs a digit, cue bits
    cues: tuple[frozenset[str], ...]
    index: WordIndex


def _plan(patterns: list[tuple[str, re.Pattern[str]]], needs: dict[str, tuple[tuple[str, ...], ...]],
          need_a_digit: set[str]) -> _DatePlan:
    # a kind may have more than one pattern ("today"): each has its own gate
    wanted = [[frozenset(cues) for cues in needs.get(kind, ())] + list(Gate.of(pattern).words)
              for kind, pattern in patterns]
    lists = list(dict.fromkeys(cues for sets in wanted for cues in sets))
    planned = tuple((kind, pattern, kind in need_a_digit, sum(1 << i for i in {lists.index(c) for c in sets}))
                    for (kind, pattern), sets in zip(patterns, wanted))
    return _DatePlan(planned, tuple(lists), WordIndex(w for cues in lists for w in cues))


_PLAN = _plan(DATE_PATTERNS, _NEEDS, _NEED_A_DIGIT)


def find_dates(sentence: str) -> tuple[DateExpression, ...]:
    """All date expressions of a sentence, leftmost-longest, without overlaps."""
    found: list[DateExpression] = []
    taken: list[tuple[int, int]] = []
    digits = _DIGIT.search(sentence) is not None
    gated = sentence.isascii() or (_CUES_ASCII and CASE_FOLDS_TO_ASCII.search(sentence) is None)
    held = 0
    if gated:
        present = _PLAN.index.present(sentence.lower())
        for bit, cues in enumerate(_PLAN.cues):
            if not cues.isdisjoint(present):
                held |= 1 << bit
    for kind, pattern, needs_digit, cues in _PLAN.patterns:
        if (needs_digit and not digits) or (gated and held & cues != cues):
            continue
        for m in pattern.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            expr = _expression(kind, m)
            if expr is not None:
                found.append(expr)
                taken.append((m.start(), m.end()))
    return tuple(sorted(found, key=lambda e: e.start))


def _expression(kind: str, m: re.Match[str]) -> DateExpression | None:
    g = m.groupdict()
    month = MONTHS.get((g.get("month") or "").lower().rstrip(".")) or (int(g["mnum"]) if g.get("mnum") else None)
    day = int(g["day"]) if g.get("day") else None
    year = int(g["year"]) if g.get("year") else None
    if kind == "my" and _MONTH_WORDS_NOT_DATES is not None and _MONTH_WORDS_NOT_DATES.match(g.get("month") or ""):
        return None  # "may 2024" is more often a verb than a month
    if day is not None and not 1 <= day <= 31:
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    weekday = WEEKDAYS.get((g.get("weekday") or "").lower())
    return DateExpression(kind, m.start(), m.end(), m.group(0), PartialDate(year, month, day),
                          int(g["day2"]) if g.get("day2") else None, weekday,
                          (g.get("which") or "").lower() or None)


@dataclass(frozen=True)
class DateContext:
    """What a sentence's relative dates resolve against: the report's own date, the last date
    stated before the sentence in the same report, and a year stated in the report."""

    report_date: PartialDate | None = None
    previous: PartialDate | None = None
    report_year: int | None = None


@dataclass(frozen=True)
class DateConstraint:
    """What is known about the day of one meeting, and how it was learnt."""

    date: PartialDate = PartialDate()
    low: dt.date | None = None  # a stated range, e.g. a state visit "November 24 to 26, 2022"
    high: dt.date | None = None
    weekday: int | None = None
    method: str = "none"  # stated | report-date | previous-date | weekday | range | narrative | same-day | merged | none
    text: str = ""
    same_day: bool = False  # "on this day" with no date before it: the day of the report's main event
    source: object = field(default=None, compare=False, hash=False)  # the Sentence the date was read from

    @property
    def known(self) -> bool:
        return any((self.date.year, self.date.month, self.date.day)) or self.low is not None or self.weekday is not None

    def compatible(self, other: "DateConstraint") -> bool:
        return self.resolve_with(other) is not None

    def resolve_with(self, other: "DateConstraint") -> "DateConstraint | None":
        """The constraint both describe, or None when they contradict each other."""
        if not self.date.compatible(other.date):
            return None
        date = self.date.merge(other.date)
        low = max((d for d in (self.low, other.low) if d), default=None)
        high = min((d for d in (self.high, other.high) if d), default=None)
        if low and high and low > high:
            return None
        weekday = self.weekday if self.weekday is not None else other.weekday
        if other.weekday is not None and weekday != other.weekday:
            return None
        method = self.method if self.method == other.method else "merged"
        merged = DateConstraint(date, low, high, weekday, method, self.text or other.text,
                                self.same_day or other.same_day, self.source or other.source)
        return merged.settle()

    def settle(self) -> "DateConstraint":
        """Narrow a range with a weekday or a stated day to one date where only one fits."""
        if self.low is None or self.high is None:
            return self
        days = [self.low + dt.timedelta(n) for n in range((self.high - self.low).days + 1)]
        days = [d for d in days if (self.weekday is None or d.weekday() == self.weekday)
                and PartialDate(d.year, d.month, d.day).compatible(self.date)]
        if not days:
            return self
        if len(days) == 1:
            d = days[0]
            how = "weekday" if self.weekday is not None and not self.date.day else self.method
            return replace(self, date=PartialDate(d.year, d.month, d.day), method=how)
        same_month = {(d.year, d.month) for d in days}
        if len(same_month) == 1 and self.date.year is None:
            y, mth = next(iter(same_month))
            return replace(self, date=self.date.merge(PartialDate(y, mth, None)))
        return self

    def value(self) -> PartialDate | None:
        """The date to publish: only what is certain, never a guess."""
        d = self.date
        if d.full:
            return d if d.as_date() else None
        if self.low and self.high:
            if self.low == self.high:
                return PartialDate(self.low.year, self.low.month, self.low.day)
            if (self.low.year, self.low.month) == (self.high.year, self.high.month):
                return PartialDate(self.low.year, self.low.month, d.day)
            if self.low.year == self.high.year:
                return PartialDate(self.low.year, None, None)
        if d.year or (d.month and d.day):
            return d
        return None


def resolve(expr: DateExpression, ctx: DateContext) -> DateConstraint:
    """Turn one expression into a constraint, using the report's own context only."""
    anchor = ctx.report_date
    d = expr.date
    if expr.kind in ("iso", "dmy-dotted", "mdy", "dmy", "dmy-de"):
        return DateConstraint(d, method="stated", text=expr.text)
    if expr.kind in ("range-mdy", "range-dmy", "range-dmy-de") and expr.day2:
        low, high = _safe(d.year, d.month, d.day), _safe(d.year, d.month, expr.day2)
        return DateConstraint(PartialDate(d.year, d.month, None), low, high, method="range",
                              text=expr.text).settle()
    year = ctx.report_year or (anchor.year if anchor else None)
    if expr.kind in ("md", "dm", "dm-de", "weekday-md", "weekday-dm"):
        if d.year:
            return DateConstraint(d, method="stated", text=expr.text)
        if year:
            return DateConstraint(PartialDate(year, d.month, d.day), method="stated+report-year", text=expr.text)
        return DateConstraint(d, method="stated", text=expr.text)
    if expr.kind in ("range-md", "range-dm") and expr.day2:
        if year:
            low, high = _safe(year, d.month, d.day), _safe(year, d.month, expr.day2)
            return DateConstraint(PartialDate(year, d.month, None), low, high, method="range", text=expr.text).settle()
        return DateConstraint(PartialDate(None, d.month, None), method="range", text=expr.text)
    if expr.kind == "my":
        return DateConstraint(d, method="stated", text=expr.text)
    if expr.kind == "weekday":
        base = anchor.as_date() if anchor else None
        if base is not None:
            back = (base.weekday() - expr.weekday) % 7  # type: ignore[operator]
            day = base - dt.timedelta(back)
            return DateConstraint(PartialDate(day.year, day.month, day.day), method="weekday", text=expr.text)
        return DateConstraint(weekday=expr.weekday, method="weekday", text=expr.text)
    if expr.kind == "today" and anchor is not None:
        return DateConstraint(anchor, method="report-date", text=expr.text)
    if expr.kind == "yesterday" and anchor is not None and anchor.as_date():
        day = anchor.as_date() - dt.timedelta(1)  # type: ignore[operator]
        return DateConstraint(PartialDate(day.year, day.month, day.day), method="report-date", text=expr.text)
    other_day = expr.text.lower() in _OTHER_DAY
    if expr.kind == "same-day" and ctx.previous is not None and not other_day:
        return DateConstraint(ctx.previous, method="previous-date", text=expr.text)
    if expr.kind == "same-day" and ctx.previous is None and not other_day and _THIS_DAY.search(expr.text):
        return DateConstraint(method="same-day", text=expr.text, same_day=True)
    if expr.kind == "last-week" and anchor is not None and anchor.as_date():
        monday = anchor.as_date() - dt.timedelta(anchor.as_date().weekday() + 7)  # type: ignore[operator]
        sunday = monday + dt.timedelta(6)
        return DateConstraint(PartialDate(), monday, sunday, method="report-date", text=expr.text).settle()
    if expr.kind == "last-month" and anchor is not None and anchor.year and anchor.month:
        year, month = (anchor.year, anchor.month - 1) if anchor.month > 1 else (anchor.year - 1, 12)
        return DateConstraint(PartialDate(year, month, None), method="report-date", text=expr.text)
    if expr.kind == "month" and d.month:
        base = anchor if anchor is not None and anchor.year else PartialDate(ctx.report_year)
        which = expr.which
        if base.year and which == "last":   # "in April last year"
            return DateConstraint(PartialDate(base.year - 1, d.month, None), method="report-date", text=expr.text)
        # a month told in the past tense is of the report's year when it is not later than the
        # report's own month; a later month could be last year's or next year's, so it stays open
        if base.year and which != "next" and (which == "this" or base.month is None or d.month <= base.month):
            return DateConstraint(PartialDate(base.year, d.month, None), method="report-date", text=expr.text)
        return DateConstraint(method="none", text=expr.text)
    if expr.kind == "last-year" and anchor is not None and anchor.year:
        return DateConstraint(PartialDate(anchor.year - 1, None, None), method="report-date", text=expr.text)
    if expr.kind == "this-year" and anchor is not None and anchor.year:
        return DateConstraint(PartialDate(anchor.year, None, None), method="report-date", text=expr.text)
    if expr.kind == "year" and d.year:
        return DateConstraint(PartialDate(d.year, None, None), method="stated", text=expr.text)
    return DateConstraint(method="none", text=expr.text)


def _safe(y: int | None, m: int | None, d: int | None) -> dt.date | None:
    try:
        return dt.date(y, m, d) if y and m and d else None
    except ValueError:
        return None


def parse_iso(text: str) -> PartialDate | None:
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", text.strip())
    return PartialDate(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


@dataclass
class DateTrail:
    """The dates stated so far in one report, in reading order (for "the same day")."""

    last: PartialDate | None = None
    stated: list[PartialDate] = field(default_factory=list)

    def note(self, constraint: DateConstraint) -> None:
        if constraint.method in ("stated", "stated+report-year", "report-date", "weekday") and constraint.date.day:
            self.last = constraint.date
            self.stated.append(constraint.date)


_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1, "final": -1}
_ANY_YEAR = re.compile(r"(?<![\w-])(1[89]\d\d|20\d\d)(?![\w-])")  # not "1950s"


@dataclass(frozen=True)
class DateCues:
    """How reports tell the time beyond explicit dates (``mappings/dates.yaml``)."""

    current_year: tuple[re.Pattern[str], ...] = ()
    anniversary: tuple[re.Pattern[str], ...] = ()
    visit_days: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def from_data(cls, data: dict) -> "DateCues":
        def compiled(key: str) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(p, re.I) for p in data.get(key, []))
        return cls(compiled("current_year"), compiled("anniversary"), compiled("visit_day"))

    def article_year(self, text: str) -> tuple[int | None, str]:
        """The year an article's own events fall in when no dateline or header gives it, and the
        words that tell it: one stated present-tense year, or an anniversary whose sum is a year the
        article names. None when the cues disagree or are absent."""
        found: dict[int, str] = {}
        # most text holds none of the words a cue's match holds (kg.literals): it is not searched
        lowered, plain = text.lower(), CASE_FOLDS_TO_ASCII.search(text) is None
        for p in self.current_year:
            for m in p.finditer(text) if gate_of(p).admits(lowered, plain) else ():
                found.setdefault(int(m.group("year")), m.group(0))
        named = {int(y) for y in _ANY_YEAR.findall(text)}
        for p in self.anniversary:
            for m in p.finditer(text) if gate_of(p).admits(lowered, plain) else ():
                n = int(m.group("n"))
                for y in sorted(named):
                    if y + n in named:
                        found.setdefault(y + n, f"{m.group(0)} ({y} + {n})")
        if len(found) == 1:
            return next(iter(found.items()))
        return None, ""

    def day_of_visit(self, sentence: str) -> int | None:
        """The day of a visit a sentence says the narrative has reached (1-based; -1 = the last)."""
        lowered, plain = sentence.lower(), CASE_FOLDS_TO_ASCII.search(sentence) is None
        for p in self.visit_days:
            m = p.search(sentence) if gate_of(p).admits(lowered, plain) else None
            if m:
                return _ORDINALS.get(m.group("ordinal").lower())
        return None
