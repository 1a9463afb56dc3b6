"""The document identity rule across the whole corpus: which node each citation names.

Central numbers name one national document. Local numbers are unique only within their
issuing body: locality (province, and ward or former district for lower bodies) joins the
identity, and so does the year when known. A local citation that states no year resolves
to the one dated node of the same number and locality if exactly one exists; curation
(data/curation/documents.yaml) can decide the rest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef

from ..docnumber import DocNumber, parse
from ..extract.records import Citation
from .iri import Locality, Minter


@dataclass
class DocInfo:
    """What the corpus says about one document node, gathered from every citation of it."""

    iri: URIRef
    number: DocNumber
    scope: str | None
    locality: Locality | None
    year: int | None
    dates: set[str] = field(default_factory=set)
    issuers: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    cited_by: set[str] = field(default_factory=set)
    implements: set[URIRef] = field(default_factory=set)  # documents its citations say it implements


@dataclass
class CitationContext:
    """The citing plan's locality, for citations that do not name their own."""

    province: str
    ward: str  # "phường Đoàn Kết"
    source: str


def locality_of(c: Citation, ctx: CitationContext) -> Locality | None:
    if c.scope == "central":
        return None
    if c.scope == "provincial":
        return Locality(c.locality or ctx.province)
    if c.scope == "district":
        return Locality(ctx.province, c.locality)
    ward = ctx.ward if (c.locality is None or c.locality in ctx.ward) else f"phường {c.locality}"
    return Locality(ctx.province, ward)


class DocumentRegistry:
    def __init__(self, minter: Minter, decisions: dict[str, dict] | None = None) -> None:
        self.minter = minter
        self.decisions = decisions or {}
        self.docs: dict[URIRef, DocInfo] = {}
        self._pending: list[tuple[Citation, CitationContext, DocNumber, Locality | None]] = []

    def add(self, c: Citation, ctx: CitationContext) -> None:
        number = parse(c.number)
        if number is None:
            return
        decision = self.decisions.get(f"{ctx.source}:{c.span.line_start}:{c.number}") or self.decisions.get(c.number)
        loc = locality_of(c, ctx)
        if decision and decision.get("locality") is not None:
            loc = Locality(decision["locality"], decision.get("ward"))
        self._pending.append((c, ctx, number, loc))

    def resolve(self) -> dict[int, URIRef]:
        """Assign every pending citation its document IRI; returns id(citation) -> IRI."""
        dated: dict[tuple, set[int]] = defaultdict(set)
        for c, _ctx, number, loc in self._pending:
            year = number.year or (int(c.date[:4]) if c.date else None)
            if year and number.level != "central":
                dated[(number.identity_text, loc)].add(year)
        out: dict[int, URIRef] = {}
        for c, ctx, number, loc in self._pending:
            year = number.year or (int(c.date[:4]) if c.date else None)
            if year is None and len(dated.get((number.identity_text, loc), ())) == 1:
                year = next(iter(dated[(number.identity_text, loc)]))
            iri = self.minter.document(number, loc, year)
            info = self.docs.get(iri)
            if info is None:
                info = self.docs[iri] = DocInfo(iri, number, c.scope or ("central" if number.level == "central" else None), loc, year if number.level != "central" else number.year)
            if c.date:
                info.dates.add(c.date)
            if c.issuer and c.issuer not in info.issuers:
                info.issuers.append(c.issuer)
            if c.subject and c.subject not in info.subjects:
                info.subjects.append(c.subject)
            info.cited_by.add(ctx.source)
            out[id(c)] = iri
        # "A về thực hiện B": link A to the B cited in the same sentence of the same plan.
        for c, ctx, number, loc in self._pending:
            for ref in c.refs:
                target = next((out[id(o)] for o, octx, _n, _l in self._pending
                               if octx.source == ctx.source and o.number == ref and 0 <= o.span.line_start - c.span.line_start <= 3), None)
                if target is not None and target != out[id(c)]:
                    self.docs[out[id(c)]].implements.add(target)
        return out
