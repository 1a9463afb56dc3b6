"""Paging by ward (query/paging.py): the first rows of an all-wards query read ward by ward
are exactly the whole query's first rows, on the five plans, with every parameter choice."""

from __future__ import annotations

import itertools
import re

import pytest

from plangraph.errors import QueryError
from plangraph.query import paging
from plangraph.query.catalog import _year_range, get_query, load_catalog, parse_query_file
from plangraph.query.choices import choices
from plangraph.query.params import bind_params
from plangraph.store.embedded import EmbeddedStore

PAGED = [q.id for q in load_catalog() if q.page_by]
SKOS = "http://www.w3.org/2004/02/skos/core#"


def test_the_paged_queries_sort_first_by_ward():
    assert set(PAGED) == {"formed-from", "leader-roles", "target-origin", "trace-down", "unit-workload",
                          "unassigned", "source-lookup", "ward-overview", "trace-up", "deadlines"}
    for qid in PAGED:
        q = get_query(qid)
        order = re.search(r"ORDER BY\s+(\S+)\s+(\S+)", q.sparql).groups()
        # sorted by ward, or by a year and then by ward (read year by year)
        assert order[0] == "?ward" or (q.page_year and order == (f"?{q.page_year['var']}", "?ward")), qid
        assert "?ward_iri skos:prefLabel ?ward" in q.sparql or "skos:prefLabel ?ward ." in q.sparql, qid
    assert {q for q in PAGED if get_query(q).page_year} == {"deadlines"}
    # these are sorted by ward and then by the ward itself, and read in small batches
    assert {q for q in PAGED if get_query(q).page_by_iri} == {"unassigned", "source-lookup", "ward-overview",
                                                               "deadlines"}
    assert get_query("unassigned").page_batch == 2 and get_query("source-lookup").page_batch == 8
    assert get_query("ward-overview").page_batch == 2 and get_query("trace-up").page_batch == 8


def _combos(store, q, most=6):
    axes = []
    for p in q.params:
        if p.type == "ward":
            continue
        opts = [None, p.default]
        if p.choices == "store":
            opts += [c[0] for c in choices(store, p.type)][:most]
        elif isinstance(p.choices, tuple):
            opts += list(p.choices)
        axes.append([(p.name, o) for o in dict.fromkeys(opts)])
    for combo in itertools.product(*axes):
        yield {k: v for k, v in combo if v is not None}


def _both(store, q, params, limit, **opts):
    bindings, _ = bind_params(store, q, params)
    var = next(p.var for p in q.params if p.type == "ward")
    whole = store.select(q.render(bindings), limit=limit)
    opts.setdefault("dense_enough", 0)
    opts.setdefault("by_iri", q.page_by_iri)
    render = lambda extra: q.render({**bindings, **extra})  # noqa: E731
    years = _year_range(q, bindings)
    if years is not None:
        return whole, paging.paged_years(store, render, var, q.page_year, *years, limit, min_wards=0, **opts)
    paged = paging.paged(store, render, var, limit, min_wards=0, **opts)
    return whole, paged


@pytest.mark.parametrize("qid", PAGED)
def test_paged_rows_are_the_whole_querys_first_rows(store, qid):
    q = get_query(qid)
    compared = 0
    for params in _combos(store, q):
        # batches read one at a time, and with one or three read ahead on other threads; a query
        # read year by year: each year ward by ward, or whole where too few rows a ward (dense 1e9)
        for limit, first, ahead, dense in ((4, 1, 0, 0), (4, 1, 1, 0), (30, 2, 3, 0), (100_000, 1, 0, 0),
                                           (100_000, 3, 1, 0), (4, 1, 0, 1e9), (100_000, 1, 0, 1e9)):
            if dense and not q.page_year:
                continue
            whole, paged = _both(store, q, params, limit, first_batch=first, max_batch=2, ahead=ahead,
                                 dense_enough=dense)
            assert paged is not None, (params, limit)
            assert paged.values() == whole.values(), (params, limit, first, ahead, dense)
            assert paged.truncated == whole.truncated
            compared += 1
    assert compared >= 4
    # real rows, from several wards, when nothing limits them
    whole, paged = _both(store, q, {}, 100_000)
    assert paged.values() == whole.values() and len({r["ward"] for r in paged.values()}) >= 2


def test_paging_stops_after_one_batch_when_the_limit_would_not_be_reached_early(store):
    q = get_query("unit-workload")  # 59 rows over 5 wards
    whole, sparse = _both(store, q, {}, 100, first_batch=1, dense_enough=2)
    assert sparse is None  # ~12 rows a ward: 100 rows only near the last ward
    whole, dense = _both(store, q, {}, 10, first_batch=1, dense_enough=2)
    assert dense is not None and dense.values() == whole.values() and dense.truncated


def test_a_ward_with_two_names_is_read_under_each(settings):
    from plangraph.store.factory import data_files

    two = EmbeddedStore(data_files(settings))
    ward = "https://w3id.org/plangraph/id/unit/lai-chau/phuong-doan-ket"
    assert two.ask(f"ASK {{ <{ward}> <{SKOS}prefLabel> ?n }}")
    two.add_turtle(f'<{ward}> <{SKOS}prefLabel> "Ấp Đoàn Kết"@vi .')  # sorts after every other name
    groups, several = paging.ward_groups(two)
    assert [str(i) for i in several] == [ward]
    assert [name for name, iris in groups if any(str(i) == ward for i in iris)] == ["Đoàn Kết", "Ấp Đoàn Kết"]
    q = get_query("unit-workload")
    whole, paged = _both(two, q, {}, 100_000, first_batch=1, max_batch=1)
    names = [r["ward"] for r in whole.values()]
    assert "Ấp Đoàn Kết" in names and "Đoàn Kết" in names
    assert paged.values() == whole.values()


def test_rows_out_of_ward_order_fall_back_to_the_whole_query(store):
    def query(order):
        def render(extra):
            iris = " ".join(f"<{i}>" for i in extra["ward_iri"])
            return f"SELECT ?ward WHERE {{ VALUES ?ward_iri {{ {iris} }} ?ward_iri <{SKOS}prefLabel> ?ward }} ORDER BY {order}"
        return render

    ok = paging.paged(store, query("?ward"), "ward_iri", 100, min_wards=0, first_batch=2, dense_enough=0)
    assert ok is not None and len(ok.values()) == 5
    assert paging.paged(store, query("DESC(?ward)"), "ward_iri", 100, min_wards=0, first_batch=2, dense_enough=0) is None
    assert paging.paged(store, query("?ward"), "ward_iri", 100) is None  # five wards: not worth paging


def test_page_by_needs_one_ward_parameter():
    text = """#+ title: {vi: Thử, en: Test}
#+ description: {vi: Thử, en: Test}
#+ page_by: ward
SELECT ?ward WHERE { ?w <http://www.w3.org/2004/02/skos/core#prefLabel> ?ward } ORDER BY ?ward
"""
    with pytest.raises(QueryError, match="page_by"):
        parse_query_file("x.rq", text)


@pytest.mark.parametrize("header, problem", [
    ("#+ page_year: {var: due_year, from: from_year, to: to_year}\n", "no page_by"),
    ("#+ page_by: ward\n#+ page_year: {var: due_year, from: from_year}\n", "no 'to'"),
    ("#+ page_by: ward\n#+ page_year: {var: year, from: from_year, to: to_year}\n", "not sorted on first"),
    ("#+ page_by: ward\n#+ page_year: {var: due_year, from: from_year, to: ward}\n", "not a year parameter"),
])
def test_page_year_needs_page_by_a_sorted_year_and_two_year_parameters(header, problem):
    params = """#+ params:
#+   - {name: from_year, type: year, label: {vi: Từ năm, en: From}}
#+   - {name: to_year, type: year, label: {vi: Đến năm, en: To}}
#+   - {name: ward, type: ward, var: ward_iri, label: {vi: Phường, en: Ward}}
"""
    text = """#+ title: {vi: Thử, en: Test}
#+ description: {vi: Thử, en: Test}
""" + params + header + """SELECT ?ward WHERE {
  # @values ward_iri due_year
  ?ward_iri <https://w3id.org/plangraph/ontology#dueYear> ?due_year ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?ward
} ORDER BY ?due_year ?ward
"""
    with pytest.raises(QueryError, match="page_"):
        parse_query_file("x.rq", text)
    ok = parse_query_file("x.rq", text.replace(header, "#+ page_by: ward\n#+ page_year: {var: due_year, from: from_year, to: to_year}\n"))
    assert ok.page_year == {"var": "due_year", "from": "from_year", "to": "to_year"}, problem


def test_a_year_range_is_read_year_by_year(store):
    """Years before the one that fills the limit are read whole, that one ward by ward; an empty
    range reads nothing."""
    q = get_query("deadlines")
    calls = []
    real = store.select

    def select(text, *args, **kwargs):
        calls.append(text)
        return real(text, *args, **kwargs)

    store.select = select
    try:
        bindings, _ = bind_params(store, q, {"from_year": 2026, "to_year": 2030})
        got = paging.paged_years(store, lambda extra: q.render({**bindings, **extra}), "ward_iri", q.page_year,
                                 2026, 2030, 10, min_wards=0, first_batch=1, max_batch=1, dense_enough=2, ahead=0)
        whole = real(q.render(bindings), limit=10)
        assert got.values() == whole.values() and got.truncated
        # 2026 (2 rows) and 2027 (3) whole with the year bound, 2028 and 2029 (none) likewise;
        # 2030 ward by ward (An Dương alone has more than the 5 rows still wanted)
        year_bound = [t for t in calls if "VALUES ?due_year" in t]
        assert len(year_bound) == 4 and all("VALUES ?ward_iri" not in t for t in year_bound)
        assert any("VALUES ?ward_iri" in t and '"2030"' in t for t in calls)
        empty = paging.paged_years(store, lambda extra: q.render({**bindings, **extra}), "ward_iri", q.page_year,
                                   2030, 2026, 10)
        assert empty.values() == [] and not empty.truncated
    finally:
        del store.select


@pytest.mark.parametrize("qid", ["unassigned", "source-lookup", "unit-workload"])
def test_wards_sharing_a_name_are_read_ward_by_ward_when_sorted_by_iri(settings, qid):
    """Three wards named alike: a query sorted by name then IRI reads them one per batch; one
    sorted by name only reads them together. Either way paged == whole."""
    from plangraph.store.factory import data_files

    shared = EmbeddedStore(data_files(settings))
    rename = ["https://w3id.org/plangraph/id/unit/lai-chau/phuong-doan-ket"]
    rename += [r["w"] for r in shared.select(
        f"SELECT ?w WHERE {{ ?p <https://w3id.org/plangraph/ontology#forUnit> ?w }} ORDER BY ?w").values()][:2]
    for ward in set(rename):
        shared.store.update(f"DELETE {{ <{ward}> <{SKOS}prefLabel> ?n }} INSERT {{ <{ward}> <{SKOS}prefLabel> \"Đoàn Kết\"@vi }} "
                            f"WHERE {{ <{ward}> <{SKOS}prefLabel> ?n }}")
    shared.generation += 1
    groups, _ = paging.ward_groups(shared)
    assert max(len(iris) for _, iris in groups) == len(set(rename)) >= 2
    q = get_query(qid)
    whole, paged = _both(shared, q, {}, 100_000, first_batch=1, max_batch=1)
    assert paged is not None and paged.values() == whole.values()
    assert len({r["ward_iri"] for r in whole.values() if r["ward"] == "Đoàn Kết"}) == len(set(rename))
    if q.page_by_iri:  # rows of one ward together, wards of one name in IRI order
        keys = [(r["ward"], r["ward_iri"]) for r in whole.values()]
        assert keys == sorted(keys)
