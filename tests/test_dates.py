from kg.dates import DateConstraint, DateContext, PartialDate, find_dates, resolve


def constraint(text: str, **ctx) -> DateConstraint:
    (expr,) = find_dates(text)
    return resolve(expr, DateContext(**ctx))


def test_month_day_without_year_stays_partial():
    c = constraint("On the morning of November 25, Xi held talks")
    assert c.value() == PartialDate(None, 11, 25) and c.value().lexical() == ("--11-25", "gMonthDay")


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
