from kg.dates import DateConstraint, DateContext, PartialDate, find_dates, resolve


def constraint(text: str, **ctx) -> DateConstraint:
    (expr,) = find_dates(text)
    return resolve(expr, DateContext(**ctx))


def test_month_day_without_year_stays_partial():
    c = constraint("On the morning of November 25, Xi held talks")
    assert c.value() == PartialDate(None, 11, 25) and c.value().lexical() == ("--11-25", "gMonthDay")


def test_a_year_after_a_slash():
    assert constraint("August 24/2021 (ENA) Prime Minister Ravi Desai spoke").value() == PartialDate(2021, 8, 24)


def test_weekday_inside_a_stated_range_gives_the_day():
    visit = constraint("from November 24 to 26, 2022 on a state visit")
    friday = constraint("held talks Friday with")
    merged = visit.resolve_with(friday)
    assert merged.value() == PartialDate(2022, 11, 25) and merged.method == "weekday"


def test_today_and_last_year_resolve_against_the_report_date():
    assert constraint("met here today", report_date=PartialDate(None, 5, 14)).value() == PartialDate(None, 5, 14)
    assert constraint("twice last year", report_date=PartialDate(2022, 8, 31)).value() == PartialDate(2021, None, None)


def test_contradicting_dates_do_not_merge():
    a = constraint("On August 23, 2022, they met")
    b = constraint("On 1 May 2024 they met")
    assert a.resolve_with(b) is None


def test_cue_gates_change_no_date_found(monkeypatch):
    """find_dates skips a pattern when the sentence lacks a word it needs, and writes the month and
    weekday names as tries; on every line of the seeds and the test corpus, and on made-up edge
    cases, that finds exactly what every pattern, with the names listed, tried everywhere finds."""
    import random
    from pathlib import Path

    import kg.dates as dates

    root = Path(__file__).resolve().parent.parent
    lines = [line for folder in (root / "seeds", root / "tests" / "corpus") for f in sorted(folder.rglob("*.txt"))
             for line in f.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    words = ["January", "Jan.", "feb", "March", "APRIL", "June", "jul", "August", "Oct", "November", "dec.", "May", "dismay", "SEPT.", "Sept", "3", "12th", "2022", "to", "-", "–", "Monday", "TUESDAY", "today",
             "Tonight", "this morning", "in", "In 2021", "last year", "this year", "last week", "the next day",
             "Earlier,", "later that day", "on", "Ḿay", "ſeptember", "Friday,"]
    rng = random.Random(7)
    lines += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    gated = [find_dates(line) for line in lines]
    # ... and the month and weekday names as plain lists, longest first, find what their tries find
    import re
    flat_month = r"(?P<month>" + "|".join(sorted(dates.MONTHS, key=len, reverse=True)) + r")\.?"
    flat_weekday = r"(?P<weekday>" + "|".join(dates.WEEKDAYS) + r")"
    assert dates._MONTH != flat_month
    flat = [(kind, re.compile(p.pattern.replace(dates._MONTH, flat_month).replace(dates._WEEKDAY, flat_weekday),
                              p.flags)) for kind, p in dates.DATE_PATTERNS]
    monkeypatch.setattr(dates, "_PLAN", dates._plan(flat, {}, set()))
    assert [find_dates(line) for line in lines] == gated
    assert sum(map(len, gated)) > 1000      # the comparison is not vacuous


def test_the_cue_plan_skips_only_patterns_that_cannot_match():
    """find_dates tries a pattern only in a sentence holding its cue words (written in kg.dates and
    read off the pattern itself): on every sentence of the seeds and the test corpus, as written, in
    upper case and with its case swapped, it finds what trying every pattern finds."""
    from pathlib import Path

    from kg import dates
    from kg.articles import split_articles
    from kg.build import input_files, load_pipeline
    from kg.documents import read_document
    from kg.sentences import split_sentences

    def every_pattern(sentence: str):
        found, taken = [], []
        for kind, pattern in dates.DATE_PATTERNS:
            for m in pattern.finditer(sentence):
                if not any(m.start() < e and s < m.end() for s, e in taken):
                    expr = dates._expression(kind, m)
                    if expr is not None:
                        found.append(expr)
                        taken.append((m.start(), m.end()))
        return tuple(sorted(found, key=lambda e: e.start))

    root = Path(__file__).resolve().parent.parent
    p = load_pipeline(None)
    texts = [s.text for folder in (root / "seeds", root / "tests" / "corpus")
             for source in input_files((folder,)) for a in split_articles(read_document(source)[0], p.layout)
             for s in split_sentences(a, p.extractor.abbreviations)]
    found = 0
    for text in texts + [t.upper() for t in texts] + [t.swapcase() for t in texts]:
        expected = every_pattern(text)
        assert find_dates(text) == expected, text
        found += len(expected)
    assert found > 500
