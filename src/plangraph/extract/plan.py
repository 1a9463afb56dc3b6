"""The plan's own document node: type, number, date, issuer, signer, ward, province,
the former units it was formed from, and the document that adopts or attaches it."""

from __future__ import annotations

import re
from collections import Counter

from ..docnumber import NUMBER_IN_TEXT, parse
from ..text import fold, proper_name_at, squash
from .dates import parse_date
from .lexicon import PROVINCES, find_province
from .normalise import Document
from .records import PlanMeta, SourceSpan, Warning_

_TITLE_TYPES = {
    "KE HOACH": "KH", "NGHI QUYET": "NQ", "BAO CAO CHINH TRI": "BC", "BAO CAO": "BC",
    "QUYET DINH": "QĐ", "CHUONG TRINH": "CTr", "DE AN": "ĐA", "TO TRINH": "TTr",
}
_NUMBER_LINE = re.compile(r"^\s*Số\s*:?\s*(?P<num>\S*)\s*$")
_DATE_LINE = re.compile(r"^(?P<place>[^,]{2,60}),\s*ngày\s+(?P<d>\d{0,2})\s*tháng\s+(?P<m>\d{0,2})\s*năm\s+(?P<y>\d{4})", re.I)
_WARD_MENTION = re.compile(r"\b(phường|xã|đặc khu)\s+(?=\w)")
_ATTACHED = re.compile(r"(?:Ban hành\s+)?[Kk]èm theo\s+(?P<type>[^\d]{3,30}?)\s+số\s+(?P<num>[^\s,]+)\s*,?\s*(?P<rest>[^)]*)")
_FORMED = re.compile(r"(?:thành lập trên cơ sở (?:sáp nhập|nhập)|\(gồm (?:các )?(?=phường|xã))(?P<body>.{0,400})", re.I)
_KIND_BEFORE = re.compile(r"\b(?:phường|xã|thị trấn)\s*:?\s*$")


def extract_plan(doc: Document) -> tuple[PlanMeta, list[Warning_]]:
    meta = PlanMeta()
    warnings: list[Warning_] = []
    head = doc.clean_lines[:60]
    full = "\n".join(doc.clean_lines)

    meta.ward_kind, meta.ward = _own_ward(full)
    meta.province = _province(full)
    meta.doc_type = _title_type(head)
    number_seen = False
    for i, line in enumerate(head, start=1):
        if m := _NUMBER_LINE.match(line.strip()):
            number_seen = True
            num = parse(m.group("num"))
            if num is not None:
                meta.number = num.text
                meta.doc_type = meta.doc_type or num.doc_type
            else:
                meta.blank_fields.append("number")
                warnings.append(Warning_(i, "plan-number-blank", f"số văn bản để trống: {line.strip()!r}"))
        if (m := _DATE_LINE.match(line.strip())) and meta.date is None:
            if m.group("d") and m.group("m"):
                meta.date, _ = parse_date(f"ngày {m.group('d')} tháng {m.group('m')} năm {m.group('y')}")
            else:
                meta.blank_fields.append("date")
                warnings.append(Warning_(i, "plan-date-blank", f"ngày văn bản để trống: {line.strip()!r}"))
    _attachments(doc, meta, warnings, number_seen)
    if meta.number is None and "number" not in meta.blank_fields:
        meta.blank_fields.append("number")
    if meta.date is None and "date" not in meta.blank_fields:
        meta.blank_fields.append("date")
    meta.issuer = _issuer(head, meta)
    meta.title = _title(head)
    meta.signer = _signer(doc)
    meta.former_units = _former_units(" ".join(p.text for p in doc.paras if not p.footnote), meta.ward)
    meta.span = SourceSpan(doc.path.name, 1, min(len(doc.raw_lines), 30), squash(" ".join(head[:12]))[:300])
    return meta, warnings


def _own_ward(text: str) -> tuple[str | None, str | None]:
    """The ward the plan is about: the most often named commune-level unit."""
    counts: Counter[tuple[str, str]] = Counter()
    for m in _WARD_MENTION.finditer(text):
        name = proper_name_at(text, m.end(), 3)
        if name:
            counts[(m.group(1).lower(), name)] += 1
    if not counts:
        return None, None
    (kind, name), _ = counts.most_common(1)[0]
    return kind, name


def _province(text: str) -> str | None:
    f = fold(text)
    counts = {p: len(re.findall(rf"\b{re.escape(fold(p))}\b", f)) for p in PROVINCES}
    best = max(counts, key=lambda p: counts[p])
    return best if counts[best] else find_province(text)


def _title_type(head: list[str]) -> str | None:
    for line in head:
        key = fold(line.strip()).upper().strip(" :")
        if key in {k.upper() for k in _TITLE_TYPES}:
            return _TITLE_TYPES[key.lower().upper()] if key in _TITLE_TYPES else _TITLE_TYPES[key]
    return None


def _title(head: list[str]) -> str | None:
    for i, line in enumerate(head):
        key = fold(line.strip()).upper().strip(" :")
        if key in _TITLE_TYPES:
            rest = [ln.strip() for ln in head[i + 1 : i + 8] if ln.strip()]
            lines: list[str] = []
            for ln in rest:
                if ln.isupper() or ln.startswith(("Căn cứ", "Thực hiện", "(")) or len(lines) >= 3:
                    break
                lines.append(ln)
            return squash(" ".join(lines)) or None
    return None


def _issuer(head: list[str], meta: PlanMeta) -> str | None:
    caps = []
    for line in head[:12]:
        s = line.strip()
        if s.startswith(("CỘNG HÒA", "Số", "Độc lập")) or fold(s).upper().strip(" :") in _TITLE_TYPES:
            break
        if s and s.isupper():
            caps.append(s)
    if caps:
        body = " ".join(caps)
        body = re.sub(r"HỘI ĐỒNG NHÂN DÂN", "HĐND", body)
        body = re.sub(r"ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN", "UBND", body)
        return squash(body.title().replace("Hđnd", "HĐND").replace("Ubnd", "UBND"))
    for number in (meta.number, meta.adopted_by):
        if number and (num := parse(number)) and meta.ward and num.issuer_code in ("UBND", "HĐND", "ĐU"):
            return f"{num.issuer_code} {meta.ward_kind or 'phường'} {meta.ward}"
    return None


def _attachments(doc: Document, meta: PlanMeta, warnings: list[Warning_], number_seen: bool) -> None:
    """"Kèm theo X số N ..." captions: the plan's own number when X is the plan's type,
    otherwise the document that adopts or attaches the plan."""
    own_dates: dict[str, list[tuple[str, int]]] = {}
    for i, line in enumerate(doc.clean_lines, start=1):
        m = _ATTACHED.search(line)
        if not m:
            continue
        num = parse(m.group("num"))
        if num is None:
            continue
        date, _ = parse_date(m.group("rest"))
        if meta.doc_type and num.doc_type == meta.doc_type:
            own_dates.setdefault(num.text, []).append((date or "", i))
        elif meta.adopted_by is None and i <= 40:
            meta.adopted_by = num.text
            if meta.date is None and date:
                meta.date = date
    if meta.number is None and not number_seen and len(own_dates) == 1:
        number, dates = next(iter(own_dates.items()))
        meta.number = number
        distinct = sorted({d for d, _ in dates if d})
        if len(distinct) == 1 and meta.date is None:
            meta.date = distinct[0]
        elif len(distinct) > 1:
            warnings.append(Warning_(dates[0][1], "plan-date-conflict",
                                     f"các phụ lục ghi ngày khác nhau cho {number}: {', '.join(distinct)}"))


def _signer(doc: Document) -> str | None:
    """The signatory: a personal name on its own line after the recipients block."""
    lines = doc.clean_lines
    start = next((i for i in range(len(lines) - 1, -1, -1) if re.match(r"^\s*Nơi nhận", lines[i])), None)
    if start is None:
        return None
    for line in lines[start : start + 40]:
        s = line.strip()
        words = s.split()
        if 2 <= len(words) <= 5 and all(w[0].isupper() and w[1:].islower() and w.isalpha() for w in words):
            return s
        if s.startswith(("PHỤ LỤC", "Phụ lục")):
            break
    return None


def _former_units(text: str, ward: str | None) -> list[str]:
    m = _FORMED.search(text)
    if not m:
        return []
    body = re.split(r"[.;)]\s|\btheo\b", m.group("body"), maxsplit=1)[0]
    names: list[str] = []
    for w in re.finditer(r"(?:^|[\s,:])(?=\w)", body):
        start = w.end()
        if start and body[start - 1 : start] == " " and not re.search(r"(?:,|:|và|phường|xã|phần)\s*$", body[:start]):
            continue
        name = proper_name_at(body, start, 3)
        if name and name not in names:
            names.append(name)
    return names
