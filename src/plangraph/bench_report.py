"""The benchmark's figures as the markdown table of docs/PERFORMANCE.md, or as JSON
(`plangraph bench --format json`): one table per scale, one column per engine, and a column of
first runs where the engine keeps results."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from typing import Any

from .bench import QUERY_TIMEOUT


def _columns(eng: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """The table's columns: (header, engine figures, which queries: "" or "first")."""
    out = []
    for name, e in eng.items():
        out.append((name, e, ""))
        if e.get("first"):
            out.append((f"{name}, first run", e, "first"))
    return out


def _ms(v: float | None) -> str:
    return _fmt(v * 1000 if v is not None else None, 1)


def to_markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_mb']:,} MB; Python {m['python']}, "
             f"pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}.", ""]
    for run in result["runs"]:
        eng = run["engines"]
        cols = _columns(eng)

        def row(label: str, cell: Callable[[dict[str, Any], str], str]) -> str:
            return f"| {label} | " + " | ".join(cell(e, which) for _n, e, which in cols) + " |"

        lines += [f"### N = {run['wards']:,} plans ({run['triples']:,} triples, {run['files']} files)", "",
                  "| | " + " | ".join(n for n, _e, _w in cols) + " |", "|---|" + "---:|" * len(cols)]
        lines.append(row("load (s)", lambda e, w: "" if w else _fmt(e["load_seconds"])))
        if any(e.get("open_seconds") is not None for e in eng.values()):
            lines.append(row("reopen index (s)", lambda e, w: "" if w else _fmt(e.get("open_seconds"))))
        lines.append(row("peak memory (MB)", lambda e, w: "" if w else _fmt(e["peak_memory_mb"], 0)))
        qids = sorted({q for e in eng.values() for q in e["queries"]})
        for q in qids:
            lines.append(row(f"`{q}` (ms)", lambda e, w: _ms((e["first"] if w else e["queries"]).get(q))))
        scoped = sorted({q for e in eng.values() for q in e.get("scoped", {})})
        for q in scoped:
            lines.append(row(f"`{q}` one ward (ms)",
                             lambda e, w: _ms((e.get("scoped_first", {}) if w else e.get("scoped", {})).get(q))))
        # Engines are compared on what they compute: pyoxigraph's first runs where it keeps results.
        base_run = eng.get("pyoxigraph", {})
        base = base_run.get("first") or base_run.get("queries", {})
        for name, e in eng.items():
            if name == "pyoxigraph":
                continue
            ratios = [e["queries"][q] / base[q] for q in qids if base.get(q) and e["queries"].get(q)]
            if ratios:
                lines.append(f"| median ratio {name} / pyoxigraph{' (first runs)' if base_run.get('first') else ''} | "
                             f"{statistics.median(ratios):.1f}× |" + " |" * (len(cols) - 1))
        notes = [f"{k}: {e['note']}" for k, e in eng.items() if e.get("note")]
        notes += [f"{k}: cut or failed after {QUERY_TIMEOUT:g} s: {', '.join(sorted(q for q, v in e['queries'].items() if v is None))}"
                  for k, e in eng.items() if k != "rdflib" and any(v is None for v in e["queries"].values())]
        lines += ["", f"Validation (sharded, {run['validation_jobs']} process(es)): {_fmt(run['validation_seconds'])} s; "
                  f"findings {run['validation_findings']}; again with no plan changed (cached shards): "
                  f"{_fmt(run.get('validation_cached_seconds'))} s. App first page: {_fmt(run['app_start_seconds'])} s."]
        lines += [f"Note — {n}" for n in notes] + [""]
    return "\n".join(lines)


def _fmt(v: float | None, digits: int = 2) -> str:
    return "–" if v is None else f"{v:,.{digits}f}"


def dumps(result: dict[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)
