"""Shards: what one validation unit holds, so plans validate independently (and in parallel).

A plan's shard = its own Turtle file + the shared nodes it reaches in documents.ttl (the
documents it cites, their issuing bodies ...) + context from the other plans that the
cross-plan rules need + the reference data (ontology, vocabularies), loaded by the worker.

Context from other plans is added as untyped nodes carrying only the properties the rules
compare: other plans' citations of the documents this plan cites (number, date, issuer,
citing plan, line) and other plans' indicators of the concepts this plan uses (concept,
unit, plan). Being untyped, they are never focus nodes of any rule (every plan-record rule
targets a class), so a shard reports only its own plan's records, while the cross-plan
comparisons see every differing value they need. Other plans' records stating exactly the
one value all of this plan's own records state are left out (no rule can report them).
Validating all shards gives the same findings as validating the union graph, except that a
conflict's list of places names the records of at most CONTEXT_PER_VARIANT plans per
differing value (all of them up to that many). See docs/VALIDATION.md.

Building shards takes two passes: `scan` reads each plan file once (in worker processes for
many plans) and keeps only what the shards need — the plan's identity, its rows for the
cross-plan rules as N-Triples terms, and its closure in documents.ttl; then `ShardIndex`
caps the rows per variant and writes any one shard's context on demand, so no more than a
few shards' context exists at a time. With a `ScanCache`, a file scanned before with the same
bytes (and the same documents.ttl and validation code) is not parsed again.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..config import DEFAULT_BASE
from ..errors import PlangraphError
from ..text import fold
from .pickles import PickleFolder

PG = f"{DEFAULT_BASE}ontology#"  # the ontology namespace is fixed, like the shapes'
SKOS_PREF = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
SHARED_FILE = "documents.ttl"
_PREFIXES = "PREFIX pg: <https://w3id.org/plangraph/ontology#>\n" \
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" \
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
# Below this many plan files, reading them in worker processes costs more than it saves.
PARALLEL_SCAN_FROM = 40


def _pg(local: str) -> str:
    return f"<{PG}{local}>"


_CITED, _CITING, _NUMBER, _DATE, _ISSUER = (_pg(x) for x in ("citedDocument", "citingDocument", "statedNumber",
                                                              "statedDate", "statedIssuer"))
_SOURCE, _LINE_START, _CONCEPT, _UNIT, _IN_PLAN, _FOR_UNIT = (_pg(x) for x in ("source", "lineStart", "concept",
                                                                               "unitOfMeasure", "inPlan", "forUnit"))


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
    digest: bytes = b""         # SHA-256 of the file's bytes when the scan read them (else computed)

    def turtle_digest(self) -> bytes:
        return self.digest or hashlib.sha256(self.turtle()).digest()

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
class PlanInfo:
    """What the shards need from one plan file; terms are N-Triples strings (picklable)."""

    path: str
    plan: str                   # <IRI>
    ward: str                   # <IRI>
    ward_label: str
    ward_name: str
    plan_label: str
    citations: list[tuple] = field(default_factory=list)   # (c, doc, num, date, issuer, line)
    indicators: list[tuple] = field(default_factory=list)  # (i, concept, unit)
    closure: bytes = b""        # N-Triples: the plan's closure in documents.ttl
    digest: bytes = b""         # SHA-256 of the file's bytes as scanned

    @property
    def key(self) -> str:
        return Path(self.path).stem


def _load(path: Path, data: bytes | None = None) -> ox.Store:
    store = ox.Store()
    try:
        if data is None:
            store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        else:
            store.load(input=data, format=ox.RdfFormat.TURTLE)
    except (SyntaxError, OSError, ValueError) as exc:
        raise PlangraphError(f"{path}: cannot read the graph: {exc}", "run `plangraph build` to regenerate data/ttl") from exc
    return store


def _nt(term) -> str | None:
    return None if term is None else str(term)


class SharedDocs:
    """documents.ttl, for the closures: each worker reads it once."""

    def __init__(self, ttl_dir: Path) -> None:
        path = ttl_dir / SHARED_FILE
        self.store = _load(path) if path.exists() else ox.Store()
        self.subjects = {q.subject for q in self.store if isinstance(q.subject, ox.NamedNode)}

    def closure(self, store: ox.Store) -> bytes:
        """Triples of shared nodes reachable from the nodes a plan file mentions (the documents
        it cites, their bodies, units ...), as N-Triples, node by node in IRI order."""
        # Whichever is smaller: probing the plan for each shared node, or one pass over the
        # plan's triples. With every ward's own documents, documents.ttl has more nodes than a
        # plan has triples (13,245 at 3,321 plans: probing 9.9 ms a plan, the pass 2.4 ms);
        # with about 1,300 nodes, probing is the faster (0.6 ms a plan).
        shared = self.subjects
        if len(shared) < len(store):
            todo = [s for s in shared if next(store.quads_for_pattern(s, None, None), None) is not None
                    or next(store.quads_for_pattern(None, None, s), None) is not None]
        else:
            todo = [t for q in store for t in (q.subject, q.object) if t in shared]
        seen: set = set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for q in self.store.quads_for_pattern(node, None, None, ox.DefaultGraph()):
                if isinstance(q.object, (ox.NamedNode, ox.BlankNode)) and q.object not in seen:
                    todo.append(q.object)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for node in sorted(seen, key=str)
                   for q in self.store.quads_for_pattern(node, None, None, ox.DefaultGraph())]
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""


def scan_plan(path: Path, docs: SharedDocs, data: bytes | None = None) -> PlanInfo | None:
    """Read one plan file (`data`: its bytes, read already): None when it holds no plan (an
    error when it holds several)."""
    store = _load(path, data)
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
    info = PlanInfo(
        str(path), str(r["plan"]), str(r["ward"]), r["wl"].value if r["wl"] is not None else ward_name, ward_name,
        r["pl"].value if r["pl"] is not None else r["plan"].value,
    )
    info.citations = [tuple(_nt(t) for t in row) for row in store.query(_PREFIXES + """
        SELECT ?c ?doc ?num ?date ?issuer ?line WHERE {
        ?c a pg:Citation ; pg:citedDocument ?doc .
        OPTIONAL { ?c pg:statedNumber ?num } OPTIONAL { ?c pg:statedDate ?date }
        OPTIONAL { ?c pg:statedIssuer ?issuer } OPTIONAL { ?c pg:source/pg:lineStart ?line } }""")]
    info.indicators = [tuple(_nt(t) for t in row) for row in store.query(_PREFIXES + """
        SELECT ?i ?concept ?unit WHERE { ?i a pg:Indicator ; pg:concept ?concept ; pg:unitOfMeasure ?unit }""")]
    info.closure = docs.closure(store)
    return info


# Cross-plan context per shard: at most this many other plans' records for each distinct
# stated variant of a document (number, date, issuer) and each (concept, unit). The rules
# only need to see every differing value; a national graph would otherwise copy every
# citation of a central resolution into every shard (quadratic in the number of plans).
CONTEXT_PER_VARIANT = 10


def _keep(index: dict, key: object, variant: tuple, row: tuple, counts: dict) -> None:
    """Add `row` (its last item is the plan's number) under `key` unless CONTEXT_PER_VARIANT
    plans' rows of this variant are there already (a plan's own rows count once per plan, so
    one plan cannot crowd out the others)."""
    seen = counts.setdefault((key, variant), set())
    if len(seen) >= CONTEXT_PER_VARIANT and row[-1] not in seen:
        return
    seen.add(row[-1])
    index.setdefault(key, []).append(row)


class ShardIndex:
    """The plans of data/ttl, each with what its shard's context draws from the others."""

    def __init__(self, infos: list[PlanInfo]) -> None:
        self.plans = infos
        self.paths = [Path(p.path) for p in infos]  # the order other plans' ward names are written in
        self.by_doc: dict = {}
        self.by_concept: dict = {}
        counts: dict = {}
        for n, p in enumerate(infos):
            for c, doc, num, date, issuer, line in p.citations:
                _keep(self.by_doc, doc, (num, date, issuer), (c, doc, num, date, issuer, line, n), counts)
            for i, concept, unit in p.indicators:
                _keep(self.by_concept, concept, (unit,), (i, concept, unit, n), counts)
        # The N-Triples of each row and each plan's ward, written when a shard first needs them
        # (in the worker validating it): every shard citing a document repeats its rows.
        self._doc_text: dict = {}
        self._concept_text: dict = {}
        self._ward_text: dict = {}

    def __len__(self) -> int:
        return len(self.plans)

    def _doc_rows(self, doc: str) -> list[tuple]:
        rows = self._doc_text.get(doc)
        if rows is None:
            rows = []
            for c, _, num, date, issuer, line, m in self.by_doc.get(doc, ()):
                text = f"{c} {_CITED} {doc} .\n{c} {_CITING} {self.plans[m].plan} .\n" + "".join(
                    f"{c} {prop} {value} .\n" for value, prop in ((num, _NUMBER), (date, _DATE), (issuer, _ISSUER))
                    if value is not None)
                rows.append((m, (num, date, issuer), text, c, line))
            self._doc_text[doc] = rows
        return rows

    def _concept_rows(self, concept: str) -> list[tuple]:
        rows = self._concept_text.get(concept)
        if rows is None:
            rows = [(m, unit, f"{i} {_CONCEPT} {concept} .\n{i} {_UNIT} {unit} .\n{i} {_IN_PLAN} {self.plans[m].plan} .\n")
                    for i, _, unit, m in self.by_concept.get(concept, ())]
            self._concept_text[concept] = rows
        return rows

    def _ward(self, m: int) -> str:
        text = self._ward_text.get(m)
        if text is None:
            other = self.plans[m]
            text = self._ward_text[m] = (f"{other.plan} {_FOR_UNIT} {other.ward} .\n"
                                         f"{other.ward} {SKOS_PREF} {ox.Literal(other.ward_name, language='vi')} .\n")
        return text

    def context(self, n: int) -> str:
        """Other plans' statements about the documents and concepts plan `n` uses (N-Triples).

        Where all of the plan's own records of a document (or concept) state one and the same
        variant, the other plans' records of that very variant are left out: the cross-plan
        rules report only records that state a different value, and the plan's own records
        already show that this value is stated. Their plans' ward names stay."""
        p = self.plans[n]
        out: list[str] = []
        others: set[int] = set()
        blank = 0
        own: dict = {}
        for _, doc, num, date, issuer, _ in p.citations:
            own.setdefault(doc, set()).add((num, date, issuer))
        for doc in sorted(own):
            same = own[doc] if len(own[doc]) == 1 else ()
            for m, variant, text, c, line in self._doc_rows(doc):
                if m == n:
                    continue
                others.add(m)
                if variant in same:
                    continue
                out.append(text)
                if line is not None:
                    blank += 1
                    out.append(f"{c} {_SOURCE} _:s{blank} .\n_:s{blank} {_LINE_START} {line} .\n")
        units: dict = {}
        for _, concept, unit in p.indicators:
            units.setdefault(concept, set()).add(unit)
        for concept in sorted(units):
            same = units[concept] if len(units[concept]) == 1 else ()
            for m, unit, text in self._concept_rows(concept):
                if m == n:
                    continue
                others.add(m)
                if unit in same:
                    continue
                out.append(text)
        for m in sorted(others, key=self.paths.__getitem__):
            out.append(self._ward(m))
        return "".join(out)

    def spec(self, n: int, extra: bool = True) -> ShardSpec:
        """Plan `n`'s shard (`extra=False`: without its closure and context, to name it)."""
        p = self.plans[n]
        more = p.closure + self.context(n).encode("utf-8") if extra else b""
        return ShardSpec(p.key, "plan", p.ward_label, p.ward[1:-1], p.plan[1:-1], p.plan_label, b"", more, p.path,
                         p.digest)

    def matches(self, n: int, ward: str) -> bool:
        return self.spec(n, extra=False).matches(ward)

    def specs(self) -> list[ShardSpec]:
        return [self.spec(n) for n in range(len(self))]


SCAN_FORMAT = 1


class ScanCache(PickleFolder):
    """What `scan_plan` found in plan files read before, on disk: keyed by the file's name and
    bytes, documents.ttl's bytes and `salt` (the validation code and shapes), so a file, its
    shared documents or the code that reads them changing means reading it again. Entries are
    written atomically; an unreadable entry is read again from the file."""

    kind = PlanInfo

    def __init__(self, folder: Path, ttl_dir: Path, salt: bytes = b"") -> None:
        super().__init__(folder)
        h = hashlib.sha256(f"plangraph-scan {SCAN_FORMAT}\n".encode() + salt)
        shared = ttl_dir / SHARED_FILE
        try:
            h.update(hashlib.sha256(shared.read_bytes()).digest())
        except OSError:
            h.update(b"no shared documents")
        self.salt = h.digest()

    def key(self, path: Path, digest: bytes) -> str:
        return hashlib.sha256(self.salt + path.name.encode() + b"\0" + digest).hexdigest()


class _Scanner:
    """Scans plan files, through the cache when there is one; documents.ttl is read only when
    a file has to be parsed (one per process)."""

    def __init__(self, ttl_dir: Path, cache: ScanCache | None) -> None:
        self.ttl_dir = ttl_dir
        self.cache = cache
        self._docs: SharedDocs | None = None

    def __call__(self, path: str) -> tuple[PlanInfo | None, str]:
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise PlangraphError(f"{file}: cannot read the graph: {exc}", "run `plangraph build` to regenerate data/ttl") from exc
        digest = hashlib.sha256(data).digest()
        key = self.cache.key(file, digest) if self.cache else ""
        info = self.cache.get(key) if self.cache else None
        if info is None:
            if self._docs is None:
                self._docs = SharedDocs(self.ttl_dir)
            info = scan_plan(file, self._docs, data)
            if info is None:
                return None, key
            info.digest = digest
            if self.cache:
                self.cache.put(key, info)
        info.path = path  # the file as found now (the folder may have moved)
        return info, key


_SCANNER: _Scanner | None = None  # one per scanning worker process


def _scan_init(ttl_dir: str, cache: ScanCache | None) -> None:
    global _SCANNER
    _SCANNER = _Scanner(Path(ttl_dir), cache)


def _scan_one(path: str) -> tuple[PlanInfo | None, str]:
    assert _SCANNER is not None
    return _SCANNER(path)


def scan(ttl_dir: Path, jobs: int = 1, progress=None, cache: ScanCache | None = None) -> ShardIndex:
    """Read every plan file of data/ttl once (in `jobs` processes from PARALLEL_SCAN_FROM files;
    with a `cache`, files read before come from it, and entries of files gone are removed)."""
    if not ttl_dir.is_dir():
        raise PlangraphError(f"{ttl_dir}: no such folder", "run `plangraph build` or pass --data")
    files = [str(p) for p in sorted(ttl_dir.glob("*.ttl")) if p.name != SHARED_FILE]
    infos: list[PlanInfo | None] = []
    keys: set[str] = set()
    if jobs > 1 and len(files) >= PARALLEL_SCAN_FROM:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_scan_init, initargs=(str(ttl_dir), cache)) as pool:
            chunk = max(1, min(32, len(files) // (jobs * 8)))
            for info, key in pool.map(_scan_one, files, chunksize=chunk):
                infos.append(info)
                keys.add(key)
                if progress:
                    progress(len(infos), len(files))
    else:
        scanner = _Scanner(ttl_dir, cache)
        for f in files:
            info, key = scanner(f)
            infos.append(info)
            keys.add(key)
            if progress:
                progress(len(infos), len(files))
    if cache:
        cache.prune(keys)
    found = [i for i in infos if i is not None]
    if not found:
        raise PlangraphError(f"{ttl_dir}: no plan graphs found", "run `plangraph build` to write data/ttl")
    return ShardIndex(found)


def plan_shards(ttl_dir: Path, progress=None) -> list[ShardSpec]:
    """One shard per plan file in data/ttl, with its shared closure and cross-plan context."""
    return scan(ttl_dir, 1, progress).specs()


def reference_shard() -> ShardSpec:
    """The reference data alone (the worker loads it into every shard anyway)."""
    return ShardSpec("reference", "reference", "tham chiếu / reference", None, None, None, b"", b"")
