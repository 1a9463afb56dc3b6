"""The committed graph (data/ttl) matches the hand-checked expectations of the five plans exactly."""

from __future__ import annotations

import pytest

from truth import (diff, expected_assignments, expected_citations, expected_indicators, graph_assignments,
                   graph_citations, graph_indicators)

SOURCES = ["000_fb128d8d27edeb81.txt", "001_ebe9beac4d9c6d63.txt", "002_a06c8f57686dc0db.txt",
           "003_02f576e03af5e394.txt", "004_939047ee962851a9.txt"]
PREFIXES = "PREFIX pg: <https://w3id.org/plangraph/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


@pytest.mark.parametrize("source", SOURCES)
def test_every_target_indicator_with_comparator_value_unit_timing_and_concept(store, expectations, source):
    missing, extra = diff(expected_indicators(expectations[source]), graph_indicators(store, source))
    assert (missing, extra) == ([], [])


@pytest.mark.parametrize("source", SOURCES)
def test_every_citation_with_number_stated_date_role_and_line(store, expectations, source):
    missing, extra = diff(expected_citations(expectations[source]), graph_citations(store, source))
    assert (missing, extra) == ([], [])


@pytest.mark.parametrize("source", SOURCES)
def test_every_unit_assignment(store, expectations, source):
    want, got = set(expected_assignments(expectations[source])), set(graph_assignments(store, source))
    assert (sorted(want - got, key=str), sorted(got - want, key=str)) == ([], [])


@pytest.mark.parametrize("source", SOURCES)
def test_every_task_by_kind_and_line(store, expectations, source):
    rows = store.select(PREFIXES + """SELECT ?kind ?line WHERE { ?t a pg:Task ; pg:inPlan/pg:sourceFile/pg:fileName ?src ;
        pg:taskKind ?k ; pg:source/pg:lineStart ?line . BIND(STRAFTER(STR(?k), "task-kind/") AS ?kind) }""",
                        {"src": _lit(source)}).values()
    got = sorted((r["kind"], r["line"]) for r in rows)
    want = sorted((t["kind"], t["line"]) for t in expectations[source]["tasks"])
    assert got == want


def test_task_lead_units_deadlines_and_outputs_of_the_appendix(store):
    rows = store.select(PREFIXES + """SELECT ?line ?lead ?deadline ?output WHERE {
        ?t a pg:Task ; pg:inPlan/pg:sourceFile/pg:fileName "004_939047ee962851a9.txt" ; pg:source/pg:lineStart ?line .
        OPTIONAL { ?t pg:leadUnit/skos:prefLabel ?lead } OPTIONAL { ?t pg:deadline ?deadline } OPTIONAL { ?t pg:expectedOutput ?output } }""").values()
    by_line = {r["line"]: r for r in rows}
    assert by_line[469]["lead"] == "Phòng Kinh tế, Hạ tầng và Đô thị"
    assert by_line[469]["output"] == "Báo cáo kết quả"
    assert by_line[470]["lead"] == "Ban Quản lý dự án"


def test_programme_deadline_quarter_one_2027(store):
    rows = store.select(PREFIXES + """SELECT ?deadline WHERE { ?t a pg:Task ; pg:taskKind <https://w3id.org/plangraph/vocab/task-kind/programme> ;
        pg:deadline ?deadline ; pg:source/pg:lineStart 2165 }""").values()
    assert [str(r["deadline"]) for r in rows] == ["2027-03-31"]


@pytest.mark.parametrize("source", SOURCES)
def test_plan_document_metadata_blank_fields_stay_blank(store, expectations, source):
    plan = expectations[source]["plan"]
    row = store.select(PREFIXES + """SELECT ?number ?date WHERE { ?p a pg:Plan ; pg:sourceFile/pg:fileName ?src .
        OPTIONAL { ?p pg:docNumber ?number } OPTIONAL { ?p pg:docDate ?date } }""", {"src": _lit(source)}).values()
    assert len(row) == 1
    assert row[0].get("number") == plan["number"]
    assert (str(row[0]["date"]) if row[0].get("date") else None) == plan["date"]


@pytest.mark.parametrize("source", SOURCES)
def test_ward_province_and_former_units(store, expectations, source):
    exp = expectations[source]
    rows = store.select(PREFIXES + """SELECT ?ward ?province WHERE { ?p a pg:Plan ; pg:sourceFile/pg:fileName ?src ;
        pg:forUnit ?w . ?w skos:prefLabel ?ward ; pg:province/skos:prefLabel ?province FILTER(lang(?province) = "vi") }""",
                        {"src": _lit(source)}).values()
    assert rows == [{"ward": exp["ward"]["name"], "province": exp["ward"]["province"]}]
    former = store.select(PREFIXES + """SELECT ?f WHERE { ?p a pg:Plan ; pg:sourceFile/pg:fileName ?src ; pg:forUnit/pg:formedFrom ?f }""",
                          {"src": _lit(source)}).values()
    assert len(former) == len(exp["former_units"])


def _lit(text):
    from rdflib import Literal

    return Literal(text)
