"""Run the validation: build the shards, validate each, gather one Report.

Each shard is validated in its own pyoxigraph store, independently of the others, so shards
run in parallel processes (`jobs`). Two engines give the same findings (tests/
test_validate_engine.py): "pyshacl", the reference (pySHACL over the store; SPARQL-based rules
run on oxigraph), and "sparql", the shapes compiled to SPARQL (validate/compiled.py), several
times faster. "auto" uses pySHACL for a few plans and the compiled engine from SPARQL_FROM
plans up. With a handful of plans one process is faster than starting workers.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..config import Settings
from ..errors import PlangraphError
from ..resources import reference_files, shape_files
from .findings import Report, ShardResult
from .pickles import PickleFolder
from .results import Result, findings_from_results, results_from_report, scores
from .shapes import catalogue
from .scan import ScanCache, scan
from .shards import ShardIndex, ShardSpec, plan_shards, reference_shard

ENGINES = ("auto", "pyshacl", "sparql")
# Below this many shards, worker start-up costs more than it saves.
PARALLEL_FROM = 8
# From this many plans "auto" uses the compiled engine; below, pySHACL (the reference) is fast enough.
SPARQL_FROM = 20


@lru_cache(maxsize=1)
def _reference() -> tuple[ox.Quad, ...]:
    """The ontology and vocabularies, parsed once per process (inserted in file order)."""
    return tuple(q for f in reference_files() for q in ox.parse(input=f.read_bytes(), format=ox.RdfFormat.TURTLE))


def _store(spec: ShardSpec) -> ox.Store:
    """The shard's store: reference data, the plan's file, then its closure and context. A file
    read from data/ttl was checked when the shards were built and the closure and context are
    written here, so they are parsed leniently (faster); given bytes (fixtures) strictly."""
    store = ox.Store()
    store.extend(_reference())
    try:
        data = spec.turtle()
        if data:
            store.load(input=data, format=ox.RdfFormat.TURTLE, lenient=not spec.data)
        if spec.extra:
            store.load(input=spec.extra, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    except (SyntaxError, ValueError) as exc:
        raise PlangraphError(f"{spec.key}: cannot read the graph: {exc}", "check the Turtle syntax or rerun `plangraph build`") from exc
    return store


def _data_graph(store: ox.Store):
    try:  # pySHACL >= 0.40 validates a pyoxigraph store directly
        from pyshacl.graph_abstraction import OxigraphDataGraph
    except ImportError:  # pragma: no cover - older pySHACL: validate an rdflib copy instead
        from rdflib import Graph

        from .shapes import to_rdflib

        g = Graph()
        for q in store:
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return g

    class ShardGraph(OxigraphDataGraph):
        # pySHACL tests the data graph for truth (`datagraph or sg`) for every result, which
        # on an oxigraph store counts all triples each time; a shard is never empty.
        def __bool__(self) -> bool:
            return True

    return ShardGraph(store)


def _pyshacl_results(spec: ShardSpec, store: ox.Store, candidates: bool) -> list[Result]:
    import pyshacl

    from .engine import shapes_graph

    _, report, _ = pyshacl.validate(
        _data_graph(store), shacl_graph=shapes_graph(candidates), use_shapes=catalogue().shapes_for(spec.kind),
        inference="none", advanced=True, inplace=True, allow_infos=True,
    )
    return results_from_report(report)


def validate_shard(spec: ShardSpec, candidates: bool = True, engine: str = "pyshacl") -> ShardResult:
    """Validate one shard (a plan with its context, or the reference data) with one engine:
    "pyshacl" (the reference) or "sparql" (the shapes compiled to SPARQL).

    `candidates=False` runs pySHACL on the shapes exactly as written (slower, same findings)."""
    started = time.perf_counter()
    cat = catalogue()
    store = _store(spec)
    if engine == "sparql":
        from .compiled import evaluate

        results = evaluate(store, cat.shapes_for(spec.kind))
    elif engine == "pyshacl":
        results = _pyshacl_results(spec, store, candidates)
    else:
        raise PlangraphError(f"không có bộ máy kiểm tra {engine!r} / unknown validation engine {engine!r}",
                             "dùng / use pyshacl, sparql")
    findings = findings_from_results(results, cat, store, spec.ward)
    rule_scores, unit_scores = scores(store, cat, cat.codes_for(spec.kind), findings)
    if spec.kind == "reference":
        unit_scores = {}
    return ShardResult(
        shard=spec.key, ward=spec.ward, ward_iri=spec.ward_iri, plan=spec.plan, plan_label=spec.plan_label,
        findings=findings, rule_scores=rule_scores, unit_scores=unit_scores,
        triples=len(store), seconds=time.perf_counter() - started,
    )


def choose_engine(engine: str, plans: int) -> str:
    """The engine a run uses: "auto" means pySHACL below SPARQL_FROM plans, compiled SPARQL above."""
    if engine not in ENGINES:
        raise PlangraphError(f"không có bộ máy kiểm tra {engine!r} / unknown validation engine {engine!r}",
                             f"dùng / use {', '.join(ENGINES)}")
    if engine == "auto":
        return "sparql" if plans >= SPARQL_FROM else "pyshacl"
    return engine


def default_jobs(shards: int) -> int:
    """One process for a few shards; all CPUs from PARALLEL_FROM shards up."""
    return min(shards, os.cpu_count() or 1) if shards >= PARALLEL_FROM else 1


@lru_cache(maxsize=1)
def _engine_digest() -> bytes:
    """Everything besides a shard's own bytes that decides its findings: shapes, ontology and
    vocabularies, this package's validation code, pySHACL and pyoxigraph versions."""
    from importlib.metadata import version

    h = hashlib.sha256(f"pyshacl {version('pyshacl')} pyoxigraph {ox.__version__}\n".encode())
    for f in [*shape_files(), *reference_files()]:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.digest()


def _shard_key(spec: ShardSpec, engine: str = "pyshacl") -> str:
    h = hashlib.sha256(_engine_digest())
    for part in (engine, spec.key, spec.kind, spec.ward, spec.ward_iri or "", spec.plan or "", spec.plan_label or ""):
        h.update(part.encode() + b"\0")
    h.update(spec.turtle_digest() + hashlib.sha256(spec.extra).digest())
    return h.hexdigest()


class ShardCache(PickleFolder):
    """Shard results on disk, keyed by everything that decides them: a shard whose plan, whose
    context from other plans, or whose rules changed is validated again; the others are not.
    Entries are written atomically; an unreadable entry is ignored (validated again)."""

    kind = ShardResult


# One validation task in a worker process: a shard of the index (by number) or a given spec.
_TASK: dict = {}


def _init_worker(index: ShardIndex | None, engine: str, cache: ShardCache | None) -> None:
    _TASK.update(index=index, engine=engine, cache=cache)


def _validate_task(item: int | ShardSpec) -> tuple[str, ShardResult | bytes]:
    """A shard's key and result; a result from the cache comes as its stored bytes, which the
    caller unpickles (`_validated`): a worker that unpickled it would pickle it again to send it."""
    spec = _TASK["index"].spec(item) if isinstance(item, int) else item
    engine, cache = _TASK["engine"], _TASK["cache"]
    key = _shard_key(spec, engine) if cache else ""
    stored = cache.get_bytes(key) if cache else None
    if stored is not None:
        return key, stored
    result = validate_shard(spec, engine=engine)
    if cache:
        cache.put(key, result)
    return key, result


def _validated(item: int | ShardSpec, key: str, got: ShardResult | bytes) -> ShardResult:
    """The result `_validate_task` gave: a stored one unpickled; one that cannot be read (a
    damaged entry) validated again."""
    if not isinstance(got, bytes):
        return got
    result = ShardCache.loads(got)
    if result is None:
        spec = _TASK["index"].spec(item) if isinstance(item, int) else item
        result = validate_shard(spec, engine=_TASK["engine"])
        _TASK["cache"].put(key, result)
    return result


def _run(items: list, index: ShardIndex | None, jobs: int, engine: str, cache: ShardCache | None,
         progress: Callable[[int, int], None] | None, offset: int = 0, total: int = 0) -> list[ShardResult]:
    """Validate the items (shard numbers of the index or specs) in input order, in `jobs` processes."""
    total = total or len(items)
    results: list[ShardResult] = []
    keys: list[str] = []

    def finish(item: int | ShardSpec, key: str, got: ShardResult | bytes) -> None:
        keys.append(key)
        results.append(_validated(item, key, got))
        if progress:
            progress(offset + len(results), total)

    _init_worker(index, engine, cache)  # this process's too: it reads what the workers hand back
    if jobs <= 1 or len(items) <= 1:
        for item in items:
            finish(item, *_validate_task(item))
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(index, engine, cache)) as pool:
            chunk = max(1, min(16, len(items) // (jobs * 8)))
            for item, (key, got) in zip(items, pool.map(_validate_task, items, chunksize=chunk)):
                finish(item, key, got)
    if cache:
        cache.prune(set(keys))
    return results


def validate_specs(specs: list[ShardSpec], jobs: int, cache: ShardCache | None = None,
                   progress: Callable[[int, int], None] | None = None, engine: str = "pyshacl") -> list[ShardResult]:
    """Validate shards, in `jobs` worker processes when jobs > 1 (results in input order).
    With a cache, shards validated before with the same content come from it."""
    return _run(list(specs), None, jobs, engine, cache, progress)


def _choose(index: ShardIndex, ward: str | None) -> list[int | ShardSpec]:
    if ward is None:
        return [*range(len(index)), reference_shard()]
    chosen: list[int | ShardSpec] = [n for n in range(len(index)) if index.matches(n, ward)]
    if not chosen:
        known = ", ".join(p.ward_label for p in index.plans)
        raise PlangraphError(f"no plan for ward {ward!r}", f"choose one of: {known}")
    return chosen


def validate_store_files(settings: Settings, ward: str | None = None, jobs: int | None = None,
                         ttl_dir: Path | None = None, cache: bool = False,
                         progress: Callable[[int, int], None] | None = None, engine: str = "auto") -> Report:
    """Validate the graph files of `settings.ttl_dir` (data/ttl), one shard per plan.

    `ward` restricts the run to one ward's plan (label, slug or file stem, accents optional)
    and leaves out the reference data. `engine` is "auto", "pyshacl" or "sparql" (same
    findings; see choose_engine). Returns a Report: typed findings, the rule catalogue and
    completeness scores per ward, per rule and per responsible unit. This is the function the
    app calls; `render(report, fmt)` presents it.
    """
    started = time.perf_counter()
    folder = ttl_dir or settings.ttl_dir
    choose_engine(engine, 0)  # an unknown engine is an error before any work
    files = len(list(folder.glob("*.ttl"))) if folder.is_dir() else 0
    used = jobs if jobs is not None else default_jobs(files)
    scanned = (lambda done, total: progress(done, 2 * total)) if progress else None
    # What each plan file holds is kept too: a run with no plan changed reads no file again.
    scan_cache = ScanCache(settings.index_dir / "validation" / "scan", folder, _engine_digest()) if cache else None
    index = scan(folder, used, scanned, scan_cache)
    items = _choose(index, ward)
    chosen = choose_engine(engine, sum(1 for i in items if isinstance(i, int)))
    used = jobs if jobs is not None else default_jobs(len(items))
    # The whole run's results are cached (a --ward run would prune the others' entries).
    shard_cache = ShardCache(settings.index_dir / "validation") if cache and ward is None else None
    results = _run(items, index, used, chosen, shard_cache, progress, offset=len(index), total=len(index) + len(items))
    return Report(shards=results, rules=catalogue().rules, seconds=time.perf_counter() - started, jobs=used,
                  engine=chosen)


def validate_graph_file(path: Path, kind: str = "plan", ward: str = "fixture", candidates: bool = True,
                        engine: str = "pyshacl") -> ShardResult:
    """Validate one Turtle file on its own, with the reference data: fixtures, drafts.

    `kind` "plan" applies the plan-record rules, "reference" the vocabulary rules."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlangraphError(f"{path}: cannot read: {exc}", "check the path") from exc
    return validate_shard(ShardSpec(path.stem, kind, ward, None, None, None, data), candidates, engine)


__all__ = ["ENGINES", "ShardCache", "choose_engine", "default_jobs", "plan_shards", "validate_graph_file",
           "validate_shard", "validate_specs", "validate_store_files"]
