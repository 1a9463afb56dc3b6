"""The embedded store (pyoxigraph) and what every store shares: VALUES placement, results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rdflib import Literal, URIRef

from plangraph.errors import QueryError, StoreError
from plangraph.store.base import place_values, with_values
from plangraph.store.embedded import EmbeddedStore, to_rdflib, to_value
from plangraph.store.results import QueryResult

PG = "https://w3id.org/plangraph/ontology#"


def test_place_values_puts_each_parameter_at_its_named_lines():
    query = "SELECT * WHERE {\n  { SELECT ?w WHERE {\n    # @values w\n  } }\n  # @values w y\n  # @values z\n}"
    out = place_values(query, {"w": [URIRef("http://x/a"), URIRef("http://x/b")], "y": [Literal(2)]})
    assert out.count("VALUES ?w { <http://x/a> <http://x/b> }") == 2
    assert 'VALUES ?y { "2"^^<http://www.w3.org/2001/XMLSchema#integer> }' in out
    assert "# (unbound: z)" in out  # z stays free: the query answers for every value
    assert place_values("SELECT * WHERE { ?s ?p ?o }", {"s": [URIRef("http://x/a")]}).endswith(
        "VALUES ?s { <http://x/a> }\n")
    assert "VALUES ?a { }" in place_values("SELECT * WHERE {\n# @values\n}", {"a": []})


def test_with_values_keeps_its_row_semantics():
    out = with_values("SELECT * WHERE { ?s ?p ?o }", {"s": [URIRef("http://x/a"), URIRef("http://x/b")],
                                                      "o": [Literal("1"), Literal("2")]})
    assert 'VALUES (?o ?s) { ("1" <http://x/a>) ("2" <http://x/b>) }' in out


def test_store_loads_ontology_vocabularies_and_the_five_plans(store):
    assert store.triple_count() > 20_000
    assert {"plangraph.ttl", "sdg.ttl", "documents.ttl"} <= set(store.files)
    assert store.ask(f"ASK {{ <{PG}Indicator> a <http://www.w3.org/2002/07/owl#Class> }}")
    assert store.describe().startswith("embedded (pyoxigraph, ")


def test_results_convert_to_terms_and_values_alike(store):
    q = f"""SELECT ?w ?v ?y ?d ?l WHERE {{
      ?i <{PG}concept> <https://w3id.org/plangraph/vocab/indicator/health-insurance-coverage> ;
         <{PG}targetValue> ?v ; <{PG}inPlan> ?p ; <{PG}targetYear> ?y .
      ?p <{PG}forUnit> ?w . OPTIONAL {{ ?p <{PG}docDate> ?d }} OPTIONAL {{ ?i <{PG}number> ?l }} }} ORDER BY ?v"""
    result = store.select(q)
    values = result.values()
    assert values[0]["v"] == Decimal("95.5") and values[0]["y"] == 2030
    rows = result.rows  # materialised after values(): the same content
    assert rows[0]["v"] == Literal("95.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))
    assert result.values() == values
    assert QueryResult(result.columns, rows) == result
    dated = store.select(f"SELECT ?d WHERE {{ ?p <{PG}docNumber> '36/NQ-HĐND' ; <{PG}docDate> ?d }}").values()
    assert dated == [{"d": date(2025, 12, 18)}]


def test_simple_literals_are_plain_and_languages_kept(store):
    import pyoxigraph as ox

    assert to_rdflib(ox.Literal("a")) == Literal("a")
    assert to_rdflib(ox.Literal("a", language="vi")) == Literal("a", lang="vi")
    for term in [ox.Literal("12.50", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
                 ox.Literal("2024-12-22", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
                 ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
                 ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                 ox.Literal("2024", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
                 ox.Literal("not a date", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
                 ox.NamedNode("http://x/a")]:
        from plangraph.store.base import to_python

        assert to_value(term) == to_python(to_rdflib(term)), term


def test_map_text_rewrites_a_column_lazily_or_not(store):
    q = "SELECT ?t WHERE { VALUES ?t { 'b; a' } }"
    lazy = store.select(q)
    lazy.map_text("t", lambda s: "; ".join(sorted(s.split("; "))))
    assert lazy.values() == [{"t": "a; b"}] and str(lazy.rows[0]["t"]) == "a; b"
    eager = store.select(q)
    _ = eager.rows
    eager.map_text("t", lambda s: s.upper())
    assert eager.values() == [{"t": "B; A"}]


def test_limit_ask_construct_and_errors(store):
    result = store.select("SELECT * WHERE { ?s ?p ?o }", limit=3)
    assert result.truncated and result.row_count == 3
    triples = store.construct(f"CONSTRUCT {{ ?w a <{PG}Ward> }} WHERE {{ ?w a <{PG}Ward> }}")
    assert len(triples) == 5
    with pytest.raises(QueryError, match="not a SELECT"):
        store.select("ASK { ?s ?p ?o }")
    with pytest.raises(QueryError, match="SPARQL syntax error at line 1, column"):
        store.select("SELECT * WHERE { ?s ?p }")


def test_timeout_stops_waiting(store):
    with pytest.raises(QueryError, match="time limit"):
        store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d <{PG}quote> ?f }}", timeout=0.1)
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }", timeout=5).values()[0]["n"] > 1000


def test_rdflib_graph_holds_the_same_triples(store):
    g = store.rdflib_graph()
    assert len(g) == store.triple_count()
    assert store.rdflib_graph() is g  # built once


def test_bad_data_is_a_store_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix : <http://x/> .\n:a :b ", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot load the graph"):
        EmbeddedStore([bad], include_reference=False)


def test_added_turtle_bumps_the_generation():
    s = EmbeddedStore([], include_reference=False)
    before = s.generation
    s.add_turtle("<http://x/a> <http://x/b> <http://x/c> .")
    assert s.generation == before + 1 and s.triple_count() == 1
