"""Stage 5a', event codes: each meeting's CAMEO code and PLOVER type and mode, as dyadic event data
codes it, decided from what coreference knows of the meeting (mode, roles, venue, sides, documents
signed) by the crosswalk in ``mappings/events.yaml``; and the state codes (ISO 3166 alpha-3,
Gleditsch-Ward) of the countries, from country_converter.

The codes are concepts of the SKOS scheme in ``ontology/events.ttl``; the crosswalk names them by
notation, and loading it checks that each one is there. kg.triples only writes what is decided here.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import pyoxigraph as ox

from kg.errors import RuleError
from kg.mappings import Mappings, line_of

if TYPE_CHECKING:
    from kg.coreference import Meeting
    from kg.gazetteer import Gazetteer

BKG = "https://w3id.org/bilateral-kg/ontology#"
SCHEME = Path(__file__).resolve().parent.parent / "ontology" / "events.ttl"


@dataclass(frozen=True)
class EventCode:
    """One coded event of a meeting. Its directed rows go from each principal in the `source` role
    (from every principal when None) to each principal of the other side."""

    rule: str                 # the crosswalk entry that decided it, e.g. "event.visit"
    cameo: str                # the CAMEO notation, e.g. "042"
    plover: str               # the PLOVER event type, e.g. "CONSULT"
    plover_mode: str | None   # the PLOVER mode, e.g. "visit"
    source: str | None        # "Host" or "Guest": the role of the source actor

    @property
    def concepts(self) -> tuple[str, str, str | None]:
        """The IRIs of its CAMEO, PLOVER type and PLOVER mode concepts."""
        return (concept_iri("cameo", self.cameo), concept_iri("plover", self.plover),
                concept_iri("mode", self.plover_mode) if self.plover_mode else None)


def concept_iri(family: str, notation: str) -> str:
    prefix = {"cameo": "CAMEO_", "plover": "PLOVER_", "mode": "PLOVERMode_"}[family]
    return f"{BKG}{prefix}{notation}"


@dataclass(frozen=True)
class Entry:
    id: str
    description: str
    when: dict
    codes: tuple[EventCode, ...]


@dataclass(frozen=True)
class Crosswalk:
    consult: tuple[Entry, ...]     # the first that holds gives the meeting's codes
    also: tuple[Entry, ...]        # each that holds adds its codes
    file: str                      # the mapping file, as the graph names it ("mappings/events.yaml")
    scheme: tuple[ox.Triple, ...]  # the concept scheme, written into the graph

    def entry(self, rule_id: str) -> Entry:
        return next(e for e in self.consult + self.also if e.id == rule_id)


def load_crosswalk(mappings: Mappings, scheme: Path = SCHEME) -> Crosswalk:
    """The crosswalk of the mappings folder, each code checked against the concept scheme."""
    files = mappings.of_kind("events")
    if len(files) != 1:
        raise RuleError(f"{mappings.root}: expected one mapping file of kind 'events' (the event-code crosswalk), "
                        f"found {len(files)}")
    f = files[0]
    try:
        triples = tuple(ox.parse(path=str(scheme), format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError) as exc:
        raise RuleError(f"{scheme}: cannot read the event-code scheme: {exc}") from None
    known = {t.subject.value for t in triples
             if t.predicate.value == "http://www.w3.org/2004/02/skos/core#notation"}
    groups: dict[str, tuple[Entry, ...]] = {}
    for group in ("consult", "also"):
        entries = []
        for i, e in enumerate(f.data.get(group) or []):
            codes = []
            for j, c in enumerate(e["codes"]):
                code = EventCode(e["id"], c["cameo"], c["plover"], c.get("mode"), c.get("source"))
                for family, key in (("cameo", "cameo"), ("plover", "plover"), ("mode", "mode")):
                    if key in c and concept_iri(family, c[key]) not in known:
                        where = f"{f.path}:{line_of(f, [group, i, 'codes', j, key])}"
                        raise RuleError(f"{where}, rule {e['id']}: {key} {c[key]!r} is no concept of {scheme.name} "
                                        f"(expected <{concept_iri(family, c[key])}> with a skos:notation)")
                codes.append(code)
            entries.append(Entry(e["id"], e.get("description", ""), e["when"], tuple(codes)))
        groups[group] = tuple(entries)
    ids = [e.id for e in groups["consult"] + groups["also"]]
    if len(set(ids)) != len(ids):
        raise RuleError(f"{f.path}: duplicate entry id {sorted({i for i in ids if ids.count(i) > 1})[0]!r}")
    return Crosswalk(groups["consult"], groups["also"], f"mappings/{f.path.name}", triples)


@dataclass(frozen=True)
class Situation:
    """What the crosswalk's conditions read of a meeting."""

    mode: str | None
    roles: frozenset[str]
    third_country: bool
    signed: bool


def situation(meeting: Meeting, gazetteer: Gazetteer) -> Situation:
    sides = {_state_of(c, gazetteer) for c in meeting.sides()}
    venue = _venue_country(meeting, gazetteer)
    third = venue is not None and len(sides) >= 2 and _state_of(venue, gazetteer) not in sides
    return Situation(meeting.mode(), frozenset(r for r in meeting.roles().values() if r), third,
                     any(f.agreements for f in meeting.facts))


def _venue_country(meeting: Meeting, gazetteer: Gazetteer) -> str | None:
    """The country of where the meeting took place: its venue's, else its city's."""
    for key in (meeting.location(), meeting.city()):
        if key is None:
            continue
        if key.startswith("country:"):
            return key.split(":", 1)[1]
        place = gazetteer.places.get(key)
        if place is not None and place.country:
            return place.country
    return None


def _state_of(code: str, gazetteer: Gazetteer) -> str:
    """A sub-national side stands for the state it is part of (Northern Ireland for the UK)."""
    seen = set()
    while code in gazetteer.countries and gazetteer.countries[code].parent and code not in seen:
        seen.add(code)
        code = gazetteer.countries[code].parent  # type: ignore[assignment]
    return code


def holds(when: dict, s: Situation) -> bool:
    if "mode" in when and s.mode not in when["mode"]:
        return False
    if "roles" in when and not set(when["roles"]) <= s.roles:
        return False
    if when.get("venue") == "third-country" and not s.third_country:
        return False
    if "signed" in when and when["signed"] != s.signed:
        return False
    return True


def code_meeting(meeting: Meeting, crosswalk: Crosswalk, gazetteer: Gazetteer) -> tuple[EventCode, ...]:
    return code_meeting_situation(situation(meeting, gazetteer), crosswalk)


def code_meeting_situation(s: Situation, crosswalk: Crosswalk) -> tuple[EventCode, ...]:
    """The codes of a meeting in this situation: the first `consult` entry that holds, every `also` one."""
    first = next((e for e in crosswalk.consult if holds(e.when, s)), None)
    chosen = ([first] if first else []) + [e for e in crosswalk.also if holds(e.when, s)]
    return tuple(c for e in chosen for c in e.codes)


def code_meetings(meetings: Iterable[Meeting], crosswalk: Crosswalk, gazetteer: Gazetteer) -> None:
    """Give every meeting its event codes (Meeting.events), for kg.triples to write."""
    for m in meetings:
        m.events = code_meeting(m, crosswalk, gazetteer)


@functools.lru_cache(maxsize=None)
def _converter():
    import country_converter   # pandas and its tables: loaded once, and only when a country is written
    return country_converter.CountryConverter()


@functools.lru_cache(maxsize=None)
def state_codes(alpha2: str) -> tuple[str, int | None] | None:
    """(ISO 3166-1 alpha-3, Gleditsch-Ward number) of a state by its ISO 3166-1 alpha-2 code, from
    country_converter; None for what is no state of ISO 3166-1 (the EU, the African Union, Northern
    Ireland), and the alpha-3 with no number where the Gleditsch-Ward list has none."""
    import pycountry
    if len(alpha2) != 2 or pycountry.countries.get(alpha_2=alpha2) is None:
        return None
    cc = _converter()
    iso3 = cc.convert(alpha2, src="ISO2", to="ISO3", not_found=None)
    gw = cc.convert(alpha2, src="ISO2", to="GWcode", not_found=None)
    if not isinstance(iso3, str) or len(iso3) != 3:
        return None
    try:
        number: int | None = int(gw)
    except (TypeError, ValueError):     # NaN: a state the Gleditsch-Ward list does not have
        number = None
    return iso3, number
