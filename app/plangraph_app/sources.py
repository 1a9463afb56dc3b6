"""Where a record comes from: document, section, lines and the quote.

From the canned query `source-lookup`: for a few wards, every record's source at once (a
`SourceIndex` over the whole graph, so each table row can show its source); for a big graph,
looked up when shown: one ward's records (`ward_index`) or one record (`lookup`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from plangraph.query.catalog import run
from plangraph.store import Store


@dataclass(frozen=True)
class Source:
    iri: str
    kind: str
    label: str
    ward: str
    document: str
    file: str
    section: str | None
    line_start: int | None
    line_end: int | None
    quote: str | None
    ward_iri: str | None = None

    def lines(self, lang: str = "vi") -> str:
        word = "line" if lang == "en" else "dòng"
        if self.line_start is None:
            return ""
        if self.line_end is not None and self.line_end != self.line_start:
            return f"{word} {self.line_start}–{self.line_end}"
        return f"{word} {self.line_start}"

    def citation(self, lang: str = "vi") -> str:
        """One line: "Kế hoạch 86/KH-UBND (An Dương) · mục II > 2 · dòng 115 · tệp 004_….txt"."""
        section_word, file_word = ("section", "file") if lang == "en" else ("mục", "tệp")
        parts = [f"{self.document} ({self.ward})"]
        if self.section:
            parts.append(f"{section_word} {self.section}")
        if self.line_start is not None:
            parts.append(self.lines(lang))
        parts.append(f"{file_word} {self.file}")
        return " · ".join(parts)


class SourceIndex:
    """IRI -> Source, plus the records of each ward in document order, found by the ward's IRI
    when it is given (names recur across provinces: two wards of one name are two lists)."""

    def __init__(self, sources: Iterable[Source]) -> None:
        self._by_iri: dict[str, Source] = {}
        self._by_ward: dict[str, list[Source]] = {}
        self._by_ward_iri: dict[str, list[Source]] = {}
        for s in sources:
            self._by_iri.setdefault(s.iri, s)
            self._by_ward.setdefault(s.ward, []).append(s)
            if s.ward_iri:
                self._by_ward_iri.setdefault(s.ward_iri, []).append(s)

    def get(self, iri: str | None) -> Source | None:
        return self._by_iri.get(iri) if iri else None

    def __contains__(self, iri: object) -> bool:
        return iri in self._by_iri

    def __len__(self) -> int:
        return len(self._by_iri)

    def records(self) -> list[Source]:
        return list(self._by_iri.values())

    def ward_records(self, ward: str, ward_iri: str | None = None) -> list[Source]:
        """The records of a ward: of the ward `ward_iri` when given, else of every ward named `ward`."""
        if ward_iri:
            return list(self._by_ward_iri.get(ward_iri, []))
        return list(self._by_ward.get(ward, []))

    def plans(self) -> list[Source]:
        return [s for s in self._by_iri.values() if s.kind == "Kế hoạch"]

    def plan_of(self, ward: str, ward_iri: str | None = None) -> Source | None:
        """The plan of a ward: the ward `ward_iri` when given, else the first ward named `ward`."""
        for s in self.ward_records(ward, ward_iri):
            if s.kind == "Kế hoạch":
                return s
        return None


# Some excerpts carry a section's internal id ("s69") instead of its path ("II > 2 > 2.6"):
# an id means nothing to a reader, so it is not shown.
_SECTION_ID = re.compile(r"^s\d+$")


def from_rows(rows: Iterable[Mapping[str, Any]]) -> SourceIndex:
    out = []
    for r in rows:
        if not r.get("record_iri"):
            continue
        section = r.get("section")
        if section and _SECTION_ID.match(section):
            section = None
        out.append(Source(
            iri=r["record_iri"], kind=r.get("kind") or "", label=r.get("label") or "", ward=r.get("ward") or "",
            document=r.get("document") or "", file=r.get("file") or "", section=section,
            line_start=_int(r.get("line_start")), line_end=_int(r.get("line_end")), quote=r.get("quote"),
            ward_iri=r.get("ward_iri"),
        ))
    return SourceIndex(out)


def _int(v: Any) -> int | None:
    try:
        return int(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def build_index(store: Store) -> SourceIndex:
    """Every record's source (the whole graph: for a few wards only)."""
    return from_rows(run(store, "source-lookup", {}).values())


def ward_index(store: Store, ward_iri: str) -> SourceIndex:
    """The records of one ward's plans, with their sources."""
    return from_rows(run(store, "source-lookup", {"ward": ward_iri}).values())


def lookup(store: Store, iri: str) -> Source | None:
    """One record's source; None when the record has no source excerpt of its own."""
    return from_rows(run(store, "source-lookup", {"record": iri}).values()).get(iri)
