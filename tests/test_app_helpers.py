"""The app's importable helpers (app/plangraph_app): labels, tables, permalinks, graphs,
charts and the data shaping of every page, on the five plans."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from plangraph_app import (  # noqa: E402
    charts, compare, documents, graphs, i18n, library, overview, permalink, quality, search, slices, sources, tables,
    trace, units, wards,
)

BHYT = "https://w3id.org/plangraph/vocab/indicator/health-insurance-coverage"
DOC_57 = "https://w3id.org/plangraph/id/doc/57-nq-tw"
AN_DUONG = "https://w3id.org/plangraph/id/unit/hai-phong/phuong-an-duong"
DOAN_KET = "https://w3id.org/plangraph/id/unit/lai-chau/phuong-doan-ket"


@pytest.fixture(scope="module")
def index(store):
    return sources.build_index(store)


@pytest.fixture(scope="module")
def exports(store):
    from plangraph.exports import export_table

    return {k: export_table(store, k).rows for k in ("indicators", "tasks", "documents")}


# ---------------------------------------------------------------------------- words and tables

def test_columns_have_vietnamese_and_english_labels():
    assert i18n.column_label("ward") == "Phường"
    assert i18n.column_label("ward", "en") == "Ward"
    assert i18n.column_label("unknown_column") == "unknown column"
    assert i18n.bilingual("có chỉ tiêu / target", "en") == "target"
    assert i18n.bilingual("có chỉ tiêu / target", "vi") == "có chỉ tiêu"
    assert i18n.bilingual("(chưa giao / unassigned)", "vi") == "(chưa giao)"


def test_identifier_columns_are_never_shown():
    assert i18n.is_hidden("ward_iri") and i18n.is_hidden("section_code") and i18n.is_hidden("record_iri")
    df = tables.frame([{"ward": "Đoàn Kết", "ward_iri": "https://w3id.org/x", "value": Decimal("99.7")}],
                      ["ward", "ward_iri", "value"])
    assert list(df.columns) == ["Phường", "Giá trị"]
    assert df.iloc[0]["Giá trị"] == 99.7
    assert not any("https://" in str(v) for v in df.iloc[0].values)


def test_numbers_and_dates_as_vietnamese_staff_write_them():
    assert tables.vn_number(Decimal("97.5")) == "97,5"
    assert tables.vn_number(2800) == "2.800"
    assert tables.vn_number(Decimal("2800.50")) == "2.800,5"
    assert tables.vn_number(None) == ""
    assert tables.plain(date(2024, 12, 22)) == "22/12/2024"


def test_empty_cells_read_empty_and_mixed_cells_become_text():
    df = tables.frame([{"ward": "A", "target_year": 2030, "leads_nothing": True},
                       {"ward": None, "target_year": None, "leads_nothing": None}],
                      ["ward", "target_year", "leads_nothing"])
    assert list(df["Phường"]) == ["A", ""]
    assert list(df["Năm"]) == ["2030", ""]
    assert list(df["Không chủ trì việc nào"]) == ["có", ""]
    gaps = tables.frame([{"value": Decimal("0.5")}, {"value": None}], ["value"])
    assert list(gaps["Giá trị"]) == ["0,5", ""]


def test_split_list_and_where():
    assert tables.split_list("A;B; A") == ["A", "B"]
    assert tables.split_list(None) == []
    assert tables.where({"line_start": 83, "line_end": 85}) == "dòng 83–85"
    assert tables.where({"source_line": 7}, "en") == "line 7"


# ---------------------------------------------------------------------------- permalinks

def test_permalink_round_trip_of_a_query_and_its_parameters():
    state = permalink.library_state("compare-concept", {"concept": BHYT, "ward": None, "text": ""})
    assert state == {"q": "compare-concept", "p.concept": BHYT}
    assert permalink.parse_library(state) == ("compare-concept", {"concept": BHYT})
    url = permalink.url("http://localhost:8501/queries", {**state, "lang": "en"})
    assert url.startswith("http://localhost:8501/queries?q=compare-concept&p.concept=https%3A%2F%2F")
    assert url.endswith("&lang=en")
    assert permalink.url(None, {"q": "x"}) == "?q=x"


def test_permalink_keeps_language_and_endpoint_but_drops_other_pages_state():
    merged = permalink.merged({"lang": "en", "ward": "old", "endpoint": "http://h/sparql"}, {"doc": DOC_57, "ward": None})
    assert merged == {"lang": "en", "endpoint": "http://h/sparql", "doc": DOC_57}


# ---------------------------------------------------------------------------- sources

def test_every_indicator_and_task_has_a_source_with_line_and_quote(index, store):
    from plangraph.query.choices import choices

    indicator_iris = [v for v, _ in choices(store, "indicator")]
    assert indicator_iris
    for iri in indicator_iris:
        src = index.get(iri)
        assert src is not None and src.line_start and src.quote and src.file.endswith(".txt"), iri


def test_section_ids_are_not_shown_as_sections(index):
    assert not any(s.section and s.section[0] == "s" and s.section[1:].isdigit() for s in index.records())
    assert sources.from_rows([{"record_iri": "x", "section": "s69"}]).get("x").section is None
    assert sources.from_rows([{"record_iri": "x", "section": "II > 2"}]).get("x").section == "II > 2"


def test_source_citation_reads_document_section_line_and_file(index):
    plan = index.plan_of("Đoàn Kết")
    assert plan.label == "Nghị quyết 36/NQ-HĐND – phường Đoàn Kết"
    first = next(s for s in index.ward_records("Đoàn Kết") if s.kind == "Chỉ tiêu")
    text = first.citation()
    assert text.startswith("Nghị quyết 36/NQ-HĐND (Đoàn Kết) · mục ") and "dòng" in text and "003_" in text


# ---------------------------------------------------------------------------- overview

def test_overview_lists_the_five_wards_with_province_plan_and_counts(store, index, exports):
    ov, formed = overview.fetch(store)
    rows = {r["ward"]: r for r in overview.ward_table(ov, formed, index)}
    assert set(rows) == {"An Dương", "Hàm Rồng", "Phan Đình Phùng", "Trần Phú", "Đoàn Kết"}
    assert rows["Đoàn Kết"]["province"] == "Lai Châu"
    assert rows["An Dương"]["plan_document"] == "Kế hoạch 86/KH-UBND"
    per_ward = {w: sum(1 for r in exports["indicators"] if r["ward"] == w) for w in rows}
    assert {w: r["indicators"] for w, r in rows.items()} == per_ward
    assert all(0 <= (r["completeness"] or 0) <= 100 for r in rows.values())
    assert set(rows["Hàm Rồng"]["former_units"].split(", ")) == {"Hàm Rồng", "Nam Ngạn", "Thiệu Dương", "Đông Cương", "Đông Thọ"}
    assert overview.provinces(rows.values())["Lai Châu"] == ["Đoàn Kết"]


def test_overview_ward_indicators_carry_target_and_source(exports):
    rows = overview.ward_indicators(exports["indicators"], "Đoàn Kết")
    bhyt = [r for r in rows if "bảo hiểm y tế" in r["name"].lower()]
    assert bhyt and bhyt[0]["target"] == "Đạt 99,7%" and bhyt[0]["source_line"] and bhyt[0]["quote"]


# ---------------------------------------------------------------------------- compare

def test_compare_health_insurance_targets_in_words(store):
    rows = {r["ward"]: r for r in compare.shape(compare.compare_concept(store, BHYT))}
    assert rows["Đoàn Kết"]["target"] == "Đạt 99,7%"
    assert rows["Hàm Rồng"]["target"] == "Từ 95,5% trở lên, đến năm 2030"
    assert rows["An Dương"]["target"] == "Trên 97,5%, đến năm 2030"
    assert {r["mark_code"] for r in rows.values()} == {"comparable"}
    assert compare.majority_unit(list(rows.values())) == "%"


def test_compare_marks_gaps_and_incompatible_units():
    raw = [
        {"ward": "A", "indicator_iri": "i:1", "value": Decimal("10"), "unit": "%", "comparator": "Đạt"},
        {"ward": "B", "indicator_iri": "i:2", "value": Decimal("3"), "unit": "tỷ đồng", "comparator": "Đạt",
         "unit_check": "khác đơn vị / incompatible unit"},
        {"ward": "C", "status": "thiếu chỉ tiêu / gap"},
        {"ward": "D", "indicator_iri": "i:4", "qualitative": "Duy trì", "comparator": "Duy trì", "unit": "%"},
    ]
    rows = compare.shape(raw)
    assert [r["mark_code"] for r in rows] == ["comparable", "incompatible", "gap", "no-number"]
    assert compare.summary(rows) == {"comparable": 1, "incompatible": 1, "no-number": 1, "gap": 1}
    assert rows[2]["target_text"] == "— không có chỉ tiêu"
    assert compare.shape(raw, "en")[1]["status"] == "different unit – not comparable"


def test_compare_counts_wards_once_however_many_targets_they_state(store):
    from plangraph.query.choices import choices

    ocop = next(iri for iri, label in choices(store, "concept") if "OCOP" in label)
    rows = compare.shape(compare.compare_concept(store, ocop))
    per_ward = Counter(r["ward"] for r in rows if r["mark_code"] != "gap")
    assert per_ward["Hàm Rồng"] > 1  # a ward with several targets for the concept
    having, without = compare.ward_counts(rows)
    assert having == len(per_ward) and having + without == 5 and len(rows) > 5


def test_compare_by_province_and_the_national_count_agree_with_the_whole_country(store):
    from plangraph.query.choices import choices

    from plangraph.query import counts

    directory = wards.directory(store)
    for concept, label in choices(store, "concept"):
        everywhere, name = compare.shaped(store, concept)
        assert counts.wards_with_target(store, concept) == compare.ward_counts(everywhere)[0], label
        for province in directory.provinces():
            members = tuple(w.iri for w in directory.in_province(province))
            rows, same_name = compare.shaped(store, concept, "vi", members)
            assert rows == [r for r in everywhere if r["ward_iri"] in members] and same_name == name, (label, province)
    assert compare.shaped(store, BHYT, "vi", ())[0] == []  # no ward, no rows


def test_target_text_of_ranges_and_periodic_targets():
    assert compare.target_text({"comparator": "Trong khoảng", "value": 14, "value_max": 15, "unit": "%"}) == "14–15%"
    assert compare.target_text({"comparator": "Trên", "value": 11, "unit": "%", "periodicity": "Bình quân hằng năm"}) \
        == "Trên 11% (bình quân hằng năm)"
    assert compare.target_text({"comparator": "Đạt", "value": 2800, "unit": "tỷ đồng"}) == "Đạt 2.800 tỷ đồng"


# ---------------------------------------------------------------------------- trace and graphs

def test_trace_down_57_reaches_every_ward_plan(store):
    rows = trace.down(store, DOC_57)
    s = trace.down_summary(rows)
    assert s["plans"] == 5 and s["indicators"] > 0 and s["tasks"] > 0
    g = graphs.trace_down(rows, DOC_57, "Nghị quyết 57-NQ/TW", "Trung ương")
    kinds = g.kinds()
    assert kinds[0] == "central" and {"plan", "task", "indicator"} <= set(kinds)
    dot = g.to_dot(url_for=lambda n: f"?node={n.id}")
    assert dot.startswith("digraph G {") and "Nghị quyết 57-NQ/TW" in dot and 'URL="?node=n' in dot
    assert "https://w3id.org" not in dot.replace('URL="?node=', "")  # labels and tooltips, never IRIs


def test_trace_down_in_one_ward_only(store):
    rows = trace.down(store, DOC_57, AN_DUONG)
    assert rows and {r["ward"] for r in rows} == {"An Dương"}


def test_trace_down_57_across_wards_draws_a_few_items_per_plan_and_counts_the_rest(store):
    rows = trace.down(store, DOC_57)
    full = graphs.trace_down(rows, DOC_57, "Nghị quyết 57-NQ/TW", "Trung ương")
    g = graphs.trace_down(rows, DOC_57, "Nghị quyết 57-NQ/TW", "Trung ương", max_items=graphs.MAX_ITEMS_PER_PLAN)
    more = {n.data["ward"]: n for n in g.nodes.values() if n.kind == "more"}
    # Hàm Rồng and Trần Phú have more items driven by 57-NQ/TW than the graph draws; the other three show all.
    assert set(more) == {"Hàm Rồng", "Trần Phú"}
    assert more["Trần Phú"].label == "+ 12 chỉ tiêu, 3 nhiệm vụ khác" and more["Hàm Rồng"].label == "+ 8 chỉ tiêu khác"
    assert more["Trần Phú"].data["ward_iri"] == "https://w3id.org/plangraph/id/unit/ha-tinh/phuong-tran-phu"
    items = lambda graph: [n for n in graph.nodes.values() if n.kind in ("task", "indicator")]  # noqa: E731
    assert len(items(full)) == len(items(g)) + sum(n.data["hidden"] for n in more.values()) == 44
    for ward in ("Hàm Rồng", "Trần Phú"):
        assert sum(1 for n in items(g) if n.data.get("ward") == ward) == graphs.MAX_ITEMS_PER_PLAN
    # tasks implementing 57-NQ/TW come before the indicators it only drives: Hàm Rồng's are all drawn
    tasks = lambda graph: {n.key for n in items(graph) if n.kind == "task" and n.data.get("ward") == "Hàm Rồng"}  # noqa: E731
    assert tasks(full) and tasks(full) == tasks(g)
    tran_phu = "https://w3id.org/plangraph/id/unit/ha-tinh/phuong-tran-phu"
    assert graphs.more_label(graphs.hidden_items(rows, graphs.MAX_ITEMS_PER_PLAN)[tran_phu], "en") \
        == "+ 12 indicators, 3 tasks more"
    # one ward (or no limit): nothing hidden
    assert graphs.hidden_items(trace.down(store, DOC_57, AN_DUONG), graphs.MAX_ITEMS_PER_PLAN) == {}


def test_trace_summaries_count_two_wards_of_one_name_as_two():
    down = [{"ward": "Yên Bình", "ward_iri": f"u:{p}/yen-binh", "item_iri": f"i:{p}", "link_code": "implements",
             "units": "Công an"} for p in ("ha-giang", "yen-bai")]
    assert trace.down_summary(down) == {"plans": 2, "tasks": 2, "indicators": 0, "units": 2}
    up = [{"ward": "Yên Bình", "ward_iri": f"u:{p}/yen-binh", "indicator_iri": f"i:{p}"} for p in ("ha-giang", "yen-bai")]
    assert trace.up_summary(up)["wards"] == 2


def test_trace_up_of_health_insurance_climbs_to_central_documents(store):
    rows = trace.up(store, concept=BHYT)
    s = trace.up_summary(rows)
    assert s["indicators"] == 5 and s["wards"] == 5 and s["central"] >= 1
    g = graphs.trace_up(rows)
    assert {"indicator", "plan", "central"} <= set(g.kinds())


def test_node_details_give_the_source_quote(store, index):
    rows = trace.down(store, DOC_57, AN_DUONG)
    g = graphs.trace_down(rows, DOC_57, "Nghị quyết 57-NQ/TW", "Trung ương")
    options = trace.node_choices(g)
    task_id = next(v for v, label in options if label.startswith("Nhiệm vụ · "))
    details, src = trace.node_details(g.find(task_id), index)
    assert details["Loại"] == "Nhiệm vụ" and details["Phường"] == "An Dương"
    assert src is not None and src.quote and src.ward == "An Dương"
    plan_id = next(v for v, label in options if label.startswith("Kế hoạch của phường"))
    _details, plan_src = trace.node_details(g.find(plan_id), index)
    assert plan_src.kind == "Kế hoạch"


def test_graph_labels_are_wrapped_and_escaped():
    assert graphs.wrap('Nghị quyết "57" ' + "x" * 200).count("\\n") == graphs.MAX_LINES - 1
    assert '\\"57\\"' in graphs.wrap('Nghị quyết "57"')
    assert graphs.node_id("a") == graphs.node_id("a") != graphs.node_id("b")


def test_split_document_label():
    assert trace.split_document_label("57-NQ/TW · Nghị quyết 57-NQ/TW (Trung ương)") == ("Nghị quyết 57-NQ/TW", "Trung ương")
    assert trace.split_document_label("3068/QĐ-UBND · Quyết định 3068/QĐ-UBND (Tỉnh, thành phố, Lai Châu)") \
        == ("Quyết định 3068/QĐ-UBND", "Tỉnh")


def test_formed_from_graph_and_relation_view(store, exports):
    _ov, formed = overview.fetch(store)
    g = graphs.formed_from(formed)
    assert sum(1 for n in g.nodes.values() if n.kind == "former") == sum(1 for r in formed if r.get("former_unit"))
    cites = documents.citations_of(trace.down(store, DOC_57))
    rel = graphs.relation_view(DOC_57, "Nghị quyết 57-NQ/TW", "Trung ương", cites, ["47-KH/ĐU"])
    assert sum(1 for n in rel.nodes.values() if n.kind == "plan") == len({c["ward"] for c in cites}) == 5
    assert any(label.startswith("triển khai") for _a, _b, label, _s in rel.edges)


# ---------------------------------------------------------------------------- units

def test_units_matrix_of_an_duong(exports):
    pairs = units.assignments(exports["indicators"], exports["tasks"], "An Dương")
    cols, rows = units.matrix(pairs)
    assert cols[0] in ("Phòng Văn hóa - Xã hội", "Phòng Kinh tế, Hạ tầng và Đô thị")
    assert all(any(r[u] for u in cols) for r in rows)  # assigned rows only
    missing, total = units.unassigned_count(pairs)
    assert total == len({(p["kind"], p["item"], p["source_line"]) for p in pairs}) and 0 < missing < total
    _cols, only_tasks = units.matrix(pairs, kinds=("task",))
    assert {r["kind"] for r in only_tasks} == {"Nhiệm vụ"}
    assert {"chủ trì", "phối hợp"} <= {v for r in only_tasks for u in _cols for v in r[u].split(", ") if v}
    items = units.unit_items(pairs, cols[0])
    assert items and all(i["source_line"] for i in items)


def test_unit_short_names_for_matrix_headers():
    assert units.short_name("Phòng Kinh tế, Hạ tầng và Đô thị") == "P. KT, HT & ĐT"
    assert units.short_name("Phó Chủ tịch UBND phụ trách văn hóa - xã hội") == "PCT VH-XH"
    assert units.short_name("Công an") == "Công an"


def test_cross_ward_workload(store):
    rows = units.cross_ward(units.workload(store))
    assert {r["ward"] for r in rows} == {"An Dương", "Hàm Rồng", "Phan Đình Phùng", "Trần Phú", "Đoàn Kết"}
    assert all(isinstance(r["total"], int) for r in rows)


# ---------------------------------------------------------------------------- documents and search

def test_plan_outline_in_document_order(index):
    recs = documents.plan_records(index, "Đoàn Kết")
    lines = [r.line_start for r in recs]
    assert lines == sorted(lines)
    outline = documents.outline(recs)
    assert next(iter(outline)) == "(phần đầu văn bản)"  # the preamble's citations (line 32 ...) come first
    rows = documents.record_rows(recs, section=list(outline)[1])
    assert rows and {r["section"] for r in rows} == {list(outline)[1]}
    assert documents.counts(recs)["Chỉ tiêu"] == sum(1 for r in recs if r.kind == "Chỉ tiêu")


def test_cited_document_info_and_conflicting_dates(store, exports, index):
    from plangraph.query.catalog import run

    info = documents.document_info(exports["documents"], DOC_57)
    assert info["issuer"] == "Bộ Chính trị" and info["scope"] == "Trung ương"
    assert documents.dates_disagree(info) == ["22/11/2024", "22/12/2024"]
    conflicts = run(store, "citation-conflicts", {"document": DOC_57}).values()
    cites = documents.citations_of(trace.down(store, DOC_57), conflicts)
    assert {c["ward"] for c in cites} == {"An Dương", "Hàm Rồng", "Phan Đình Phùng", "Trần Phú", "Đoàn Kết"}
    assert len(cites) == info["citation_count"]
    stated = {(c["ward"], c["source_line"]): c["stated_date"] for c in cites}
    assert date(2024, 11, 22) in stated.values() and date(2024, 12, 22) in stated.values()
    for c in cites:
        src = documents.citation_source(index, c["ward"], c["source_line"], "57-NQ/TW")
        assert src is not None and "57-NQ/TW" in src.label


def test_search_is_diacritic_insensitive(store, index):
    rows = search.shape(search.search(store, "ham rong"), index)
    assert ("Phường", "Hàm Rồng") in [(r["kind"], r["label"]) for r in rows]
    hits = search.shape(search.search(store, "bao hiem y te"), index)
    assert any(r["kind"] == "Chỉ tiêu" and r["source"] for r in hits)
    assert search.kind_counts(hits)["Chỉ tiêu"] >= 5


def test_ward_names(store):
    assert wards.names(store)[AN_DUONG] == "An Dương"


# ---------------------------------------------------------------------------- national scale: wards, sources, slices

def test_ward_directory_names_labels_and_provinces(store, monkeypatch):
    d = wards.directory(store)
    assert len(d) == 5 and not d.large
    an_duong = d.get(AN_DUONG)
    assert (an_duong.name, an_duong.label, an_duong.province) == ("An Dương", "Phường An Dương", "Hải Phòng")
    assert an_duong.option == "Phường An Dương (Hải Phòng)"
    assert d.options() == choices_of(store, "ward")  # the pickers' labels and order
    assert d.provinces() == ["Hà Tĩnh", "Hải Phòng", "Lai Châu", "Thái Nguyên", "Thanh Hóa"]
    assert [w.name for w in d.in_province("Lai Châu")] == ["Đoàn Kết"]
    assert d.options("Hải Phòng") == [(AN_DUONG, "Phường An Dương (Hải Phòng)")]
    assert {r["former_unit"] for r in d.formed(["https://w3id.org/plangraph/id/unit/thanh-hoa/phuong-ham-rong"])} \
        == {"Hàm Rồng", "Nam Ngạn", "Thiệu Dương", "Đông Cương", "Đông Thọ"}
    monkeypatch.setattr(wards, "MANY_WARDS", 4)
    assert d.large  # more wards than the pages show at once


def test_a_name_two_wards_share_is_shown_with_the_province():
    twins = [wards.Ward("u:ha-giang/yen-binh", "Yên Bình", "Xã Yên Bình", "Hà Giang"),
             wards.Ward("u:yen-bai/yen-binh", "Yên Bình", "Xã Yên Bình", "Yên Bái"),
             wards.Ward("u:lai-chau/doan-ket", "Đoàn Kết", "Phường Đoàn Kết", "Lai Châu")]
    d = wards.Directory(twins)
    assert d.shared_names == {"Yên Bình"}
    rows = [{"ward": w.name, "ward_iri": w.iri, "total": n} for n, w in enumerate(twins)] + [{"ward": "Yên Bình", "total": 9}]
    assert [r["ward"] for r in d.named(rows)] == ["Yên Bình (Hà Giang)", "Yên Bình (Yên Bái)", "Đoàn Kết", "Yên Bình"]
    assert rows[0]["ward"] == "Yên Bình"  # the rows given are left as they were
    assert wards.Directory(twins[1:]).named(rows) == rows  # no shared name: nothing changes


def choices_of(store, kind):
    from plangraph.query.choices import choices

    return choices(store, kind)


def test_ward_sources_and_record_lookup_agree_with_the_whole_index(store, index):
    ward = sources.ward_index(store, AN_DUONG)
    whole = index.ward_records("An Dương")
    assert [s.iri for s in ward.records()] == [s.iri for s in whole] and len(whole) > 100
    assert {s.ward for s in ward.records()} == {"An Dương"}
    assert ward.plan_of("An Dương") == index.plan_of("An Dương")
    indicator = next(s for s in whole if s.kind == "Chỉ tiêu")
    assert sources.lookup(store, indicator.iri) == indicator
    assert sources.lookup(store, "https://w3id.org/plangraph/id/nothing-here") is None


@pytest.mark.parametrize("kind", ["indicators", "tasks"])
def test_a_ward_slice_gives_exactly_that_wards_export_rows(store, settings, exports, kind):
    from plangraph.exports import export_table

    for ward in wards.directory(store).wards:
        piece = slices.ward_slice(settings.ttl_dir, ward.iri)
        assert piece is not None, ward.iri
        rows = export_table(piece, kind).rows
        expected = [r for r in exports[kind] if r["ward"] == ward.name]
        assert rows == expected and rows, (ward.name, kind)


def test_a_ward_slice_gives_exactly_that_wards_picker_lists(store, settings):
    from plangraph.query.choices import choices

    units, indicators = choices(store, "unit"), choices(store, "indicator")
    for ward in wards.directory(store).wards:
        piece = slices.ward_slice(settings.ttl_dir, ward.iri)
        assert choices(piece, "unit") == [u for u in units if u[1].endswith(f" – {ward.name}")], ward.name
        assert choices(piece, "indicator") == [i for i in indicators if i[1].startswith(f"{ward.name} · ")], ward.name


def test_a_ward_slice_holds_the_shared_documents_the_ward_reaches_and_no_others(store, settings):
    cited = """PREFIX pg: <https://w3id.org/plangraph/ontology#>
        SELECT DISTINCT ?d WHERE { ?c pg:citingDocument/pg:forUnit <%s> ; pg:citedDocument ?d }"""
    piece = slices.ward_slice(settings.ttl_dir, AN_DUONG)
    own = {str(r["d"]) for r in store.select(cited % AN_DUONG).values()}
    others = {str(r["d"]) for w in wards.directory(store).wards if w.iri != AN_DUONG
              for r in store.select(cited % w.iri).values()} - own
    described = {str(r["s"]) for r in piece.select("SELECT DISTINCT ?s WHERE { ?s ?p ?o }").values()}
    assert own and own <= described  # with their own statements (type, issuer, date ...)
    assert others and not others & described


def test_the_shared_documents_are_read_again_when_the_file_changes(settings, tmp_path):
    shared = tmp_path / "documents.ttl"
    assert slices.shared_docs(tmp_path) is None
    shared.write_bytes((settings.ttl_dir / "documents.ttl").read_bytes())
    first = slices.shared_docs(tmp_path)
    assert first is not None and slices.shared_docs(tmp_path) is first
    shared.write_text("<urn:x:a> <urn:x:p> <urn:x:b> .\n", encoding="utf-8")
    again = slices.shared_docs(tmp_path)
    assert again is not first and again.subjects == {ox.NamedNode("urn:x:a")}
    shared.write_text("<urn:x:a> <urn:x:p> .\n", encoding="utf-8")  # broken: the slice falls back
    ward = tmp_path / "hai-phong_phuong-an-duong_004.ttl"
    ward.write_bytes((settings.ttl_dir / ward.name).read_bytes())
    assert slices.ward_slice(tmp_path, AN_DUONG) is None


def test_a_ward_slice_needs_the_wards_files(settings, tmp_path):
    assert [p.name for p in slices.ward_files(settings.ttl_dir, AN_DUONG)] == ["hai-phong_phuong-an-duong_004.ttl"]
    assert slices.ward_files(settings.ttl_dir, "https://w3id.org/plangraph/id/unit/hai-phong/phuong-nowhere") == []
    assert slices.ward_files(settings.ttl_dir, "https://w3id.org/plangraph/id/unit/*/*") == []
    assert slices.ward_slice(tmp_path, AN_DUONG) is None
    # a file named like the ward but holding another ward's plan is not taken for it
    (tmp_path / "hai-phong_phuong-an-duong_004.ttl").write_bytes(
        (settings.ttl_dir / "lai-chau_phuong-doan-ket_003.ttl").read_bytes())
    assert slices.ward_slice(tmp_path, AN_DUONG) is None


def test_background_jobs_run_once_and_report_their_errors():
    from plangraph.errors import PlangraphError
    from plangraph_app import state

    calls = []

    def work(progress):
        calls.append(1)
        progress(1, 2)
        return 42

    def fail(_progress):
        raise PlangraphError("không đọc được tệp", "chạy plangraph build")

    try:
        done = state.job("test:work", work)
        assert done.wait(10) and done.result == 42 and (done.done_count, done.total) == (1, 2) and done.error is None
        assert state.job("test:work", work) is done and calls == [1]  # shared, not run again
        failed = state.job("test:fail", fail)
        assert failed.wait(10) and (failed.error, failed.hint) == ("không đọc được tệp", "chạy plangraph build")
    finally:
        state.forget("test:work")
        state.forget("test:fail")
    assert state.job("test:work", work).wait(10) and calls == [1, 1]  # forgotten: runs again
    state.forget("test:work")


def test_overview_by_province_and_the_national_summary(store):
    ov, formed = overview.fetch(store)
    rows = overview.ward_table(ov, formed)
    by_province = {r["province"]: r for r in overview.province_table(rows)}
    assert set(by_province) == {"Hà Tĩnh", "Hải Phòng", "Lai Châu", "Thái Nguyên", "Thanh Hóa"}
    assert all(r["ward_count"] == 1 for r in by_province.values())
    assert sum(r["indicators"] for r in by_province.values()) == overview.totals(rows)["indicators"]
    doan_ket = next(r for r in rows if r["ward"] == "Đoàn Kết")
    assert by_province["Lai Châu"]["completeness"] == doan_ket["completeness"]
    domains = overview.section(ov, "indicators-by-domain")
    added = overview.summed(domains, "Cả nước")
    assert {r["ward"] for r in added} == {"Cả nước"}
    assert sum(r["value"] for r in added) == sum(r["value"] for r in domains)
    summary = overview.summary(store, formed, 74)
    assert [r["ward"] for r in summary.wards] == [r["ward"] for r in rows] and summary.documents_cited == 74
    assert summary.sections["completeness"] == tuple(overview.section(ov, "completeness"))


# ---------------------------------------------------------------------------- query library

def test_library_search_by_words_and_tags():
    queries = library.catalog()
    assert [q.id for q in library.search(queries, "so sanh")] [:1] == ["compare-concept"]
    assert {q.id for q in library.search(queries, tags=["units"])} >= {"unit-workload", "leader-roles"}
    assert library.search(queries, "khong co gi nhu vay") == []
    assert library.tag_name("units") == "đơn vị" and library.tag_name("units", "en") == "units"


def test_library_parameter_options_come_from_the_graph(store, index):
    q = next(q for q in library.catalog() if q.id == "compare-concept")
    concepts = library.options(store, q, "concept")
    assert (BHYT, "Bao phủ bảo hiểm y tế (5 chỉ tiêu)") in concepts
    shared = next(q for q in library.catalog() if q.id == "shared-documents")
    assert library.options(store, shared, "min_wards") == [(str(i), str(i)) for i in range(1, 6)]
    lookup = next(q for q in library.catalog() if q.id == "source-lookup")
    records = library.options(store, lookup, "record", index)
    assert records and not any(label.startswith("http") for _v, label in records)
    search_q = next(q for q in library.catalog() if q.id == "search")
    assert library.options(store, search_q, "text") is None


def test_library_runs_every_query_with_its_defaults_and_default_view(store):
    for q in library.catalog():
        result = library.execute(store, q.id, {})
        view, opts = library.view_of(q, result.columns)
        assert view == q.view, q.id
        text = library.sparql_text(store, q.id, {})
        assert "SELECT" in text, q.id


def test_library_binds_parameters_as_values_in_the_shown_query(store):
    text = library.sparql_text(store, "compare-concept", {"concept": BHYT, "ward": AN_DUONG})
    assert f"VALUES ?concept {{ <{BHYT}> }}" in text and f"<{AN_DUONG}>" in text
    result = library.execute(store, "compare-concept", {"concept": BHYT, "ward": AN_DUONG})
    assert [r["ward"] for r in result.values()] == ["An Dương"]


def test_library_record_iri_finds_a_sourced_column(store, index):
    row = library.execute(store, "compare-concept", {"concept": BHYT}).values()[0]
    assert library.record_iri(row, index) == row["indicator_iri"]


# ---------------------------------------------------------------------------- charts

def test_charts_are_vega_lite_specs_with_labelled_data(store):
    rows = compare.shape(compare.compare_concept(store, BHYT))
    spec = charts.compare(rows, unit_title="Mục tiêu (%)")
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert "locale" not in charts.compare(rows, "en")["config"]
    assert {v["ward"]: v["label"] for v in spec["data"]["values"]}["Đoàn Kết"] == "Đạt 99,7%"
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Mục tiêu (%)"
    ov, _formed = overview.fetch(store)
    heat = charts.heatmap(overview.section(ov, "completeness"), "ward", "item", "value", percent=True)
    assert heat["layer"][0]["mark"]["type"] == "rect" and heat["height"] == 32 * 7
    deadlines = library.execute(store, "deadlines", {}).values()
    tl = charts.timeline(deadlines, "start_year", "due_year", "item", "ward")
    assert tl["encoding"]["x2"]["field"] == "_end"
    assert all(v["_end"] == v["due_year"] + 0.9 for v in tl["data"]["values"])
    bar = charts.bar(ov, "item", "value", color="ward", facet="section")
    assert bar["facet"]["row"]["field"] == "section" and bar["spec"]["encoding"]["y"]["field"] == "item"
    grouped = charts.grouped_counts(overview.section(ov, "indicators-by-domain"), "item", "ward", "value", title="Số chỉ tiêu")
    assert grouped["encoding"]["x"]["title"] == "Số chỉ tiêu"


def test_chart_ticks_stop_at_the_largest_value():
    assert charts.ticks(100) == [0, 20, 40, 60, 80, 100]
    assert charts.ticks(0.5) == [0, 0.1, 0.2, 0.3, 0.4, 0.5]
    assert charts.ticks(97.5)[-1] == 100


def test_charts_keep_gaps_apart_from_zero():
    rows = compare.shape([{"ward": "A", "indicator_iri": "i:1", "value": Decimal("10"), "unit": "%", "comparator": "Đạt"},
                          {"ward": "C", "status": "thiếu chỉ tiêu / gap"}])
    spec = charts.compare(rows)
    assert [v["value"] for v in spec["data"]["values"]] == [10.0, None]
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["so sánh được", "thiếu chỉ tiêu"]


# ---------------------------------------------------------------------------- data quality

@pytest.fixture(scope="module")
def report(settings):
    from plangraph.validate import validate_store_files

    return validate_store_files(settings)


def test_quality_counts_groups_and_drill_down(report):
    counts = quality.severity_counts(report)
    assert sum(counts.values()) == len(report.findings)
    groups = quality.rule_rows(report)
    assert sum(g["count"] for g in groups) == len(report.findings)
    assert groups[0]["severity"] == "Vi phạm" or counts["Violation"] == 0
    assert all(g["message"] and "{?" not in g["message"] for g in groups)
    assert all(g["fix"] for g in groups)
    g = groups[0]
    rows = quality.finding_rows(report, g["ward_iri"], g["rule"])
    assert len(rows) == g["count"] and all(r["record"] for r in rows)
    assert any(r["line"] and r["quote"] for r in rows)


def test_quality_subset_of_a_province_reads_like_a_report(report):
    part = quality.subset(report, lambda shard: shard.ward_iri == DOAN_KET)
    assert quality.wards(part) == [(DOAN_KET, "Phường Đoàn Kết")]
    assert quality.severity_counts(part) == quality.severity_counts(report, DOAN_KET)
    assert quality.rule_rows(part) == quality.rule_rows(report, DOAN_KET)
    assert [r["ward"] for r in quality.score_rows(part)] == ["Phường Đoàn Kết"]


def test_quality_tells_apart_two_wards_of_one_label(report):
    """Two wards may share a label ("Phường Tân Phú" in two provinces): counted, grouped and
    picked by IRI, the picker naming their provinces."""
    from dataclasses import replace as copy

    an_duong = next(s for s in report.shards if s.ward_iri == AN_DUONG)
    twin = copy(an_duong, ward_iri=DOAN_KET, ward="Phường An Dương")
    part = quality.Subset([an_duong, twin], report.rules)
    assert quality.wards(part) == [(AN_DUONG, "Phường An Dương"), (DOAN_KET, "Phường An Dương")]
    rows = quality.rule_rows(part)
    assert {r["ward_iri"] for r in rows} == {AN_DUONG, DOAN_KET}
    assert sum(r["count"] for r in rows if r["ward_iri"] == AN_DUONG) == len(an_duong.findings)
    assert quality.severity_counts(part, DOAN_KET) == quality.severity_counts(report, AN_DUONG)
    class Directory:
        def get(self, iri):
            return type("W", (), {"province": {AN_DUONG: "Hải Phòng", DOAN_KET: "Lai Châu"}[iri]})()

    assert quality.ward_options(quality.wards(part), Directory()) == [(AN_DUONG, "Phường An Dương (Hải Phòng)"),
                                                         (DOAN_KET, "Phường An Dương (Lai Châu)")]


def test_quality_per_ward_scores_and_units(report):
    scores = {r["ward_iri"]: r for r in quality.score_rows(report)}
    assert set(scores) == {iri for iri, _label in quality.wards(report)} and len(scores) == 5
    assert all(0 < r["score"] <= 100 and r["passed"] <= r["checked"] for r in scores.values())
    assert quality.severity_counts(report, AN_DUONG)["Warning"] == sum(
        1 for f in report.findings if f.ward == "Phường An Dương" and f.severity.value == "Warning")
    unit_rows = quality.unit_score_rows(report, AN_DUONG)
    assert unit_rows and unit_rows == sorted(unit_rows, key=lambda r: (r["score"] / 100, r["unit"]))
