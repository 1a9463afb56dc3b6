"""The first pass of validation: read each plan file of data/ttl once and keep only what the
shards need (validate/shards.py) — the plan's identity, its rows for the cross-plan rules as
N-Triples terms, and its closure in documents.ttl. Many files are read in worker processes.
With a `ScanCache`, a file scanned before with the same bytes (and the same documents.ttl and
validation code) is not parsed again.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from ..errors import PlangraphError
from .pickles import PickleFolder
from .shards import SHARED_FILE, PlanInfo, ShardIndex

_PREFIXES = "PREFIX pg: <https://w3id.org/plangraph/ontology#>\n" \
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" \
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
# Below this many plan files, reading them in worker processes costs more than it saves.
PARALLEL_SCAN_FROM = 40

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
