"""Read the committed graph back as plain tuples comparable with the hand-checked expectations."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

PREFIXES = """PREFIX pg: <https://w3id.org/plangraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def _num(v: Any) -> Any:
    if v is None:
        return None
    f = float(v)
    return int(f) if f == int(f) else round(f, 6)


def _local(iri: Any) -> Any:
    return None if iri is None else str(iri).rstrip("/").rsplit("/", 1)[-1]


def graph_indicators(store, source: str) -> Counter:
    rows = store.select(PREFIXES + """
SELECT ?no ?part ?cmp ?value ?max ?unit ?per ?year ?concept WHERE {
  ?i a pg:Indicator ; pg:inPlan ?p ; pg:part ?part ; pg:comparator ?cmp .
  ?p pg:sourceFile/pg:fileName ?src .
  OPTIONAL { ?i pg:number ?no } OPTIONAL { ?i pg:targetValue ?value } OPTIONAL { ?i pg:targetValueMax ?max }
  OPTIONAL { ?i pg:unitOfMeasure/skos:prefLabel ?unit FILTER(lang(?unit) = "vi") }
  OPTIONAL { ?i pg:periodicity ?per } OPTIONAL { ?i pg:targetYear ?year } OPTIONAL { ?i pg:concept ?concept }
}""", {"src": _lit(source)}).values()
    return Counter(
        (r.get("no"), r["part"] if r.get("no") else None, _local(r["cmp"]), _num(r.get("value")), _num(r.get("max")),
         r.get("unit"), _local(r.get("per")), r.get("year"), _local(r.get("concept")))
        for r in rows)


def expected_indicators(exp: dict) -> Counter:
    return Counter(
        (e.get("no"), e.get("part", 1) if e.get("no") else None, e["comparator"], _num(e.get("value")), _num(e.get("value_max")),
         e.get("unit"), e.get("periodicity"), e.get("target_year"), e.get("concept"))
        for e in exp["indicators"])


def graph_citations(store, source: str) -> Counter:
    rows = store.select(PREFIXES + """
SELECT ?number ?date ?role ?line WHERE {
  ?c a pg:Citation ; pg:citingDocument ?p ; pg:statedNumber ?number ; pg:citationRole ?role ; pg:source/pg:lineStart ?line .
  ?p pg:sourceFile/pg:fileName ?src .
  OPTIONAL { ?c pg:statedDate ?date }
}""", {"src": _lit(source)}).values()
    return Counter((_norm_number(r["number"]), str(r["date"]) if r.get("date") else None, _local(r["role"]), r["line"]) for r in rows)


def expected_citations(exp: dict) -> Counter:
    return Counter((_norm_number(c["number"]), c.get("date"), c["role"], c["line"]) for c in exp["citations"])


def _norm_number(text: str) -> str:
    from plangraph.docnumber import parse

    n = parse(text)
    return n.identity_text if n else text


def _lit(text: str):
    from rdflib import Literal

    return Literal(text)


def diff(expected: Counter, got: Counter) -> tuple[list, list]:
    return sorted((expected - got).elements(), key=str), sorted((got - expected).elements(), key=str)





def _ind_key(no, value, unit, concept) -> tuple:
    return ("indicator", no, _num(value), unit, concept)


def graph_assignments(store, source: str) -> Counter:
    from plangraph.extract.units import unit_key

    rows = store.select(PREFIXES + """
SELECT ?unit ?role ?kind ?no ?value ?unitm ?concept ?tkind ?line WHERE {
  ?a a pg:Assignment ; pg:assignee/skos:prefLabel ?unit ; pg:responsibilityRole ?role ; pg:assignedTo ?t .
  { ?t a pg:Indicator ; pg:inPlan ?p . BIND("indicator" AS ?kind)
    OPTIONAL { ?t pg:number ?no } OPTIONAL { ?t pg:targetValue ?value } OPTIONAL { ?t pg:concept ?concept }
    OPTIONAL { ?t pg:unitOfMeasure/skos:prefLabel ?unitm FILTER(lang(?unitm) = "vi") } }
  UNION
  { ?t a pg:Task ; pg:inPlan ?p ; pg:taskKind ?tkind ; pg:source/pg:lineStart ?line . BIND("task" AS ?kind) }
  ?p pg:sourceFile/pg:fileName ?src .
}""", {"src": _lit(source)}).values()
    out = Counter()
    for r in rows:
        target = (_ind_key(r.get("no"), r.get("value"), r.get("unitm"), _local(r.get("concept"))) if r["kind"] == "indicator"
                  else ("task", _local(r["tkind"]), r["line"]))
        out[(unit_key(r["unit"]), _local(r["role"]), target)] += 1
    return out


def expected_assignments(exp: dict) -> Counter:
    from plangraph.extract.units import unit_key

    inds = exp["indicators"]
    tasks = exp.get("tasks", [])
    out = Counter()
    for a in exp.get("assignments", []):
        t = a["target"]
        if t["kind"] == "task":
            cands = [x for x in tasks if str(x.get("no")) == str(t.get("no")) and (t.get("line") is None or x["line"] == t["line"])]
            target = ("task", cands[0]["kind"], cands[0]["line"]) if cands else ("task", None, t.get("no"))
        else:
            cands = [e for e in inds if str(e.get("no")) == str(t.get("no")) and e.get("part", 1) == t.get("part", 1)
                     and (t.get("line") is None or e["line"] == t["line"])]
            if not cands and t.get("line") is not None:
                cands = [e for e in inds if e["line"] == t["line"] and e.get("part", 1) == t.get("part", 1)]
            e = cands[0] if cands else {}
            target = _ind_key(e.get("no"), e.get("value"), e.get("unit"), e.get("concept"))
        out[(unit_key(a["unit"]), a["role"], target)] += 1
    return out
