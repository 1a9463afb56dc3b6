"""Who is responsible for what: "Giao X chủ trì, phối hợp Y ... các chỉ tiêu ..." statements,
appendix table cells, and the unit-by-unit sections of a plan's implementation part."""

from __future__ import annotations

import re

from ..text import fold, squash
from .lexicon import domains_of
from .matching import containment, tokens
from .normalise import Document
from .records import Assignment, Indicator, Section, SourceSpan, Task
from .tables import Table
from .units import canonical_unit, find_units, split_units

_GIAO = re.compile(r"\bGiao\s+(?P<lead>.+?)\s*(?::\s*)?(?:chủ trì|Chủ trì)(?P<rest>.*)$", re.S)
_COORD = re.compile(r"phối hợp(?:\s+với)?\s+(?P<units>.+?)(?=,?\s*(?:tham mưu|triển khai|thực hiện|tổ chức|xây dựng|theo dõi)\b|[.;:]|$)")
_TARGETS = re.compile(r"(?:các\s+)?chỉ tiêu", re.I)


def extract_assignments(
    doc: Document, sections: list[Section], para_section: dict[int, str],
    indicators: list[Indicator], tasks: list[Task], tables: list[Table],
) -> list[Assignment]:
    out: list[Assignment] = []
    out += _giao_statements(doc, indicators)
    out += _table_cells(doc, tables, indicators, tasks)
    out += _unit_sections(doc, sections, para_section, indicators)
    return out


def _units(text: str) -> list[tuple[str, str]]:
    return find_units(text)


def _giao_statements(doc: Document, indicators: list[Indicator]) -> list[Assignment]:
    out: list[Assignment] = []
    for para in doc.paras:
        if para.cells is not None:
            continue
        m = _GIAO.search(para.text)
        if not m:
            continue
        leads = _units(m.group("lead"))
        rest = m.group("rest")
        coords = []
        if cm := _COORD.search(rest):
            coords = [u for u in _units(cm.group("units")) if u not in leads]
        tm = _TARGETS.search(rest)
        if not tm or not leads:
            continue
        named = _named_indicators(rest[tm.end() :], indicators)
        line = para.line_start
        span = SourceSpan(doc.path.name, line, para.line_end, squash(para.text)[:300])
        for ind in named:
            for name, kind in leads:
                out.append(Assignment(name, "lead" if kind == "unit" else "direct", "indicator", ind.key, span, kind))
            for name, kind in coords:
                out.append(Assignment(name, "coordinate", "indicator", ind.key, span, kind))
    return out


def _named_indicators(text: str, indicators: list[Indicator]) -> list[Indicator]:
    """Indicators a list of names points to ("Tỷ lệ hộ nghèo ..., Tỷ lệ dân số ...")."""
    text = re.split(r"\.\s+(?:Định kỳ|Báo cáo)", text, maxsplit=1)[0]
    found: list[Indicator] = []
    for piece in re.split(r"[,;:]\s*(?=[A-ZĐÀ-Ỹa-zđ])", text):
        piece = re.sub(r"^(?:các\s+)?chỉ tiêu về [^:]+$", "", piece.strip(), flags=re.I)
        if len(piece) < 8:
            continue
        scored = [(containment(piece, i.name), i) for i in indicators]
        score, best = max(scored, key=lambda x: x[0], default=(0.0, None))
        if best is not None and score >= 0.75:
            for ind in indicators:
                if ind.no == best.no and ind.no is not None and ind not in found and containment(piece, ind.name) >= 0.5:
                    found.append(ind)
            if best not in found:
                found.append(best)
    return found


def _table_cells(doc: Document, tables: list[Table], indicators: list[Indicator], tasks: list[Task]) -> list[Assignment]:
    out: list[Assignment] = []
    for table in tables:
        for row in table.rows:
            span = SourceSpan(doc.path.name, row.line, row.line, squash(" | ".join(row.cells.values()))[:300], table.caption[:80])
            if table.kind == "indicator":
                targets = [i for i in indicators if i.appendix and i.appendix.get("line") == row.line]
                for ind in targets:
                    for unit in split_units(row.cells.get("advise", "")):
                        if c := canonical_unit(unit):
                            out.append(Assignment(c[0], "advise", "indicator", ind.key, span, c[1]))
                    if (leader := row.cells.get("leader")) and (c := canonical_unit(leader)):
                        out.append(Assignment(c[0], "direct", "indicator", ind.key, span, "leader"))
            else:
                task = next((t for t in tasks if t.span.line_start == row.line), None)
                if task is None:
                    continue
                for role, cell in (("lead", row.cells.get("lead", "")), ("coordinate", row.cells.get("coordinate", ""))):
                    for unit in split_units(cell):
                        if c := canonical_unit(unit):
                            out.append(Assignment(c[0], role, "task", task.key, span, c[1]))
                if (leader := row.cells.get("leader")) and (c := canonical_unit(leader)):
                    out.append(Assignment(c[0], "direct", "task", task.key, span, "leader"))
    return out


def _unit_sections(doc: Document, sections: list[Section], para_section: dict[int, str], indicators: list[Indicator]) -> list[Assignment]:
    """"1. Phòng Văn hóa - Xã hội" followed by what it does: the targets its text restates,
    and the groups of targets it names ("các chỉ tiêu xã hội, môi trường"), are its own."""
    by_key = {s.key: s for s in sections}
    out: list[Assignment] = []
    seen: set[tuple[str, str]] = set()
    for idx, para in enumerate(doc.paras):
        key = para_section.get(idx)
        unit = None
        while key:
            sec = by_key[key]
            c = canonical_unit(sec.title) if len(sec.title) < 70 else None
            if c and c[1] == "unit":
                unit = c
                break
            key = sec.parent
        if unit is None or para.cells is not None or para.footnote:
            continue
        for clause in re.split(r"(?<!\d);\s*|\.\s+", para.text):
            role = _role(clause)
            for ind in _mentioned(clause, indicators):
                if (unit[0], ind.key) in seen:
                    continue
                seen.add((unit[0], ind.key))
                line = para.line_at(para.text.find(clause)) if clause in para.text else para.line_start
                out.append(Assignment(unit[0], role, "indicator", ind.key,
                                      SourceSpan(doc.path.name, line, line, squash(clause)[:300], by_key[key].path), "unit"))
    return out


def _role(clause: str) -> str:
    if re.search(r"phối hợp|góp phần", clause, re.I):
        return "coordinate"
    if re.search(r"tham mưu|theo dõi|đôn đốc", clause, re.I):
        return "advise"
    return "lead"


def _mentioned(clause: str, indicators: list[Indicator]) -> list[Indicator]:
    found = [i for i in indicators if _restates(clause, i)]
    m = re.search(r"các chỉ tiêu(?: chủ yếu)?(?: về)?\s+(?P<names>[^;]+?)(?:\s+và các chỉ tiêu\s+(?P<groups>[^;]+))?$", clause)
    if m:
        found += [i for i in _named_indicators(m.group("names"), indicators) if i not in found]
        if m.group("groups"):
            domains = set(domains_of(m.group("groups")))
            found += [i for i in indicators if i.domain in domains and i not in found]
    return found


def _restates(clause: str, ind: Indicator) -> bool:
    if ind.target.value is None:
        # A status target is restated by its own words ("duy trì trạm y tế đạt chuẩn quốc gia").
        return len(tokens(ind.name)) >= 3 and containment(ind.name, clause) >= 0.85
    value = f"{ind.target.value:g}".replace(".", ",")
    if not re.search(rf"(?<![\d,.]){re.escape(value)}\s*{re.escape(ind.target.unit or '')}", clause):
        return False
    return containment(ind.name, clause) >= 0.75
