"""Shared reference data: every cited document node and the local issuing bodies."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from ..docnumber import TYPE_NAMES, TYPE_SLUGS
from ..extract.lexicon import CENTRAL_CITIES
from ..text import fold, slug, squash
from .documents import DocInfo
from .iri import Locality, Minter
from .namespaces import PG, vocab

# Central issuer code -> fixed node in vocab/issuers.ttl.
CENTRAL_BODIES = {
    "TW": "tw", "QH": "qh", "QH13": "qh", "QH14": "qh", "QH15": "qh", "QH16": "qh", "UBTVQH": "ubtvqh",
    "UBTVQH14": "ubtvqh", "UBTVQH15": "ubtvqh", "CP": "cp", "TTg": "ttg", "BTC": "btc", "BNV": "bnv", "BCA": "bca",
    "BQP": "bqp", "BYT": "byt", "BGDĐT": "bgddt", "BXD": "bxd", "BNNMT": "bnnmt", "BKHCN": "bkhcn",
    "BVHTTDL": "bvhttdl", "BCT": "bct-moit", "BTP": "btp",
}
LOCAL_BODY_TYPES = {"TU": "tu", "BTCTU": "btctu", "HĐND": "hdnd", "UBND": "ubnd", "ĐU": "du"}
LOCAL_BODY_NAMES = {"TU": "Tỉnh ủy", "BTCTU": "Ban Tổ chức Tỉnh ủy", "HĐND": "HĐND", "UBND": "UBND", "ĐU": "Đảng ủy"}


def central_body(m: Minter, code: str, stated: list[str]) -> URIRef:
    stated_f = " ".join(fold(s) for s in stated)
    if code == "TW":
        if "bo chinh tri" in stated_f:
            return m._iri("id", "body", "bct")
        if "ban bi thu" in stated_f:
            return m._iri("id", "body", "bbt")
    return m._iri("id", "body", CENTRAL_BODIES.get(code, slug(code)))


def shared_graph(m: Minter, docs: dict[URIRef, DocInfo], plans: set[URIRef] | None = None) -> Graph:
    """Document nodes cited by the plans. A plan cited by itself (an appendix caption naming
    the plan's own number) is described in its own file, not here."""
    g = Graph()
    for iri in sorted(docs):
        if plans and iri in plans:
            continue
        d = docs[iri]
        n = d.number
        g.add((iri, RDF.type, PG.PartyDocument if n.family == "party" else PG.StateDocument))
        vi, en = TYPE_NAMES.get(n.doc_type, ("Văn bản", "Document"))
        g.add((iri, RDFS.label, Literal(f"{vi} {n.text}", lang="vi")))
        g.add((iri, RDFS.label, Literal(f"{en} {n.text}", lang="en")))
        g.add((iri, PG.docNumber, Literal(n.text)))
        if n.doc_type in TYPE_SLUGS:
            g.add((iri, PG.docType, vocab("doc-type")[TYPE_SLUGS[n.doc_type]]))
        scope = d.scope or ("ward" if d.locality and d.locality.ward else "provincial" if d.locality else "central")
        g.add((iri, PG.scope, vocab("scope")[scope]))
        if d.year:
            g.add((iri, PG.docYear, Literal(d.year)))
        if len(d.dates) == 1:
            g.add((iri, PG.docDate, Literal(next(iter(d.dates)), datatype=XSD.date)))
        if d.subjects:
            g.add((iri, PG.subject, Literal(d.subjects[0], lang="vi")))
        for target in sorted(d.implements):
            g.add((iri, PG.implementsDocument, target))
        g.add((iri, PG.searchText, Literal(squash(fold(f"{vi} {n.text} {' '.join(d.subjects[:1])} {' '.join(d.issuers[:2])}")))))
        body = _body(g, m, d, scope)
        if body is not None:
            g.add((iri, PG.issuer, body))
        if d.locality is not None:
            g.add((iri, PG.jurisdictionUnit, _locality_unit(g, m, d.locality, scope)))
    return g


def _locality_unit(g: Graph, m: Minter, loc: Locality, scope: str) -> URIRef:
    if loc.ward and scope == "district":
        iri = m.former_unit(loc.province, loc.ward)
        g.add((iri, RDF.type, PG.FormerUnit))
        g.add((iri, RDFS.label, Literal(f"{loc.ward} (cấp huyện, trước 01/7/2025)", lang="vi")))
        return iri
    if loc.ward:
        return m.ward(loc.province, loc.ward)
    return m.province(loc.province)


def _body(g: Graph, m: Minter, d: DocInfo, scope: str) -> URIRef | None:
    code = d.number.issuer_code
    if scope == "central" or d.locality is None:
        return central_body(m, code, d.issuers)
    loc = d.locality
    iri = m.issuing_body(code, loc)
    g.add((iri, RDF.type, PG.IssuingBody))
    g.add((iri, PG.issuerCode, Literal(code)))
    place = loc.ward if loc.ward else (f"thành phố {loc.province}" if loc.province in CENTRAL_CITIES else f"tỉnh {loc.province}")
    name = LOCAL_BODY_NAMES.get(code, code)
    if code == "TU" and loc.province in CENTRAL_CITIES:
        name = "Thành ủy"
    g.add((iri, RDFS.label, Literal(f"{name} {place if code != 'TU' else loc.province}", lang="vi")))
    g.add((iri, SKOS.prefLabel, Literal(f"{name} {place if code != 'TU' else loc.province}", lang="vi")))
    if code in LOCAL_BODY_TYPES:
        g.add((iri, PG.bodyType, URIRef(f"{m.base}vocab/issuer/local-{LOCAL_BODY_TYPES[code]}")))
    g.add((iri, PG.bodyOf, _locality_unit(g, m, loc, scope)))
    return iri
