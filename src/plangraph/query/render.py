"""Writing query results for the command line: an aligned text table, CSV, JSON, xlsx.

CSV, JSON and xlsx reuse the export writers (`exports.Table`), so a canned query and an
export look alike: JSON is a list of row objects, dates are ISO 8601, numbers plain.
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import PlangraphError

FORMATS = ("table", "csv", "json", "xlsx")
MAX_CELL = 60


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v == v.to_integral_value() else str(v)
    if isinstance(v, date):
        return v.isoformat()
    text = " ".join(str(v).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def text_table(columns: list[str], rows: list[dict[str, Any]]) -> str:
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def write_rows(name: str, columns: list[str], rows: list[dict[str, Any]], fmt: str, output: Path | None) -> None:
    """Write rows (plain values) in a CLI format to a file or standard output."""
    from ..exports import Table, to_csv, to_json, to_xlsx

    if fmt not in FORMATS:
        raise PlangraphError(f"unknown format {fmt!r}", f"use one of: {', '.join(FORMATS)}")
    table = Table(name[:31] or "query", columns, [{c: r.get(c) for c in columns} for r in rows])
    if fmt == "xlsx":
        if output is None:
            raise PlangraphError("xlsx needs a file", "pass --output FILE.xlsx")
        to_xlsx(table, output)
        return
    text = text_table(columns, table.rows) if fmt == "table" else to_csv(table) if fmt == "csv" else to_json(table)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
