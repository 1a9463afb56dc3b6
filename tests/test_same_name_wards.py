"""Two wards of one name in a small graph (every ward shown at once): the pages and exports
that list wards side by side keep them apart by IRI and show the province after the name.

Ward names recur across provinces (32 names recur at 330 plans). The graph here holds a
synthetic pair, Lộc Lâm of Cần Thơ and Lộc Lâm of An Giang, with one other ward."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from plangraph_app import documents, graphs, sources, trace, wards  # noqa: E402

DOC_57 = "https://w3id.org/plangraph/id/doc/57-nq-tw"
CAN_THO = "https://w3id.org/plangraph/id/unit/can-tho/xa-loc-lam"
AN_GIANG = "https://w3id.org/plangraph/id/unit/an-giang/xa-loc-lam"
NAME = "Lộc Lâm"


@pytest.fixture(scope="module")
def twins(settings, tmp_path_factory):
    """An embedded store over documents.ttl, the two Lộc Lâm plans and one other plan."""
    from plangraph.store.embedded import EmbeddedStore
    from plangraph.synth import generate

    out = tmp_path_factory.mktemp("twins")
    generate(settings, 100, 1, out / "w100")
    ttl = out / "ttl"
    ttl.mkdir()
    source = out / "w100" / "ttl"
    plans = sorted(f for f in source.glob("*.ttl") if f.name != "documents.ttl")
    pair = [f for f in plans if "_xa-loc-lam_" in f.name]
    assert len(pair) == 2, [f.name for f in pair]
    other = next(f for f in plans if "loc-lam" not in f.name)
    for f in [source / "documents.ttl", *pair, other]:
        shutil.copy(f, ttl / f.name)
    return EmbeddedStore(sorted(ttl.glob("*.ttl")))


def test_the_graph_holds_two_wards_of_one_name(twins):
    d = wards.directory(twins)
    assert len(d) == 3 and not d.large  # every ward is shown at once
    assert d.shared_names == {NAME}
    assert {d.get(CAN_THO).province, d.get(AN_GIANG).province} == {"Cần Thơ", "An Giang"}


def test_each_ward_has_its_own_records_and_plan_in_the_source_index(twins):
    index = sources.build_index(twins)
    mine, theirs = index.ward_records(NAME, CAN_THO), index.ward_records(NAME, AN_GIANG)
    assert mine and theirs and not {s.iri for s in mine} & {s.iri for s in theirs}
    assert {s.ward_iri for s in mine} == {CAN_THO} and {s.ward_iri for s in theirs} == {AN_GIANG}
    # the same records as the one-ward lookup a big graph uses
    assert [s.iri for s in mine] == [s.iri for s in sources.ward_index(twins, CAN_THO).records()]
    plan_a, plan_b = index.plan_of(NAME, CAN_THO), index.plan_of(NAME, AN_GIANG)
    assert plan_a is not None and plan_b is not None and plan_a.iri != plan_b.iri
    assert (plan_a.ward_iri, plan_b.ward_iri) == (CAN_THO, AN_GIANG)
    # by name alone, both wards' records (what every page used to get)
    assert len(index.ward_records(NAME)) == len(mine) + len(theirs)
    # a citation found at a line is the ward's own
    line = next(s.line_start for s in theirs if s.kind == "Trích dẫn")
    assert documents.citation_source(index, NAME, line, ward_iri=AN_GIANG).ward_iri == AN_GIANG


def test_the_trace_graph_draws_two_plans_with_their_provinces(twins):
    rows = wards.directory(twins).named(trace.down(twins, DOC_57))
    assert {r["ward_iri"] for r in rows} >= {CAN_THO, AN_GIANG}
    for capped in (None, graphs.MAX_ITEMS_PER_PLAN):
        g = graphs.trace_down(rows, DOC_57, "Nghị quyết 57-NQ/TW", "Trung ương", max_items=capped)
        plans = {n.data["ward_iri"]: n for n in g.nodes.values() if n.kind == "plan"}
        assert set(plans) >= {CAN_THO, AN_GIANG}
        assert plans[CAN_THO].label.endswith(f"{NAME} (Cần Thơ)") and plans[AN_GIANG].label.endswith(f"{NAME} (An Giang)")
        # each item hangs from its own ward's plan
        for key in (CAN_THO, AN_GIANG):
            items = {e[1] for e in g.edges if e[0] == f"plan:{key}"}
            expected = {r.get("item_iri") for r in rows if r["ward_iri"] == key and r.get("item_iri")
                        and r.get("link_code") not in ("basis", "in-text")}
            assert items and items <= expected | {f"more:{key}"}
    hidden = graphs.hidden_items(rows, 1)
    assert {CAN_THO, AN_GIANG} <= set(hidden) and hidden[CAN_THO]["ward_iri"] == CAN_THO


def test_the_documents_page_matches_each_citation_to_its_own_ward(twins):
    from plangraph.query.catalog import run

    down = trace.down(twins, DOC_57)
    conflicts = run(twins, "citation-conflicts", {"document": DOC_57}).values()
    assert {c["citing_ward_iri"] for c in conflicts} >= {CAN_THO, AN_GIANG}
    cites = wards.directory(twins).named(documents.citations_of(down, conflicts))
    stated = {(c["citing_ward_iri"], c["line"]): c["stated_date"] for c in conflicts}
    for c in cites:
        assert c["stated_date"] == stated.get((c["ward_iri"], c["source_line"]))
    ours = [c for c in cites if c["ward_iri"] in (CAN_THO, AN_GIANG)]
    assert {c["ward"] for c in ours} == {f"{NAME} (Cần Thơ)", f"{NAME} (An Giang)"}
    g = graphs.relation_view(DOC_57, "Nghị quyết 57-NQ/TW", "Trung ương", cites, [])
    assert {n.data["ward"] for n in g.nodes.values() if n.kind == "plan"} >= {f"{NAME} (Cần Thơ)", f"{NAME} (An Giang)"}


def test_the_documents_export_names_both_wards(twins):
    from plangraph.exports import export_table

    row = next(r for r in export_table(twins, "documents").rows if r["number"] == "57-NQ/TW")
    names = row["cited_by"].split(";")
    assert len(names) == 3 and {f"{NAME} (Cần Thơ)", f"{NAME} (An Giang)"} <= set(names)
    assert all("(" not in n for n in set(names) - {f"{NAME} (Cần Thơ)", f"{NAME} (An Giang)"})


def test_the_overview_charts_draw_each_ward_apart(twins):
    from plangraph_app import overview

    ov_rows, _ = overview.fetch(twins)
    rows = wards.directory(twins).named(overview.section(ov_rows, "completeness"))
    shown = {r["ward"] for r in rows}
    assert {f"{NAME} (Cần Thơ)", f"{NAME} (An Giang)"} <= shown and len(shown) == 3


def test_shared_documents_list_every_citing_ward(twins):
    from plangraph.query.catalog import run

    row = next(r for r in run(twins, "shared-documents", {}).values() if r["number"] == "57-NQ/TW")
    names = row["citing_wards"].split("; ")
    assert int(row["wards"]) == len(names) == 3  # one name per ward counted
    assert {f"{NAME} (Cần Thơ)", f"{NAME} (An Giang)"} <= set(names)


@pytest.mark.parametrize("ward", [None, CAN_THO])
def test_search_lists_both_wards_of_a_document_they_cite(twins, ward):
    from plangraph.query.catalog import run

    params = {"text": "dot pha phat trien khoa hoc", **({"ward": ward} if ward else {})}
    row = next(r for r in run(twins, "search", params).values() if r["item_iri"] == DOC_57)
    names = row["wards"].split("; ")
    assert len(names) == 3 and {f"{NAME} (Cần Thơ)", f"{NAME} (An Giang)"} <= set(names)
    assert all("(" not in n for n in set(names) - {f"{NAME} (Cần Thơ)", f"{NAME} (An Giang)"})


def test_search_names_each_ward_of_the_name_with_its_province(twins):
    from plangraph.query.catalog import run

    rows = run(twins, "search", {"text": "loc lam"}).values()
    found = {r["item_iri"]: r["wards"] for r in rows if r["item_iri"] in (CAN_THO, AN_GIANG)}
    assert found == {CAN_THO: f"{NAME} (Cần Thơ)", AN_GIANG: f"{NAME} (An Giang)"}
    # their plans and items too: no row merges the two
    assert all(r["wards"] in (f"{NAME} (Cần Thơ)", f"{NAME} (An Giang)") for r in rows if r["wards"] and NAME in r["wards"])


@pytest.mark.parametrize("query_id", ["ward-overview", "citation-conflicts"])
def test_the_query_library_names_both_wards(twins, query_id):
    from plangraph_app import library

    rows = library.execute_rows(twins, query_id, ())
    plain = {r["ward"] for r in rows.values}
    named = library.ward_named(wards.directory(twins), rows)
    shown = {r["ward"] for r in named}
    assert NAME in plain and NAME not in shown  # the chart's colours and the table's column
    assert {f"{NAME} (Cần Thơ)", f"{NAME} (An Giang)"} <= shown and len(shown) == len(plain) + 1
    assert len(named) == len(rows.values)
