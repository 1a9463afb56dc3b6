"""Tổng quan / Overview: wards and provinces, counts by domain and level, completeness,
former units. Rows come from the canned queries `ward-overview` and `formed-from`.

Wards are told apart by IRI, not by name: a national graph has several "Bình Tường"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from plangraph.query.catalog import run
from plangraph.store import Store
from plangraph.text import fold

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


def _ward_key(r: Mapping[str, Any]) -> str:
    return r.get("ward_iri") or r.get("ward") or ""


def completeness(rows: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Each ward's completeness (by ward IRI): the mean of its completeness percentages (one decimal)."""
    values: dict[str, list[float]] = defaultdict(list)
    for r in section(rows, "completeness"):
        values[_ward_key(r)].append(r["value"])
    return {w: round(sum(v) / len(v), 1) for w, v in values.items() if v}


def ward_table(overview_rows: Sequence[Mapping[str, Any]], formed_rows: Sequence[Mapping[str, Any]],
               index: SourceIndex | None = None) -> list[dict[str, Any]]:
    """One row per ward: province, plan (with a source index), counts, completeness and the
    former units; by province, then ward."""
    wards: dict[str, dict[str, Any]] = {}
    for r in formed_rows:
        w = wards.setdefault(_ward_key(r), {"ward": r["ward"], "province": r.get("province"), "ward_iri": r.get("ward_iri"),
                                            "former": []})
        if r.get("former_unit"):
            w["former"].append(r["former_unit"])
    totals = {(_ward_key(r), r["item"]): r["value"] for r in section(overview_rows, "totals")}
    docs: dict[str, float] = defaultdict(float)
    for r in section(overview_rows, "documents-by-level"):
        docs[_ward_key(r)] += r["value"]
    units: dict[str, float] = defaultdict(float)
    for r in section(overview_rows, "units"):
        units[_ward_key(r)] += r["value"]
    score = completeness(overview_rows)
    for r in overview_rows:
        wards.setdefault(_ward_key(r), {"ward": r["ward"], "province": None, "ward_iri": r.get("ward_iri"), "former": []})
    out = []
    for key in sorted(wards, key=lambda k: (wards[k].get("province") or "", wards[k]["ward"], k)):
        w = wards[key]
        plan = index.plan_of(w["ward"], w["ward_iri"]) if index is not None else None
        out.append({
            "ward": w["ward"], "province": w["province"], "plan_document": plan.document if plan else None,
            "indicators": int(totals.get((key, "Chỉ tiêu"), 0)), "tasks": int(totals.get((key, "Nhiệm vụ"), 0)),
            "citations": int(totals.get((key, "Trích dẫn"), 0)), "documents_cited": int(docs.get(key, 0)),
            "units_count": int(units.get(key, 0)), "completeness": score.get(key),
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


def province_table(ward_rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per province: wards, indicators, tasks, citations, mean completeness."""
    out: dict[str, dict[str, Any]] = {}
    scores: dict[str, list[float]] = defaultdict(list)
    for r in ward_rows:
        p = r.get("province") or "?"
        row = out.setdefault(p, {"province": p, "ward_count": 0, "indicators": 0, "tasks": 0, "citations": 0})
        row["ward_count"] += 1
        for k in ("indicators", "tasks", "citations"):
            row[k] += int(r.get(k) or 0)
        if r.get("completeness") is not None:
            scores[p].append(r["completeness"])
    for p, row in out.items():
        row["completeness"] = round(sum(scores[p]) / len(scores[p]), 1) if scores[p] else None
    return [out[p] for p in sorted(out, key=fold)]  # as the province picker lists them


def summed(rows: Sequence[Mapping[str, Any]], group: str) -> list[dict[str, Any]]:
    """(item, value) rows of a section added up over many wards, under one `group` name (a
    province's indicators by domain ...)."""
    sums: dict[str, float] = defaultdict(float)
    for r in rows:
        sums[r["item"]] += r["value"]
    return [{"ward": group, "item": item, "value": value} for item, value in sums.items()]


@dataclass(frozen=True)
class Summary:
    """The overview of a big graph, computed once in the background: one row per ward (no plan
    names: those come with each ward's sources), the sections the charts draw, and the number
    of documents cited."""

    wards: tuple[dict[str, Any], ...]
    sections: dict[str, tuple[dict[str, Any], ...]]
    documents_cited: int


CHART_SECTIONS = ("indicators-by-domain", "documents-by-level", "completeness")


def summary(store: Store, formed_rows: Sequence[Mapping[str, Any]], documents_cited: int) -> Summary:
    rows = run(store, "ward-overview", {}).values()
    sections = {code: tuple(section(rows, code)) for code in CHART_SECTIONS}
    return Summary(tuple(ward_table(rows, formed_rows)), sections, documents_cited)


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
