"""`plangraph bench`: load, every canned query, validation, memory and app start, for the
embedded engine (pyoxigraph), rdflib's engine and a remote Oxigraph server, side by side in
one run, at several national scales. A benchmark, not a test: numbers go to
docs/PERFORMANCE.md; pytest only checks that it runs at small N.

Each engine is measured in its own child process so that peak memory is its own.
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import PlangraphError
from .query.warm import TABLE_LIMIT
from .query.warm import default_params as _default_params

ENGINES = ("pyoxigraph", "rdflib", "oxigraph-server")
# rdflib's engine and in-memory graph do not scale to the national graph on this machine;
# above this many triples it is reported as skipped rather than left running for hours.
RDFLIB_MAX_TRIPLES = 1_500_000
# Queries are timed as the app runs them: at most this many rows fetched (the app's table
# limit; downloads run the query again without it).
ROW_LIMIT = TABLE_LIMIT


@dataclass
class EngineRun:
    engine: str
    load_seconds: float | None = None
    triples: int = 0
    queries: dict[str, float | None] = field(default_factory=dict)  # query id -> median seconds
    # The queries that take a ward, run for one ward (how the app's pages use them).
    scoped: dict[str, float | None] = field(default_factory=dict)
    peak_memory_mb: float | None = None
    open_seconds: float | None = None  # reopening the persistent index once built (embedded engine)
    # The first run of each query when the store keeps slow results (the persistent index):
    # what a query costs before its result is kept.
    first: dict[str, float | None] = field(default_factory=dict)
    scoped_first: dict[str, float | None] = field(default_factory=dict)
    note: str = ""


@dataclass
class ScaleRun:
    wards: int
    triples: int
    files: int
    engines: dict[str, EngineRun] = field(default_factory=dict)
    validation_seconds: float | None = None
    validation_jobs: int = 0
    validation_findings: dict[str, int] = field(default_factory=dict)
    validation_cached_seconds: float | None = None  # the same run again, every shard unchanged
    app_start_seconds: float | None = None


def machine() -> dict[str, Any]:
    mem = 0
    try:
        with open("/proc/meminfo") as fh:
            mem = int(fh.readline().split()[1]) // 1024
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    import pyoxigraph
    import rdflib

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": mem, "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__, "platform": platform.platform()}


def _median(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up: query parsing and caches
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _scoped_params(store: Any, params: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The queries with a ward parameter, with it set to the first ward offered."""
    from .query.catalog import load_catalog
    from .query.choices import choices

    wards = choices(store, "ward")
    if not wards:
        return {}
    first = wards[0][0] if isinstance(wards[0], tuple) else wards[0]
    return {q.id: {**params[q.id], "ward": first} for q in load_catalog() if any(p.name == "ward" for p in q.params)}


class _Cut(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise _Cut()


# A query on the Rust engines still running after this long is reported as cut (None).
QUERY_TIMEOUT = 60.0


def _run_queries(store: Any, params: dict[str, dict[str, Any]], repeat: int, budget: float,
                 cap: float | None = None, firsts: dict[str, float | None] | None = None) -> dict[str, float | None]:
    """Median seconds per canned query. A query slower than `budget` is timed once; one
    slower than `cap` is cut (pure-Python engines stop at the alarm) and reported as None.
    On a store that keeps slow results (the persistent index) every query is timed again,
    and its first run, which computed the result, goes into `firsts`."""
    import signal

    from .query.catalog import run

    keeps = getattr(store, "result_cache", None) is not None
    out: dict[str, float | None] = {}
    for qid, p in sorted(params.items()):
        t = time.perf_counter()
        try:
            if cap:
                signal.signal(signal.SIGALRM, _alarm)
                signal.setitimer(signal.ITIMER_REAL, cap)
            run(store, qid, p, limit=ROW_LIMIT, timeout=None if cap else QUERY_TIMEOUT)
        except Exception:  # noqa: BLE001 - a failing or cut query is reported as missing, not fatal
            out[qid] = None
            continue
        finally:
            if cap:
                signal.setitimer(signal.ITIMER_REAL, 0)
        first = time.perf_counter() - t
        if firsts is not None:
            firsts[qid] = first
        out[qid] = first if first > budget and not keeps else _median(lambda: run(store, qid, p, limit=ROW_LIMIT), repeat)
    return out


def _child(engine: str, ttl_dir: str, repeat: int, conn: Any) -> None:
    try:
        conn.send(asdict(_measure(engine, Path(ttl_dir), repeat)))
    except Exception as exc:  # noqa: BLE001
        conn.send(asdict(EngineRun(engine, note=f"{type(exc).__name__}: {str(exc)[:200]}")))


def _measure(engine: str, ttl_dir: Path, repeat: int) -> EngineRun:
    files = sorted(ttl_dir.glob("*.ttl"))
    run = EngineRun(engine)
    if engine == "pyoxigraph":
        # As the product opens it (PLANGRAPH_INDEX=auto): in memory for a small graph, a
        # persistent index for a big one. Load = cold (index built from the Turtle); the
        # index is then reopened the way every later process opens it.
        from .config import settings as make_settings
        from .store.factory import open_store

        with tempfile.TemporaryDirectory(prefix="pg-bench-index-") as tmp:
            conf = make_settings(data_dir=ttl_dir.parent, endpoint="", index="auto", index_root=Path(tmp))
            t = time.perf_counter()
            store = open_store(conf)
            run.load_seconds = time.perf_counter() - t
            if getattr(store, "index_path", None) is not None:
                del store
                t = time.perf_counter()
                store = open_store(conf)
                run.open_seconds = time.perf_counter() - t
                run.note = "persistent index (PLANGRAPH_INDEX=auto); load = building it, reopen = every later start"
            run.triples = store.triple_count()
            params = _default_params(store)
            firsts: dict[str, float | None] = {}
            scoped_firsts: dict[str, float | None] = {}
            run.queries = _run_queries(store, params, repeat, budget=5.0, firsts=firsts)
            run.scoped = _run_queries(store, _scoped_params(store, params), repeat, budget=5.0, firsts=scoped_firsts)
            if getattr(store, "result_cache", None) is not None:
                run.first, run.scoped_first = firsts, scoped_firsts
                run.note += ("; queries: median of the runs after the first, which keeps a result taking "
                             f"≥ {store.result_cache.min_seconds:g} s beside the index; the first runs, which "
                             "compute every result, are in the column \"pyoxigraph, first run\"")
            run.peak_memory_mb = _peak_mb()
            del store
        return run
    elif engine == "rdflib":
        from .store.rdflib_store import RdflibStore

        size = sum(f.stat().st_size for f in files)
        if size > RDFLIB_MAX_TRIPLES * 100:  # ~100 bytes of Turtle per triple
            run.note = f"skipped: ~{size // 100:,} triples is beyond rdflib's in-memory engine here"
            return run
        t = time.perf_counter()
        store = RdflibStore(files)
        run.load_seconds = time.perf_counter() - t
        run.triples = store.triple_count()
        run.queries = _run_queries(store, _default_params(store), max(1, repeat // 2), budget=2.0, cap=30.0)
        cut = sorted(q for q, v in run.queries.items() if v is None)
        if cut:
            run.note = f"cut after 30 s: {', '.join(cut)}"
    else:
        return _measure_server(ttl_dir, files, repeat)
    run.peak_memory_mb = _peak_mb()
    return run


def _measure_server(ttl_dir: Path, files: list[Path], repeat: int) -> EngineRun:
    from .resources import reference_files
    from .store.remote import RemoteStore
    from .store.server import oxigraph_executable, oxigraph_server

    run = EngineRun("oxigraph-server")
    exe = oxigraph_executable()
    if exe is None:
        raise RuntimeError("the oxigraph server is not installed (pip install oxigraph)")
    with tempfile.TemporaryDirectory(prefix="pg-bench-") as tmp:
        ref_dir = Path(tmp) / "reference"
        ref_dir.mkdir()
        refs = []
        for r in reference_files():
            target = ref_dir / r.name
            target.write_bytes(r.read_bytes())
            refs.append(str(target))
        location = Path(tmp) / "db"
        t = time.perf_counter()
        subprocess.run([exe, "load", "--location", str(location), "--lenient", "--file", *refs, *map(str, files)],
                       check=True, capture_output=True, timeout=3600)
        # A read-only server never compacts: without this, a bulk-loaded national graph is
        # read from hundreds of unmerged files and one-ward queries take 10-50x longer.
        subprocess.run([exe, "optimize", "--location", str(location)], check=True, capture_output=True, timeout=3600)
        run.load_seconds = time.perf_counter() - t
        with oxigraph_server(location, read_only=True, start_timeout=120) as url:
            store = RemoteStore(url, timeout=120)
            run.triples = store.triple_count()
            params = _default_params(store)
            run.queries = _run_queries(store, params, repeat, budget=5.0)
            run.scoped = _run_queries(store, _scoped_params(store, params), repeat, budget=5.0)
        run.peak_memory_mb = _rss_of_children()
    return run


def _rss_of_children() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def measure_engine(engine: str, ttl_dir: Path, repeat: int, timeout: float = 7200) -> EngineRun:
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(engine, str(ttl_dir), repeat, child))
    proc.start()
    child.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if parent.poll(1.0):
            out = parent.recv()
            proc.join()
            return EngineRun(**out)
        if not proc.is_alive():
            return EngineRun(engine, note=f"the measuring process died (exit code {proc.exitcode})")
    proc.kill()
    proc.join()
    return EngineRun(engine, note=f"over {timeout:g} s")


def _validation(settings: Settings) -> tuple[float, int, dict[str, int], float]:
    """Full validation from cold (no cached shard results), then the same run again as it is
    after a change to no plan (every shard from the cache)."""
    from .validate import validate_store_files

    with tempfile.TemporaryDirectory(prefix="pg-bench-validation-") as tmp:
        conf = replace(settings, index_root=Path(tmp))
        t = time.perf_counter()
        report = validate_store_files(conf, cache=True)
        seconds = time.perf_counter() - t
        counts: dict[str, int] = {}
        for shard in report.shards:
            for f in shard.findings:
                key = str(getattr(f.severity, "value", f.severity))
                counts[key] = counts.get(key, 0) + 1
        jobs = report.jobs
        del report  # the national report holds ~250,000 findings: not two at once
        t = time.perf_counter()
        validate_store_files(conf, cache=True)
        cached = time.perf_counter() - t
    return seconds, jobs, counts, cached


def _app_start(data_dir: Path, timeout: float = 600) -> float | None:
    """Seconds until the app's first page has run (store loaded and rendered), in a fresh process."""
    app = Path(__file__).resolve().parents[2] / "app" / "Home.py"
    if not app.exists():
        return None
    code = ("import time,sys; t=time.perf_counter(); from streamlit.testing.v1 import AppTest; "
            f"at=AppTest.from_file({str(app)!r}, default_timeout={timeout}); at.run(); "
            "print('ERR' if at.exception else time.perf_counter()-t)")
    env = {**os.environ, "PLANGRAPH_DATA": str(data_dir)}
    env.pop("PLANGRAPH_ENDPOINT", None)
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=timeout + 60,
                       cwd=str(app.parent))
    wall = time.perf_counter() - t
    out = r.stdout.strip().splitlines()[-1:] if r.stdout.strip() else []
    return wall if out and out[0] != "ERR" else None


FORMATS = ("markdown", "json")


def check_options(wards: str, engines: str, repeat: int, fmt: str = "markdown") -> tuple[list[int], tuple[str, ...]]:
    """The scales and engines of a run's options, or an error naming the bad one, before any
    work starts (a national run takes tens of minutes)."""
    try:
        scales = [int(w) for w in wards.split(",") if w.strip()]
    except ValueError as exc:
        raise PlangraphError(f"--wards takes numbers: {wards!r}", "e.g. --wards 5,330,3321") from exc
    if not scales or min(scales) < 1:
        raise PlangraphError(f"--wards takes numbers of at least 1: {wards!r}", "e.g. --wards 5,330,3321")
    chosen = tuple(dict.fromkeys(e.strip() for e in engines.split(",") if e.strip()))
    unknown = [e for e in chosen if e not in ENGINES]
    if unknown or not chosen:
        raise PlangraphError(f"--engines: unknown engine {', '.join(unknown) or engines!r}",
                             f"choose from {','.join(ENGINES)}")
    if repeat < 1:
        raise PlangraphError(f"--repeat must be at least 1, not {repeat}", "e.g. --repeat 5")
    if fmt not in FORMATS:
        raise PlangraphError(f"--format must be markdown or json, not {fmt!r}", "e.g. --format json")
    return scales, chosen


def bench(settings: Settings, wards: list[int], engines: tuple[str, ...] = ENGINES, repeat: int = 5,
          work_dir: Path = Path("build/bench"), seed: int = 1, app: bool = True,
          progress: Callable[[str], None] = lambda _m: None,
          partial: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Measure each scale in turn; `partial(result_so_far)` hears after each one (a long run
    keeps what it measured if a later scale fails or is stopped)."""
    from .synth import generate

    runs = []
    for n in wards:
        if n == 5:
            data_settings = settings
        else:
            progress(f"N={n}: tạo dữ liệu tổng hợp / generating synthetic plans")
            out = work_dir / f"w{n}"
            generate(settings, n, seed, out)
            data_settings = replace(settings, data_dir=out)
        files = sorted(data_settings.ttl_dir.glob("*.ttl"))
        run = ScaleRun(n, 0, len(files))
        for engine in engines:
            progress(f"N={n}: {engine}")
            run.engines[engine] = measure_engine(engine, data_settings.ttl_dir, repeat)
        run.triples = max((e.triples for e in run.engines.values()), default=0)
        progress(f"N={n}: kiểm tra SHACL / validation")
        (run.validation_seconds, run.validation_jobs, run.validation_findings,
         run.validation_cached_seconds) = _validation(data_settings)
        if app:
            progress(f"N={n}: khởi động ứng dụng / app start")
            # As on every start but the first: a big graph's index already built (its build
            # is the pyoxigraph load above).
            from .store.factory import open_store

            open_store(replace(data_settings, endpoint=""))
            run.app_start_seconds = _app_start(data_settings.data_dir)
        runs.append(run)
        if partial:
            partial({"machine": machine(), "repeat": repeat, "runs": [asdict(r) for r in runs]})
    return {"machine": machine(), "repeat": repeat, "runs": [asdict(r) for r in runs]}
