"""So sánh / Compare: every ward's target for one canonical indicator concept."""

from __future__ import annotations

from collections import Counter
from typing import Any, Mapping, Sequence

from plangraph.query.catalog import run
from plangraph.store import Store

from .i18n import pick
from .tables import vn_number

MARKS: dict[str, tuple[str, str]] = {
    "comparable": ("so sánh được", "comparable"),
    "incompatible": ("khác đơn vị – không so sánh được", "different unit – not comparable"),
    "no-number": ("không có giá trị số", "no numeric value"),
    "gap": ("thiếu chỉ tiêu", "no target (gap)"),
}
MARK_COLORS = {"comparable": "#1f4e79", "incompatible": "#c55a11", "no-number": "#bf9000", "gap": "#a5a5a5"}


def value_text(value: Any, unit: str | None, value_max: Any = None) -> str:
    """"97,5%", "2.800 tỷ đồng", "95–97%"."""
    if value is None:
        return ""
    number = vn_number(value) if value_max is None else f"{vn_number(value)}–{vn_number(value_max)}"
    if not unit:
        return number
    return f"{number}{unit}" if unit.startswith("%") else f"{number} {unit}"


def target_text(row: Mapping[str, Any]) -> str:
    """A target as a plan states it: "Từ 95,5% trở lên, đến năm 2030"; "Trên 11% (bình quân hằng năm)"."""
    comparator = row.get("comparator") or ""
    number = value_text(row.get("value"), row.get("unit"), row.get("value_max"))
    if not number:
        text = row.get("qualitative") or comparator
    elif "..." in comparator:
        text = comparator.replace("...", number)
    elif comparator == "Không còn":  # "không còn hộ nghèo": the zero is the target itself
        text = f"{comparator} ({number})"
    elif comparator == "Trong khoảng" or not comparator:
        text = number
    else:
        text = f"{comparator} {number}"
    year = row.get("target_year")
    period = (row.get("periodicity") or "").strip()
    if year:
        text += f", {period.lower() or 'năm'} {year}" if period.lower().startswith("đến") or not period else f" ({period.lower()}, {year})"
    elif period:
        text += f" ({period.lower()})"
    return text


def mark_code(row: Mapping[str, Any], majority_unit: str | None) -> str:
    if not row.get("indicator_iri"):
        return "gap"
    check = row.get("unit_check") or ""
    if "incompatible" in check or (not check and majority_unit and row.get("unit") and row.get("unit") != majority_unit):
        return "incompatible"
    if row.get("value") is None:
        return "no-number"
    return "comparable"


def shape(rows: Sequence[Mapping[str, Any]], lang: str = "vi") -> list[dict[str, Any]]:
    """Rows of `compare-concept` with the target in words and a mark (comparable, different
    unit, no number, gap); a concept with no default unit is compared on the most common unit."""
    units = Counter(r.get("unit") for r in rows if r.get("indicator_iri") and r.get("unit"))
    majority = units.most_common(1)[0][0] if units else None
    out = []
    for r in rows:
        code = mark_code(r, majority)
        target = target_text(r) if code != "gap" else ""
        out.append({
            "ward": r.get("ward"), "indicator": r.get("indicator"), "target": target,
            "comparator": r.get("comparator"), "value": r.get("value"), "value_max": r.get("value_max"),
            "unit": r.get("unit"), "uom": r.get("unit"), "target_year": r.get("target_year"), "periodicity": r.get("periodicity"),
            "status": pick(lang, *MARKS[code]), "mark_code": code,
            "target_text": target if code != "gap" else pick(lang, "— không có chỉ tiêu", "— no target"),
            "indicator_iri": r.get("indicator_iri"), "ward_iri": r.get("ward_iri"),
        })
    return out


def majority_unit(shaped: Sequence[Mapping[str, Any]]) -> str | None:
    units = Counter(r.get("unit") for r in shaped if r.get("mark_code") == "comparable" and r.get("unit"))
    return units.most_common(1)[0][0] if units else None


def summary(shaped: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Rows per mark: targets (comparable, different unit, no number) and wards without one."""
    counts = Counter(r["mark_code"] for r in shaped)
    return {code: counts.get(code, 0) for code in MARKS}


def ward_counts(shaped: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    """Wards with at least one target for the concept, and wards without: a ward with two
    targets for it (a narrower concept's too, or one target stated twice) counts once."""
    wards = {r.get("ward_iri") or r.get("ward") for r in shaped}
    having = {r.get("ward_iri") or r.get("ward") for r in shaped if r.get("mark_code") != "gap"}
    return len(having), len(wards - having)


def shaped(store: Store, concept: str, lang: str = "vi",
           wards: tuple[str, ...] | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """`shape` of every ward's rows for a concept, or of some wards' (`wards`: a province's),
    and the concept's name (for the app's cache: a national graph has 3,300 rows to shape).
    A concept without a default unit is compared on the most common unit of these rows."""
    raw = compare_concept(store, concept, wards=wards)
    return shape(raw, lang), (raw[0].get("concept_label") if raw else None)


def compare_concept(store: Store, concept: str, ward: str | None = None,
                    wards: Sequence[str] | None = None) -> list[dict[str, Any]]:
    params = {"concept": concept}
    if ward:
        params["ward"] = ward
    return run(store, "compare-concept", params, values={"ward": list(wards)} if wards is not None else None).values()
