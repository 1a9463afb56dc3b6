"""Dates and deadlines as Vietnamese documents print them."""

from __future__ import annotations

import calendar
import re
from datetime import date

_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*((?:19|20)\d\d)(?!\d)")
_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d\d)", re.IGNORECASE)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def iso(day: int, month: int, year: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> tuple[str | None, re.Match[str] | None]:
    """The first date in `text` (ISO) and its match."""
    candidates = [m for m in (_WORDS.search(text), _NUMERIC.search(text)) if m]
    if not candidates:
        return None, None
    m = min(candidates, key=lambda x: x.start())
    return iso(int(m.group(1)), int(m.group(2)), int(m.group(3))), m


def _month_end(year: int, month: int) -> str:
    return date(year, month, calendar.monthrange(year, month)[1]).isoformat()


_DEADLINES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:chậm nhất|trước|trong)\s+(?:tháng|thời hạn tháng)\s+(\d{1,2})\s*[/\-]\s*((?:19|20)\d\d)", re.I), "month"),
    (re.compile(r"tháng\s+(\d{1,2})\s*[/\-]\s*((?:20)\d\d)", re.I), "month"),
    (re.compile(r"quý\s+(IV|III|II|I|[1-4])\s*[/\-]\s*((?:20)\d\d)", re.I), "quarter"),
    (re.compile(r"quý\s+(IV|III|II|I|[1-4])\s+năm\s+((?:20)\d\d)", re.I), "quarter"),
    (re.compile(r"(?:chậm nhất|trước|hoàn thành|vào|trong)\s+(?:cuối\s+)?năm\s+((?:20)\d\d)", re.I), "year"),
]


def parse_deadline(text: str) -> tuple[str | None, str | None]:
    """A concrete deadline ("chậm nhất tháng 3/2026" -> 2026-03-31) and the phrase stating it.
    When a task states several milestones, its deadline is the last one (the whole task done)."""
    found: list[tuple[str, str]] = []
    for pattern, kind in _DEADLINES:
        for m in pattern.finditer(text):
            if kind == "month":
                month, year = int(m.group(1)), int(m.group(2))
                if 1 <= month <= 12:
                    found.append((_month_end(year, month), m.group(0)))
            elif kind == "quarter":
                q = m.group(1).upper()
                quarter = _ROMAN.get(q) or int(q)
                found.append((_month_end(int(m.group(2)), quarter * 3), m.group(0)))
            else:
                found.append((f"{m.group(1)}-12-31", m.group(0)))
    if not found:
        return None, None
    return max(found, key=lambda f: f[0])


# A year as plans print them; the first and the last one a timeframe names ("2026 - 2030",
# "Năm 2027", "Giai đoạn 2026-2028"). A year directly followed or preceded by other digits
# ("20261") is not read as one: the timeframe then names no first or last year.
_FIRST_YEAR = re.compile(r"[^0-9]*([12][0-9]{3})(?![0-9])[^\n\r]*")
_LAST_YEAR = re.compile(r"[^\n\r]*(?<![0-9])([12][0-9]{3})[^0-9]*")


def task_years(timeframe: str | None, deadline: str | None) -> tuple[int | None, int | None]:
    """The year a task starts and the year it is due, for the deadline query and the timeline:
    both the deadline's year when the task has one (a dated deadline wins over the printed
    timeframe), else the first and the last year its timeframe names; None where there is none
    ("Hằng năm" names no year)."""
    if deadline:
        year = int(deadline[:4])
        return year, year
    if not timeframe:
        return None, None
    first, last = _FIRST_YEAR.fullmatch(timeframe), _LAST_YEAR.fullmatch(timeframe)
    return (int(first.group(1)) if first else None), (int(last.group(1)) if last else None)
