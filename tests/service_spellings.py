"""Generated spellings of a SERVICE clause, for the endpoint's SERVICE check.

Every way to write the clause that Oxigraph's parser reads: the keyword's case, SILENT or not
(glued to it too), what stands between the keyword and its target (nothing, spaces, a line
break, a comment ending in CR or LF), the target (an IRI, one with a \\u escape, a prefixed
name, one whose prefix holds a dot, an IRI relative to BASE), and what comes just before it
(a token ending with '.', ';', a comment, a literal or a number glued to the keyword, a prefixed
name ending in '.', a local name with dots as Oxigraph reads them, a '<' that compares in a
FILTER but would open an IRI elsewhere, nested groups, a subquery, EXISTS).

Each spelling is built twice: naming `allowed` and naming `denied` under the same base URL.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

KEYWORDS = ("SERVICE", "service", "SeRvIcE", "sERVICE")
SILENT = ("", " SILENT", "SILENT", " silent\n")
GAPS = ("", " ", "\t", "\n", "\r", "#x\n", "#x\r", " #SERVICE <http://example.org/>\r\n ")
TARGETS = ("iri", "escaped-iri", "pname", "dotted-prefix", "relative")

# A group's text before the clause ({S}); `live` when the clause is evaluated on the seeds (the
# rows before it are not none). {INT_S} {INT_P} {INT}: a triple with an integer object; {LANG_*}:
# one with a language-tagged object; the rule prefix r: names a rule whose local name holds a dot.
CONTEXTS = {
    "space": ("?s ?p ?o {S}", True),
    "dot": ("?s ?p ?o.{S}", True),
    "spaced dot": ("?s ?p ?o .{S}", True),
    "semicolon": ("?s ?p ?o;{S}", True),
    "comment lf": ("?s ?p ?o #c\n{S}", True),
    "comment cr": ("?s ?p ?o #c\r{S}", True),
    "group": ("{ ?s ?p ?o }{S}", True),
    "optional": ("?s ?p ?o OPTIONAL{?s ?p ?o}{S}", True),
    "filter": ("?s ?p ?o FILTER(true){S}", True),
    "bind": ("?s ?p ?o BIND(1 AS ?z){S}", True),
    "values": ("VALUES ?z { 1 }{S}", True),
    "integer glued": ("{INT_S} {INT_P} {INT}{S}", True),
    "language tag": ('{LANG_S} {LANG_P} {LANG} {S}', True),
    "prefixed name ending in a dot": ("?s a m:.{S}", True),
    "local name with dots": ("?e <http://www.w3.org/ns/prov#wasGeneratedBy> r:{RULE}.{S}", True),
    "string with a quote": ('?s ?p ?o FILTER(?o != "a\\"b"){S}', True),
    "long string": ("?s ?p ?o FILTER(?o != '''a'b''c'''){S}", True),
    "escaped local name": ("?s ?p ?o FILTER(?o != r:x\\#y){S}", True),
    "nested": ("{ { ?s ?p ?o {S} } }", True),
    "subquery": ("{ SELECT * WHERE { ?s ?p ?o {S} } }", True),
    "graph": ("GRAPH ?g { ?s ?p ?o {S} }", True),
    # the first branch gives no row: with the server's row cap, rows of a first branch that gave
    # some could end the answer before the SERVICE branch is evaluated at all
    "union": ("{ ?s ?p ?o FILTER(false) } UNION { {S} }", True),
    "exists": ("?s ?p ?o FILTER(EXISTS{{S}})", True),
    "compare or iri": ("?s ?p ?o FILTER(?o<'x'||'a>'!=EXISTS{{S}})", True),
}


@dataclass(frozen=True)
class Spelling:
    name: str
    live: bool
    allowed: str
    denied: str


def _clause(keyword: str, silent: str, gap: str, target: str, path: str, url: str) -> str:
    written = {"iri": f"<{url}/{path}>", "escaped-iri": f"<{url}/\\u{ord(path[0]):04X}{path[1:]}>",
               "pname": f"lst:{path}", "dotted-prefix": f"lst.v1:{path}", "relative": f"<{path}>"}[target]
    return f"{keyword}{silent}{gap}{written}{{ ?x ?y ?z }}"


def _query(context: str, clause: str, url: str, data: dict, target: str) -> str:
    prologue = (f"PREFIX lst: <{url}/>\nPREFIX lst.v1: <{url}/>\n"
                "PREFIX m: <https://w3id.org/bilateral-kg/ontology#Meeting>\n"
                "PREFIX r: <https://w3id.org/bilateral-kg/id/rule/>\n")
    if target == "relative":
        prologue += f"BASE <{url}/>\n"
    body = context
    for key, value in data.items():
        body = body.replace("{" + key + "}", value)
    return prologue + "SELECT * WHERE {\n" + body.replace("{S}", clause) + "\n}"


def spellings(url: str, data: dict, every: bool = True) -> list[Spelling]:
    """Every combination, or (every=False) one per context and target, which still holds each
    keyword, SILENT and gap several times."""
    if every:                                           # the keyword's case varies with the rest
        combos = [(c, KEYWORDS[i % len(KEYWORDS)], s, g, t)
                  for i, (c, s, g, t) in enumerate(itertools.product(CONTEXTS, SILENT, GAPS, TARGETS))]
    else:
        combos = [(c, KEYWORDS[(i // 3) % len(KEYWORDS)], SILENT[(i // 4) % len(SILENT)], GAPS[i % len(GAPS)], t)
                  for i, (c, t) in enumerate(itertools.product(CONTEXTS, TARGETS))]
    out = []
    for context, keyword, silent, gap, target in combos:
        if silent == "SILENT" and keyword != "SERVICE":
            keyword = "SERVICE"                             # SERVICESILENT, glued
        text, live = CONTEXTS[context]
        made = {path: _query(text, _clause(keyword, silent, gap, target, path, url), url, data, target)
                for path in ("allowed", "denied")}
        out.append(Spelling(f"{context} / {keyword}{silent!r} {gap!r} {target}", live, made["allowed"], made["denied"]))
    return out
