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


def test_the_readme_lists_every_added_term_and_each_is_in_the_ontology():
    """The README's table of what the graph adds to the shared vocabulary: each term named there is
    defined, and the event-data terms the build writes are all there."""
    import re
    readme = (ONTOLOGY.parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Vocabulary: the contract's terms, and what this graph adds", 1)[1].split("\n#", 1)[0]
    listed = {m for row in section.splitlines() if row.startswith("| `bkg:")
              for m in re.findall(r"`bkg:(\w+)`", row.split(" | ")[0])}
    defined = {t.subject.value[len(BKG):] for t in ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
               if t.subject.value.startswith(BKG)}
    assert listed <= defined, sorted(listed - defined)
    assert {"CodedEvent", "event", "cameo", "ploverType", "ploverMode", "sourceRole", "reportCount", "iso3",
            "gwCode"} <= listed
