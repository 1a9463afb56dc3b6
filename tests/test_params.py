"""Typed parameters: names resolve to IRIs, numbers are checked, text is a literal; hostile
values never change a query's structure: results are empty or correct, nothing else runs."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from plangraph.errors import QueryError
from plangraph.query.catalog import get_query, load_catalog, run
from plangraph.query.params import MAX_TEXT, bind_params, resolve
from plangraph.text import fold
from plangraph.store.base import place_values, term_n3, values_block, with_values

BASE = "https://w3id.org/plangraph/"
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
HOSTILE = [
    '"', "'", "}", "{", "} ; DROP ALL", "\"} ; DROP ALL ; SELECT * WHERE {\"", "'} ; CLEAR DEFAULT #",
    "x\ny } ; INSERT DATA { <a:b> <a:b> <a:c> }", "\\", "\\u0022 } DROP ALL", "\x00", "# comment",
    "<https://w3id.org/plangraph/id/doc/57-nq-tw>", "https://w3id.org/plangraph/id/doc/57-nq-tw> } ; DROP ALL ; <x:y",
    "?ward", "$ward", "' OR '1'='1", "VALUES ?ward { }", "x" * 10_000, "đ" * 600, "\u202e\u2066",
]
CASES = [(q.id, p.name) for q in load_catalog() for p in q.params]


def test_names_resolve_to_iris(store):
    assert resolve(store, "ward", "doan ket") == [URIRef(BASE + "id/unit/lai-chau/phuong-doan-ket")]
    assert resolve(store, "ward", "Phường Hàm Rồng") == [URIRef(BASE + "id/unit/thanh-hoa/phuong-ham-rong")]
    assert resolve(store, "document", "57-NQ/TW") == [URIRef(BASE + "id/doc/57-nq-tw")]
    assert resolve(store, "document", "1-CTr/ĐU") == resolve(store, "document", "01-CTr/ĐU")  # leading zeros
    # a local number names one document per issuing body: all of them are alternatives
    assert {str(i).rsplit("/doc/", 1)[1] for i in resolve(store, "document", "18-NQ/TU")} == {
        "lai-chau/2024/18-nq-tu", "hai-phong/18-nq-tu", "ha-tinh/2023/18-nq-tu"}
    assert resolve(store, "concept", "health-insurance-coverage") == [URIRef(BASE + "vocab/indicator/health-insurance-coverage")]
    assert len(resolve(store, "unit", "Phòng Văn hóa - Xã hội")) == 2  # An Dương and Phan Đình Phùng
    assert resolve(store, "record", "Đoàn Kết") == []  # records are IRIs only
    assert resolve(store, "ward", "Hà Nội") == []


def test_numbers_are_checked(store):
    q = get_query("deadlines")
    bindings, _ = bind_params(store, q, {"from_year": "2026", "to_year": 2030})
    assert bindings["from_year"] == [Literal(2026, datatype=XSD_INTEGER)]
    for bad in ["2026.5", "two thousand", "", "99999", "2026 OR 1=1", "1e3"]:
        if bad == "":
            continue  # empty falls back to the default
        with pytest.raises(QueryError, match="from_year"):
            bind_params(store, q, {"from_year": bad})
    with pytest.raises(QueryError, match="min_wards"):
        bind_params(store, get_query("shared-documents"), {"min_wards": "-1"})


def test_unknown_and_missing_parameters_are_errors(store):
    with pytest.raises(QueryError, match="has no parameter 'colour'"):
        run(store, "compare-concept", {"colour": "red"})
    with pytest.raises(QueryError, match="too long"):
        run(store, "search", {"text": "a" * (MAX_TEXT + 1)})


def test_a_name_that_matches_nothing_gives_no_rows_and_a_note(store):
    result = run(store, "compare-concept", {"ward": "Hà Nội"})
    assert result.values() == [] and result.notes == ["không tìm thấy / nothing matches ward='Hà Nội'"]


def test_text_is_folded_and_escaped(store):
    q = get_query("search")
    bindings, _ = bind_params(store, q, {"text": '  Bảo  HIỂM\ty tế "} ; DROP ALL  '})
    assert bindings["text"] == [Literal('bao hiem y te "} ; drop all')]
    assert '"bao hiem y te \\"} ; drop all"' in q.render(bindings)


def test_literals_round_trip_through_values_blocks(store):
    values = ['a"b', "x\ny", "a\\b", "} ; DROP ALL", "tab\there", "\\u0022", "Đoàn Kết"]
    query = "SELECT ?v WHERE { # @values v\n}"
    got = store.select(place_values(query, {"v": [Literal(v) for v in values]})).column("v")
    assert sorted(got) == sorted(values)
    assert store.select(place_values(query, {"v": []})).values() == []


def test_term_n3_refuses_what_could_break_out():
    for bad in ["http://x/> } DROP ALL <", "http://x/ y", "http://x/{", 'http://x/"']:
        with pytest.raises(QueryError, match="not a valid IRI"):
            term_n3(URIRef(bad))
    with pytest.raises(QueryError, match="invalid parameter name"):
        values_block("a } DROP ALL", [])
    with pytest.raises(QueryError, match="invalid parameter name"):
        with_values("SELECT * {}", {"x y": Literal(1)})


@pytest.mark.parametrize("query_id, param", CASES)
def test_hostile_values_give_empty_or_correct_results_and_change_nothing(store, query_id, param):
    before = store.triple_count()
    query = get_query(query_id)
    p = query.param(param)
    for value in HOSTILE:
        try:
            result = run(store, query_id, {param: value})
        except QueryError as exc:
            # refused before anything ran: a typed number or a too long text
            assert p.type in ("year", "integer", "text"), (value, exc.message)
            assert "\n" not in exc.message
            continue
        rows = result.values()
        if p.type in ("year", "integer"):
            pytest.fail(f"{value!r} accepted as a number")
        if p.type == "text":
            # correct: every hit's folded search text contains the folded input
            needle = fold(" ".join(value.replace("\x00", " ").split()))
            for row in rows:
                texts = store.select("SELECT ?t WHERE { # @values i\n ?i <https://w3id.org/plangraph/ontology#searchText> ?t }"
                                     .replace("# @values i", values_block("i", [URIRef(row["item_iri"])]))).column("t")
                assert any(needle in t for t in texts), (value, row["item_iri"])
        else:
            assert rows == [], (value, rows[:1])
            assert result.notes, value
    assert store.triple_count() == before


def test_query_text_never_contains_raw_input(store):
    q = get_query("trace-down")
    bindings, _ = bind_params(store, q, {"document": "57-NQ/TW } ; DROP ALL", "ward": "Đoàn Kết"})
    text = q.render(bindings)
    assert "DROP" not in text and "VALUES ?document { }" in text
    assert f"VALUES ?ward_iri {{ <{BASE}id/unit/lai-chau/phuong-doan-ket> }}" in text
