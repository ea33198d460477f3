"""A deterministic corpus of N news reports about bilateral meetings, with its gold annotation.

    python bench/corpus.py OUT_DIR --reports 1000

Reports recombine the forms of the seeds and of the project's corpus (held talks, met with,
received, phone and video calls, "X and Y held talks", a courtesy call), with the people,
countries, capitals, venues and outlets of the gazetteers, invented names found through their
titles, datelines with and without weekdays, filler paragraphs, reprints of an earlier meeting
by another outlet (one meeting, two reports), attendees, signed documents and negatives (a
planned meeting, an opinion piece). A fixed random seed: the same N gives the same files, and
`OUT_DIR/gold.json` has the shape of tests/gold/*.json, so `kg eval` scores a build of it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.gazetteer import build_gazetteer  # noqa: E402
from kg.mappings import load_mappings  # noqa: E402

TITLES = ["President", "Prime Minister", "Foreign Minister", "Vice President", "Minister of Trade"]
FIRST = ["Amara", "Tomas", "Leila", "Kofi", "Ines", "Rahul", "Mei", "Jonas", "Farida", "Pablo", "Sione", "Anika",
         "Yusuf", "Elena", "Chidi", "Marta", "Kenji", "Nadia", "Oskar", "Thandiwe"]
LAST = ["Okonjo", "Varga", "Haddad", "Mensah", "Castillo", "Mehra", "Lindqvist", "Tanaka", "Sorensen", "Abara",
        "Moreau", "Petrov", "Kamara", "Rossi", "Novak", "Banda", "Salazar", "Ivanova", "Okafor", "Duarte"]
FILLER = [
    "Trade between {A} and {B} reached {n} billion dollars last year, according to official figures.",
    "Analysts said the visit reflected growing cooperation in energy, infrastructure and agriculture.",
    "The two governments have signed more than {n} cooperation documents since relations were established.",
    "Officials said the discussions covered investment, education and people-to-people exchanges.",
    "{A} is one of the largest investors in {B}, with projects in ports, railways and power plants.",
    "Observers noted that the talks came amid rising commodity prices and concerns over food security.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
FORMS = [  # (sentence, kind, mode, roles): {H} host, {G} guest, with demonym and title before each
    ("{dh} {th} {H} held talks with {dg} {tg} {G} in {city} {when}.", "talks", "in-person", True),
    ("{dh} {th} {H} met with {dg} {tg} {G} at {venue} {when}.", "meeting", "in-person", True),
    ("{dh} {th} {H} received {dg} {tg} {G} in {city} {when}.", "meeting", "in-person", True),
    ("{dh} {th} {H} spoke by phone with {dg} {tg} {G} {when}.", "call", "phone", False),
    ("{dh} {th} {H} held a video call with {dg} {tg} {G} {when}.", "call", "video", False),
    ("{dh} {th} {H} and {dg} {tg} {G} held talks in {city} {when}.", "talks", "in-person", False),
]


class Generator:
    def __init__(self, seed: int = 20261122) -> None:
        self.rng = random.Random(seed)
        gaz = build_gazetteer(load_mappings(None))
        self.countries = {code: c for code, c in gaz.countries.items()
                          if len(code) == 2 and c.demonyms and any(p.country == code and p.type == "city"
                                                                   for p in gaz.places.values())}
        self.cities = {code: sorted((p for p in gaz.places.values() if p.country == code and p.type == "city"),
                                    key=lambda p: p.key) for code in self.countries}
        self.venues = {code: sorted((p for p in gaz.places.values() if p.country == code and p.type == "venue"),
                                    key=lambda p: p.key) for code in self.countries}
        self.known = {code: sorted((p for p in gaz.persons.values() if p.country == code), key=lambda p: p.key)
                      for code in self.countries}
        self.codes = sorted(self.countries)
        self.outlets = sorted(o for o in gaz.outlets if " " not in o and o.isascii())[:12] or ["Xinhua"]

    def person(self, code: str) -> tuple[str, str]:
        """A name and title: a person the gazetteer knows, or an invented one found by the title."""
        people = self.known[code]
        if people and self.rng.random() < 0.7:
            return self.rng.choice(people).name, self.rng.choice(TITLES)
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}", self.rng.choice(TITLES)

    def report(self, n: int, earlier: list[dict]) -> tuple[str, dict | None, str]:
        rng = self.rng
        name = f"r{n:07d}.txt"
        if earlier and rng.random() < 0.1:                      # another outlet reports an earlier meeting
            meeting = rng.choice(earlier)
            text = self._text(meeting, rng.choice(self.outlets))
            meeting["reported_in"].append(name)
            return name, None, text
        if rng.random() < 0.05:                                 # a negative: a meeting only planned
            a, b = rng.sample(self.codes, 2)
            (h, _), (g, _) = self.person(a), self.person(b)
            text = (f"Talks expected between {self.countries[a].label} and {self.countries[b].label}\n\n"
                    f"{h} is expected to meet {g} later this year, officials said.\n\n"
                    + " ".join(rng.choice(FILLER).format(A=self.countries[a].label, B=self.countries[b].label,
                                                         n=rng.randint(2, 90)) for _ in range(3)) + "\n")
            return name, None, text
        a, b = rng.sample(self.codes, 2)
        (host, th), (guest, tg) = self.person(a), self.person(b)
        if host == guest:
            guest = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        form, kind, mode, roles = rng.choice(FORMS)
        day = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(26 * 365))
        city = rng.choice(self.cities[a])
        venue = rng.choice(self.venues[a]) if self.venues[a] and "{venue}" in form else None
        if "{venue}" in form and venue is None:
            form, kind, mode, roles = FORMS[0]
        meeting = {
            "id": f"m{n}", "kind": kind, "mode": mode, "date": day.isoformat(),
            "location": venue.label if venue else None,
            "city": city.label if "{city}" in form or venue else None,
            "countries": [self.countries[a].label, self.countries[b].label],
            "participants": [
                {"name": host, "country": self.countries[a].label, "role": "host" if roles else None, "titles": [th]},
                {"name": guest, "country": self.countries[b].label, "role": "guest" if roles else None,
                 "titles": [tg]}],
            "attendees": [], "reported_in": [name], "evidence": [],
            "_form": form, "_th": th, "_tg": tg, "_a": a, "_b": b, "_venue": venue.label if venue else None,
            "_city": city.label,
        }
        text = self._text(meeting, rng.choice(self.outlets))
        return name, meeting, text

    def _text(self, m: dict, outlet: str) -> str:
        rng = self.rng
        day = dt.date.fromisoformat(m["date"])
        a, b = m["_a"], m["_b"]
        host, guest = m["participants"][0]["name"], m["participants"][1]["name"]
        report_day = day + dt.timedelta(days=rng.choice([0, 0, 1]))
        when = (f"on {WEEKDAYS[day.weekday()]}" if rng.random() < 0.6
                else f"on {MONTH_NAMES[day.month - 1]} {day.day}")
        sentence = m["_form"].format(dh=self.countries[a].demonyms[0], th=m["_th"], H=host,
                                     dg=self.countries[b].demonyms[0], tg=m["_tg"], G=guest,
                                     city=m["_city"], venue=m["_venue"] or m["_city"], when=when)
        m["evidence"].append(sentence)
        dateline = f"{m['_city'].upper()}, {MONTHS[report_day.month - 1]} {report_day.day}, {report_day.year} ({outlet}) -- "
        filler = [rng.choice(FILLER).format(A=self.countries[a].label, B=self.countries[b].label,
                                            n=rng.randint(2, 90)) for _ in range(rng.randint(2, 6))]
        paragraphs = [f"{host.split()[-1]} and {guest.split()[-1]} discuss cooperation", dateline + sentence]
        paragraphs += [" ".join(filler[i:i + 2]) for i in range(0, len(filler), 2)]
        return "\n\n".join(paragraphs) + "\n"


def generate(out: Path, reports: int, seed: int = 20261122) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed)
    meetings: list[dict] = []
    documents = []
    for n in range(reports):
        name, meeting, text = gen.report(n, meetings)
        (out / name).write_text(text, encoding="utf-8")
        documents.append({"file": name, "published": None, "articles": [{"first_line": 1, "publisher": None,
                                                                         "title": text.split("\n", 1)[0]}]})
        if meeting:
            meetings.append(meeting)
    gold = {"corpus": f"bench/corpus.py --reports {reports} (seed {seed})", "documents": documents,
            "meetings": [{k: v for k, v in m.items() if not k.startswith("_")} for m in meetings],
            "joint_statements": [], "agreements": [], "notes": ["generated"]}
    (out / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return gold


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    gold = generate(args.out, args.reports, args.seed)
    print(f"{args.reports} reports, {len(gold['meetings'])} meetings written to {args.out}")
