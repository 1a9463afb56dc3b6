"""Run the validation: build the shards, validate each with pySHACL, gather one Report.

Each shard is validated in its own pyoxigraph store (SPARQL-based rules run on
oxigraph), independently of the others, so shards can run in parallel processes
(`jobs`). With a handful of plans one process is faster than starting workers.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pyshacl

from ..config import Settings
from ..errors import PlangraphError
from ..resources import reference_files, shape_files
from .engine import shapes_graph
from .findings import Report, ShardResult
from .results import findings_from_report, scores
from .shapes import catalogue
from .shards import ShardSpec, plan_shards, reference_shard

# Below this many shards, worker start-up costs more than it saves.
PARALLEL_FROM = 8

try:  # pySHACL >= 0.40 validates a pyoxigraph store directly.
    from pyshacl.graph_abstraction import OxigraphDataGraph

    class _ShardGraph(OxigraphDataGraph):
        # pySHACL tests the data graph for truth (`datagraph or sg`) for every result, which
        # on an oxigraph store counts all triples each time; a shard is never empty.
        def __bool__(self) -> bool:
            return True

except ImportError:  # pragma: no cover - older pySHACL: validate an rdflib copy instead
    _ShardGraph = None  # type: ignore[assignment,misc]


@lru_cache(maxsize=1)
def _reference() -> tuple[bytes, ...]:
    return tuple(f.read_bytes() for f in reference_files())


def _store(spec: ShardSpec) -> ox.Store:
    store = ox.Store()
    for data in _reference():
        store.bulk_load(input=data, format=ox.RdfFormat.TURTLE)
    try:
        data = spec.turtle()
        if data:
            store.bulk_load(input=data, format=ox.RdfFormat.TURTLE)
        if spec.extra:
            store.bulk_load(input=spec.extra, format=ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError) as exc:
        raise PlangraphError(f"{spec.key}: cannot read the graph: {exc}", "check the Turtle syntax or rerun `plangraph build`") from exc
    return store


def _data_graph(store: ox.Store):
    if _ShardGraph is not None:
        return _ShardGraph(store)
    from rdflib import Graph  # pragma: no cover

    from .shapes import to_rdflib  # pragma: no cover

    g = Graph()  # pragma: no cover
    for q in store:  # pragma: no cover
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g  # pragma: no cover


def validate_shard(spec: ShardSpec, candidates: bool = True) -> ShardResult:
    """Validate one shard (a plan with its context, or the reference data).

    `candidates=False` runs the shapes exactly as written (slower, same findings)."""
    started = time.perf_counter()
    cat = catalogue()
    store = _store(spec)
    _, report, _ = pyshacl.validate(
        _data_graph(store), shacl_graph=shapes_graph(candidates), use_shapes=cat.shapes_for(spec.kind),
        inference="none", advanced=True, inplace=True, allow_infos=True,
    )
    findings = findings_from_report(report, cat, store, spec.ward)
    rule_scores, unit_scores = scores(store, cat, cat.codes_for(spec.kind), findings)
    if spec.kind == "reference":
        unit_scores = {}
    return ShardResult(
        shard=spec.key, ward=spec.ward, ward_iri=spec.ward_iri, plan=spec.plan, plan_label=spec.plan_label,
        findings=findings, rule_scores=rule_scores, unit_scores=unit_scores,
        triples=len(store), seconds=time.perf_counter() - started,
    )


def _choose(specs: list[ShardSpec], ward: str | None) -> list[ShardSpec]:
    if ward is None:
        return specs + [reference_shard()]
    chosen = [s for s in specs if s.matches(ward)]
    if not chosen:
        known = ", ".join(s.ward for s in specs)
        raise PlangraphError(f"no plan for ward {ward!r}", f"choose one of: {known}")
    return chosen


def default_jobs(shards: int) -> int:
    """One process for a few shards; all CPUs from PARALLEL_FROM shards up."""
    return min(shards, os.cpu_count() or 1) if shards >= PARALLEL_FROM else 1


@lru_cache(maxsize=1)
def _engine_digest() -> bytes:
    """Everything besides a shard's own bytes that decides its findings: shapes, ontology and
    vocabularies, this package's validation code, pySHACL and pyoxigraph versions."""
    h = hashlib.sha256(f"pyshacl {pyshacl.__version__} pyoxigraph {ox.__version__}\n".encode())
    for f in [*shape_files(), *reference_files()]:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.digest()


def _shard_key(spec: ShardSpec) -> str:
    h = hashlib.sha256(_engine_digest())
    for part in (spec.key, spec.kind, spec.ward, spec.ward_iri or "", spec.plan or "", spec.plan_label or ""):
        h.update(part.encode() + b"\0")
    h.update(hashlib.sha256(spec.turtle()).digest() + hashlib.sha256(spec.extra).digest())
    return h.hexdigest()


class ShardCache:
    """Shard results on disk, keyed by everything that decides them: a shard whose plan, whose
    context from other plans, or whose rules changed is validated again; the others are not.
    Entries are written atomically; an unreadable entry is ignored (validated again)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> ShardResult | None:
        try:
            with open(self.folder / f"{key}.pickle", "rb") as fh:
                result = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return result if isinstance(result, ShardResult) else None

    def put(self, key: str, result: ShardResult) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.{os.getpid()}.tmp"
            tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(self.folder / f"{key}.pickle")
        except OSError:
            pass  # a cache that cannot be written only costs time

    def prune(self, keep: set[str]) -> None:
        for f in self.folder.glob("*.pickle") if self.folder.is_dir() else ():
            if f.stem not in keep:
                f.unlink(missing_ok=True)


def validate_specs(specs: list[ShardSpec], jobs: int, cache: ShardCache | None = None,
                   progress: Callable[[int, int], None] | None = None) -> list[ShardResult]:
    """Validate shards, in `jobs` worker processes when jobs > 1 (results in input order).
    With a cache, shards validated before with the same content come from it."""
    keys = [_shard_key(s) for s in specs] if cache else []
    results: list[ShardResult | None] = [cache.get(k) for k in keys] if cache else [None] * len(specs)
    todo = [i for i, r in enumerate(results) if r is None]
    done = len(specs) - len(todo)
    if progress:
        progress(done, len(specs))

    def finish(i: int, result: ShardResult) -> None:
        nonlocal done
        results[i] = result
        if cache:
            cache.put(keys[i], result)
        done += 1
        if progress:
            progress(done, len(specs))

    if jobs <= 1 or len(todo) <= 1:
        for i in todo:
            finish(i, validate_shard(specs[i]))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for i, result in zip(todo, pool.map(validate_shard, (specs[i] for i in todo), chunksize=4)):
                finish(i, result)
    if cache:
        cache.prune(set(keys))
    return [r for r in results if r is not None]


def validate_store_files(settings: Settings, ward: str | None = None, jobs: int | None = None,
                         ttl_dir: Path | None = None, cache: bool = False,
                         progress: Callable[[int, int], None] | None = None) -> Report:
    """Validate the graph files of `settings.ttl_dir` (data/ttl), one shard per plan.

    `ward` restricts the run to one ward's plan (label, slug or file stem, accents optional)
    and leaves out the reference data. Returns a Report: typed findings, the rule catalogue
    and completeness scores per ward, per rule and per responsible unit. This is the
    function the app calls; `render(report, fmt)` presents it.
    """
    started = time.perf_counter()
    specs = _choose(plan_shards(ttl_dir or settings.ttl_dir), ward)
    used = jobs if jobs is not None else default_jobs(len(specs))
    # The whole run's results are cached (a --ward run would prune the others' entries).
    shard_cache = ShardCache(settings.index_dir / "validation") if cache and ward is None else None
    results = validate_specs(specs, used, shard_cache, progress)
    return Report(shards=results, rules=catalogue().rules, seconds=time.perf_counter() - started, jobs=used)


def validate_graph_file(path: Path, kind: str = "plan", ward: str = "fixture", candidates: bool = True) -> ShardResult:
    """Validate one Turtle file on its own, with the reference data: fixtures, drafts.

    `kind` "plan" applies the plan-record rules, "reference" the vocabulary rules."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlangraphError(f"{path}: cannot read: {exc}", "check the path") from exc
    return validate_shard(ShardSpec(path.stem, kind, ward, None, None, None, data), candidates)
