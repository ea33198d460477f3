"""Pictures of who met whom, and when, as standalone SVG (no script, no font or file from elsewhere).

``network_svg``: countries as nodes (area by meetings), meetings as edges (width by count), laid
out by networkx's force-directed layout with a fixed seed (the same graph gives the same picture).
``timeline_svg``: one country's meetings over time, a row per partner, the mark's shape by mode.
Both take the rows of their query (``network_queries``, ``timeline_query``) as plain values, so
``kg plot`` (from a store) and ``kg serve`` (from its workers) draw the same; every text from a
document is escaped, and every mark links where ``link`` says (a resource page, a meeting's IRI).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Callable, Iterable
from xml.sax.saxutils import escape, quoteattr

from kg.errors import InputError
from kg.export import PREFIXES, Period

Row = dict[str, "str | int | None"]
Link = Callable[[str], str]

MODE_LABEL = {"InPerson": "in person", "Video": "video", "Phone": "phone", "": "mode not told"}
FONT = "font-family=\"DejaVu Sans, Verdana, sans-serif\""

_PERIOD = """OPTIONAL { ?m bkg:date ?date }
  BIND(STR(?date) AS ?lexical)
  BIND(IF(DATATYPE(?date) = xsd:date, ?lexical, IF(DATATYPE(?date) = xsd:gYearMonth, CONCAT(?lexical, "-01"),
       IF(DATATYPE(?date) = xsd:gYear, CONCAT(?lexical, "-01-01"), ""))) AS ?starts)
  BIND(IF(DATATYPE(?date) = xsd:date, ?lexical, IF(DATATYPE(?date) = xsd:gYearMonth, CONCAT(?lexical, "-31"),
       IF(DATATYPE(?date) = xsd:gYear, CONCAT(?lexical, "-12-31"), ""))) AS ?ends)
  FILTER(?starts != "" && ?ends >= "{start}" && ?starts <= "{end}")"""


def _period(period: Period | None) -> str:
    return _PERIOD.replace("{start}", period.start).replace("{end}", period.end) if period else ""


def countries_query() -> str:
    """Every side of a meeting with its label and codes: what --country may name."""
    return PREFIXES + """SELECT DISTINCT ?country ?label ?code ?iso3 WHERE {
  ?m a bkg:Meeting ; bkg:side ?country . ?country rdfs:label ?label .
  OPTIONAL { ?country bkg:code ?code } OPTIONAL { ?country bkg:iso3 ?iso3 }
} ORDER BY ?label"""


def network_queries(period: Period | None = None, country: str | None = None) -> tuple[str, str]:
    """The pairs (a, b, meetings) and the countries (country, label, meetings) of the network; with a
    country, only its meetings."""
    only = f"?m bkg:side <{country}> ." if country else ""
    pairs = PREFIXES + f"""SELECT ?a ?b (COUNT(DISTINCT ?m) AS ?meetings) WHERE {{
  ?m a bkg:Meeting ; bkg:side ?a, ?b . FILTER(STR(?a) < STR(?b)) {only}
  {_period(period)}
}} GROUP BY ?a ?b ORDER BY ?a ?b"""
    nodes = PREFIXES + f"""SELECT ?country ?label (COUNT(DISTINCT ?m) AS ?meetings) WHERE {{
  ?m a bkg:Meeting ; bkg:side ?country, ?other . FILTER(?country != ?other) {only}
  ?country rdfs:label ?label .
  {_period(period)}
}} GROUP BY ?country ?label ORDER BY ?country"""
    return pairs, nodes


def timeline_query(country: str, partner: str | None = None) -> str:
    """One row per meeting of `country` (with `partner`): date, mode, the partner, participants, a sentence."""
    pair = f"FILTER(?partner = <{partner}>)" if partner else ""
    return PREFIXES + f"""SELECT ?m ?date ?mode ?partner ?partner_label
       (GROUP_CONCAT(DISTINCT ?name; separator=", ") AS ?participants) (MIN(?quote) AS ?sentence) WHERE {{
  ?m a bkg:Meeting ; bkg:side <{country}>, ?partner . FILTER(?partner != <{country}>) {pair}
  ?partner rdfs:label ?partner_label .
  OPTIONAL {{ ?m bkg:date ?date }}
  OPTIONAL {{ ?m bkg:mode ?how }} BIND(STRAFTER(STR(?how), "#") AS ?mode)
  OPTIONAL {{ ?m bkg:participant/rdfs:label ?name }}
  OPTIONAL {{ ?m bkg:evidence ?ev . ?ev bkg:supports bkg:participant ; bkg:quote ?quote }}
}} GROUP BY ?m ?date ?mode ?partner ?partner_label ORDER BY ?date ?m"""


def _text(x: float, y: float, body: str, size: int = 12, anchor: str = "start", weight: str = "normal",
          halo: bool = False) -> str:
    outline = ' stroke="#fff" stroke-width="3" paint-order="stroke" stroke-linejoin="round"' if halo else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'{FONT} fill="#222"{outline}>{escape(body)}</text>')


def _svg(width: int, height: int, title: str, body: Iterable[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">'
            f'<title>{escape(title)}</title><rect width="100%" height="100%" fill="#fff"/>'
            + "".join(body) + "</svg>\n")


def _a(href: str, inner: str) -> str:
    return f'<a href={quoteattr(href)} xlink:href={quoteattr(href)}>{inner}</a>'


def network_svg(pairs: list[Row], nodes: list[Row], link: Link, pair_link: Callable[[str, str], str] | None = None,
                title: str = "Who met whom", width: int = 960, height: int = 720) -> str:
    """Countries as nodes (area by meetings), pairs as edges (width by meetings)."""
    import networkx as nx

    label = {str(n["country"]): str(n["label"]) for n in nodes}
    size = {str(n["country"]): int(n["meetings"] or 0) for n in nodes}
    graph = nx.Graph()
    graph.add_nodes_from(sorted(label))
    for p in pairs:
        a, b = str(p["a"]), str(p["b"])
        if a in label and b in label:
            graph.add_edge(a, b, weight=int(p["meetings"] or 0))
    if not graph:
        return _svg(width, 120, title, [_text(20, 60, "No meetings match.", 16)])
    k = 2.2 / math.sqrt(max(len(graph), 1))
    pos = nx.spring_layout(graph, weight="weight", seed=20261207, k=k, iterations=200) if len(graph) > 1 \
        else {next(iter(graph)): (0.0, 0.0)}
    margin = 90
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def at(node: str) -> tuple[float, float]:
        x, y = pos[node]
        return (margin + (x - min(xs)) / span_x * (width - 2 * margin),
                margin + 20 + (y - min(ys)) / span_y * (height - 2 * margin - 20))

    top = max(size.values() or [1]) or 1
    heaviest = max((d["weight"] for _, _, d in graph.edges(data=True)), default=1) or 1
    out = [_text(16, 28, title, 18, weight="bold"),
           _text(16, 46, f"{len(graph)} countries, {graph.size()} pairs, {sum(d['weight'] for *_, d in graph.edges(data=True))} "
                 "meetings (node area and line width by meetings)", 12)]
    for a, b, d in sorted(graph.edges(data=True)):
        (x1, y1), (x2, y2) = at(a), at(b)
        w = 1 + 9 * d["weight"] / heaviest
        line = (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#7a8fb3" '
                f'stroke-opacity="0.7" stroke-width="{w:.1f}" stroke-linecap="round" class="pair">'
                f'<title>{escape(label[a])} – {escape(label[b])}: {d["weight"]} meeting{"s" * (d["weight"] != 1)}'
                f'</title></line>')
        out.append(_a(pair_link(a, b), line) if pair_link else line)
    for node in sorted(graph, key=lambda n: -size.get(n, 0)):
        x, y = at(node)
        r = 5 + 25 * math.sqrt(size.get(node, 0) / top)
        mark = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#d9822b" fill-opacity="0.85" stroke="#8a4b0f" '
                f'class="country"><title>{escape(label[node])}: {size.get(node, 0)} meeting'
                f'{"s" * (size.get(node, 0) != 1)}</title></circle>')
        out.append(_a(link(node), mark + _text(x, y - r - 4, label[node], 13, "middle", "bold", halo=True)))
    return _svg(width, height, title, out)


@dataclass(frozen=True)
class _Mark:
    iri: str
    day: dt.date
    precise: bool
    mode: str
    partner: str
    text: str


def _day(lexical: str | None) -> tuple[dt.date, bool] | None:
    """A date's first day and whether the day is known; None without a year."""
    if not lexical or lexical.startswith("--"):
        return None
    parts = [int(p) for p in lexical.split("-")]
    try:     # a month or a year is drawn at its middle
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 1 if len(parts) == 1
                       else 15), len(parts) == 3
    except (ValueError, IndexError):
        return None


def _shape(mode: str, x: float, y: float, filled: bool) -> str:
    fill = {"InPerson": "#2f6db5", "Video": "#2a9d5b", "Phone": "#c0392b"}.get(mode, "#777")
    paint = f'fill="{fill if filled else "#fff"}" stroke="{fill}" stroke-width="2"'
    if mode == "Video":
        return f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" {paint}/>'
    if mode == "Phone":
        return f'<polygon points="{x:.1f},{y - 7:.1f} {x + 7:.1f},{y + 6:.1f} {x - 7:.1f},{y + 6:.1f}" {paint}/>'
    if mode == "InPerson":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6.5" {paint}/>'
    return f'<polygon points="{x:.1f},{y - 7:.1f} {x + 7:.1f},{y:.1f} {x:.1f},{y + 7:.1f} {x - 7:.1f},{y:.1f}" {paint}/>'


def timeline_svg(rows: list[Row], link: Link, country_label: str, width: int = 960) -> str:
    """Meetings over time, a row per partner; shape by mode; hollow where only month or year is known."""
    marks, undated = [], 0
    for r in rows:
        day = _day(str(r["date"]) if r.get("date") is not None else None)
        if day is None:
            undated += 1
            continue
        mode = str(r.get("mode") or "")
        text = " · ".join(str(x) for x in (r.get("date"), MODE_LABEL.get(mode, mode), r.get("participants"),
                                           r.get("sentence")) if x)
        marks.append(_Mark(str(r["m"]), day[0], day[1], mode, str(r["partner_label"]), text))
    title = f"Meetings of {country_label}"
    if not marks:
        return _svg(width, 120, title, [_text(20, 40, title, 18, weight="bold"),
                                        _text(20, 70, f"No dated meetings ({undated} without a year).", 14)])
    partners = sorted({m.partner for m in marks}, key=lambda p: (-sum(m.partner == p for m in marks), p))
    left, right, top, row_h = 190, 30, 90, 40
    height = top + row_h * len(partners) + 60
    first, last = min(m.day for m in marks), max(m.day for m in marks)
    start, end = dt.date(first.year, 1, 1), dt.date(last.year + 1, 1, 1)
    days = (end - start).days or 1

    def x_of(day: dt.date) -> float:
        return left + (day - start).days / days * (width - left - right)

    out = [_text(16, 28, title, 18, weight="bold"),
           _text(16, 48, f"{len(marks)} dated meetings with {len(partners)} partners"
                 + (f"; {undated} without a year not shown" if undated else ""), 12)]
    legend_x = 16
    for mode in ("InPerson", "Video", "Phone", ""):
        out.append(_shape(mode, legend_x + 7, 68, True) + _text(legend_x + 18, 72, MODE_LABEL[mode], 11))
        legend_x += 120
    out.append(_shape("InPerson", legend_x + 7, 68, False) + _text(legend_x + 18, 72, "only month or year known", 11))
    years = list(range(start.year, end.year + 1))
    step = max(1, math.ceil(len(years) / 12))
    for year in years[::step]:
        x = x_of(dt.date(year, 1, 1))
        out.append(f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 40}" stroke="#ddd"/>')
        out.append(_text(x, height - 22, str(year), 11, "middle"))
    for i, partner in enumerate(partners):
        y = top + row_h * i + row_h / 2
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(_text(left - 10, y + 4, partner, 12, "end"))
        placed: list[float] = []
        for m in sorted((m for m in marks if m.partner == partner), key=lambda m: (m.day, m.iri)):
            x = x_of(m.day)
            near = sum(abs(x - other) < 10 for other in placed)      # meetings of one day stack up and down
            placed.append(x)
            dy = (near + 1) // 2 * 9 * (1 if near % 2 else -1)
            mark = f'<g class="meeting">{_shape(m.mode, x, y + dy, m.precise)}<title>{escape(m.text)}</title></g>'
            out.append(_a(link(m.iri), mark))
    return _svg(width, height, title, out)


def find_country(countries: list[Row], name: str) -> Row:
    """The side a user names by its code (CN, GB-NIR), ISO3 code (CHN) or label (China), any case."""
    wanted = name.strip().casefold()
    for c in countries:
        if wanted in {str(c.get(k) or "").casefold() for k in ("code", "iso3", "label")}:
            return c
    known = ", ".join(f"{c['code']} ({c['label']})" for c in countries[:12])
    raise InputError(f"no meeting of the graph has a side named {name!r}; sides are named by code, ISO3 code or "
                     f"label, e.g. {known}" + (" ..." if len(countries) > 12 else ""))
