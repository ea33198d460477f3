from pathlib import Path

import pyoxigraph as ox

BKG = "https://w3id.org/bilateral-kg/ontology#"
ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "bkg.ttl"
EVENT_CODES = ONTOLOGY.parent / "events.ttl"   # the concept scheme of the event codes


def test_every_bkg_term_the_build_uses_is_defined_with_label_and_comment(seeds_store):
    onto = [t for path in (ONTOLOGY, EVENT_CODES) for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    labelled = {t.subject.value for t in onto if t.predicate.value.endswith("#label")}
    commented = {t.subject.value for t in onto if t.predicate.value.endswith("#comment")}
    used = set()
    for q in seeds_store.quads_for_pattern(None, None, None, None):
        for term in (q.predicate, q.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BKG):
                used.add(term.value)
    assert used <= labelled, sorted(used - labelled)
    classes_and_properties = {u for u in used if u[len(BKG)].islower() or u[len(BKG):] in ("Meeting", "Report")}
    assert classes_and_properties <= commented
