"""A deterministic synthetic graph in the project's vocabulary, for the endpoint benchmark.

`python bench/graph.py OUT.nq --triples 1000000` writes about that many quads (`--meetings N`: that
many meetings): meetings between principals of two countries, each in its report's named graph,
with participations, evidence, the report and the event codes (kg.events' crosswalk over the
meeting's mode and roles), countries with their ISO3 and Gleditsch-Ward codes, shaped like the
graph `kg build` makes. `--default-graph FILE` also writes the triples as N-Triples, the merge a
build loads into the store's default graph. A fixed random seed: the same arguments give
the same file. As in news, a few countries meet often and most rarely: the sides are drawn from a
Zipf distribution over the countries, so one pair has thousands of meetings and most have few.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

import pycountry

from kg.events import Situation, code_meeting_situation, load_crosswalk, state_codes
from kg.mappings import load_mappings

BKG = "https://w3id.org/bilateral-kg/ontology#"
ID = "https://w3id.org/bilateral-kg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
TITLES = ["President", "Prime Minister", "Foreign Minister", "Vice President", "Minister of Trade", "Ambassador"]
FORMS = [("Talks", "held talks with", "InPerson"), ("Meeting", "met with", "InPerson"),
         ("Call", "had a phone call with", "Phone"), ("Meeting", "held a video meeting with", "Video")]
TRIPLES_PER_MEETING = 47


def _lit(value: str, datatype: str | None = None) -> str:
    text = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"' + (f"^^<{datatype}>" if datatype else "")


def _term(t) -> str:
    return str(t)


def generate(out: Path, triples: int, seed: int = 20261122, default_graph: Path | None = None) -> int:
    rng = random.Random(seed)
    crosswalk = load_crosswalk(load_mappings())
    countries = sorted(c.alpha_2 for c in pycountry.countries)
    names = {c.alpha_2: c.name for c in pycountry.countries}
    people = {}
    for code in countries:
        people[code] = [(f"{code.lower()}-person-{i}", f"Person {i} of {names[code]}", rng.choice(TITLES))
                        for i in range(8)]
    meetings = triples // TRIPLES_PER_MEETING
    order = countries[:]
    rng.shuffle(order)
    weights = [1 / (rank + 1) for rank in range(len(order))]
    written = 0
    merged = default_graph.open("w", encoding="utf-8") if default_graph else None
    with out.open("w", encoding="utf-8") as quads:
        class Both:
            def write(self, line: str) -> None:
                quads.write(line)
                if merged:
                    merged.write(line[:line.rindex(" <")] + " .\n")
        f = Both()
        ref = f"<{ID}graph/reference>"
        for t in crosswalk.scheme:
            f.write(f"{_term(t.subject)} {_term(t.predicate)} {_term(t.object)} {ref} .\n")
            written += 1
        for code in countries:
            f.write(f"<{ID}country/{code}> <{RDF_TYPE}> <{BKG}Country> {ref} .\n")
            f.write(f"<{ID}country/{code}> <{LABEL}> {_lit(names[code])} {ref} .\n")
            written += 2
            codes = state_codes(code)
            if codes:
                f.write(f"<{ID}country/{code}> <{BKG}iso3> {_lit(codes[0])} {ref} .\n")
                written += 1
                if codes[1] is not None:
                    f.write(f"<{ID}country/{code}> <{BKG}gwCode> {_lit(str(codes[1]), XSD + 'integer')} {ref} .\n")
                    written += 1
            for pid, label, _ in people[code]:
                f.write(f"<{ID}person/{pid}> <{RDF_TYPE}> <{BKG}Person> {ref} .\n")
                f.write(f"<{ID}person/{pid}> <{LABEL}> {_lit(label)} {ref} .\n")
                written += 2
        for n in range(meetings):
            a, b = rng.choices(order, weights, k=2)
            while b == a:
                b = rng.choices(order, weights)[0]
            pa, pb = rng.choice(people[a]), rng.choice(people[b])
            date = f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            kind, verb, mode = rng.choice(FORMS)
            report = f"{ID}report/bench_{n:07d}/1"
            g = f"<{report}>"
            m = f"<{ID}meeting/{date}/{pa[0]}/{pb[0]}/{n}>"
            ev = f"<{ID}evidence/bench_{n:07d}/0-120/meeting.met-with>"
            quote = f"{pa[2]} {pa[1]} {verb} {pb[2]} {pb[1]} on {date}."
            rows = [
                (m, RDF_TYPE, f"<{BKG}Meeting>"), (m, RDF_TYPE, f"<{BKG}{kind}>"),
                (m, LABEL, _lit(f"{kind} between {pa[1]} and {pb[1]}")),
                (m, BKG + "date", _lit(date, XSD + "date")), (m, BKG + "mode", f"<{BKG}{mode}>"),
                (m, BKG + "city", f"<{ID}place/capital-of-{a.lower()}>"),
                (m, BKG + "side", f"<{ID}country/{a}>"), (m, BKG + "side", f"<{ID}country/{b}>"),
                (m, BKG + "participant", f"<{ID}person/{pa[0]}>"), (m, BKG + "participant", f"<{ID}person/{pb[0]}>"),
                (m, BKG + "reportedIn", g), (m, BKG + "evidence", ev),
                (m, BKG + "reportCount", _lit("1", XSD + "integer")),
            ]
            for code in code_meeting_situation(Situation(mode, frozenset({"Host", "Guest"}), False, False), crosswalk):
                e = f"<{m[1:-1]}/event/{code.cameo}>"
                cameo, plover, plover_mode = code.concepts
                rows += [(m, BKG + "event", e), (e, RDF_TYPE, f"<{BKG}CodedEvent>"), (e, BKG + "cameo", f"<{cameo}>"),
                         (e, BKG + "ploverType", f"<{plover}>"), (e, BKG + "evidence", ev)]
                if plover_mode:
                    rows.append((e, BKG + "ploverMode", f"<{plover_mode}>"))
                if code.source:
                    rows.append((e, BKG + "sourceRole", f"<{BKG}{code.source}>"))
            for (pid, _, title), side, role in ((pa, a, "Host"), (pb, b, "Guest")):
                p = f"<{m[1:-1]}/{pid}>"
                rows += [(m, BKG + "participation", p), (p, RDF_TYPE, f"<{BKG}Participation>"),
                         (p, BKG + "agent", f"<{ID}person/{pid}>"), (p, BKG + "role", f"<{BKG}{role}>"),
                         (p, BKG + "title", _lit(title)), (p, BKG + "represents", f"<{ID}country/{side}>")]
            rows += [(ev, RDF_TYPE, f"<{BKG}Evidence>"), (ev, BKG + "quote", _lit(quote)), (ev, BKG + "source", g),
                     (ev, BKG + "line", _lit(str(rng.randint(1, 200)), XSD + "integer")),
                     (ev, OA + "start", _lit("0", XSD + "integer")), (ev, OA + "end", _lit("120", XSD + "integer")),
                     (ev, PROV + "wasGeneratedBy", f"<{ID}rule/meeting.met-with>"),
                     (g, RDF_TYPE, f"<{BKG}Report>"), (g, DCT + "title", _lit(f"{pa[1]} {verb} {pb[1]}")),
                     (g, DCT + "date", _lit(date, XSD + "date")),
                     (g, BKG + "sourceFile", _lit(f"bench_{n:07d}.txt"))]
            for s, p, o in rows:
                f.write(f"{s} {p if p.startswith('<') else '<' + p + '>'} {o} {g} .\n")
            written += len(rows)
    if merged:
        merged.close()
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--meetings", type=int, default=None, help="this many meetings (instead of --triples)")
    parser.add_argument("--default-graph", type=Path, default=None, help="also write the triples (N-Triples) here")
    args = parser.parse_args()
    n = args.meetings * TRIPLES_PER_MEETING if args.meetings else args.triples
    print(f"{generate(args.out, n, default_graph=args.default_graph)} quads written to {args.out}")
