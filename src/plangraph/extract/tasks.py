"""Tasks: breakthroughs, key programmes, top-level tasks and solutions, appendix task rows;
with lead and coordinating units, timeframe, concrete deadlines and the documents their own
text names."""

from __future__ import annotations

import re

from ..text import fold, squash
from .dates import parse_deadline
from .lexicon import domain_of
from .normalise import Document
from .records import Citation, Section, SourceSpan, Task
from .segment import ancestry, heading_of
from .tables import Table
from .units import canonical_unit, split_units

_PAST = re.compile(r"(ket qua|danh gia|han che|ton tai|nguyen nhan|2020 ?- ?2025|2021 ?- ?2025)")
_ITEM = re.compile(r"^\s*\((?P<no>\d{1,2})\)\s*(?P<text>.+)$")


def _kind_of(title: str) -> str | None:
    f = fold(title)
    if _PAST.search(f):
        return None
    if "dot pha" in f and "chuong trinh" not in f:
        return "breakthrough"
    if "chuong trinh trong tam" in f or "chuong trinh trong diem" in f:
        return "programme"
    if "giai phap" in f:
        return "solution"
    if "nhiem vu" in f and not re.search(r"chi tieu|muc tieu|phuong huong", f):
        return "task"
    return None


def _is_container(sec: Section) -> bool:
    """A heading that introduces tasks: all capitals or short ("4. Nhiệm vụ trọng tâm"),
    not a long task title that merely mentions "giải pháp"."""
    letters = [c for c in sec.title if c.isalpha()]
    caps = bool(letters) and all(c.isupper() for c in letters)
    return _kind_of(sec.title) is not None and (caps or len(sec.title) <= 80)


def extract_tasks(
    doc: Document, sections: list[Section], para_section: dict[int, str], citations: list[Citation], tables: list[Table]
) -> list[Task]:
    tasks: list[Task] = []
    by_key = {s.key: s for s in sections}
    containers = [
        s for s in sections
        if _is_container(s) and not any(_PAST.search(fold(a.title)) for a in ancestry(sections, s.parent))
    ]
    container_set = {c.key for c in containers}
    letters_caps = lambda s: all(ch.isupper() for ch in s.title if ch.isalpha())  # noqa: E731
    # An item of a container is a task, not a container itself, unless it is a capitalised sub-heading.
    containers = [c for c in containers if c.parent not in container_set or letters_caps(c)]
    # The innermost container decides the kind ("C. CHƯƠNG TRÌNH ... VÀ KHÂU ĐỘT PHÁ" > "II. CÁC KHÂU ĐỘT PHÁ").
    container_keys = {c.key for c in containers}
    for c in containers:
        if any(x.parent == c.key for x in containers):
            continue
        kind = _kind_of(c.title) or "task"
        all_children = [s for s in sections if s.parent == c.key]
        children = [s for s in all_children if not _kind_of_unit_heading(s)]
        if all_children and len(children) <= len(all_children) / 2:
            continue  # organised by unit: responsibilities, read as assignments
        if children:
            for s in children:
                if s.key in container_keys:
                    continue
                tasks.append(_task(doc, s.number, kind, s.title, s.span.line_start, s.span.line_end, s.path, citations, s.key, s.domains))
            continue
        # Items "(1) ..." directly under the heading.
        for idx, para in enumerate(doc.paras):
            if para_section.get(idx) != c.key or para.cells is not None or para.footnote:
                continue
            m = _ITEM.match(para.text)
            if m:
                title = re.split(r"(?<=[.;])\s", m.group("text"), maxsplit=1)[0].rstrip(".;")
                end = _item_end(doc, idx, para_section, c.key)
                tasks.append(_task(doc, m.group("no"), kind, title, para.line_start, end, c.path, citations, c.key, [d for d in [domain_of(title)] if d]))
    for table in tables:
        if table.kind == "task":
            tasks.extend(_table_tasks(doc, table, citations))
    return tasks


def _kind_of_unit_heading(sec: Section) -> bool:
    """Section III of a plan is often organised by unit ("1. Văn phòng HĐND và UBND"): those
    headings are responsibilities, handled as assignments, not tasks."""
    return canonical_unit(sec.title) is not None and len(sec.title) < 60


def _item_end(doc: Document, idx: int, para_section: dict[int, str], key: str) -> int:
    end = doc.paras[idx].line_end
    for j in range(idx + 1, len(doc.paras)):
        p = doc.paras[j]
        if para_section.get(j) != key or _ITEM.match(p.text) or heading_of(p):
            break
        end = p.line_end
    return end


def _task(
    doc: Document, no: str, kind: str, title: str, start: int, end: int, path: str,
    citations: list[Citation], section: str | None, domains: list[str],
) -> Task:
    implements = list(dict.fromkeys(c.number for c in citations if start <= c.span.line_start <= end))
    body = " ".join(doc.clean_lines[start - 1 : end])
    deadline, phrase = parse_deadline(body)
    return Task(
        no=no, kind=kind, name=squash(title)[:300], domain=domains[0] if domains else None,
        span=SourceSpan(doc.path.name, start, end, squash(title)[:300], path),
        implements=implements, deadline=deadline, deadline_text=phrase, section=section,
    )


def _table_tasks(doc: Document, table: Table, citations: list[Citation]) -> list[Task]:
    out = []
    for row in table.rows:
        name = row.cells.get("name", "")
        lead = row.cells.get("lead")
        coords = [u for u in split_units(row.cells.get("coordinate", "")) if canonical_unit(u) or not _generic(u)]
        timeframe = row.cells.get("timeframe") or None
        deadline, phrase = parse_deadline(f"{name} {timeframe or ''}")
        out.append(Task(
            no=row.no, kind="task", name=name, domain=domain_of(row.group or name),
            span=SourceSpan(doc.path.name, row.line, row.line, name, table.caption[:80]),
            lead_unit=lead or None, coordinating_units=[c for c in coords if not _generic(c)],
            timeframe=timeframe, deadline=deadline, deadline_text=phrase,
            output=row.cells.get("output") or None, leader=row.cells.get("leader") or None,
            implements=list(dict.fromkeys(c.number for c in citations if c.span.line_start == row.line)),
        ))
    return out


def _generic(name: str) -> bool:
    f = fold(name)
    return bool(re.match(r"^(cac )?(co quan|don vi)", f)) and canonical_unit(name) is None
