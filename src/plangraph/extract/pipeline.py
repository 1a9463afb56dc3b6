"""One source document -> an Extraction: normalise, segment, then each record type."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from ..errors import SourceError
from .appendix import merge_appendix
from .assignments import extract_assignments
from .citations import extract_citations
from .concepts import ConceptEntry, map_concept
from .indicators import extract_indicators
from .normalise import normalise
from .plan import extract_plan
from .records import Extraction, Unit, Warning_
from .segment import heading_of, segment
from .tables import find_tables
from .tasks import extract_tasks
from .units import canonical_unit, find_units, unit_mentions


def extract(path: Path, concepts: list[ConceptEntry] | None = None) -> Extraction:
    path = Path(path)
    doc = normalise(path)
    plan, warnings = extract_plan(doc)
    sections, para_section = segment(doc)
    if not sections:
        raise SourceError(f"{path}: no recognisable structure (no numbered headings)", "is this a plan document?")
    preamble_end = next((i for i, p in enumerate(doc.paras) if heading_of(p) and heading_of(p).rank <= 3), len(doc.paras))  # type: ignore[union-attr]
    citations = extract_citations(doc, plan, para_section, preamble_end)
    paths = {s.key: s.path for s in sections}
    for c in citations:  # provenance names the section by its printed path ("II > 1 > 1.2"), not an internal key
        c.span = replace(c.span, section=paths.get(c.span.section, c.span.section))
    groups, indicators = extract_indicators(doc, sections, para_section)
    tables = find_tables(doc)
    indicators += merge_appendix(doc, tables, indicators)
    _assign_keys(indicators)
    tasks = extract_tasks(doc, sections, para_section, citations, tables)
    _assign_task_keys(tasks)
    assignments = extract_assignments(doc, sections, para_section, indicators, tasks, tables)
    for ind in indicators:
        if concepts:
            ind.concept = map_concept(ind, concepts)
        leads = [a.unit for a in assignments if a.target_kind == "indicator" and a.target == ind.key and a.role in ("lead", "advise") and a.unit_kind == "unit"]
        for u in leads:
            if u not in ind.responsible_units:
                ind.responsible_units.append(u)
    for task in tasks:
        for attr in ("lead_unit",):
            if (v := getattr(task, attr)) and (c := canonical_unit(v)):
                setattr(task, attr, c[0])
        task.coordinating_units = [c[0] if (c := canonical_unit(u)) else u for u in task.coordinating_units]
        if task.leader and (c := canonical_unit(task.leader)):
            task.leader = c[0]
    if not indicators:
        warnings.append(Warning_(0, "no-indicators", "không tìm thấy chỉ tiêu nào / no target indicators found"))
    return Extraction(
        source=path.name, sha256=hashlib.sha256(path.read_bytes()).hexdigest(), plan=plan,
        sections=sections, citations=citations, groups=groups, indicators=indicators, tasks=tasks,
        assignments=assignments, units=_units(doc, assignments, tasks), warnings=warnings,
    )


def _unique_keys(records, base) -> None:
    """Give every record a key unique within the plan: its readable base, suffixed on clashes."""
    seen: set[str] = set()
    for rec in records:
        key, n = base(rec), 1
        while key in seen:
            n += 1
            key = f"{base(rec)}-{n}"
        seen.add(key)
        rec.key = key


def _assign_keys(indicators) -> None:
    _unique_keys(indicators, lambda i: f"{i.no}-{i.part}" if i.no else f"l{i.span.line_start}-{i.part}")


def _assign_task_keys(tasks) -> None:
    in_appendix = lambda t: not t.span.section or t.span.section.startswith(("PHỤ LỤC", "Phụ lục"))  # noqa: E731
    _unique_keys(tasks, lambda t: f"{t.kind}-{t.no}" if t.no and not in_appendix(t) else f"{t.kind}-l{t.span.line_start}")


def _units(doc, assignments, tasks) -> list[Unit]:
    """Every unit and leader role the plan gives work to, with the spellings seen."""
    units: dict[str, Unit] = {}
    for a in assignments:
        units.setdefault(a.unit, Unit(a.unit, a.unit_kind))
    for t in tasks:
        for name in [t.lead_unit, *t.coordinating_units, t.leader]:
            if name and (c := canonical_unit(name)):
                units.setdefault(c[0], Unit(c[0], c[1]))
    for para in doc.paras:
        for name, kind in find_units(para.text):
            units.setdefault(name, Unit(name, kind))
    # Aliases: the printed spellings that canonicalise to each unit.
    for line in doc.clean_lines:
        for canon, _kind, printed in unit_mentions(line):
            if canon in units and printed != canon and printed not in units[canon].aliases:
                units[canon].aliases.append(printed)
    return sorted(units.values(), key=lambda u: (u.kind, u.name))
