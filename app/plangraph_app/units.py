"""Đơn vị / Units: who is responsible for what, per ward and across wards.

Counts come from the canned query `unit-workload`; the item-by-unit matrix of a ward from the
`indicators` and `tasks` exports (responsible units, lead and coordinating units, directing
leader, with each item's source line and quote).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Mapping, Sequence

from plangraph.query.catalog import run
from plangraph.store import Store

from .i18n import pick
from .tables import split_list

ROLES = {
    "lead": ("chủ trì", "lead"),
    "coordinate": ("phối hợp", "coordinate"),
    "responsible": ("phụ trách", "responsible"),
    "direct": ("chỉ đạo", "direct"),
}


# Abbreviations every ward office uses, for the matrix's column headers (the full name is the
# header's tooltip).
ABBREVIATIONS = (
    ("Phó Chủ tịch UBND phụ trách ", "PCT "), ("Phó Chủ tịch UBND", "PCT UBND"), ("Chủ tịch UBND", "CT UBND"),
    ("Văn phòng HĐND và UBND", "VP HĐND-UBND"), ("Phòng ", "P. "), ("Trung tâm ", "TT "),
    ("Ban Chỉ huy quân sự", "BCH Quân sự"), ("Ban Quản lý dự án", "BQL dự án"), ("văn hóa - xã hội", "VH-XH"),
    ("Văn hóa - Xã hội", "VH-XH"), ("Kinh tế, Hạ tầng và Đô thị", "KT, HT & ĐT"), ("Ủy ban MTTQ Việt Nam", "UB MTTQ"),
)


def short_name(unit: str) -> str:
    """"Phòng Kinh tế, Hạ tầng và Đô thị" -> "P. KT, HT & ĐT"; "Công an" stays."""
    out = unit
    for long, short in ABBREVIATIONS:
        out = out.replace(long, short)
    return out


def workload(store: Store, ward: str | None = None) -> list[dict[str, Any]]:
    return run(store, "unit-workload", {"ward": ward} if ward else {}).values()


def cross_ward(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """(unit, ward, total) cells for the across-wards heat map; units that lead nothing anywhere
    still appear, with 0."""
    return [{"unit": r["unit"], "ward": r["ward"], "total": int(r.get("total") or 0)} for r in rows]


def assignments(indicator_rows: Sequence[Mapping[str, Any]], task_rows: Sequence[Mapping[str, Any]],
                ward: str) -> list[dict[str, Any]]:
    """Every (item, unit, role) of a ward, from the export rows, with the item's source."""
    out = []
    for r in indicator_rows:
        if r.get("ward") != ward:
            continue
        base = {"kind": "indicator", "no": r.get("no"), "item": r.get("name"), "source_line": r.get("source_line"),
                "quote": r.get("quote")}
        for u in split_list(r.get("responsible_units"), (";",)):
            out.append({**base, "unit": u, "role": "responsible"})
        if r.get("leader"):
            out.append({**base, "unit": r["leader"], "role": "direct"})
        if not r.get("responsible_units") and not r.get("leader"):
            out.append({**base, "unit": None, "role": None})
    for r in task_rows:
        if r.get("ward") != ward:
            continue
        base = {"kind": "task", "no": r.get("no"), "item": r.get("name"), "source_line": r.get("source_line"),
                "quote": r.get("quote")}
        if r.get("lead_unit"):
            out.append({**base, "unit": r["lead_unit"], "role": "lead"})
        for u in split_list(r.get("coordinating_units"), (";",)):
            out.append({**base, "unit": u, "role": "coordinate"})
        if r.get("leader"):
            out.append({**base, "unit": r["leader"], "role": "direct"})
        if not r.get("lead_unit") and not r.get("coordinating_units") and not r.get("leader"):
            out.append({**base, "unit": None, "role": None})
    return out


def matrix(pairs: Sequence[Mapping[str, Any]], lang: str = "vi", kinds: Sequence[str] = ("indicator", "task"),
           assigned_only: bool = True) -> tuple[list[str], list[dict[str, Any]]]:
    """Items as rows, units as columns (busiest first), the role in each cell.

    Returns (unit columns, rows); each row has kind, no, item, source_line, quote and one key
    per unit."""
    pairs = [p for p in pairs if p["kind"] in kinds]
    busy = Counter(p["unit"] for p in pairs if p.get("unit"))
    units = [u for u, _ in sorted(busy.items(), key=lambda kv: (-kv[1], kv[0]))]
    rows: dict[tuple[str, str, Any], dict[str, Any]] = {}
    for p in pairs:
        key = (p["kind"], p["item"], p.get("source_line"))
        row = rows.setdefault(key, {"kind": pick(lang, *(("Chỉ tiêu", "Indicator") if p["kind"] == "indicator" else ("Nhiệm vụ", "Task"))),
                                    "no": p.get("no"), "item": p["item"], "source_line": p.get("source_line"),
                                    "quote": p.get("quote"), "_assigned": False, **{u: "" for u in units}})
        if p.get("unit"):
            role = pick(lang, *ROLES[p["role"]])
            row[p["unit"]] = f"{row[p['unit']]}, {role}" if row[p["unit"]] else role
            row["_assigned"] = True
    out = [r for r in rows.values() if r["_assigned"] or not assigned_only]
    for r in out:
        r.pop("_assigned")
    return units, out


def unassigned_count(pairs: Sequence[Mapping[str, Any]], kinds: Sequence[str] = ("indicator", "task")) -> tuple[int, int]:
    """(items with no unit, all items) of the chosen kinds."""
    items: dict[tuple[str, str, Any], bool] = {}
    for p in pairs:
        if p["kind"] not in kinds:
            continue
        key = (p["kind"], p["item"], p.get("source_line"))
        items[key] = items.get(key, False) or bool(p.get("unit"))
    return sum(1 for v in items.values() if not v), len(items)


def unit_items(pairs: Sequence[Mapping[str, Any]], unit: str, lang: str = "vi") -> list[dict[str, Any]]:
    """What one unit is assigned in a ward, with the role and source line."""
    return [{"kind": pick(lang, *(("Chỉ tiêu", "Indicator") if p["kind"] == "indicator" else ("Nhiệm vụ", "Task"))),
             "role": pick(lang, *ROLES[p["role"]]), "no": p.get("no"), "item": p["item"],
             "source_line": p.get("source_line"), "quote": p.get("quote")}
            for p in pairs if p.get("unit") == unit]
