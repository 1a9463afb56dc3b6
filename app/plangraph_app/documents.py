"""Văn bản / Documents: a ward plan with its sections and records, and a cited document
with every plan citing it (the "Lược đồ" relation view of legal portals).

The plan side reads the source index (`source-lookup`: every record with its section, lines
and quote); the cited-document side the `documents` export, `trace-down` (the plans citing
it and the documents implementing it) and `citation-conflicts` (what each citation states
when the plans disagree).
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from typing import Any, Mapping, Sequence

from .i18n import pick
from .sources import Source, SourceIndex

KINDS = ("Chỉ tiêu", "Nhiệm vụ", "Trích dẫn", "Phân công", "Nhóm chỉ tiêu", "Lần nêu mục tiêu", "Hiệu chỉnh", "Sáp nhập")
KIND_EN = {"Chỉ tiêu": "Indicator", "Nhiệm vụ": "Task", "Trích dẫn": "Citation", "Phân công": "Assignment",
           "Nhóm chỉ tiêu": "Indicator group", "Lần nêu mục tiêu": "Target restated", "Hiệu chỉnh": "Correction",
           "Sáp nhập": "Merger", "Kế hoạch": "Plan"}
OPENING = ("(phần đầu văn bản)", "(opening of the document)")
NO_SECTION = ("(không rõ mục)", "(section not known)")


def kind_name(kind: str, lang: str) -> str:
    return KIND_EN.get(kind, kind) if lang == "en" else kind


def plan_records(index: SourceIndex, ward: str, kinds: Sequence[str] = KINDS, ward_iri: str | None = None) -> list[Source]:
    """The records of a ward's plan (the ward `ward_iri` when given), in document order (by line)."""
    recs = [s for s in index.ward_records(ward, ward_iri) if s.kind in kinds]
    return sorted(recs, key=lambda s: (s.line_start or 0, s.kind, s.label))


def section_name(s: Source, first_section_line: int | None, lang: str = "vi") -> str:
    """A record's section path; without one, "opening" before the first numbered section,
    else "section not known"."""
    if s.section:
        return s.section
    if first_section_line is None or (s.line_start or 0) < first_section_line:
        return pick(lang, *OPENING)
    return pick(lang, *NO_SECTION)


def first_section_line(records: Sequence[Source]) -> int | None:
    lines = [s.line_start for s in records if s.section and s.line_start is not None]
    return min(lines) if lines else None


def outline(records: Sequence[Source], lang: str = "vi") -> "OrderedDict[str, dict[str, Any]]":
    """Sections in document order: {path: {"first_line", "counts": {kind: n}}}."""
    out: "OrderedDict[str, dict[str, Any]]" = OrderedDict()
    first = first_section_line(records)
    for s in records:
        path = section_name(s, first, lang)
        entry = out.setdefault(path, {"first_line": s.line_start, "counts": Counter()})
        entry["counts"][s.kind] += 1
    return out


def record_rows(records: Sequence[Source], lang: str = "vi", section: str | None = None) -> list[dict[str, Any]]:
    rows = []
    first = first_section_line(records)
    for s in records:
        path = section_name(s, first, lang)
        if section and path != section:
            continue
        rows.append({"line": s.lines(lang).split(" ", 1)[-1] if s.line_start is not None else "", "kind": kind_name(s.kind, lang),
                     "label": s.label or kind_name(s.kind, lang), "section": path, "quote": s.quote, "record_iri": s.iri})
    return rows


def counts(records: Sequence[Source]) -> dict[str, int]:
    c = Counter(s.kind for s in records)
    return {k: c.get(k, 0) for k in KINDS if c.get(k)}


def document_info(document_rows: Sequence[Mapping[str, Any]], iri: str) -> dict[str, Any] | None:
    for r in document_rows:
        if r.get("iri") == iri:
            return dict(r)
    return None


def citations_of(trace_rows: Sequence[Mapping[str, Any]], conflict_rows: Sequence[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """Every plan's citation of a document, by ward and line: plan, role (basis or in the
    text), section, and the date and issuer the citation states when plans disagree.

    From `trace-down` (its basis and in-text rows, not those reached through an implementing
    document) and `citation-conflicts` (the stated metadata of conflicting citations). A
    citation is matched to its ward by the ward's IRI (two wards may share a name)."""
    stated = {(c.get("citing_ward_iri") or c.get("ward"), int(c["line"])): c
              for c in conflict_rows if c.get("line") is not None}
    out = []
    for r in trace_rows:
        if r.get("link_code") not in ("basis", "in-text") or r.get("via_number"):
            continue
        c = stated.get((r.get("ward_iri") or r.get("ward"), r.get("line")), {})
        out.append({"ward": r.get("ward"), "plan": r.get("plan"), "role": r.get("link"), "section": r.get("section"),
                    "source_line": r.get("line"), "stated_date": c.get("stated_date"), "stated_issuer": c.get("stated_issuer"),
                    "plan_iri": r.get("item_iri"), "ward_iri": r.get("ward_iri")})
    return sorted(out, key=lambda r: (r.get("ward") or "", r.get("ward_iri") or "", r.get("source_line") or 0))


def citation_source(index: SourceIndex, ward: str, line: Any, number: str | None = None,
                    ward_iri: str | None = None) -> Source | None:
    """The citation record a plan has at a line (its quote and section); when a line cites
    several documents, the one of `number` ("Trích dẫn 57-NQ/TW (dòng 168)"). The ward is
    `ward_iri` when given, else every ward named `ward`."""
    at_line = [s for s in index.ward_records(ward, ward_iri) if s.kind == "Trích dẫn" and s.line_start == line]
    if number:
        named = [s for s in at_line if f" {number} " in f"{s.label} "]
        if named:
            return named[0]
    return at_line[0] if at_line else None


def implementing(trace_rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Numbers of the documents that implement the chosen one (trace-down's "via" column)."""
    out: list[str] = []
    for r in trace_rows:
        v = r.get("via_number")
        if v and v not in out:
            out.append(v)
    return out


def dates_disagree(info: Mapping[str, Any] | None) -> list[str]:
    """The different dates plans state for a document, as 22/12/2024 (empty when they agree)."""
    if not info or not info.get("dates_seen"):
        return []
    dates = ["/".join(reversed(d.split("-"))) for d in str(info["dates_seen"]).split(";") if d]
    return dates if len(dates) > 1 else []
