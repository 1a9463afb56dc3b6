"""The document identity rule holds in the committed graph."""

PREFIXES = "PREFIX pg: <https://w3id.org/plangraph/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


def test_one_node_for_a_central_document_cited_by_every_plan(store):
    rows = store.select(PREFIXES + """SELECT DISTINCT ?doc ?src WHERE { ?c pg:statedNumber "57-NQ/TW" ; pg:citedDocument ?doc ;
        pg:citingDocument/pg:sourceFile/pg:fileName ?src }""").values()
    assert {r["doc"] for r in rows} == {"https://w3id.org/plangraph/id/doc/57-nq-tw"}
    assert len({r["src"] for r in rows}) == 5


def test_conflicting_stated_dates_are_kept_as_separate_citations(store):
    rows = store.select(PREFIXES + """SELECT DISTINCT ?date WHERE { ?c pg:citedDocument <https://w3id.org/plangraph/id/doc/57-nq-tw> ;
        pg:statedDate ?date }""").values()
    assert sorted(str(r["date"]) for r in rows) == ["2024-11-22", "2024-12-22"]
    # and the document node asserts no date of its own
    assert store.select(PREFIXES + "SELECT ?d WHERE { <https://w3id.org/plangraph/id/doc/57-nq-tw> pg:docDate ?d }").rows == []


def test_local_documents_are_scoped_by_their_province(store):
    rows = store.select(PREFIXES + """SELECT DISTINCT ?doc WHERE { ?c pg:statedNumber "18-NQ/TU" ; pg:citedDocument ?doc }""").values()
    docs = {r["doc"] for r in rows}
    assert "https://w3id.org/plangraph/id/doc/lai-chau/18-nq-tu" in {d.replace("/2021", "").replace("/2025", "") for d in docs} or any(
        "/lai-chau/" in d for d in docs)
    assert any("/ha-tinh/" in d for d in docs)
    assert all("/doc/18-nq-tu" not in d for d in docs)


def test_the_plans_own_number_cited_in_its_appendix_is_the_plan(store):
    rows = store.select(PREFIXES + """SELECT DISTINCT ?doc ?date WHERE { ?c pg:statedNumber "86/KH-UBND" ; pg:citedDocument ?doc ;
        pg:statedDate ?date . ?doc a pg:Plan }""").values()
    assert {r["doc"] for r in rows} == {"https://w3id.org/plangraph/id/doc/hai-phong/phuong-an-duong/2026/86-kh-ubnd"}
    assert sorted(str(r["date"]) for r in rows) == ["2026-03-15", "2026-03-25"]


def test_ward_level_and_provincial_same_type_numbers_are_distinct(store):
    rows = store.select(PREFIXES + """SELECT ?doc ?scope WHERE { ?doc pg:docNumber ?n ; pg:scope ?scope .
        FILTER(?n IN ("96/NQ-HĐND", "36/NQ-HĐND")) }""").values()
    scopes = {r["doc"].rsplit("/doc/", 1)[1]: r["scope"].rsplit("/", 1)[1] for r in rows}
    assert scopes == {"lai-chau/2025/96-nq-hdnd": "provincial", "lai-chau/phuong-doan-ket/2025/36-nq-hdnd": "ward"}
