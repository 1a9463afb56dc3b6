"""What a parameter of a given type can be: (value, Vietnamese label) pairs from the store.

The app lists these in its pickers; `params` uses the same candidates (with their match
keys) to turn what a user typed ("Đoàn Kết", "57-NQ/TW", "bao hiem y te") into IRIs.
The queries here are fixed text: nothing the user typed reaches them.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from rdflib import URIRef

from ..store.base import Store, place_values
from ..text import fold, squash

PREFIXES = """PREFIX pg: <https://w3id.org/plangraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

_QUERIES = {
    "ward": """SELECT ?iri ?label ?name ?province WHERE {
  ?plan pg:forUnit ?iri . ?iri skos:prefLabel ?name ; rdfs:label ?label ; pg:province/skos:prefLabel ?province .
  FILTER(lang(?label) = "vi" && lang(?province) = "vi")
} GROUP BY ?iri ?label ?name ?province ORDER BY ?name""",
    "document": """SELECT ?iri (MIN(?number0) AS ?number) (MIN(?label0) AS ?label) (MIN(?scope0) AS ?scope)
       (MIN(?place0) AS ?place) (COUNT(DISTINCT ?w) AS ?wards) WHERE {
  ?iri pg:docNumber ?number0 .
  OPTIONAL { ?iri rdfs:label ?label0 . FILTER(lang(?label0) = "vi") }
  OPTIONAL { ?iri pg:scope/skos:prefLabel ?scope0 . FILTER(lang(?scope0) = "vi") }
  OPTIONAL { ?iri pg:jurisdictionUnit/skos:prefLabel ?place0 . FILTER(lang(?place0) = "vi" || lang(?place0) = "") }
  OPTIONAL { ?c pg:citedDocument ?iri ; pg:citingDocument/pg:forUnit ?w }
} GROUP BY ?iri ORDER BY DESC(?wards) ?number""",
    "concept": """SELECT ?iri ?label (COUNT(DISTINCT ?i) AS ?uses) (GROUP_CONCAT(DISTINCT LCASE(STR(?alt)); separator="|") AS ?alts) WHERE {
  ?iri a pg:IndicatorConcept ; skos:prefLabel ?label . FILTER(lang(?label) = "vi")
  OPTIONAL { ?iri skos:altLabel ?alt }
  OPTIONAL { ?i pg:concept ?iri }
} GROUP BY ?iri ?label ORDER BY DESC(?uses) ?label""",
    "unit": """SELECT ?iri ?label ?ward (GROUP_CONCAT(DISTINCT STR(?alt); separator="|") AS ?alts) WHERE {
  # @values ward_iri
  ?iri pg:unitOf ?ward_iri ; skos:prefLabel ?label .
  ?ward_iri skos:prefLabel ?ward .
  OPTIONAL { ?iri skos:altLabel ?alt }
} GROUP BY ?iri ?label ?ward ORDER BY ?ward ?label""",
    "indicator": """SELECT ?iri ?label ?ward ?no ?ord WHERE {
  # @values ward_iri
  ?iri a pg:Indicator ; rdfs:label ?label ; pg:ordinal ?ord ; pg:inPlan/pg:forUnit ?ward_iri .
  ?ward_iri skos:prefLabel ?ward .
  OPTIONAL { ?iri pg:number ?no }
} ORDER BY ?ward ?ord""",
    "year": """SELECT DISTINCT ?year WHERE {
  { ?x pg:targetYear ?year } UNION { ?t pg:deadline ?d . BIND(YEAR(?d) AS ?year) }
  UNION { ?p pg:planPeriodStart ?s ; pg:planPeriodEnd ?e . VALUES ?k { 0 1 2 3 4 } BIND(?s + ?k AS ?year) FILTER(?year <= ?e) }
} ORDER BY ?year""",
}


@dataclass(frozen=True)
class Candidate:
    value: str
    label: str
    keys: frozenset[str]


def _keys(*texts: object) -> frozenset[str]:
    out = set()
    for t in texts:
        if t is None:
            continue
        s = squash(fold(str(t)))
        if s:
            out.add(s)
    return frozenset(out)


def _segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


# Per store object and content generation: the lists are read on every resolution of a name.
_CACHE: "weakref.WeakKeyDictionary[Store, tuple[int, dict[str, list[Candidate]]]]" = weakref.WeakKeyDictionary()


def candidates(store: Store, param_type: str) -> list[Candidate]:
    """Every value a parameter of this type can take, with the keys a typed name may match."""
    if param_type not in _QUERIES:
        return []
    generation, by_type = _CACHE.get(store, (-1, {}))
    if generation != store.generation:
        by_type = {}
        _CACHE[store] = (store.generation, by_type)
    if param_type not in by_type:
        by_type[param_type] = _fetch(store, param_type)
    return by_type[param_type]


# The types whose values belong to one ward, and can be listed for one (`ward_choices`).
WARD_SCOPED = ("unit", "indicator")


def _fetch(store: Store, param_type: str, ward_iri: str | None = None) -> list[Candidate]:
    query = PREFIXES + _QUERIES[param_type]
    if ward_iri is not None:
        query = place_values(query, {"ward_iri": [URIRef(ward_iri)]})
    rows = store.select(query).values()
    out: list[Candidate] = []
    for r in rows:
        if param_type == "ward":
            out.append(Candidate(r["iri"], f"{r['label']} ({r['province']})",
                                 _keys(r["name"], r["label"], _segment(r["iri"]), _segment(r["iri"]).replace("-", " "))))
        elif param_type == "document":
            number = r["number"]
            place = f", {r['place']}" if r.get("place") else ""
            label = f"{number} · {r.get('label') or number} ({r.get('scope') or '?'}{place})"
            bare = "-".join(p.lstrip("0") or "0" for p in number.split("-", 1)) if "-" in number else number.lstrip("0")
            out.append(Candidate(r["iri"], label, _keys(number, bare, r.get("label"), _segment(r["iri"]))))
        elif param_type == "concept":
            uses = int(r.get("uses") or 0)
            alts = (r.get("alts") or "").split("|")
            out.append(Candidate(r["iri"], f"{r['label']} ({uses} chỉ tiêu)", _keys(r["label"], _segment(r["iri"]), *alts)))
        elif param_type == "unit":
            alts = (r.get("alts") or "").split("|")
            out.append(Candidate(r["iri"], f"{r['label']} – {r['ward']}", _keys(r["label"], *alts)))
        elif param_type == "indicator":
            no = f"{r['no']}. " if r.get("no") else ""
            out.append(Candidate(r["iri"], f"{r['ward']} · {no}{r['label']}", _keys(r["label"])))
        elif param_type == "year":
            out.append(Candidate(str(r["year"]), str(r["year"]), _keys(r["year"])))
    return out


def ward_choices(store: Store, param_type: str, ward_iri: str) -> list[tuple[str, str]]:
    """The values of a ward-scoped type (units, indicators) that belong to one ward, read for
    that ward only: what `choices` lists for it, told apart by the ward's IRI (ward names
    recur across provinces). Not cached: callers keep what they need."""
    if param_type not in WARD_SCOPED:
        raise ValueError(f"{param_type!r} values do not belong to a ward")
    return [(c.value, c.label) for c in _fetch(store, param_type, ward_iri)]


def choices(store: Store, param_type: str) -> list[tuple[str, str]]:
    """(value, Vietnamese label) pairs for a parameter type, for pickers; [] for free types
    (text, integer, record)."""
    return [(c.value, c.label) for c in candidates(store, param_type)]
