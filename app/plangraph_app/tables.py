"""Shaping rows for display: labelled columns, no identifiers, numbers as staff write them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from .i18n import bilingual, column_label, is_hidden


def plain(value: Any) -> Any:
    """A cell for a dataframe: Decimal as float (Arrow cannot mix them), dates as staff write
    them (22/12/2024), the rest unchanged."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.strftime("%d/%m/%Y")
    return value


def vn_number(value: Any) -> str:
    """97.5 -> "97,5"; 2800 -> "2.800"; decimal comma and thousands dot, no trailing zeros."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
        if number == number.to_integral_value():
            return f"{int(number):,}".replace(",", ".")
        whole, _, frac = f"{number.normalize():f}".partition(".")
        whole_fmt = f"{int(whole):,}".replace(",", ".") if whole not in ("-0", "") else whole
        if whole.startswith("-") and whole_fmt == "0":
            whole_fmt = "-0"
        return f"{whole_fmt},{frac}"
    return str(value)


def visible_columns(columns: Iterable[str], drop: Sequence[str] = ()) -> list[str]:
    return [c for c in columns if not is_hidden(c) and c not in drop]


def frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], lang: str = "vi",
          drop: Sequence[str] = (), bilingual_columns: Sequence[str] = ()) -> pd.DataFrame:
    """A dataframe of the visible columns, headed by their labels in the chosen language.

    `bilingual_columns` hold "vi / en" texts (query results such as status): one side is kept."""
    shown = visible_columns(columns, drop)
    data = []
    for row in rows:
        out = {}
        for c in shown:
            v = plain(row.get(c))
            if c in bilingual_columns and isinstance(v, str):
                v = bilingual(v, lang)
            out[column_label(c, lang)] = v
        data.append(out)
    labels = [column_label(c, lang) for c in shown]
    df = pd.DataFrame(data, columns=labels)
    for col in df.columns:  # an empty cell reads empty, not "None"
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
            present = df[col].dropna()
            if not all(isinstance(v, str) for v in present):  # mixed cells (bool and None ...): as text
                df[col] = [("" if v is None or (isinstance(v, float) and v != v) else _text(v, lang)) for v in df[col]]
            else:
                df[col] = df[col].where(df[col].notna(), "")
        elif pd.api.types.is_float_dtype(df[col]) and df[col].isna().any():
            # A number column with gaps reads as text: empty where nothing is stated (not "None");
            # whole numbers (years, lines) plain, others as the reader writes them.
            present = df[col].dropna()
            whole = len(present) and (present == present.round()).all()
            df[col] = [("" if pd.isna(v) else str(int(v)) if whole else _text(float(v), lang)) for v in df[col]]
    return df


def _text(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("có" if value else "không")
    if isinstance(value, float):
        return vn_number(value) if lang == "vi" else f"{value:g}"
    return str(value)


def where(row: Mapping[str, Any], lang: str = "vi") -> str:
    """"dòng 115" / "dòng 83–85" of a row carrying line or source_line/line_start."""
    start = row.get("line_start", row.get("source_line", row.get("line")))
    end = row.get("line_end")
    if start is None:
        return ""
    word = "line" if lang == "en" else "dòng"
    if end is not None and end != start:
        return f"{word} {start}–{end}"
    return f"{word} {start}"


def split_list(text: Any, separators: Sequence[str] = (";", "; ")) -> list[str]:
    """"A;B" or "A; B" as ["A", "B"]; None as []."""
    if not text:
        return []
    parts = [str(text)]
    for sep in separators:
        parts = [p for part in parts for p in part.split(sep)]
    out: list[str] = []
    for p in (p.strip() for p in parts):
        if p and p not in out:
            out.append(p)
    return out


def iso(value: Any) -> str:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)
