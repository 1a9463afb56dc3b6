"""Source text -> clean logical paragraphs with a map back to original line numbers.

Repairs what PDF and Word conversion leave behind: non-NFC and decomposed diacritics
("vu ̣"), markdown emphasis and headings, footnote markers glued to words ("giao6"),
footnote blocks and page numbers inside sentences, and hard-wrapped lines.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceError
from ..text import nfc

_COMBINING_AFTER_SPACE = re.compile(r"[ \t]+([\u0300-\u036f\u1dc0-\u1dff])")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
_MD_EMPHASIS = re.compile(r"(\*\*|__)")
_MD_ITALIC = re.compile(r"(?<![\w*\\])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_SUP = re.compile(r"<sup>\s*([^<]*?)\s*</sup>")
_HTML = re.compile(r"</?(?:sub|span|br|u|i|b)[^>]*>")
# A footnote marker glued to a word: lower-case letter (or closing quote/bracket) + 1-3 digits.
_GLUED_MARKER = re.compile(r"(?<=[a-zà-ỹđ\)”\"])(\d{1,3})(?![.,]\d)(?=[\s.,;:)]|$)")
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
_FOOTNOTE_LINE = re.compile(r"^\s*(\d{1,3})[ \t]+(?=\S)")
_UNIT_TAILS = ("km", "m", "cm", "mm", "ha")  # m2, km2 are units, not footnotes

# Starts of lines that open a new paragraph even after an unfinished one.
_BLOCK_START = re.compile(
    r"^(?:\(\d+\)|\d{1,2}(?:\.\d{1,2})+\.?\s+[^\d\s]|\d{1,2}\.\s+[^\d\s]|[IVXLC]+[.\-]\s|[a-zđ]\)\s|[-+*•–]\s|Phần\s|PHẦN\s|Phụ lục|PHỤ LỤC|"
    r"Điều\s+\d|Căn cứ|Thực hiện|Xét\s|Nơi nhận|STT\b|[A-D]\.\s)"
)
_TERMINAL = (".", ";", ":", "!", "?", "…")


@dataclass
class Para:
    """A logical paragraph: text joined from one or more source lines."""

    text: str
    line_start: int
    line_end: int
    segments: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, source line)
    footnote: bool = False
    cells: list[str] | None = None  # tab-separated table row

    def line_at(self, offset: int) -> int:
        """The source line holding character `offset` of the paragraph text."""
        starts = [s for s, _ in self.segments]
        i = bisect.bisect_right(starts, offset) - 1
        return self.segments[max(i, 0)][1]

    def quote_at(self, start: int, end: int) -> str:
        return self.text[start:end].strip()


@dataclass
class Document:
    path: Path
    raw_lines: list[str]  # the file's lines, NFC (index 0 = line 1)
    clean_lines: list[str]  # after per-line repairs
    paras: list[Para]
    footnote_lines: set[int]
    repairs: int = 0


def read_source(path: Path) -> str:
    if not path.exists():
        raise SourceError(f"{path}: file not found", "check the path or data/sources/manifest.yaml")
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SourceError(f"{path}: not UTF-8 text", "convert the file to UTF-8 (e.g. iconv -f cp1258 -t utf-8)")
    if "\x00" in text:
        raise SourceError(f"{path}: binary content, not a text file", "export the document as plain text first")
    return text


def clean_line(line: str) -> tuple[str, list[str]]:
    """Repair one line. Returns the clean text and the footnote numbers found glued to words."""
    s = line.replace("\ufeff", "").replace("\r", "")
    s = _COMBINING_AFTER_SPACE.sub(r"\1", s)
    s = unicodedata.normalize("NFC", s)
    s = nfc(s)
    s = _SUP.sub(lambda m: "²" if m.group(1) == "2" else ("³" if m.group(1) == "3" else " "), s)
    s = _HTML.sub("", s)
    s = _MD_HEADING.sub("", s)
    s = s.replace("\\*", "*").replace("\\-", "-").replace("\\.", ".").replace("\\", "")
    s = _MD_EMPHASIS.sub("", s)
    s = _MD_ITALIC.sub(r"\1", s)
    markers: list[str] = []

    def _strip(m: re.Match[str]) -> str:
        before = s[max(0, m.start() - 3) : m.start()].lower()
        if any(before.endswith(u) for u in _UNIT_TAILS) and m.group(1) in ("2", "3"):
            return m.group(1)
        markers.append(m.group(1))
        return ""

    s = _GLUED_MARKER.sub(_strip, s)
    return s.rstrip(), markers


def normalise(path: Path) -> Document:
    text = read_source(path)
    raw = [nfc(line) for line in text.split("\n")]
    clean: list[str] = []
    expected_footnotes: set[int] = set()
    footnote_lines: set[int] = set()
    repairs = 0
    for i, line in enumerate(raw, start=1):
        c, markers = clean_line(line)
        repairs += c != line.rstrip()
        expected_footnotes.update(int(m) for m in markers)
        clean.append(c)
    # Footnote blocks: a line "N text" whose N is a marker seen glued to a word; the
    # footnote continues on following lines until a blank-line-separated new block starts.
    in_note = False
    for i, c in enumerate(clean, start=1):
        m = _FOOTNOTE_LINE.match(c)
        if m and int(m.group(1)) in expected_footnotes and not c.strip().startswith(("1.", "2.")):
            rest = c[m.end() :]
            if rest[:1].isupper() or rest[:1] in "“\"(":
                footnote_lines.add(i)
                in_note = True
                continue
        if in_note and c.strip() and not _BLOCK_START.match(c.strip()) and c.strip()[:1].islower():
            footnote_lines.add(i)
            continue
        if c.strip():
            in_note = False
    paras = _paragraphs(clean, footnote_lines)
    if not any(p.text for p in paras):
        raise SourceError(f"{path}: no text found", "the file is empty or not a plan document")
    return Document(path, raw, clean, paras, footnote_lines, repairs)


def _is_caps(s: str) -> bool:
    letters = [ch for ch in s if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def _paragraphs(clean: list[str], footnote_lines: set[int]) -> list[Para]:
    paras: list[Para] = []
    current: Para | None = None
    for i, line in enumerate(clean, start=1):
        s = line.strip()
        if not s or _PAGE_NUMBER.match(s):
            continue
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            paras.append(Para(s, i, i, [(0, i)], cells=cells))
            current = None
            continue
        if i in footnote_lines:
            paras.append(Para(s, i, i, [(0, i)], footnote=True))
            continue
        if current is not None and _continues(current.text, s):
            # A document number broken after its hyphen ("21-" / "KL/TW") is rejoined tight.
            sep = "" if re.search(r"[\dA-ZĐ]-$", current.text) and re.match(r"^[A-ZĐ]{1,10}\d*(?:[/\-\s]|$)", s) else " "
            offset = len(current.text) + len(sep)
            current.text = f"{current.text}{sep}{s}"
            current.segments.append((offset, i))
            current.line_end = i
            continue
        current = Para(s, i, i, [(0, i)])
        paras.append(current)
    return paras


def _continues(prev: str, nxt: str) -> bool:
    """Whether line `nxt` continues the paragraph ending in `prev` (a hard wrap)."""
    if _is_caps(prev) or _is_caps(nxt):
        return False
    first = nxt[:1]
    if first.islower() and not re.match(r"^[a-zđ]\)\s", nxt):
        return True
    if prev.endswith(_TERMINAL):
        # "đạt:" followed by the value on the next line is still one sentence.
        return prev.endswith(":") and bool(re.match(r"^\d[\d.,]*\s*(%|tỷ|triệu|tấn|ha|km|người|con)", nxt))
    if _BLOCK_START.match(nxt):
        return False
    # A short numbered heading without punctuation followed by a capitalised line is a
    # heading and its body, not one sentence.
    if re.match(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[a-zđ]\))\s", prev) and first.isupper() and len(prev) < 160:
        return False
    return bool(first) and (first.isupper() or first.isdigit() or first in "(“\"")
