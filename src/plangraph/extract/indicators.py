"""Target indicators of the plan period: numbered and bulleted lists, one record per
measurable target, grouped by domain, with header counts and province/ward origin."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..docnumber import NUMBER_IN_TEXT, parse
from ..text import fold, squash
from .lexicon import domain_of
from .normalise import Document, Para
from .records import Indicator, IndicatorGroup, Section, SourceSpan, Target
from .segment import ancestry
from .targets import find_values, qualitative

_ITEM = re.compile(r"^\s*(?:[-+•]\s*)?\((?P<no>\d{1,3})\)\.?\s*")
_INLINE_ITEM = re.compile(r"(?:(?<=[;.:])|(?<=^))\s*\((?P<no>\d{1,3})\)\.?\s+")
_BULLET = re.compile(r"^\s*[-+•]\s+")
_COUNT = re.compile(r"\(\s*(\d{1,3})\s+chỉ tiêu\s*\)")
_PAST = re.compile(r"(ket qua|danh gia|2020 ?- ?2025|2021 ?- ?2025|han che|ton tai|nguyen nhan|boi canh)")
_FILLER = re.compile(r"^\W*(?:(?:và|phấn đấu|phân đầu|trong đó|hàng năm|hằng năm|đến năm 20\d\d|cơ bản|duy trì|giữ vững|hoàn thành|xây dựng)[,:]?(?:\s+|$))+", re.I)


@dataclass
class Region:
    """An indicator list: a heading naming targets and the sections under it."""

    section: Section
    year: int | None
    members: set[str] = field(default_factory=set)


def _is_indicator_heading(sec: Section) -> bool:
    f = fold(sec.title)
    if re.match(r"^(giao|de nghi|yeu cau)\b", f) or "chu tri" in f or "tham muu" in f:
        return False  # an assignment that names targets, not a list of them
    return ("chi tieu" in f or "muc tieu chu yeu" in f) and not _PAST.search(f)


def find_regions(sections: list[Section]) -> list[Region]:
    """Innermost headings that name targets: "II. CHỈ TIÊU VÀ NHIỆM VỤ" gives way to its
    "1. Chỉ tiêu chủ yếu" child so the tasks beside it are not read as targets."""
    candidates = [
        s for s in sections
        if _is_indicator_heading(s) and not any(_PAST.search(fold(a.title)) for a in ancestry(sections, s.parent))
    ]
    regions: list[Region] = []
    for sec in candidates:
        if any(c.parent == sec.key for c in candidates):
            continue
        chain = ancestry(sections, sec.key)
        year = next((int(m.group(1)) for a in chain if (m := re.search(r"đến năm (20\d\d)", a.title))), None)
        regions.append(Region(sec, year))
    for sec in sections:
        for region in regions:
            if region.section.key in {a.key for a in ancestry(sections, sec.key)}:
                region.members.add(sec.key)
    return regions


def extract_indicators(
    doc: Document, sections: list[Section], para_section: dict[int, str]
) -> tuple[list[IndicatorGroup], list[Indicator]]:
    regions = find_regions(sections)
    by_key = {s.key: s for s in sections}
    groups: dict[str, IndicatorGroup] = {}
    indicators: list[Indicator] = []
    for region in regions:
        current_no: str | None = None
        part = 0
        for idx, para in enumerate(doc.paras):
            key = para_section.get(idx)
            if key not in region.members or para.footnote or para.cells is not None:
                continue
            sec = by_key[key]
            if sec.span.line_start == para.line_start:
                current_no, part = None, 0  # a heading paragraph: new group
                continue
            group = _group_for(sections, sec, region, groups, doc)
            for no, text, offset in _items(para):
                if no is not None:
                    current_no, part = no, 0
                elif _BULLET.match(para.text) and not _continues_item(para, idx, doc):
                    current_no, part = None, 0
                for ind in _targets(doc, para, text, offset, no or current_no, part, group, region, sec):
                    part = ind.part
                    indicators.append(ind)
    for g in groups.values():
        g.listed_count = len({i.no or f"L{i.span.line_start}" for i in indicators if i.group == g.key})
    return list(groups.values()), indicators


def _continues_item(para: Para, idx: int, doc: Document) -> bool:
    """A bullet under a numbered item whose text ended with ':' belongs to that item."""
    for prev in reversed(doc.paras[:idx]):
        if prev.cells is not None or prev.footnote:
            continue
        return prev.text.rstrip().endswith(":") or (_BULLET.match(prev.text) is not None and _ITEM.match(prev.text) is None)
    return False


def _items(para: Para) -> list[tuple[str | None, str, int]]:
    """Split a paragraph into (number, text, offset) items: "(1) ...; (2) ..." inline lists."""
    text = para.text
    lead = _ITEM.match(text)
    starts = [(m.group("no"), m.start(), m.end()) for m in _INLINE_ITEM.finditer(text) if m.start() > 0 or lead is None]
    if lead is not None:
        starts = [(lead.group("no"), 0, lead.end()), *[s for s in starts if s[1] >= lead.end()]]
    if not starts or (lead is None and text[: starts[0][1]].strip(" -+•")):
        body = _BULLET.sub("", text, count=1)
        return [(None, body, len(text) - len(body))]
    out = []
    for i, (no, _start, end_marker) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(text)
        out.append((no, text[end_marker:end], end_marker))
    return out


def _group_for(sections: list[Section], sec: Section, region: Region, groups: dict[str, IndicatorGroup], doc: Document) -> IndicatorGroup:
    chain = ancestry(sections, sec.key)
    inner = next((s for s in chain if s.key != region.section.key and s.key in region.members), region.section)
    if inner.key not in groups:
        count = _COUNT.search(inner.title)
        origin = _origin(chain)
        groups[inner.key] = IndicatorGroup(
            key=inner.key, title=_COUNT.sub("", inner.title).strip(" :"), domain=domain_of(inner.title),
            stated_count=int(count.group(1)) if count else None, origin=origin,
            span=SourceSpan(doc.path.name, inner.span.line_start, inner.span.line_start, inner.title, inner.path),
        )
    return groups[inner.key]


def _origin(chain: list[Section]) -> str | None:
    for s in chain:
        f = fold(s.title)
        if re.search(r"(phuong|xa) (bo sung|de ra|xay dung them)|chi tieu rieng", f):
            return "ward"
        if re.search(r"(tinh|thanh pho|ban thuong vu[^,]*) giao|duoc giao|giao tai", f):
            return "province"
    return None


def explicit_documents(chain: list[Section]) -> list[str]:
    """Numbers of documents a group heading says assigned its targets ("giao tại Kết luận số ...")."""
    for s in chain:
        if "giao" in fold(s.title):
            return [n.text for m in NUMBER_IN_TEXT.finditer(s.title) if (n := parse(m.group(1)))]
    return []


def _clauses(text: str) -> list[tuple[str, int]]:
    """Split an item on ';' and sentence ends, keeping offsets."""
    out: list[tuple[str, int]] = []
    pos = 0
    for m in re.finditer(r";|\.\s+(?=[A-ZĐÀ-Ỹa-zđ])|\.$", text):
        out.append((text[pos : m.start()], pos))
        pos = m.end()
    if text[pos:].strip():
        out.append((text[pos:], pos))
    return [(c, o) for c, o in out if c.strip()]


def _targets(
    doc: Document, para: Para, text: str, offset: int, no: str | None, part: int,
    group: IndicatorGroup, region: Region, sec: Section,
) -> list[Indicator]:
    out: list[Indicator] = []
    chain_docs = explicit_documents([sec, *([region.section])]) if group.origin == "province" else []
    for clause, coff in _clauses(text):
        hits = find_values(clause)
        if hits:
            prev_end, value_first = 0, False
            zero = _leading_zero_target(clause[: hits[0].start])
            if zero is not None:
                z_text, z_off, z_target = zero
                out.append(_indicator(doc, para, offset + coff + z_off, z_text, _name(z_text, 0, len(z_text), len(z_text))[0], no, group, region, sec, z_target, chain_docs))
            tail = _predicate_tail(clause[hits[-1].end :])
            for i, h in enumerate(hits):
                if i and h.target.periodicity is None and hits[i - 1].target.periodicity:
                    h.target.periodicity, h.target.target_year = hits[i - 1].target.periodicity, hits[i - 1].target.target_year
                stop = hits[i + 1].start if i + 1 < len(hits) else len(clause)
                name, from_after = _name(clause[:stop], prev_end, h.start, h.end, value_first)
                value_first = value_first or from_after
                if from_after:
                    # "95% hộ gia đình, 100% tổ dân phố ... đạt danh hiệu văn hóa": the shared
                    # predicate at the end belongs to every value-first target.
                    end = clause.find(name, h.end) + len(name) if name and clause.find(name, h.end) >= 0 else h.end
                    quote_start, quote_end = h.start, end
                    if tail and tail not in name:
                        name = f"{name} {tail}"
                else:
                    lead = len(clause[prev_end:h.start]) - len(clause[prev_end:h.start].lstrip(" ,;:"))
                    quote_start, quote_end = prev_end + lead, h.end
                out.append(_indicator(doc, para, offset + coff + quote_start, clause[quote_start:quote_end], name, no, group, region, sec, h.target, chain_docs))
                out[-1].context = squash(clause)
                prev_end = h.end
            continue
        for piece, poff in _qualitative_pieces(clause):
            t = qualitative(piece)
            if t is not None and len(piece.strip()) > 6 and not piece.strip().endswith(":"):
                lead = len(piece) - len(piece.lstrip())
                out.append(_indicator(doc, para, offset + coff + poff + lead, piece, _name(piece, 0, len(piece), len(piece))[0], no, group, region, sec, t, chain_docs))
    for prev, ind in zip(out, out[1:]):
        if ind.target.periodicity is None and prev.target.periodicity and re.match(r"\W*trong đó", ind.span.quote, re.I):
            ind.target.periodicity, ind.target.target_year = prev.target.periodicity, prev.target.target_year
    for ind in out:
        part += 1
        ind.part = part
    return out


def _predicate_tail(text: str) -> str:
    """The predicate closing a value-first list: "..., cơ quan, đơn vị đạt danh hiệu văn hóa"."""
    m = re.search(r"\b(đạt|có|được)\b.*$", text)
    return squash(m.group(0).rstrip(" .;")) if m else ""


def _leading_zero_target(segment: str) -> tuple[str, int, Target] | None:
    """"không còn hộ nghèo ..., tỷ lệ hộ cận nghèo đạt 0,5%": the zero target stands on its own
    when a comma, not a parenthesis, separates it from the next target's name."""
    m = re.search(r"không còn[^,()]*,", segment, re.I)
    if not m:
        return None
    t = qualitative(m.group(0))
    if t is None:
        return None
    start = segment.rfind(",", 0, m.start()) + 1
    return segment[start : m.end() - 1], start, t


def _qualitative_pieces(clause: str) -> list[tuple[str, int]]:
    """"đạt chuẩn A và đạt chuẩn B" states two targets."""
    pieces, pos = [], 0
    for m in re.finditer(r"\s+và\s+(?=(?:đạt|duy trì|hoàn thành|xây dựng)\b)", clause):
        pieces.append((clause[pos : m.start()], pos))
        pos = m.end()
    pieces.append((clause[pos:], pos))
    return pieces


def _name(clause: str, lo: int, start: int, end: int, value_first: bool = False) -> tuple[str, bool]:
    """The indicator's name: the words before its value, or after it when the plan puts
    the value first ("95% hộ gia đình, 100% tổ dân phố ... đạt danh hiệu văn hóa")."""
    before = "" if value_first else clause[lo:start]
    before = re.sub(r"[:(,]?\s*(?:đạt|là|chiếm|còn|từ|trên|dưới|tối thiểu|ít nhất|tăng|giảm|xuống|bình quân|hàng năm|hằng năm|thường|đến năm 20\d\d|năm 20\d\d|khoảng|\s)*[:\s]*$", "", before, flags=re.I)
    name = squash(_FILLER.sub("", before.strip(" ,;:-–")))
    if "):" in name:  # "Cơ cấu (... dịch vụ): Nông nghiệp ..." names the part after the colon
        name = name.split("):", 1)[1].strip()
    if name.startswith("(") and ")" not in name:
        name = name[1:].strip()
    if name.endswith("(") or (name.count("(") > name.count(")")):
        name = name.rstrip("( ") if name.endswith("(") else f"{name})"
    if len(name) >= 4:
        return name[:200], False
    rest = clause[end:]
    nxt = re.split(r";|,\s*(?:\d|trong đó)", rest, maxsplit=1)[0]
    return squash(nxt.strip(" ,;:-–"))[:200], True


def _refine_unit(unit: str | None, name: str) -> str | None:
    """Money amounts whose denominator the name carries: income per head is per year,
    output value "trên một ha" is per hectare."""
    if unit != "triệu đồng":
        return unit
    f = fold(name)
    if "dau nguoi" in f:
        return "triệu đồng/người/năm"
    if re.search(r"tren (?:mot|1) ha|/ ?ha\b", f):
        return "triệu đồng/ha"
    return unit


def _indicator(
    doc: Document, para: Para, offset: int, clause: str, name: str, no: str | None,
    group: IndicatorGroup, region: Region, sec: Section, target: Target, docs: list[str],
) -> Indicator:
    if target.periodicity is None and region.year:
        target.periodicity, target.target_year = "by-year", region.year
    target.unit = _refine_unit(target.unit, name)
    line = para.line_at(offset)
    context = clause
    clause = clause.strip(" ,;:")
    return Indicator(
        no=no, part=0, name=name, group=group.key, domain=group.domain, origin=group.origin, target=target,
        span=SourceSpan(doc.path.name, line, para.line_at(offset + len(clause)), squash(clause)[:300], sec.path),
        explicit_documents=list(docs), context=squash(context),
    )
