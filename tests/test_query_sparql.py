"""Free-form SPARQL: read-only, SERVICE refused, row cap, time limit, clear syntax errors."""

from __future__ import annotations

import time

import pytest

from plangraph.errors import QueryError
from plangraph.query.sparql import as_rows, check_read_only, missing_prefixes, query_form, run_sparql

UPDATES = [
    "DROP ALL",
    "drop silent graph <http://x/g>",
    "CLEAR DEFAULT",
    "INSERT DATA { <a:b> <a:b> <a:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX pg: <https://w3id.org/plangraph/ontology#>\nDELETE { ?s ?p ?o } WHERE { ?s a pg:Ward ; ?p ?o }",
    "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CREATE GRAPH <http://x/g>",
    "ADD DEFAULT TO <http://x/g>",
    "MOVE DEFAULT TO <http://x/g>",
    "COPY DEFAULT TO <http://x/g>",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
    "# a harmless comment\n  insert data { <a:b> <a:b> <a:c> }",
]


@pytest.mark.parametrize("text", UPDATES)
def test_updates_are_refused_and_the_store_is_unchanged(store, text):
    before = store.triple_count()
    with pytest.raises(QueryError, match="updates are not allowed"):
        run_sparql(store, text)
    assert store.triple_count() == before


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
])
def test_service_is_refused(store, text):
    with pytest.raises(QueryError, match="SERVICE"):
        run_sparql(store, text)


def test_keywords_inside_strings_iris_comments_and_names_are_fine(store):
    text = """# DROP ALL in a comment
SELECT ?service ?drop WHERE {
  BIND("DELETE WHERE { ?s ?p ?o }" AS ?drop)
  BIND(<http://example.org/INSERT> AS ?service)
}"""
    assert check_read_only(text) == "SELECT"
    result = run_sparql(store, text)
    assert result.table.values() == [{"service": "http://example.org/INSERT", "drop": "DELETE WHERE { ?s ?p ?o }"}]


def test_query_forms(store):
    assert query_form("PREFIX a: <http://a/>\n# SELECT\nask { ?s ?p ?o }") == "ASK"
    ask = run_sparql(store, "ASK { ?w a pg:Ward ; skos:prefLabel 'Đoàn Kết'@vi }")
    assert ask.kind == "ask" and ask.boolean is True
    graph = run_sparql(store, "CONSTRUCT { ?w rdfs:label ?l } WHERE { ?w a pg:Ward ; rdfs:label ?l . FILTER(lang(?l) = 'vi') }")
    assert graph.kind == "graph" and len(graph.triples) == 5
    described = run_sparql(store, "DESCRIBE <https://w3id.org/plangraph/id/doc/57-nq-tw>")
    columns, rows = as_rows(described)
    assert columns == ["subject", "predicate", "object"]
    assert {"subject": "https://w3id.org/plangraph/id/doc/57-nq-tw",
            "predicate": "https://w3id.org/plangraph/ontology#docNumber", "object": "57-NQ/TW"} in rows


def test_known_prefixes_need_no_declaration(store):
    assert missing_prefixes("SELECT * WHERE { ?w a pg:Ward ; skos:prefLabel ?l }") == {
        "pg": "https://w3id.org/plangraph/ontology#", "skos": "http://www.w3.org/2004/02/skos/core#"}
    assert missing_prefixes("PREFIX pg: <http://other/>\nSELECT * WHERE { ?w a pg:Ward }") == {}
    result = run_sparql(store, "SELECT ?l WHERE { ?w a pg:Ward ; skos:prefLabel ?l } ORDER BY ?l")
    assert result.table.column("l") == ["An Dương", "Hàm Rồng", "Phan Đình Phùng", "Trần Phú", "Đoàn Kết"]


def test_row_cap(store):
    result = run_sparql(store, "SELECT * WHERE { ?s ?p ?o }", limit=7)
    assert result.truncated and result.table.row_count == 7
    graph = run_sparql(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", limit=3)
    assert graph.truncated and len(graph.triples) == 3
    small = run_sparql(store, "SELECT ?w WHERE { ?w a pg:Ward }", limit=7)
    assert not small.truncated and small.table.row_count == 5


def test_time_limit(store):
    # about 1.4 s of work on the five plans: stopped after 0.2 s
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d pg:quote ?f }"
    start = time.monotonic()
    with pytest.raises(QueryError, match="time limit") as info:
        run_sparql(store, heavy, timeout=0.2)
    assert time.monotonic() - start < 1.0
    assert "(0.2 s)" in info.value.message
    # a streaming query stops at its next row
    with pytest.raises(QueryError, match="time limit"):
        run_sparql(store, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . FILTER(?c != ?f) }", limit=10**9, timeout=0.2)


@pytest.mark.parametrize("text, line, column", [
    ("SELECT ?x WHERE {\n  ?x a pg:Ward .\n  FILTER(\n}", 4, 2),
    ("SELECT ?x WHERE { ?x a pg:Ward", 1, 31),       # column counts the user's text, not added prefixes
    ("SELECT ?x WHERE {\n  ?x a <http://x/Ward\n}", 3, 2),
])
def test_syntax_errors_name_line_and_column(store, text, line, column):
    with pytest.raises(QueryError) as info:
        run_sparql(store, text)
    assert info.value.message.startswith(f"SPARQL syntax error at line {line}, column {column}:")
    assert "\n" not in info.value.message


@pytest.mark.parametrize("text, message", [
    ("", "empty query"),
    ("   \n  ", "empty query"),
    ("HELLO WORLD", "not a query"),
    ("x" * 100_001, "too long"),
])
def test_not_a_query(store, text, message):
    with pytest.raises(QueryError, match=message):
        run_sparql(store, text)
