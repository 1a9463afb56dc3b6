"""Time every page of the app on a big graph: first render and one interaction per page,
under streamlit.testing (AppTest), all pages in one process as the server runs them
(process-wide caches shared between sessions, each page opened in a fresh session).

    PLANGRAPH_DATA=build/bench/w3321 .venv/bin/python bench/app_national.py [--app app/Home.py]
        [--timeout 120] [--passes 2] [--json out.json] [page ...]

The quality page is measured only when named: it starts the validation of every plan in the
background (minutes, both CPUs, slowing every other page meanwhile) and writes its shard
cache to <data>/.index/validation. To keep that out of a shared data folder, point
PLANGRAPH_DATA at a folder holding a `ttl` link to the data and an `.index/<fingerprint>`
link to its index.

A page whose script run does not finish within --timeout seconds is reported as such. AppTest
does not draw anything: browser time (layout, charts, graphs) comes on top. The time spent in
the store's queries is split out by query id ("fixed": picker lists and exports), so what is
left is the app's own work. Pass 1 starts
from a cold process (the national summaries and picker lists are computed then); pass 2
opens every page again in new sessions. Peak memory (max RSS) is printed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("overview", "trace", "compare", "units", "queries", "documents", "search")  # and "quality"


def _second(at: Any, key: str) -> tuple[str, Callable[[], Any]] | None:
    """Pick the next option of the selectbox `key` (a change the page must answer)."""
    try:
        box = at.selectbox(key=key)
    except (KeyError, IndexError):
        return None
    options = list(box.options)
    if len(options) < 2:
        return None
    index = (options.index(box.format_func(box.value)) + 1) % len(options) if box.value is not None else 1
    return f"{key} → option {index + 1} of {len(options)}", lambda: box.select_index(index)


def _radio(at: Any, key: str, value: str) -> tuple[str, Callable[[], Any]] | None:
    try:
        radio = at.radio(key=key)
    except (KeyError, IndexError):
        return None
    return f"{key} → {value}", lambda: radio.set_value(value)


def _text(at: Any, key: str, value: str) -> tuple[str, Callable[[], Any]] | None:
    try:
        box = at.text_input(key=key)
    except (KeyError, IndexError):
        return None
    return f"{key} → {value!r}", lambda: box.input(value)


# Each page's interaction: the first of these its current render offers.
INTERACTIONS: dict[str, list[Callable[[Any], Any]]] = {
    "overview": [lambda at: _second(at, "overview_ward")],
    "trace": [lambda at: _second(at, "trace_ward"), lambda at: _radio(at, "trace_mode", "up")],
    "compare": [lambda at: _second(at, "compare_concept")],
    "units": [lambda at: _second(at, "units_ward")],
    "quality": [lambda at: _radio(at, "quality_severity", "Warning"), lambda at: _second(at, "quality_ward")],
    "queries": [lambda at: _radio(at, "lib_query", "compare-concept")],
    "documents": [lambda at: _second(at, "doc_ward")],
    "search": [lambda at: _text(at, "search_text", "bao hiem y te")],
}


class QueryClock:
    """Time spent in the store's queries by the page's own script runs (background jobs left
    out), by canned query id ("fixed" for picker lists and exports)."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.spent: dict[str, float] = {}

    def install(self) -> None:
        from plangraph.query.catalog import CannedQuery
        from plangraph.store.embedded import EmbeddedStore

        clock, render, select = self, CannedQuery.render, EmbeddedStore.select

        def timed_render(query: Any, bindings: Any) -> str:
            clock.local.query_id = query.id
            return render(query, bindings)

        def timed_select(store: Any, *args: Any, **kwargs: Any) -> Any:
            qid = getattr(clock.local, "query_id", None) or "fixed"
            clock.local.query_id = None
            t = time.perf_counter()
            try:
                return select(store, *args, **kwargs)
            finally:
                if not threading.current_thread().name.startswith("plangraph-"):
                    clock.spent[qid] = clock.spent.get(qid, 0.0) + time.perf_counter() - t

        CannedQuery.render = timed_render  # type: ignore[method-assign]
        EmbeddedStore.select = timed_select  # type: ignore[method-assign]

    def take(self) -> dict[str, float]:
        out, self.spent = self.spent, {}
        return out


CLOCK = QueryClock()


def _queries(spent: dict[str, float]) -> str:
    top = sorted(spent.items(), key=lambda kv: -kv[1])[:3]
    return ", ".join(f"{qid} {s * 1000:,.0f} ms" for qid, s in top if s >= 0.05)


def _problems(at: Any) -> str:
    out = [f"exception: {str(e.value)[:160]}" for e in at.exception]
    out += [f"error: {str(e.value)[:160]}" for e in at.error]
    return "; ".join(out)


def _timed(fn: Callable[[], Any]) -> tuple[float | None, str]:
    t = time.perf_counter()
    try:
        fn()
    except RuntimeError as exc:  # AppTest's "script run timed out"
        return None, f"{type(exc).__name__}: {str(exc)[:120]}"
    return time.perf_counter() - t, ""


def _waiting(at: Any) -> str:
    """The page's note about a background job it follows, if any."""
    notes = [str(e.value) for e in at.info if str(e.value).startswith("Đang ")]
    notes += [str(getattr(p, "proto", p))[:80] for p in at.get("progress")]
    return notes[0][:80] if notes else ""


def measure_page(home: Path, page: str, timeout: float, settle: float = 0.0) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(home), default_timeout=timeout)
    row: dict[str, Any] = {"page": page}
    CLOCK.take()
    if page == "overview":
        row["render"], note = _timed(at.run)
    else:
        # The router's own run (sidebar, page list), then the page: timed together, as a visit.
        row["render"], note = _timed(lambda: (at.run(), at.query_params.clear(), at.switch_page(f"views/{page}.py").run()))
    row["render_queries"] = CLOCK.take()
    row["note"] = note or _problems(at)
    if row["render"] is None:
        return row
    waiting = _waiting(at)
    if waiting:
        row["waiting"] = waiting
        if settle:  # stay on the page, as its own polling does in the browser, until the job is done
            started = time.perf_counter()
            while _waiting(at) and time.perf_counter() - started < settle:
                time.sleep(2)
                CLOCK.take()
                _timed(at.run)
            row["settled"] = time.perf_counter() - started if not _waiting(at) else None
            CLOCK.take()
    for make in INTERACTIONS[page]:
        found = make(at)
        if found is None:
            continue
        label, change = found
        row["interaction"] = label
        row["answer"], note = _timed(lambda: (change(), at.run()))
        row["answer_queries"] = CLOCK.take()
        row["note"] = "; ".join(x for x in (row["note"], note or _problems(at)) if x)
        break
    return row


def _memory() -> str:
    """Resident memory now: anonymous (the heap, pyoxigraph's caches) and file-backed (the
    index's pages read through the page cache)."""
    try:
        status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    except OSError:
        return "?"
    mb = {k: int(status[k].split()[0]) / 1024 for k in ("VmRSS", "RssAnon", "RssFile") if k in status}
    return ", ".join(f"{k} {v:,.0f} MB" for k, v in mb.items())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="*", default=list(PAGES))
    ap.add_argument("--app", default=str(ROOT / "app" / "Home.py"))
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per script run")
    ap.add_argument("--passes", type=int, default=2)
    ap.add_argument("--settle", type=float, default=0.0,
                    help="seconds a page following a background job may wait for it before its interaction")
    ap.add_argument("--json", help="write the rows here")
    args = ap.parse_args(argv)
    home = Path(args.app).resolve()
    sys.path.insert(0, str(home.parent))
    os.environ.setdefault("PLANGRAPH_DATA", str(ROOT / "build" / "bench" / "w3321"))
    print(f"data: {os.environ['PLANGRAPH_DATA']}  app: {home}", flush=True)
    CLOCK.install()
    rows = []
    for n in range(1, args.passes + 1):
        for page in args.pages:
            row = {"pass": n, **measure_page(home, page, args.timeout, args.settle)}
            rows.append(row)
            fmt = (lambda v: "   timeout" if v is None else f"{v * 1000:8,.0f} ms")
            print(f"pass {n} {page:10} render {fmt(row['render'])}   {row.get('interaction', '-')[:46]:46} "
                  f"{fmt(row['answer']) if 'answer' in row else '':>11}  {row.get('waiting', '')[:50]} {row['note'][:200]}",
                  flush=True)
            if "settled" in row:
                print(f"       waited for its background job: {fmt(row['settled']).strip()}", flush=True)
            for what in ("render", "answer"):
                spent = row.get(f"{what}_queries") or {}
                if spent and row.get(what):
                    own = row[what] - sum(spent.values())
                    print(f"       {what}: queries {sum(spent.values()) * 1000:,.0f} ms ({_queries(spent)}); "
                          f"the app's own work {own * 1000:,.0f} ms", flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:,.0f} MB; now {_memory()}", flush=True)
    answered = [r["answer"] for r in rows if r.get("answer") is not None and r["pass"] > 1]
    if answered:
        print(f"pass 2+ interactions: median {statistics.median(answered) * 1000:,.0f} ms, "
              f"max {max(answered) * 1000:,.0f} ms", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "peak_rss_mb": rss}, ensure_ascii=False, indent=2) + "\n",
                                   encoding="utf-8")


if __name__ == "__main__":
    main()
