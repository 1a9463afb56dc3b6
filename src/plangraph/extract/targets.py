"""Parse the measurable targets in a clause: comparator, value, range, unit, periodicity, year.

"tỷ lệ dân số tham gia bảo hiểm y tế đạt 99,7%" -> eq 99.7 %;
"tăng bình quân 14-15%/năm" -> growth 14..15 %, yearly average; "2.800 tỷ đồng" -> 2800.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import fold
from .records import Target

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# Longest first: the unit printed after a value. "/năm" flows are handled separately.
UNITS = (
    "triệu đồng/người/năm", "triệu đồng/người/tháng", "triệu đồng/người", "triệu đồng/ha", "triệu đồng",
    "tỷ đồng", "tỉ đồng", "triệu USD", "nghìn con", "nghìn tấn", "lượt người", "lượt khách", "doanh nghiệp",
    "sản phẩm", "đảng viên", "người", "tấn", "ha", "km", "m²", "m2", "hộ", "trường", "con", "lần", "%",
)
_MULTIPLIERS = {
    "nghìn con": (1000, "con"), "nghìn tấn": (1000, "tấn"), "m2": (1, "m²"), "tỉ đồng": (1, "tỷ đồng"),
    # Income per head is reported per year.
    "triệu đồng/người": (1, "triệu đồng/người/năm"),
}
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)
VALUE = re.compile(
    rf"(?<![\d.,/])(?P<v1>{_NUM})(?:\s*(?:%\s*)?(?:-|–|đến)\s*(?P<v2>{_NUM}))?\s*(?P<unit>{_UNIT_RE})(?P<per>/năm)?(?![\w²])"
    rf"|(?<![\d.,/])(?P<a>\d+)/(?P<b>\d+)\s+(?P<unit2>trường|xã|phường|tổ dân phố|đơn vị)"
)
_NOT_VALUE_BEFORE = re.compile(r"(mức độ|mức|dưới|từ|trẻ|tốc độ trên|OCOP|cấp độ|lần thứ)\s*$", re.I)
_NOT_VALUE_AFTER = re.compile(r"^\s*(tuổi|tháng|sao\b|năm\b|Gb|G\b)", re.I)
# "trên 1 ha đất trồng trọt": a denominator, not a target.
_DENOMINATOR_AFTER = re.compile(r"^\s*(đất|mặt nước|diện tích)", re.I)
_YEAR = re.compile(r"(?:đến|vào|trong|năm|đến hết)\s+(?:năm\s+)?(20[2-4]\d)\b")
_QUALITATIVE = [
    (re.compile(r"không còn|không để xảy ra|không có (?:ma túy|ma tuý)|không ma túy|không ma tuý", re.I), "zero_or_achieve"),
    (re.compile(r"^\W*(?:duy trì|giữ vững|tiếp tục duy trì)", re.I), "maintain"),
    (re.compile(r"giảm hàng năm|giảm hằng năm", re.I), "reduce"),
    (re.compile(r"đạt chuẩn|đạt bộ tiêu chí|đạt tiêu chí|hoàn thành|xây dựng phường|đảm bảo|: ?đạt\b|^đạt$", re.I), "achieve"),
]


def number(text: str) -> float:
    """Vietnamese number: thousands dot, decimal comma ("2.800" -> 2800, "2,6" -> 2.6)."""
    t = text.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):
        t = t.replace(".", "")
    return float(t.replace(",", "."))


@dataclass
class ValueHit:
    start: int
    end: int
    target: Target


def find_values(clause: str) -> list[ValueHit]:
    """Every target value in a clause, with its comparator and timing read from context."""
    hits: list[ValueHit] = []
    matches = list(VALUE.finditer(clause))
    for i, m in enumerate(matches):
        # Context is bounded by the neighbouring values, so one target's words do not
        # leak into the next one's comparator or timing.
        lo = matches[i - 1].end() if i else 0
        hi = matches[i + 1].start() if i + 1 < len(matches) else len(clause)
        before, after = clause[lo : m.start()], clause[m.end() : hi]
        if m.group("a"):
            t = Target("eq", float(m.group("a")), of_total=float(m.group("b")), unit=m.group("unit2"))
            hits.append(ValueHit(m.start(), m.end(), t))
            continue
        if _NOT_VALUE_BEFORE.search(clause[max(0, m.start() - 14) : m.start()]) and m.group("unit") not in ("%",) and not re.search(r"(dưới|từ)\s*$", before):
            continue
        if _NOT_VALUE_AFTER.match(after) or _DENOMINATOR_AFTER.match(after) or _is_year_range(m):
            continue
        if re.search(r"(mức độ|cấp độ)\s*$", before):
            continue
        unit = m.group("unit")
        v1 = number(m.group("v1"))
        v2 = number(m.group("v2")) if m.group("v2") else None
        if unit in _MULTIPLIERS:
            factor, unit = _MULTIPLIERS[unit]
            v1 *= factor
            v2 = v2 * factor if v2 is not None else None
        t = Target("eq", v1, v2, unit=unit)
        _comparator(t, before, after, m.group("per") is not None)
        hits.append(ValueHit(m.start(), m.end(), t))
    return hits


def _is_year_range(m: re.Match[str]) -> bool:
    v1 = m.group("v1")
    return bool(re.fullmatch(r"(19|20)\d\d", v1)) and m.group("unit") not in ("%", "tỷ đồng", "người", "tấn")


def _comparator(t: Target, before: str, after: str, per_year: bool) -> None:
    # Lower-case NFC, not folded: folding would read "hoả táng" as "tăng".
    near = before[-40:].lower()
    tail = after[:24].lower()
    growth = bool(re.search(r"\btăng(?: bình quân)?(?: từ)?\s*:?\s*$", near)) or bool(
        re.search(r"\btăng thêm[^\d;]{0,30}:?\s*$", near)) or (
        per_year and t.unit == "%" and "tốc độ tăng" in before.lower() and not re.search(r"(trên|dưới|tối thiểu|ít nhất)\s*$", near)
    )
    if (re.search(r"\btăng\s*$", near) and re.match(r"\s*lần", tail)) or (t.unit == "lần" and "tăng" in near):
        t.comparator = "multiple"
    elif t.value_max is not None and not growth:
        t.comparator = "range"
    elif re.match(r"\s*trở lên", tail) or re.search(r"(tối thiểu|ít nhất|không dưới|không thấp hơn)\s*:?\s*$", near):
        t.comparator = "ge"
    elif re.match(r"\s*trở xuống", tail) or re.search(r"(không quá|tối đa|không vượt quá)\s*:?\s*$", near):
        t.comparator = "le"
    elif re.search(r"(?:^|\W)(trên|hơn)\s*:?\s*$", near):
        t.comparator = "gt"
    elif re.search(r"(?:^|\W)(dưới|thấp hơn)\s*:?\s*$", near):
        t.comparator = "lt"
    elif growth:
        t.comparator = "growth"
    elif re.search(r"\bgiảm(?: bình quân)?(?: hàng năm| hằng năm)?\s*:?\s*$", near):
        t.comparator = "reduce"
    elif re.match(r"^\W*(duy trì|giữ vững)", before.lower()) or re.search(r"duy trì[^;,]*$", near):
        t.comparator = "maintain"
    # Timing: "%/năm" growth is a yearly average; a flow "/năm" is every year. Words before
    # the value win over words after it; the after-context stops at a parenthesis.
    after_near = re.split(r"[(;]", after, maxsplit=1)[0][:30]
    fb = fold(before).replace("binh quan dau nguoi", "dau nguoi")
    fa = fold(after_near)
    period = r"(giai doan 20\d\d ?- ?20\d\d|ca nhiem ky|ca giai doan|\b0?5 nam\b|cuoi nhiem ky)"
    if per_year:
        t.periodicity = "yearly-average" if t.comparator == "growth" or "binh quan" in fb + fa else "every-year"
    elif "binh quan" in fb + fa:
        t.periodicity = "yearly-average"
    elif re.search(r"\b(hang nam|moi nam)\b", fb + " " + fa):
        t.periodicity = "every-year"
    elif re.search(period, fb):
        t.periodicity, t.target_year = "period-total", 2030
    elif y := _YEAR.search(before):
        t.periodicity, t.target_year = "by-year", int(y.group(1))
    elif re.search(period, fa):
        t.periodicity, t.target_year = "period-total", 2030
    elif y := _YEAR.search(after_near):
        t.periodicity, t.target_year = "by-year", int(y.group(1))


def qualitative(clause: str) -> Target | None:
    """A target with no value ("đạt chuẩn đô thị văn minh", "duy trì ...", "không còn hộ nghèo")."""
    s = clause.strip()
    for pattern, kind in _QUALITATIVE:
        if pattern.search(s):
            if kind == "zero_or_achieve":
                if re.search(r"không còn", s, re.I):
                    t = Target("zero", 0.0, unit="hộ" if "hộ" in s else None)
                else:
                    t = Target("achieve", qualitative=s)
            else:
                t = Target(kind, qualitative=s)
            if y := _YEAR.search(s):
                t.periodicity, t.target_year = "by-year", int(y.group(1))
            elif re.search(r"hàng năm|hằng năm", s, re.I):
                t.periodicity = "every-year"
            return t
    return None


def cell_target(cell: str, unit: str | None, column: str) -> Target | None:
    """A target stated in a table cell, with the unit from its own column."""
    s = cell.strip()
    if not s:
        return None
    unit_norm = unit if unit and unit not in ("Chuẩn", "Danh hiệu", "Mô hình") else None
    values = find_values(f"{s} {unit_norm}" if unit_norm and not re.search(r"%|[a-zà-ỹ]", s.replace(" ", "")[-1:]) else s)
    if not values and (m := re.search(_NUM, s)) and unit_norm:
        values = find_values(f"{s[: m.start()]}{m.group(0)} {unit_norm}{s[m.end():]}")
    if values:
        t = values[0].target
        if t.unit is None:
            t.unit = unit_norm
        if column == "average" and t.periodicity is None:
            t.periodicity = "yearly-average" if t.comparator in ("growth", "range") else "every-year"
            if t.comparator == "range" and t.unit == "%":
                t.comparator = "growth"
        elif column == "by-year" and t.periodicity is None:
            t.periodicity, t.target_year = "by-year", 2030
        return t
    q = qualitative(s)
    if q is None and re.fullmatch(r"đạt|Đạt", s):
        q = Target("achieve", qualitative=s)
    if q is not None and column == "average" and q.periodicity is None:
        q.periodicity = "every-year"
    return q
