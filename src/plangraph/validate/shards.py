"""Shards: what one validation unit holds, so plans validate independently (and in parallel).

A plan's shard = its own Turtle file + the shared nodes it reaches in documents.ttl (the
documents it cites, their issuing bodies ...) + context from the other plans that the
cross-plan rules need + the reference data (ontology, vocabularies), loaded by the worker.

Context from other plans is added as untyped nodes carrying only the properties the rules
compare: other plans' citations of the documents this plan cites (number, date, issuer,
citing plan, line) and other plans' indicators of the concepts this plan uses (concept,
unit, plan). Being untyped, they are never focus nodes of any rule (every plan-record rule
targets a class), so a shard reports only its own plan's records, while the cross-plan
comparisons see every differing value they need. Validating all shards gives the same
findings as validating the union graph, except that a conflict's list of places names the
records of at most CONTEXT_PER_VARIANT plans per differing value (all of them up to that
many). See docs/VALIDATION.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..config import DEFAULT_BASE
from ..errors import PlangraphError
from ..text import fold

PG = f"{DEFAULT_BASE}ontology#"  # the ontology namespace is fixed, like the shapes'
SKOS_PREF = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
SHARED_FILE = "documents.ttl"
_PREFIXES = "PREFIX pg: <https://w3id.org/plangraph/ontology#>\n" \
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" \
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


def _pg(local: str) -> ox.NamedNode:
    return ox.NamedNode(PG + local)


@dataclass(frozen=True)
class ShardSpec:
    """Everything one worker needs to validate one shard (picklable: plain values only)."""

    key: str                    # file stem of the plan, or "reference"
    kind: str                   # "plan" | "reference"
    ward: str                   # the ward's label, e.g. "Phường Hàm Rồng"
    ward_iri: str | None
    plan: str | None
    plan_label: str | None
    data: bytes                 # Turtle: the plan's own file, as written
    extra: bytes = b""          # N-Triples: shared closure + cross-plan context
    path: str | None = None     # the plan's Turtle file, read by the worker when `data` is empty

    def turtle(self) -> bytes:
        if self.data or not self.path:
            return self.data
        try:
            return Path(self.path).read_bytes()
        except OSError as exc:
            raise PlangraphError(f"{self.path}: cannot read: {exc}", "check the file") from exc

    def matches(self, ward: str) -> bool:
        """Does a --ward argument name this shard (label, slug or file stem, accents optional)?"""
        wanted = fold(ward).replace("-", " ").strip()
        names = [self.ward, self.key, self.ward_iri or ""]
        return any(wanted and wanted in fold(n).replace("-", " ").replace("_", " ") for n in names)


@dataclass
class _Plan:
    path: Path
    store: ox.Store
    plan: ox.NamedNode
    ward: ox.NamedNode
    ward_label: str
    ward_name: str
    plan_label: str
    citations: list = field(default_factory=list)
    indicators: list = field(default_factory=list)


def _load(path: Path) -> ox.Store:
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    except (SyntaxError, OSError, ValueError) as exc:
        raise PlangraphError(f"{path}: cannot read the graph: {exc}", "run `plangraph build` to regenerate data/ttl") from exc
    return store


def _identify(path: Path, store: ox.Store) -> _Plan | None:
    rows = list(store.query(_PREFIXES + """
        SELECT ?plan ?ward ?wl ?wn ?pl WHERE {
            ?plan a pg:Plan ; pg:forUnit ?ward .
            OPTIONAL { ?ward rdfs:label ?wl FILTER(LANG(?wl) = "vi") }
            OPTIONAL { ?ward skos:prefLabel ?wn }
            OPTIONAL { ?plan rdfs:label ?pl FILTER(LANG(?pl) = "vi") }
        } ORDER BY DESC(STRLEN(STR(?pl)))"""))
    plans = {r["plan"] for r in rows}
    if not plans:
        return None
    if len(plans) > 1:
        raise PlangraphError(f"{path.name}: holds {len(plans)} plans", "a plan file holds one plan; rerun `plangraph build`")
    r = rows[0]
    ward_name = r["wn"].value if r["wn"] is not None else r["ward"].value.rsplit("/", 1)[-1]
    ward_label = r["wl"].value if r["wl"] is not None else ward_name
    plan_label = r["pl"].value if r["pl"] is not None else r["plan"].value
    return _Plan(path, store, r["plan"], r["ward"], ward_label, ward_name, plan_label)


def _closure(seeds: set, shared: ox.Store) -> list[ox.Triple]:
    """Triples of shared nodes reachable from the seeds (documents, their bodies, units)."""
    seen: set = set()
    todo = [s for s in seeds if isinstance(s, ox.NamedNode)]
    out: list[ox.Triple] = []
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for q in shared.quads_for_pattern(node, None, None, ox.DefaultGraph()):
            out.append(ox.Triple(q.subject, q.predicate, q.object))
            if isinstance(q.object, (ox.NamedNode, ox.BlankNode)) and q.object not in seen:
                todo.append(q.object)
    return out


def _citation_rows(p: _Plan) -> list[dict]:
    q = _PREFIXES + """SELECT ?c ?doc ?num ?date ?issuer ?line WHERE {
        ?c a pg:Citation ; pg:citedDocument ?doc .
        OPTIONAL { ?c pg:statedNumber ?num } OPTIONAL { ?c pg:statedDate ?date }
        OPTIONAL { ?c pg:statedIssuer ?issuer } OPTIONAL { ?c pg:source/pg:lineStart ?line } }"""
    return [{k: r[k] for k in ("c", "doc", "num", "date", "issuer", "line")} | {"plan": p} for r in p.store.query(q)]


def _indicator_rows(p: _Plan) -> list[dict]:
    q = _PREFIXES + """SELECT ?i ?concept ?unit WHERE {
        ?i a pg:Indicator ; pg:concept ?concept ; pg:unitOfMeasure ?unit }"""
    return [{"i": r["i"], "concept": r["concept"], "unit": r["unit"], "plan": p} for r in p.store.query(q)]


# Cross-plan context per shard: at most this many other plans' records for each distinct
# stated variant of a document (number, date, issuer) and each (concept, unit). The rules
# only need to see every differing value; a national graph would otherwise copy every
# citation of a central resolution into every shard (quadratic in the number of plans).
CONTEXT_PER_VARIANT = 10


def _context(p: _Plan, by_doc: dict, by_concept: dict, plans: dict) -> list[ox.Triple]:
    """Other plans' statements about the documents and concepts this plan uses."""
    out: list[ox.Triple] = []
    others: set = set()
    for doc in sorted({r["doc"] for r in p.citations}, key=str):
        for r in by_doc.get(doc, ()):
            if r["plan"] is p:
                continue
            c = r["c"]
            out.append(ox.Triple(c, _pg("citedDocument"), r["doc"]))
            out.append(ox.Triple(c, _pg("citingDocument"), r["plan"].plan))
            for key, prop in (("num", "statedNumber"), ("date", "statedDate"), ("issuer", "statedIssuer")):
                if r[key] is not None:
                    out.append(ox.Triple(c, _pg(prop), r[key]))
            if r["line"] is not None:
                src = ox.BlankNode()
                out += [ox.Triple(c, _pg("source"), src), ox.Triple(src, _pg("lineStart"), r["line"])]
            others.add(r["plan"].path)
    for concept in sorted({r["concept"] for r in p.indicators}, key=str):
        for r in by_concept.get(concept, ()):
            if r["plan"] is p:
                continue
            out += [ox.Triple(r["i"], _pg("concept"), r["concept"]),
                    ox.Triple(r["i"], _pg("unitOfMeasure"), r["unit"]),
                    ox.Triple(r["i"], _pg("inPlan"), r["plan"].plan)]
            others.add(r["plan"].path)
    for path in sorted(others):
        other = plans[path]
        out += [ox.Triple(other.plan, _pg("forUnit"), other.ward),
                ox.Triple(other.ward, SKOS_PREF, ox.Literal(other.ward_name, language="vi"))]
    return out


def _keep(index: dict, key: object, variant: tuple, row: dict, counts: dict) -> None:
    """Add `row` under `key` unless CONTEXT_PER_VARIANT rows of this variant are there already
    (a plan's own rows count once per plan, so one plan cannot crowd out the others)."""
    seen = counts.setdefault((key, variant), set())
    if len(seen) >= CONTEXT_PER_VARIANT and row["plan"].path not in seen:
        return
    seen.add(row["plan"].path)
    index.setdefault(key, []).append(row)


def plan_shards(ttl_dir: Path, progress=None) -> list[ShardSpec]:
    """One shard per plan file in data/ttl, with its shared closure and cross-plan context.

    Each plan file is read once; only its rows for the cross-plan rules and its closure in
    documents.ttl are kept, so memory grows with the data, not with plans x plans."""
    if not ttl_dir.is_dir():
        raise PlangraphError(f"{ttl_dir}: no such folder", "run `plangraph build` or pass --data")
    files = sorted(p for p in ttl_dir.glob("*.ttl") if p.name != SHARED_FILE)
    shared_path = ttl_dir / SHARED_FILE
    shared = _load(shared_path) if shared_path.exists() else ox.Store()
    plans: dict[Path, _Plan] = {}
    closures: dict[Path, list[ox.Triple]] = {}
    by_doc: dict = {}
    by_concept: dict = {}
    counts: dict = {}
    for n, f in enumerate(files, 1):
        store = _load(f)
        p = _identify(f, store)
        if p is not None:
            p.citations = _citation_rows(p)
            p.indicators = _indicator_rows(p)
            seeds = {q.object for q in store} | {q.subject for q in store}
            closures[f] = _closure(seeds, shared)
            p.store = None  # type: ignore[assignment] - the rows are all the shards need
            plans[f] = p
            for r in p.citations:
                _keep(by_doc, r["doc"], (r["num"], r["date"], r["issuer"]), r, counts)
            for r in p.indicators:
                _keep(by_concept, r["concept"], (r["unit"],), r, counts)
        if progress:
            progress(n, len(files))
    if not plans:
        raise PlangraphError(f"{ttl_dir}: no plan graphs found", "run `plangraph build` to write data/ttl")
    specs = []
    for f, p in plans.items():
        extra = ox.serialize(closures[f] + _context(p, by_doc, by_concept, plans), format=ox.RdfFormat.N_TRIPLES)
        specs.append(ShardSpec(p.path.stem, "plan", p.ward_label, p.ward.value, p.plan.value, p.plan_label,
                               b"", extra, str(p.path)))
    return specs


def reference_shard() -> ShardSpec:
    """The reference data alone (the worker loads it into every shard anyway)."""
    return ShardSpec("reference", "reference", "tham chiếu / reference", None, None, None, b"", b"")
