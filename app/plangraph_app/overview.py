"""Tổng quan / Overview: wards and provinces, counts by domain and level, completeness,
former units. Rows come from the canned queries `ward-overview` and `formed-from`."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Mapping, Sequence

from plangraph.query.catalog import run
from plangraph.store import Store

from .sources import SourceIndex


def fetch(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return run(store, "ward-overview", {}).values(), run(store, "formed-from", {}).values()


def _num(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0


def section(rows: Sequence[Mapping[str, Any]], code: str) -> list[dict[str, Any]]:
    """The (ward, item, value) rows of one section of ward-overview (indicators-by-domain ...)."""
    return [{"ward": r["ward"], "item": r["item"], "value": _num(r.get("value")), "measure": r.get("measure"),
             "ward_iri": r.get("ward_iri")} for r in rows if r.get("section_code") == code]


def completeness(rows: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Each ward's completeness: the mean of its completeness percentages (one decimal)."""
    values: dict[str, list[float]] = defaultdict(list)
    for r in section(rows, "completeness"):
        values[r["ward"]].append(r["value"])
    return {w: round(sum(v) / len(v), 1) for w, v in values.items() if v}


def ward_table(overview_rows: Sequence[Mapping[str, Any]], formed_rows: Sequence[Mapping[str, Any]],
               index: SourceIndex | None = None) -> list[dict[str, Any]]:
    """One row per ward: province, plan, counts, completeness and the former units."""
    wards: dict[str, dict[str, Any]] = {}
    for r in formed_rows:
        w = wards.setdefault(r["ward"], {"ward": r["ward"], "province": r.get("province"), "ward_iri": r.get("ward_iri"),
                                         "former": []})
        if r.get("former_unit"):
            w["former"].append(r["former_unit"])
    totals = {(r["ward"], r["item"]): r["value"] for r in section(overview_rows, "totals")}
    docs: dict[str, float] = defaultdict(float)
    for r in section(overview_rows, "documents-by-level"):
        docs[r["ward"]] += r["value"]
    units: dict[str, float] = defaultdict(float)
    for r in section(overview_rows, "units"):
        units[r["ward"]] += r["value"]
    score = completeness(overview_rows)
    for r in overview_rows:
        wards.setdefault(r["ward"], {"ward": r["ward"], "province": None, "ward_iri": r.get("ward_iri"), "former": []})
    out = []
    for name in sorted(wards, key=lambda w: (wards[w].get("province") or "", w)):
        w = wards[name]
        plan = index.plan_of(name) if index is not None else None
        out.append({
            "ward": name, "province": w["province"], "plan_document": plan.document if plan else None,
            "indicators": int(totals.get((name, "Chỉ tiêu"), 0)), "tasks": int(totals.get((name, "Nhiệm vụ"), 0)),
            "citations": int(totals.get((name, "Trích dẫn"), 0)), "documents_cited": int(docs.get(name, 0)),
            "units_count": int(units.get(name, 0)), "completeness": score.get(name),
            "former_units": ", ".join(w["former"]) if w["former"] else None, "ward_iri": w["ward_iri"],
            "plan_iri": plan.iri if plan else None,
        })
    return out


def provinces(ward_rows: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for r in ward_rows:
        out[r.get("province") or "?"].append(r["ward"])
    return dict(out)


def totals(ward_rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    return {k: sum(int(r.get(k) or 0) for r in ward_rows) for k in ("indicators", "tasks", "citations")}


def ward_indicators(indicator_rows: Sequence[Mapping[str, Any]], ward: str) -> list[dict[str, Any]]:
    """A ward's indicators (export rows) with the target in words and the source line."""
    from .compare import target_text

    out = []
    for r in indicator_rows:
        if r.get("ward") != ward:
            continue
        out.append({"no": r.get("no"), "group": r.get("group"), "name": r.get("name"),
                    "target": target_text(r), "responsible_units": (r.get("responsible_units") or "").replace(";", "; ") or None,
                    "source_line": r.get("source_line"), "quote": r.get("quote"), "source_file": r.get("source_file")})
    return out
