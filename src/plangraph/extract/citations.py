"""Every numbered legal or party document a plan cites, with what each mention states."""

from __future__ import annotations

import re

from ..docnumber import NUMBER_IN_TEXT, DocNumber, parse
from ..text import fold, squash
from .dates import parse_date
from .lexicon import CENTRAL_CITIES, find_province
from .normalise import Document, Para
from .records import Citation, PlanMeta, SourceSpan

_BASIS_START = re.compile(r"^(Căn cứ|Thực hiện|Xét|Triển khai)\b")
_DATE_AFTER = re.compile(
    r"^\s*,?\s*(?:ban hành\s+)?(?:ngày|ngay)\s*(\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})",
    re.IGNORECASE,
)
_ISSUER_AFTER = re.compile(r"^\s*,?\s*(?:của|do)\s+(?P<issuer>[^;,.()]{3,90}?)(?=\s+(?:về|ban hành|quy định|thực hiện|phê duyệt|hướng dẫn|tại|khóa|nhiệm kỳ|đề nghị|kèm|và|trong)\b|[;,.()]|$)")
_SUBJECT_AFTER = re.compile(r"^\s*,?\s*(?:về việc|về|V/v)\s+(?P<subject>.+?)(?=;|\.(?:\s|$)|\)|$|\s(?:và|,)\s+(?:các\s+)?(?:Nghị quyết|Chỉ thị|Kết luận|Quyết định|Công văn|Kế hoạch|Chương trình|Thông báo|Đề án)\b)")
_WARD_WORDS = ("phuong", "xa ", "dac khu", "dang uy phuong", "dang uy xa")


def extract_citations(doc: Document, plan: PlanMeta, para_section: dict[int, str], preamble_end: int) -> list[Citation]:
    out: list[Citation] = []
    for idx, para in enumerate(doc.paras):
        texts = para.cells if para.cells is not None else [para.text]
        for text in texts:
            if re.match(r"^\s*Số\s*:", text):
                continue  # the document's own number in its header, not a citation
            for m in NUMBER_IN_TEXT.finditer(text):
                number = parse(m.group(1))
                if number is None:
                    continue
                out.append(_citation(doc, para, idx, text, m, number, plan, para_section, preamble_end))
    return out


def _citation(
    doc: Document, para: Para, idx: int, text: str, m: re.Match[str], number: DocNumber,
    plan: PlanMeta, para_section: dict[int, str], preamble_end: int,
) -> Citation:
    after = text[m.end() :]
    date, issuer, subject = None, None, None
    if dm := _DATE_AFTER.match(after):
        date, _ = parse_date(dm.group(0))
        after = after[dm.end() :]
    if im := _ISSUER_AFTER.match(after):
        issuer = squash(im.group("issuer"))
        after = after[im.end() :]
    refs: list[str] = []
    if sm := _SUBJECT_AFTER.match(after):
        subject = squash(sm.group("subject"))[:300]
    # "về thực hiện Chương trình hành động số 15-CTr/TU ...": the cited document implements another.
    impl = re.match(
        r"^\s*,?\s*(?:về\s+(?:việc\s+)?)?(?:triển khai\s+)?thực hiện\s+(?:các\s+)?"
        r"(?:Nghị quyết|Chương trình|Kết luận|Chỉ thị|Kế hoạch|Quyết định|Đề án|Thông báo)[^;\d]{0,40}?(?:số\s+)?(?=\d)", after)
    if impl and (nxt := NUMBER_IN_TEXT.match(after, impl.end())) and (rn := parse(nxt.group(1))) is not None:
        refs.append(rn.text)
    before = text[max(0, m.start() - 120) : m.start()]
    doc_type = number.doc_type
    if re.search(r"\bLuật\b[^;.]*$", before) and number.issuer_code.startswith("QH"):
        doc_type = "Luật"
    in_preamble = idx < preamble_end and para.cells is None and not para.footnote
    basis = _BASIS_START.match(para.text) if in_preamble else None
    role = "basis" if basis else "in-text"
    scope, locality, how = _scope(number, issuer, plan, before)
    offset = m.start() if para.cells is None else 0
    line = para.line_at(offset) if para.cells is None else para.line_start
    quote = _sentence(text, m.start(), m.end())
    return Citation(
        number=number.text, doc_type=doc_type, issuer_code=number.issuer_code, issuer=issuer,
        scope=scope, locality=locality, locality_source=how, date=date, subject=subject, role=role,
        span=SourceSpan(doc.path.name, line, line, quote, para_section.get(idx, "")), refs=refs,
        basis_verb=basis.group(1) if basis else None,
    )


def _scope(number: DocNumber, issuer: str | None, plan: PlanMeta, before: str) -> tuple[str | None, str | None, str]:
    """Issuing level and locality: from the number, then the citation's text, then the plan."""
    level = number.level
    if level == "central":
        return "central", None, ""
    text = issuer or ""
    f = fold(text)
    province = find_province(text) if text else None
    if level is None and text:
        if any(w in f for w in _WARD_WORDS):
            level = "ward"
        elif "tinh" in f or "thanh uy" in f:
            level = "provincial"
        elif "thanh pho" in f:
            level = "provincial" if province in CENTRAL_CITIES else "district"
        elif province:
            level = "provincial"
    if level == "district":
        name = re.sub(r"^.*?(thành phố|thị xã|huyện|quận)\s+", r"\1 ", text, flags=re.IGNORECASE)
        return "district", name.strip(), "text"
    if level == "ward":
        ward = re.search(r"(?:phường|xã|đặc khu)\s+([A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)*)", text)
        if ward:
            return "ward", ward.group(1), "text"
        return "ward", plan.ward, "context"
    if level == "provincial":
        if province:
            return "provincial", province, "text"
        return "provincial", plan.province, "context"
    # Unknown level (HĐND/UBND cited bare): the citing plan's own ward is the nearest body.
    return None, plan.ward, "context"


def _sentence(text: str, start: int, end: int) -> str:
    """The clause around a match, bounded by ';' or sentence ends, at most ~200 characters."""
    left = max(text.rfind(";", 0, start), text.rfind(". ", 0, start))
    left = 0 if left < 0 else left + 1
    left = max(left, start - 100)
    right_candidates = [i for i in (text.find(";", end), text.find(". ", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    right = min(right, end + 120)
    return text[left:right].strip()
