"""Embedded engines on the same queries: pyoxigraph (the store's engine) vs rdflib.

    .venv/bin/python bench/engines.py [--repeat 7] [--markdown]

Every canned query runs with its default parameters, rendered once (VALUES blocks placed),
on a pyoxigraph store and on an rdflib Graph holding the same triples. Times are the best
of N runs after a warm-up (results fully iterated); the catalog column adds parameter
binding and conversion to Python values. Rows are compared so a ratio is only reported for
equal answers.
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from plangraph.config import settings  # noqa: E402
from plangraph.query.catalog import load_catalog, run  # noqa: E402
from plangraph.query.params import bind_params  # noqa: E402
from plangraph.store.embedded import EmbeddedStore  # noqa: E402
from plangraph.store.factory import data_files  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, int]:
    """Best of `repeat` runs after a warm-up: other work on the machine only adds time."""
    rows = fn()  # warm-up (and rdflib's query parse cache)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        rows = fn()
        times.append(time.perf_counter() - start)
    return min(times), rows


def _rdflib_worker(conn, graph, text: str, repeat: int) -> None:
    try:
        conn.send(timed(lambda: len(list(graph.query(text))), repeat) + ("",))
    except Exception as exc:  # rdflib's SPARQL engine fails on some constructs
        conn.send((float("nan"), -1, f"{type(exc).__name__}: {str(exc)[:60]}"))


def time_rdflib(graph, text: str, repeat: int, cap: float) -> tuple[float, int, str]:
    """rdflib holds the GIL and cannot be interrupted: run it in a forked child, cut at `cap` s."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_rdflib_worker, args=(child, graph, text, repeat))
    proc.start()
    child.close()
    if parent.poll(cap * (repeat + 1)):
        out = parent.recv()
        proc.join()
        return out
    proc.kill()
    proc.join()
    return float("nan"), -1, f"over {cap:g} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument("--cap", type=float, default=30.0, help="seconds per rdflib run before it is given up")
    ap.add_argument("--no-rdflib", action="store_true", help="time pyoxigraph and the catalog only")
    ap.add_argument("--only", action="append", metavar="ID", help="time only these canned queries")
    args = ap.parse_args()

    start = time.perf_counter()
    store = EmbeddedStore(data_files(settings()))
    ox_load = time.perf_counter() - start
    start = time.perf_counter()
    graph = store.rdflib_graph()
    rdf_load = time.perf_counter() - start

    results = []
    for q in load_catalog():
        if args.only and q.id not in args.only:
            continue
        bindings, _ = bind_params(store, q, {})
        text = q.render(bindings)
        ox_t, ox_rows = timed(lambda: len(list(store.store.query(text))), args.repeat)
        # what a caller sees: parameters bound, query run, rows converted to Python values
        e2e_t, _ = timed(lambda: len(run(store, q.id).values()), args.repeat)
        if args.no_rdflib:
            rdf_t, rdf_rows, error = float("nan"), ox_rows, "skipped"
        else:
            rdf_t, rdf_rows, error = time_rdflib(graph, text, max(1, args.repeat // 3), args.cap)
        print(f"  {q.id}: pyoxigraph {ox_t * 1000:.1f} ms, rdflib {rdf_t * 1000:.1f} ms {error}", file=sys.stderr, flush=True)
        results.append((q.id, ox_rows, rdf_rows, ox_t, rdf_t, error, e2e_t))

    ratios = [r[4] / r[3] for r in results if not r[5] and r[1] == r[2] and r[3] > 0]
    slow = [r for r in results if r[5].startswith("over")]
    if args.markdown:
        print(f"Triples: {store.triple_count():,}; load: pyoxigraph {ox_load * 1000:.0f} ms, rdflib Graph (from the store) "
              f"{rdf_load * 1000:.0f} ms. Python {platform.python_version()}, {platform.machine()}.\n")
        print("| query | rows | pyoxigraph ms | `run()` + values ms | rdflib ms | rdflib / pyoxigraph |")
        print("|---|---:|---:|---:|---:|---:|")
        for qid, ox_rows, rdf_rows, ox_t, rdf_t, error, e2e_t in results:
            head = f"| `{qid}` | {ox_rows} | {ox_t * 1000:.1f} | {e2e_t * 1000:.1f} |"
            if error.startswith("over"):
                print(f"{head} > {args.cap * 1000:.0f} | > {args.cap / ox_t:,.0f}× |")
            elif error:
                print(f"{head} – | {error} |")
            elif ox_rows != rdf_rows:
                print(f"{head} {rdf_t * 1000:.1f} | different answer ({rdf_rows} rows) |")
            else:
                print(f"{head} {rdf_t * 1000:.1f} | {rdf_t / ox_t:,.0f}× |")
        if ratios:
            print(f"\nMedian ratio {statistics.median(ratios):.0f}× (range {min(ratios):.0f}×–{max(ratios):,.0f}×) "
                  f"over the {len(ratios)} queries rdflib finished within {args.cap:g} s with the same rows; "
                  f"{len(slow)} more did not finish within {args.cap:g} s.")
        return
    print(f"{'query':22} {'rows':>6} {'pyoxigraph':>11} {'rdflib':>11} {'ratio':>7}")
    for qid, ox_rows, rdf_rows, ox_t, rdf_t, error, _e2e in results:
        tail = error or ("different answer" if ox_rows != rdf_rows else f"{rdf_t / ox_t:6.0f}x")
        print(f"{qid:22} {ox_rows:6d} {ox_t * 1000:9.1f}ms {rdf_t * 1000:9.1f}ms {tail:>7}")
    if ratios:
        print(f"median ratio {statistics.median(ratios):.0f}x over {len(ratios)} queries")


if __name__ == "__main__":
    main()
