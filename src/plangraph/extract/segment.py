"""The section tree of a plan: parts, Roman / Arabic / lettered headings, appendices."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import domains_of
from .normalise import Document, Para
from .records import Section, SourceSpan

# (rank, pattern): a lower rank encloses a higher one.
_HEADINGS: list[tuple[int, re.Pattern[str]]] = [
    (0, re.compile(r"^(?P<num>(?:PHỤ LỤC|Phụ lục)\s*[IVXLC\d]*)\b[.:]?\s*(?P<title>.*)$")),
    (0, re.compile(r"^(?P<num>(?:Phần|PHẦN)\s+(?:thứ\s+\w+|THỨ\s+\w+|[IVXLC]+|\d+))[.:]?\s*(?P<title>.*)$")),
    (1, re.compile(r"^(?P<num>[A-D])\.\s+(?P<title>[A-ZĐÀ-Ỹ].*)$")),
    (1, re.compile(r"^(?P<num>Điều\s+\d+)\.\s*(?P<title>.*)$")),
    (2, re.compile(r"^(?P<num>[IVXLC]+)[.\-/]\s*(?P<title>\S.*)$")),
    (5, re.compile(r"^(?P<num>\d{1,2}\.\d{1,2}\.\d{1,2})\.?\s+(?P<title>\S.*)$")),
    (4, re.compile(r"^(?P<num>\d{1,2}\.\d{1,2})\.?\s+(?P<title>[^\d\s].*)$")),
    (3, re.compile(r"^(?P<num>\d{1,2})\.\s+(?P<title>[^\d\s].*)$")),
    (6, re.compile(r"^(?P<num>[a-zđ])\)\s+(?P<title>\S.*)$")),
]
_STAR_GROUP = re.compile(r"^\*\s*(?P<title>.{3,160}?)\s*:?\s*$")
_HEADING_MAX = 260


@dataclass
class Heading:
    rank: int
    number: str
    title: str


def heading_of(para: Para) -> Heading | None:
    """The heading a paragraph opens, if it is one."""
    if para.cells is not None or para.footnote:
        return None
    text = para.text.strip()
    for rank, pattern in _HEADINGS:
        m = pattern.match(text)
        if m:
            title = m.group("title").strip()
            if rank == 2 and not _looks_roman_heading(m.group("num"), title):
                continue
            if len(text) > _HEADING_MAX and rank >= 3:
                # A long numbered paragraph is an item with a lead sentence, still a section.
                title = re.split(r"(?<=[.:;])\s", title, maxsplit=1)[0][:200]
            return Heading(rank, m.group("num").strip(), title.rstrip(":").strip())
    m = _STAR_GROUP.match(text)
    if m and not text.endswith("."):
        return Heading(7, "*", m.group("title").rstrip(":").strip())
    return None


def _looks_roman_heading(num: str, title: str) -> bool:
    # "I. MỤC ĐÍCH" yes; "C. " handled elsewhere; a sentence starting "V" is no numeral.
    return len(num) <= 5 and bool(title) and (title[0].isupper() or title[0].isdigit())


def segment(doc: Document) -> tuple[list[Section], dict[int, str]]:
    """Sections with line spans, and the section key of every paragraph index."""
    sections: list[Section] = []
    stack: list[tuple[int, Section]] = []
    para_section: dict[int, str] = {}
    last_line = len(doc.raw_lines)
    for idx, para in enumerate(doc.paras):
        h = heading_of(para)
        if h is not None:
            while stack and stack[-1][0] >= h.rank:
                stack.pop()
            parent = stack[-1][1] if stack else None
            key = f"s{len(sections) + 1}"
            path = " > ".join([*(s.number for _, s in stack), h.number])
            sec = Section(
                key=key, number=h.number, title=h.title, level=len(stack) + 1,
                parent=parent.key if parent else None, domains=domains_of(h.title),
                span=SourceSpan(doc.path.name, para.line_start, last_line, para.text[:300], path), path=path,
            )
            sections.append(sec)
            stack.append((h.rank, sec))
        if stack:
            para_section[idx] = stack[-1][1].key
    # Close each section's span where the next section of the same or higher rank starts.
    for i, sec in enumerate(sections):
        for later in sections[i + 1 :]:
            if later.level <= sec.level:
                sec.span = SourceSpan(sec.span.file, sec.span.line_start, later.span.line_start - 1, sec.span.quote, sec.span.section)
                break
    return sections, para_section


def ancestry(sections: list[Section], key: str | None) -> list[Section]:
    """The section and its ancestors, innermost first."""
    by_key = {s.key: s for s in sections}
    out: list[Section] = []
    while key:
        sec = by_key[key]
        out.append(sec)
        key = sec.parent
    return out
