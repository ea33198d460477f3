"""Tables for event-data research: the dyadic event table and the dyad-year counts.

Both are one SPARQL SELECT over the graph (``events_query``, ``dyad_years_query``; the README gives
them, so any endpoint holding the graph answers them too), evaluated by Oxigraph and written as
the rows come: the events query has no ORDER BY and no aggregate, so neither the engine nor this
module holds the table, and memory stays flat however large the graph.

Flat only as long as every OPTIONAL of the events query opens with one triple pattern (what it
needs further is a nested OPTIONAL): Oxigraph runs such an OPTIONAL as a loop over the rows, one
lookup each, but one whose group joins two or more patterns as a hash join, which first reads
the whole group for every meeting of the graph into memory (on 20,000 meetings: 3.8 s before the
first row and twice the memory; tests/test_events.py holds the query to this form).

Its first group is written in the order Oxigraph joins it: the optimizer adds the patterns one by
one, each time the cheapest by which of its terms are already bound and, among equals, the first
written. So the meeting's events and their codes come first, then the source's participation,
agent and name, then the target's: the codes are looked up once per event and the source once
per participation, not once for every (event, source, target) of which the filters keep about a
third (15% fewer instructions for the whole query; the rows and their order are the same).

One row per directed event, as ICEWS writes them: a visit is a 042 row visitor -> host and a 043
row host -> visitor; a call is a row each way. ``undirected`` keeps one row per meeting and code
(a visit as its 042 row; a symmetric code once per pair of principals).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from typing import BinaryIO, Iterator

import pyoxigraph as ox

from kg.errors import InputError
from kg.store import dataset

FORMATS = ("csv", "tsv", "jsonl")

EVENT_COLUMNS = ("event_id", "event_date", "date_precision", "source_name", "source_country", "source_iso3",
                 "source_gw", "target_name", "target_country", "target_iso3", "target_gw", "cameo_code",
                 "plover_type", "plover_mode", "mode", "city", "location", "meeting", "sentence", "source_file",
                 "n_reports")
DYAD_YEAR_COLUMNS = ("year", "country_a", "iso3_a", "gw_a", "country_b", "iso3_b", "gw_b", "mode", "meetings")

PREFIXES = """PREFIX bkg: <https://w3id.org/bilateral-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

_EVENTS = PREFIXES + """SELECT ?event_id ?event_date ?date_precision
       ?source_name ?source_country ?source_iso3 ?source_gw
       ?target_name ?target_country ?target_iso3 ?target_gw
       ?cameo_code ?plover_type ?plover_mode ?mode ?city ?location
       ?meeting ?sentence ?source_file ?n_reports
WHERE {
  ?meeting a bkg:Meeting ; bkg:event ?event .
  ?event bkg:cameo ?cameo ; bkg:ploverType ?plover . ?cameo skos:notation ?cameo_code . ?plover skos:notation ?plover_type .
  ?meeting bkg:participation ?from . ?from bkg:agent ?source . ?source rdfs:label ?source_name .
  ?meeting bkg:participation ?to . ?to bkg:agent ?target .
  FILTER(?source != ?target)
  ?target rdfs:label ?target_name .
  OPTIONAL { ?event bkg:sourceRole ?source_role }
  OPTIONAL { ?from bkg:role ?role }
  FILTER(!BOUND(?source_role) || (BOUND(?role) && ?role = ?source_role))     # 042: the guest; 043: the host
  OPTIONAL { ?from bkg:represents ?source_side .
             OPTIONAL { ?source_side bkg:country ?source_state }          # a party stands for its country
             OPTIONAL { ?source_side rdfs:label ?source_country }
             OPTIONAL { ?source_side bkg:iso3 ?source_iso3 }
             OPTIONAL { ?source_side bkg:gwCode ?source_gw } }
  OPTIONAL { ?to bkg:represents ?target_side .
             OPTIONAL { ?target_side bkg:country ?target_state }
             OPTIONAL { ?target_side rdfs:label ?target_country }
             OPTIONAL { ?target_side bkg:iso3 ?target_iso3 }
             OPTIONAL { ?target_side bkg:gwCode ?target_gw } }
  BIND(COALESCE(?source_state, ?source_side) AS ?source_home)
  BIND(COALESCE(?target_state, ?target_side) AS ?target_home)
  FILTER(!BOUND(?source_home) || !BOUND(?target_home) || ?source_home != ?target_home)   # one side: no event
  #UNDIRECTED
  OPTIONAL { ?event bkg:ploverMode ?plover_mode_concept OPTIONAL { ?plover_mode_concept skos:notation ?plover_mode } }
  OPTIONAL { ?meeting bkg:date ?date }
  BIND(STR(?date) AS ?event_date)
  BIND(COALESCE(IF(DATATYPE(?date) = xsd:date, "day", IF(DATATYPE(?date) = xsd:gYearMonth, "month",
                IF(DATATYPE(?date) = xsd:gYear, "year", "none"))), "none") AS ?date_precision)
  #PERIOD
  OPTIONAL { ?meeting bkg:mode ?how }
  BIND(STRAFTER(STR(?how), "#") AS ?mode)
  OPTIONAL { ?meeting bkg:city ?city_place OPTIONAL { ?city_place rdfs:label ?city } }
  OPTIONAL { ?meeting bkg:location ?venue OPTIONAL { ?venue rdfs:label ?location } }
  OPTIONAL { ?event bkg:evidence ?evidence OPTIONAL { ?evidence bkg:quote ?sentence }
             OPTIONAL { ?evidence bkg:source ?report OPTIONAL { ?report bkg:sourceFile ?source_file } } }
  OPTIONAL { ?meeting bkg:reportCount ?n_reports }
  BIND(SUBSTR(SHA1(CONCAT(STR(?meeting), " ", ?cameo_code, " ", STR(?source), " ", STR(?target))), 1, 16) AS ?event_id)
}
"""

_UNDIRECTED = """FILTER(?source_role = bkg:Guest || (!BOUND(?source_role) && STR(?source) < STR(?target)))   # --undirected"""

_PERIOD = """BIND(IF(?date_precision = "day", ?event_date, IF(?date_precision = "month", CONCAT(?event_date, "-01"),
       IF(?date_precision = "year", CONCAT(?event_date, "-01-01"), ""))) AS ?starts)
  BIND(IF(?date_precision = "day", ?event_date, IF(?date_precision = "month", CONCAT(?event_date, "-31"),
       IF(?date_precision = "year", CONCAT(?event_date, "-12-31"), ""))) AS ?ends)
  FILTER(?starts != "" && ?ends >= "{start}" && ?starts <= "{end}")   # --from, --to"""

_DYAD_YEARS = PREFIXES + """SELECT ?year ?country_a ?iso3_a ?gw_a ?country_b ?iso3_b ?gw_b ?mode
       (COUNT(DISTINCT ?meeting) AS ?meetings)
WHERE {
  ?meeting a bkg:Meeting ; bkg:date ?date ; bkg:side ?a, ?b .
  ?a rdfs:label ?country_a . ?b rdfs:label ?country_b .
  FILTER(STR(?a) < STR(?b) && DATATYPE(?date) != xsd:gMonthDay)      # an unordered pair; a year known
  BIND(xsd:integer(SUBSTR(STR(?date), 1, 4)) AS ?year)
  #PERIOD
  OPTIONAL { ?a bkg:iso3 ?iso3_a } OPTIONAL { ?a bkg:gwCode ?gw_a }
  OPTIONAL { ?b bkg:iso3 ?iso3_b } OPTIONAL { ?b bkg:gwCode ?gw_b }
  OPTIONAL { ?meeting bkg:mode ?how }
  BIND(STRAFTER(STR(?how), "#") AS ?mode)
}
GROUP BY ?year ?country_a ?iso3_a ?gw_a ?country_b ?iso3_b ?gw_b ?mode
ORDER BY ?year ?country_a ?country_b ?mode
"""

_DYAD_PERIOD = """BIND(STR(?date) AS ?lexical)
  BIND(IF(DATATYPE(?date) = xsd:date, ?lexical, IF(DATATYPE(?date) = xsd:gYearMonth, CONCAT(?lexical, "-01"),
       CONCAT(?lexical, "-01-01"))) AS ?starts)
  BIND(IF(DATATYPE(?date) = xsd:date, ?lexical, IF(DATATYPE(?date) = xsd:gYearMonth, CONCAT(?lexical, "-31"),
       CONCAT(?lexical, "-12-31"))) AS ?ends)
  FILTER(?ends >= "{start}" && ?starts <= "{end}")   # --from, --to"""


@dataclass(frozen=True)
class Period:
    """The days a table keeps: a row is kept when its date (as precise as known) may fall within them;
    a row without a year is left out once a bound is given."""

    start: str = "0000-01-01"
    end: str = "9999-12-31"

    @classmethod
    def parse(cls, start: str | None, end: str | None) -> Period | None:
        if start is None and end is None:
            return None
        return cls(_bound(start, first=True) if start else cls.start, _bound(end, first=False) if end else cls.end)


def _bound(text: str, first: bool) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD as the first (or last) day it names."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
    try:
        if not m:
            raise ValueError
        year, month, day = int(m.group(1)), int(m.group(2) or (1 if first else 12)), m.group(3)
        if day is None:
            day_n = 1 if first else ((dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day)
        else:
            day_n = int(day)
        return dt.date(year, month, day_n).isoformat()
    except ValueError:
        raise InputError(f"{text!r} is no date: give YYYY, YYYY-MM or YYYY-MM-DD") from None


def events_query(undirected: bool = False, period: Period | None = None) -> str:
    """The SELECT whose rows are the event table (see the module's docstring)."""
    query = _EVENTS.replace("  #UNDIRECTED\n", f"  {_UNDIRECTED}\n" if undirected else "")
    return query.replace("  #PERIOD\n", f"  {_PERIOD.format(start=period.start, end=period.end)}\n" if period else "")


def dyad_years_query(period: Period | None = None) -> str:
    """The SELECT whose rows are meetings per unordered pair of sides, year and mode."""
    return _DYAD_YEARS.replace("  #PERIOD\n", f"  {_DYAD_PERIOD.format(start=period.start, end=period.end)}\n"
                               if period else "")


INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def _value(term) -> str | int | None:
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value == INTEGER:
        try:
            return int(term.value)
        except ValueError:
            return term.value
    return term.value


def rows(store: ox.Store, query: str) -> Iterator[dict[str, str | int | None]]:
    """The query's solutions as plain values (integers as int), as they come."""
    results = store.query(query, **dataset(store))
    names = [v.value for v in results.variables]
    for solution in results:
        yield {n: _value(solution[n]) for n in names}


def write_table(store: ox.Store, query: str, out: BinaryIO, fmt: str) -> None:
    """The query's rows to `out` as they come: CSV (RFC 4180, Oxigraph's own writer: a header line,
    quotes where a value needs them, CRLF), TSV (Python's csv, tab-separated, LF) or JSON lines."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    if fmt == "csv":
        store.query(query, **dataset(store)).serialize(out, format=ox.QueryResultsFormat.CSV)
        return
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        results = store.query(query, **dataset(store))
        names = [v.value for v in results.variables]
        if fmt == "tsv":
            writer = csv.writer(text, delimiter="\t", lineterminator="\n")
            writer.writerow(names)
            for solution in results:
                writer.writerow(["" if (t := solution[n]) is None else t.value for n in names])
        else:
            for solution in results:
                text.write(json.dumps({n: _value(solution[n]) for n in names}, ensure_ascii=False) + "\n")
        text.flush()
    finally:
        text.detach()
