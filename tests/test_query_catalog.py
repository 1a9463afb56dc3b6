"""The canned-query catalog: every shipped .rq file loads, is valid SPARQL, declares typed
parameters and is documented; a bad header is an error naming the file."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from plangraph.errors import QueryError
from plangraph.query.catalog import PARAM_TYPES, VIEWS, get_query, load_catalog, parse_query_file
from plangraph.query.choices import choices
from plangraph.resources import query_dir

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = {  # the fifteen questions, by id
    "trace-down", "trace-up", "compare-concept", "shared-documents", "ward-overview", "unit-workload",
    "deadlines", "unassigned", "target-origin", "sdg-alignment", "citation-conflicts", "leader-roles",
    "source-lookup", "search", "formed-from",
}


def test_catalog_holds_the_fifteen_questions_with_file_names_as_ids():
    catalog = load_catalog()
    ids = [q.id for q in catalog]
    assert set(ids) == QUESTIONS
    assert ids == sorted(ids)
    files = sorted(f.name for f in query_dir().iterdir() if f.name.endswith(".rq"))
    assert files == [f"{i}.rq" for i in ids]


@pytest.mark.parametrize("query", load_catalog(), ids=lambda q: q.id)
def test_header_is_complete(query):
    assert query.title_vi and query.title_en and query.title_vi != query.title_en
    assert query.description_vi and query.description_en
    assert query.tags and query.view in VIEWS
    texts = [query.title_vi, query.title_en, query.description_vi, query.description_en]
    for p in query.params:
        assert p.type in PARAM_TYPES
        assert p.label_vi and p.label_en
        texts += [p.label_vi, p.label_en]
    # an unquoted comma in a YAML flow mapping would cut a text short
    assert all(t.count("(") == t.count(")") for t in texts)
    for p in query.params:
        assert p.choices in ("store", "free") or isinstance(p.choices, tuple)
    # every declared parameter is placed somewhere: a `# @values` line names its variable
    placed = {name for line in query.sparql.splitlines() if "@values" in line for name in line.split("@values", 1)[1].split()}
    assert {p.var for p in query.params} <= placed


@pytest.mark.parametrize("query", load_catalog(), ids=lambda q: q.id)
def test_sparql_is_valid_and_runs_with_and_without_bindings(query):
    empty = ox.Store()
    list(empty.query(query.sparql))  # unbound parameters: the query is valid as shipped
    bindings = {p.var: [] for p in query.params}
    list(empty.query(query.render(bindings)))  # empty VALUES blocks are valid too


def test_get_query_names_unknown_ids():
    with pytest.raises(QueryError, match="unknown query 'nope'"):
        get_query("nope")


@pytest.mark.parametrize("text, message", [
    ("SELECT * WHERE { ?s ?p ?o }\n", "no '#\\+' metadata header"),
    ("#+ title: [unclosed\nSELECT * WHERE {}\n", "not valid YAML"),
    ("#+ title: {vi: a}\n#+ description: {vi: b, en: c}\nSELECT * WHERE {}\n", "'title' needs 'vi' and 'en'"),
    ("#+ title: {vi: a, en: b}\n#+ description: {vi: b, en: c}\n#+ colour: red\nSELECT * WHERE {}\n", "unknown header keys"),
    ("#+ id: other\n#+ title: {vi: a, en: b}\n#+ description: {vi: b, en: c}\nSELECT * WHERE {}\n", "differs from the file name"),
    ("#+ title: {vi: a, en: b}\n#+ description: {vi: b, en: c}\n#+ view: pie\nSELECT * WHERE {}\n", "view 'pie'"),
    ("#+ title: {vi: a, en: b}\n#+ description: {vi: b, en: c}\n#+ params: [{name: x, type: colour}]\nSELECT * WHERE {}\n",
     "needs a name and a type"),
    ("#+ title: {vi: a, en: b}\n#+ description: {vi: b, en: c}\n", "no SPARQL after the header"),
])
def test_bad_header_is_an_error_naming_the_file(text, message):
    with pytest.raises(QueryError, match=message) as info:
        parse_query_file("broken.rq", text)
    assert info.value.message.startswith("broken.rq:")


def test_docs_describe_every_canned_query():
    doc = (ROOT / "docs" / "QUERIES.md").read_text(encoding="utf-8")
    for q in load_catalog():
        assert f"`{q.id}`" in doc, q.id
        assert q.title_vi in doc and q.title_en in doc, q.id
        for p in q.params:
            assert f"`{p.name}`" in doc, (q.id, p.name)


def test_choices_list_values_with_vietnamese_labels(store):
    wards = dict(choices(store, "ward"))
    assert wards["https://w3id.org/plangraph/id/unit/lai-chau/phuong-doan-ket"] == "Phường Đoàn Kết (Lai Châu)"
    assert len(wards) == 5
    docs = choices(store, "document")
    assert docs[0] == ("https://w3id.org/plangraph/id/doc/57-nq-tw", "57-NQ/TW · Nghị quyết 57-NQ/TW (Trung ương)")
    concepts = dict(choices(store, "concept"))
    assert concepts["https://w3id.org/plangraph/vocab/indicator/health-insurance-coverage"] == "Bao phủ bảo hiểm y tế (5 chỉ tiêu)"
    units = dict(choices(store, "unit"))
    assert units["https://w3id.org/plangraph/id/unit/hai-phong/phuong-an-duong/org/phong-van-hoa-xa-hoi"] == \
        "Phòng Văn hóa - Xã hội – An Dương"
    years = [v for v, _ in choices(store, "year")]
    assert {"2026", "2027", "2030"} <= set(years) and years == sorted(years)
    assert choices(store, "text") == [] and choices(store, "record") == []


def test_a_parameter_given_several_values_answers_for_each_of_them(store):
    from plangraph.query.catalog import run

    wards = [iri for iri, _label in choices(store, "ward")]
    picked = wards[1:3]
    concept = {"concept": "https://w3id.org/plangraph/vocab/indicator/health-insurance-coverage"}
    everywhere = run(store, "compare-concept", concept).values()
    some = run(store, "compare-concept", concept, values={"ward": picked}).values()
    assert some == [r for r in everywhere if str(r["ward_iri"]) in picked] and {str(r["ward_iri"]) for r in some} == set(picked)
    assert run(store, "compare-concept", concept, values={"ward": []}).values() == []  # no ward, no rows
    with pytest.raises(QueryError, match="no parameter 'province'"):
        run(store, "compare-concept", concept, values={"province": picked})


def test_wards_with_a_target_for_a_concept_are_counted_without_their_rows(store):
    from plangraph.query.catalog import run
    from plangraph.query.counts import wards_with_target

    for concept, _label in choices(store, "concept"):
        rows = run(store, "compare-concept", {"concept": concept}).values()
        assert wards_with_target(store, concept) == len({str(r["ward_iri"]) for r in rows if r.get("indicator_iri")})
    assert wards_with_target(store, "bảo hiểm y tế") == 5  # a name resolves as in the pickers
    assert wards_with_target(store, "no such concept at all") == 0
