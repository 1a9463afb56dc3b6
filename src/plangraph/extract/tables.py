"""Tab-separated appendix tables: indicator tables (indicator | unit | target | leader |
advising unit) and task tables (task | timeframe | lead | coordinating | output | leader).
Blank cells of merged rows inherit from their parent row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import fold, squash
from .normalise import Document, Para

_GROUP_ROW = re.compile(r"^\s*([IVXLC]+)\.\s+(.+)$")


@dataclass
class TableRow:
    line: int
    no: str | None
    cells: dict[str, str]  # column role -> text
    group: str | None  # group row title above it ("I. NHÓM CHỈ TIÊU VỀ KINH TẾ")
    parent_line: int | None = None  # the row a merged (unnumbered) row continues


@dataclass
class Table:
    kind: str  # "indicator" | "task"
    header_line: int
    caption: str
    rows: list[TableRow] = field(default_factory=list)


_ROLES = [
    ("no", ("stt", "tt", "so tt")),
    ("name", ("chi tieu", "nhiem vu", "noi dung")),
    ("unit", ("don vi tinh", "dvt")),
    ("by-year", ("den nam",)),
    ("average", ("binh quan",)),
    ("target", ("ke hoach", "muc tieu", "chi tieu 20")),
    ("timeframe", ("thoi gian",)),
    ("lead", ("chu tri",)),
    ("coordinate", ("phoi hop",)),
    ("advise", ("tham muu", "don vi thuc hien")),
    ("leader", ("lanh dao", "chi dao")),
    ("output", ("ket qua", "san pham")),
    ("note", ("ghi chu",)),
]


def _role(header: str, taken: set[str]) -> str | None:
    f = fold(header)
    for role, keys in _ROLES:
        if role not in taken and any(f == k or f.startswith(k) or k in f for k in keys):
            return role
    return None


def find_tables(doc: Document) -> list[Table]:
    tables: list[Table] = []
    paras = doc.paras
    i = 0
    while i < len(paras):
        p = paras[i]
        if p.cells is None or not _is_header(p):
            i += 1
            continue
        columns: list[str | None] = []
        taken: set[str] = set()
        for cell in p.cells:
            r = _role(cell, taken) if cell else None
            if r:
                taken.add(r)
            columns.append(r)
        j = i + 1
        # A second header row names the sub-columns of merged header cells.
        if j < len(paras) and paras[j].cells is not None and not (paras[j].cells[0] if paras[j].cells else "").strip():
            for k, cell in enumerate(paras[j].cells):
                r = _role(cell, taken) if cell else None
                if r and k < len(columns) + 1:
                    while len(columns) <= k:
                        columns.append(None)
                    columns[k] = r
                    taken.add(r)
            j += 1
        kind = "task" if "lead" in taken or "timeframe" in taken else "indicator"
        table = Table(kind, p.line_start, _caption(paras, i))
        group, parent = None, None
        while j < len(paras):
            q = paras[j]
            if q.cells is None:
                g = _GROUP_ROW.match(q.text)
                if g and _looks_group(q.text):
                    group = squash(q.text)
                    j += 1
                    continue
                if q.text.strip().startswith(("PHỤ LỤC", "Phụ lục")):
                    break
                j += 1
                if not q.text.strip():
                    continue
                # Free text between rows ends the table only when it is long prose.
                if len(q.text) > 200:
                    break
                continue
            cells = q.cells
            if not any(c.strip() for c in cells):
                j += 1
                continue
            first = cells[0].strip() if cells else ""
            if _GROUP_ROW.match(first) and not any(c.strip() for c in cells[1:]):
                group = squash(first)
                j += 1
                continue
            if _is_header(q):
                break
            row_cells = {columns[k]: squash(c) for k, c in enumerate(cells) if k < len(columns) and columns[k]}
            no = row_cells.pop("no", "") or None
            row = TableRow(q.line_start, no, row_cells, group)
            if no is None and parent is not None:
                row.parent_line = parent.line
                for key in ("leader", "advise", "lead", "coordinate", "timeframe", "output", "unit"):
                    if not row.cells.get(key) and parent.cells.get(key):
                        row.cells[key] = parent.cells[key]
            else:
                parent = row
            if row.cells.get("name"):
                table.rows.append(row)
            j += 1
        tables.append(table)
        i = j
    return tables


def _is_header(p: Para) -> bool:
    f = fold(" ".join(p.cells or []))
    return ("stt" in f or "tt" in f.split()) and ("chi tieu" in f or "nhiem vu" in f)


def _looks_group(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.7


def _caption(paras: list[Para], i: int) -> str:
    lines = []
    for p in reversed(paras[max(0, i - 6) : i]):
        if p.cells is not None:
            break
        lines.append(p.text)
        if p.text.strip().startswith(("PHỤ LỤC", "Phụ lục")):
            break
    return squash(" ".join(reversed(lines)))
