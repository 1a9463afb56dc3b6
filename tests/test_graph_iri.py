"""Identifiers and the document identity rule."""

from plangraph.docnumber import parse
from plangraph.extract.records import Citation, SourceSpan
from plangraph.graph.documents import CitationContext, DocumentRegistry
from plangraph.graph.iri import Locality, Minter

M = Minter("https://w3id.org/plangraph/")


def cite(number, scope, locality, date=None, line=1, source="a.txt"):
    return Citation(number, "", "", None, scope, locality, "text", date, None, "in-text", SourceSpan(source, line, line, ""))


def test_central_document_is_one_node_whatever_the_citing_plan():
    n = parse("57-NQ/TW")
    assert M.document(n, Locality("Hà Tĩnh")) == M.document(n, Locality("Lai Châu")) == M.document(n, None)
    assert str(M.document(n, None)) == "https://w3id.org/plangraph/id/doc/57-nq-tw"


def test_same_local_number_in_two_provinces_is_two_documents():
    n = parse("18-NQ/TU")
    a = M.document(n, Locality("Hà Tĩnh"), 2021)
    b = M.document(n, Locality("Lai Châu"), 2021)
    assert a != b
    assert str(a) == "https://w3id.org/plangraph/id/doc/ha-tinh/2021/18-nq-tu"


def test_local_year_joins_identity_and_leading_zeros_do_not():
    assert M.document(parse("01-CTr/ĐU"), Locality("Hải Phòng", "phường An Dương")) == M.document(
        parse("1-CTr/ĐU"), Locality("Hải Phòng", "phường An Dương"))
    assert M.document(parse("96/NQ-HĐND"), Locality("Lai Châu"), 2024) != M.document(parse("96/NQ-HĐND"), Locality("Lai Châu"), 2025)


def test_registry_merges_central_citations_and_keeps_local_ones_apart():
    reg = DocumentRegistry(M)
    ht = CitationContext("Hà Tĩnh", "phường Trần Phú", "a.txt")
    lc = CitationContext("Lai Châu", "phường Đoàn Kết", "b.txt")
    c1, c2 = cite("57-NQ/TW", "central", None, "2024-12-22"), cite("57-NQ/TW", "central", None, "2024-11-22", source="b.txt")
    c3, c4 = cite("18-NQ/TU", "provincial", "Hà Tĩnh", "2021-03-01"), cite("18-NQ/TU", "provincial", "Lai Châu", "2021-07-01", source="b.txt")
    for c, ctx in ((c1, ht), (c2, lc), (c3, ht), (c4, lc)):
        reg.add(c, ctx)
    iris = reg.resolve()
    assert iris[id(c1)] == iris[id(c2)]
    assert iris[id(c3)] != iris[id(c4)]
    # Conflicting stated dates are both kept for validation to report.
    assert reg.docs[iris[id(c1)]].dates == {"2024-12-22", "2024-11-22"}


def test_yearless_local_citation_joins_the_one_dated_node():
    reg = DocumentRegistry(M)
    ctx = CitationContext("Hải Phòng", "phường An Dương", "a.txt")
    dated, bare = cite("86/KH-UBND", "ward", "An Dương", "2026-03-15"), cite("86/KH-UBND", "ward", "An Dương", None, line=5)
    reg.add(dated, ctx)
    reg.add(bare, ctx)
    iris = reg.resolve()
    assert iris[id(dated)] == iris[id(bare)]
    assert str(iris[id(bare)]).endswith("/hai-phong/phuong-an-duong/2026/86-kh-ubnd")


def test_ward_iri_carries_kind():
    assert str(M.ward("Lai Châu", "phường Đoàn Kết")) == "https://w3id.org/plangraph/id/unit/lai-chau/phuong-doan-ket"
    assert M.ward("Lai Châu", "xã Đoàn Kết") != M.ward("Lai Châu", "phường Đoàn Kết")


def test_base_is_configurable():
    other = Minter("http://example.org/pg")
    assert str(other.document(parse("57-NQ/TW"), None)) == "http://example.org/pg/id/doc/57-nq-tw"
