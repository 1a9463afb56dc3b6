"""Every page of the Streamlit app under streamlit.testing (AppTest): renders without an
exception, shows real content of the five plans, and reacts to its main control."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOME = ROOT / "app" / "Home.py"
sys.path.insert(0, str(ROOT / "app"))

from streamlit.testing.v1 import AppTest  # noqa: E402

BHYT = "https://w3id.org/plangraph/vocab/indicator/health-insurance-coverage"
POVERTY = "https://w3id.org/plangraph/vocab/indicator/multidimensional-poverty-rate"
DOC_57 = "https://w3id.org/plangraph/id/doc/57-nq-tw"
DOC_3068 = "https://w3id.org/plangraph/id/doc/lai-chau/2025/3068-qd-ubnd"
AN_DUONG = "https://w3id.org/plangraph/id/unit/hai-phong/phuong-an-duong"
DOAN_KET = "https://w3id.org/plangraph/id/unit/lai-chau/phuong-doan-ket"
WARDS = {"An Dương", "Hàm Rồng", "Phan Đình Phùng", "Trần Phú", "Đoàn Kết"}


def open_app(page: str | None = None, *, lang: str | None = None, query_params: dict | None = None,
             state: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(HOME), default_timeout=90)
    for k, v in (state or {}).items():
        at.session_state[k] = v
    if lang:
        at.session_state["lang"] = lang
    at.run()
    if page:
        at.query_params.clear()  # as in the browser: opening another page starts from its own URL
        at.switch_page(f"views/{page}.py")
    if query_params:
        at.query_params.update(query_params)
    if page or query_params:
        at.run()
    check(at)
    return at


def check(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.main.error, [e.value for e in at.main.error]


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "success")
             for e in getattr(at, kind)]
    parts += [f"{m.label}={m.value}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def cells(at: AppTest) -> set[str]:
    return {str(v) for df in frames(at) for v in df.to_numpy().ravel()}


def no_iri_shown(at: AppTest) -> None:
    for df in frames(at):
        assert not [c for c in df.columns if "iri" in c.lower()]
        assert not any(str(v).startswith("https://w3id.org/") for v in df.to_numpy().ravel())
    for s in at.selectbox:
        assert not any(str(o).startswith("https://") for o in s.options)


# ---------------------------------------------------------------------------- router, language, store

def test_router_lists_eight_pages_and_opens_the_overview():
    at = open_app()
    assert [t.value for t in at.title] == ["Tổng quan"]
    assert at.radio(key="lang").value == "vi"


def test_english_toggle_switches_the_labels():
    at = open_app()
    at.radio(key="lang").set_value("en").run()
    check(at)
    assert [t.value for t in at.title] == ["Overview"]
    assert "Wards" in metrics(at)
    assert at.query_params.get("lang") == "en"


def test_unreachable_endpoint_falls_back_with_a_clear_message():
    at = open_app(state={"endpoint": "http://127.0.0.1:9/sparql"})
    sidebar_errors = [e.value for e in at.sidebar.error]
    assert sidebar_errors and "Không dùng được endpoint" in sidebar_errors[0] and "127.0.0.1:9" in sidebar_errors[0]
    assert metrics(at)["Phường, xã"] == "5"  # the built-in data still answers


# ---------------------------------------------------------------------------- Tổng quan / Overview

def test_overview_shows_wards_counts_and_reacts_to_the_ward_picker(store):
    from plangraph.exports import export_table

    indicators = export_table(store, "indicators").rows
    at = open_app()
    m = metrics(at)
    assert m["Phường, xã"] == "5" and m["Tỉnh, thành phố"] == "5" and m["Chỉ tiêu"] == str(len(indicators))
    assert WARDS <= cells(at)
    assert {"Lai Châu", "Kế hoạch 86/KH-UBND", "Nghị quyết 36/NQ-HĐND"} <= cells(at)
    assert len(at.get("graphviz_chart")) == 1 and "Hàm Rồng (Thanh Hóa)" in at.get("graphviz_chart")[0].proto.spec
    before = frames(at)[-1]
    # wards are picked by IRI on every page (a national graph has several wards of one name)
    at.selectbox(key="overview_ward").set_value(DOAN_KET).run()
    check(at)
    n = sum(1 for r in indicators if r["ward"] == "Đoàn Kết")
    assert f"{n} chỉ tiêu" in texts(at)
    after = frames(at)[-1]
    assert len(after) == n and not after.equals(before)
    assert "Đạt 99,7%" in set(after["Mục tiêu"])
    assert at.query_params.get("ward") == DOAN_KET
    no_iri_shown(at)


# ---------------------------------------------------------------------------- Truy vết / Trace

def test_trace_from_57_nq_tw_and_a_diacritic_free_search_for_another_document():
    at = open_app("trace")
    assert at.selectbox(key="trace_doc").value == DOC_57
    assert metrics(at)["Kế hoạch phường"] == "5"
    dot = at.get("graphviz_chart")[0].proto.spec
    assert "57-NQ/TW" in dot and "Kế hoạch 86/KH-UBND – An Dương" in dot
    at.text_input(key="trace_doc__filter").input("quyet dinh 3068").run()
    check(at)
    assert at.selectbox(key="trace_doc").value == DOC_3068
    assert metrics(at)["Kế hoạch phường"] == "1"
    assert "3068/QĐ-UBND" in at.get("graphviz_chart")[0].proto.spec
    assert at.query_params.get("doc") == DOC_3068
    no_iri_shown(at)


def test_trace_across_wards_draws_a_few_items_per_plan_with_a_box_opening_each_ward():
    at = open_app("trace")
    dot = at.get("graphviz_chart")[0].proto.spec
    # Trần Phú's plan has 21 items driven by 57-NQ/TW: 6 drawn, the rest one box linking to that ward's graph
    assert "+ 12 chỉ tiêu, 3 nhiệm vụ khác" in dot and "+ 8 chỉ tiêu khác" in dot
    assert "Thu nhập bình quân đầu người" not in dot  # one of Trần Phú's indicators behind that box
    assert "ward=https%3A%2F%2Fw3id.org%2Fplangraph%2Fid%2Funit%2Fha-tinh%2Fphuong-tran-phu" in dot
    assert metrics(at)["Chỉ tiêu"] == "35" and metrics(at)["Nhiệm vụ"] == "9"  # the counts are of every item
    assert len(frames(at)[0]) == 55  # and the table lists every row
    at.toggle(key="trace_every").set_value(True).run()
    check(at)
    dot = at.get("graphviz_chart")[0].proto.spec
    assert "chỉ tiêu khác" not in dot and "Thu nhập bình quân đầu người" in dot
    at.selectbox(key="trace_ward").set_value(AN_DUONG).run()
    check(at)
    assert "trace_every" not in [tg.key for tg in at.toggle]  # one ward: every item drawn, no switch


def test_trace_node_details_show_the_source_quote():
    at = open_app("trace")
    at.selectbox(key="trace_ward").set_value(AN_DUONG).run()
    node = at.selectbox(key="trace_node")
    task = next(i for i, label in enumerate(node.options) if label.startswith("Nhiệm vụ · "))
    node.select_index(task).run()
    check(at)
    text = texts(at)
    assert "Nguồn" in text and "Kế hoạch 86/KH-UBND (An Dương)" in text and "dòng" in text
    assert any(m.value.startswith("> ") for m in at.markdown)  # the quote as printed


def test_trace_up_from_an_indicator_concept():
    at = open_app("trace")
    at.radio(key="trace_mode").set_value("up").run()
    check(at)
    m = metrics(at)
    assert m["Chỉ tiêu"] == "5" and m["Phường"] == "5" and int(m["Văn bản trung ương"]) >= 1
    at.selectbox(key="trace_ward").set_value(DOAN_KET).run()
    check(at)
    assert metrics(at)["Chỉ tiêu"] == "1"
    assert "Đoàn Kết" in at.get("graphviz_chart")[0].proto.spec


# ---------------------------------------------------------------------------- So sánh / Compare

def test_compare_health_insurance_and_change_the_concept():
    at = open_app("compare")
    assert at.selectbox(key="compare_concept").value == BHYT
    table = frames(at)[0]
    targets = dict(zip(table["Phường"], table["Mục tiêu"]))
    assert targets["Đoàn Kết"] == "Đạt 99,7%" and targets["Hàm Rồng"] == "Từ 95,5% trở lên, đến năm 2030"
    assert metrics(at)["Phường có chỉ tiêu"] == "5"
    assert len(at.get("vega_lite_chart")) == 1
    at.selectbox(key="compare_concept").set_value(POVERTY).run()
    check(at)
    assert int(metrics(at)["Phường thiếu chỉ tiêu"]) >= 1  # not every ward targets multidimensional poverty
    assert "thiếu chỉ tiêu" in set(frames(at)[0]["Tình trạng"])
    assert "không có chỉ tiêu cho khái niệm này" in texts(at)
    assert at.query_params.get("concept") == POVERTY
    no_iri_shown(at)


# ---------------------------------------------------------------------------- Đơn vị / Units

def test_units_across_wards_then_one_ward_matrix():
    at = open_app("units")
    assert "Số việc được giao theo đơn vị và phường" in texts(at)
    assert WARDS <= cells(at)
    at.selectbox(key="units_ward").set_value(AN_DUONG).run()
    check(at)
    matrix = frames(at)[0]
    assert {"Phòng Văn hóa - Xã hội", "Phòng Kinh tế, Hạ tầng và Đô thị"} <= set(matrix.columns)
    assert "chủ trì" in set(matrix["Phòng Kinh tế, Hạ tầng và Đô thị"])
    both = metrics(at)["Việc đã giao đơn vị"]
    at.radio(key="units_kind").set_value("task").run()
    check(at)
    assert metrics(at)["Việc đã giao đơn vị"] != both
    assert set(frames(at)[0]["Loại"]) == {"Nhiệm vụ"}
    at.selectbox(key="units_ward").set_value(DOAN_KET).run()
    check(at)
    assert "không giao đơn vị nào" in texts(at)  # Đoàn Kết's plan names no unit for its tasks
    no_iri_shown(at)


# ---------------------------------------------------------------------------- Chất lượng dữ liệu / Data quality

def test_quality_report_by_severity_ward_and_rule():
    at = open_app("quality")
    m = metrics(at)
    total = sum(int(m[k]) for k in ("Vi phạm", "Cảnh báo", "Thông tin"))
    assert total > 0 and m["Điểm đầy đủ"].endswith("%")
    scores = frames(at)[0]
    assert {f"Phường {w}" for w in WARDS} == set(scores["Phường"])
    rules = frames(at)[1]
    assert rules["Cách sửa"].str.len().min() > 0 and not rules["Nội dung"].str.contains(r"\{\?").any()
    assert "Phường Đoàn Kết" in at.selectbox(key="quality_ward").options  # shown by label, picked by IRI
    at.selectbox(key="quality_ward").set_value(DOAN_KET).run()
    check(at)
    assert at.query_params.get("ward") == DOAN_KET  # as on the other pages
    assert sum(int(metrics(at)[k]) for k in ("Vi phạm", "Cảnh báo", "Thông tin")) < total
    assert set(frames(at)[1]["Phường"]) == {"Phường Đoàn Kết"}
    assert "Điểm đầy đủ theo đơn vị chịu trách nhiệm" in texts(at)
    group = at.selectbox(key="quality_group")
    first = frames(at)[2]
    group.select_index(len(group.options) - 1).run()
    check(at)
    assert not frames(at)[2].equals(first)
    assert "Cách sửa" in texts(at)
    at.radio(key="quality_severity").set_value("Info").run()
    check(at)
    assert set(frames(at)[1]["Mức độ"]) <= {"Thông tin"}


# ---------------------------------------------------------------------------- Thư viện truy vấn / Query library

def test_query_library_runs_a_query_with_pickers_sql_and_downloads():
    at = open_app("queries")
    assert len(at.radio(key="lib_query").options) == 15
    at.radio(key="lib_query").set_value("compare-concept").run()
    check(at)
    assert [s.value for s in at.subheader] == ["So sánh một chỉ tiêu giữa các phường"]
    assert at.selectbox(key="lib_compare-concept_concept").value == BHYT
    table = frames(at)[0]
    assert set(table["Phường"]) == WARDS
    at.selectbox(key="lib_compare-concept_ward").set_value(DOAN_KET).run()
    check(at)
    assert list(frames(at)[0]["Phường"]) == ["Đoàn Kết"]
    at.toggle(key="lib_show_sql").set_value(True).run()
    check(at)
    code = at.code[0].value
    assert f"VALUES ?concept {{ <{BHYT}> }}" in code and f"VALUES ?ward_iri {{ <{DOAN_KET}> }}" in code
    assert at.query_params.get("q") == "compare-concept" and at.query_params.get("p.ward") == DOAN_KET
    assert len(at.get("download_button")) == 2
    assert "Liên kết cố định" in texts(at)


def test_query_library_search_and_tags_filter_the_list():
    at = open_app("queries")
    at.text_input(key="lib_search").input("don vi").run()
    check(at)
    found = at.radio(key="lib_query").options
    assert found and all(o for o in found) and len(found) < 15
    at.multiselect(key="lib_tags").select("timeline").run()
    check(at)
    assert at.radio(key="lib_query").value == "deadlines"


def test_query_library_permalink_restores_query_and_parameters():
    at = open_app("queries", query_params={"q": "unit-workload", "p.ward": AN_DUONG})
    assert at.radio(key="lib_query").value == "unit-workload"
    assert at.selectbox(key="lib_unit-workload_ward").value == AN_DUONG
    assert set(frames(at)[0]["Phường"]) == {"An Dương"}


def test_query_library_each_default_view_renders():
    at = open_app("queries")
    for qid, element in (("deadlines", "vega_lite_chart"), ("formed-from", "graphviz_chart"),
                         ("ward-overview", "vega_lite_chart"), ("source-lookup", "dataframe")):
        at.radio(key="lib_query").set_value(qid).run()
        check(at)
        assert len(at.get(element)) >= 1, qid
        no_iri_shown(at)


# ---------------------------------------------------------------------------- Văn bản / Documents

def test_documents_plan_view_and_cited_document_view():
    at = open_app("documents")
    assert [s.value for s in at.subheader] == ["Kế hoạch 86/KH-UBND – phường An Dương"]
    at.selectbox(key="doc_ward").set_value(DOAN_KET).run()
    check(at)
    assert [s.value for s in at.subheader] == ["Nghị quyết 36/NQ-HĐND – phường Đoàn Kết"]
    records = frames(at)[0]
    assert {"Chỉ tiêu", "Nhiệm vụ", "Trích dẫn"} <= set(records["Loại"])
    assert records["Trích nguyên văn"].str.len().min() > 0
    section = at.selectbox(key="doc_section")
    section.select_index(2).run()
    check(at)
    assert len(set(frames(at)[0]["Mục"])) == 1
    at.radio(key="doc_mode").set_value("cited").run()
    check(at)
    assert at.selectbox(key="doc_cited").value == DOC_57
    assert metrics(at)["Cơ quan ban hành"] == "Bộ Chính trị"
    assert "22/11/2024" in texts(at) and "22/12/2024" in texts(at)  # the conflicting dates, not hidden
    assert set(frames(at)[0]["Phường"]) == WARDS
    assert "Lược đồ" in texts(at) and len(at.get("graphviz_chart")) == 1
    no_iri_shown(at)


# ---------------------------------------------------------------------------- Tìm kiếm / Search

def test_search_without_diacritics_and_by_ward():
    at = open_app("search")
    at.text_input(key="search_text").input("ham rong").run()
    check(at)
    results = frames(at)[0]
    assert ("Phường", "Hàm Rồng") in set(zip(results["Loại"], results["Tên"]))
    at.text_input(key="search_text").input("bao hiem y te").run()
    check(at)
    all_hits = len(frames(at)[0])
    at.selectbox(key="search_ward").set_value(DOAN_KET).run()
    check(at)
    one_ward = frames(at)[0]
    assert 0 < len(one_ward) < all_hits
    assert at.query_params.get("text") == "bao hiem y te"


def test_a_failing_query_shows_a_message_not_a_traceback():
    at = open_app("search")
    at.text_input(key="search_text").input("x" * 600).run()
    assert not at.exception
    assert at.error and "Không thực hiện được" in at.error[0].value and "too long" in at.error[0].value


def test_search_nothing_found_says_so():
    at = open_app("search")
    at.text_input(key="search_text").input("khong the nao co tu nay").run()
    check(at)
    assert "Không tìm thấy" in texts(at)


@pytest.mark.parametrize("page", ["overview", "trace", "compare", "units", "quality", "queries", "documents", "search"])
def test_every_page_renders_in_english(page):
    at = open_app(page, lang="en")
    assert at.title[0].value in {"Overview", "Trace", "Compare", "Units", "Data quality", "Query library", "Documents", "Search"}


# ---------------------------------------------------------------------------- the national layout

@pytest.fixture
def national(monkeypatch):
    """The pages laid out as for thousands of wards (a province, then one ward; sources, rows
    and picker lists per ward; national figures from background jobs), on the five plans."""
    from plangraph_app import wards

    monkeypatch.setattr(wards, "MANY_WARDS", 2)


def settled(at: AppTest) -> AppTest:
    """Rerun while the page follows a background job (it reruns by itself in the browser)."""
    for _ in range(120):
        waiting = [i.value for i in at.info if str(i.value).startswith("Đang ")] + list(at.get("progress"))
        if not waiting:
            break
        time.sleep(0.5)
        at.run()
    check(at)
    return at


def test_national_overview_opens_on_a_province(national):
    at = settled(open_app())
    m = metrics(at)
    assert m["Phường, xã"] == "5" and m["Tỉnh, thành phố"] == "5" and int(m["Chỉ tiêu"]) > 100
    provinces = frames(at)[0]
    assert set(provinces["Tỉnh/thành phố"]) == {"Hà Tĩnh", "Hải Phòng", "Lai Châu", "Thái Nguyên", "Thanh Hóa"}
    assert at.selectbox(key="overview_province").value == "Hà Tĩnh"
    assert list(frames(at)[1]["Phường"]) == ["Trần Phú"]  # the province's wards only
    at.selectbox(key="overview_province").set_value("Lai Châu").run()
    check(at)
    assert list(frames(at)[1]["Phường"]) == ["Đoàn Kết"]
    assert at.selectbox(key="overview_ward").value == DOAN_KET
    assert "Đạt 99,7%" in set(frames(at)[-1]["Mục tiêu"])  # its indicators, from the ward's own rows
    assert at.query_params.get("province") == "Lai Châu" and at.query_params.get("ward") == DOAN_KET


def test_national_warm_up_starts_once_the_page_is_drawn(national, monkeypatch):
    from plangraph_app import data

    events: list[str] = []
    ward_rows, warm_up = data.ward_rows, data.warm_up
    monkeypatch.setattr(data, "ward_rows", lambda *a: events.append("rows") or ward_rows(*a))
    monkeypatch.setattr(data, "warm_up", lambda store: events.append("warm-up") or warm_up(store))
    at = open_app()
    check(at)
    # the overview's last part (a ward's indicators) was read before the warm-up began
    assert events[:2] == ["rows", "warm-up"], events
    assert at.selectbox(key="overview_ward").value


def test_national_pages_default_to_one_ward_and_a_link_opens_its_province(national):
    at = settled(open_app("trace"))
    assert at.selectbox(key="trace_ward__province").value == "Hà Tĩnh"
    assert at.selectbox(key="trace_ward").value.endswith("/phuong-tran-phu")
    assert "*" not in at.selectbox(key="trace_ward").options  # no "all wards" across thousands
    assert metrics(at)["Kế hoạch phường"] == "1"
    at = settled(open_app("trace", query_params={"ward": AN_DUONG}))
    assert at.selectbox(key="trace_ward__province").value == "Hải Phòng"
    assert "Kế hoạch 86/KH-UBND – An Dương" in at.get("graphviz_chart")[0].proto.spec
    at = settled(open_app("units"))
    assert at.selectbox(key="units_ward").value.endswith("/phuong-tran-phu")
    assert "Ma trận trách nhiệm" in texts(at)
    at = settled(open_app("documents"))
    assert [s.value for s in at.subheader] == ["Báo cáo (chưa số) – phường Trần Phú"]
    at.radio(key="doc_mode").set_value("cited").run()
    at = settled(at)
    assert metrics(at)["Cơ quan ban hành"] == "Bộ Chính trị"  # the document's own figures stay whole
    assert set(frames(at)[0]["Phường"]) == {"Trần Phú"}  # the citations of the ward in view
    at = settled(open_app("queries"))
    assert at.radio(key="lib_query").value == "ward-overview"  # answers at once for one ward
    assert at.selectbox(key="lib_ward-overview_ward").value == AN_DUONG
    at.radio(key="lib_query").set_value("citation-conflicts").run()
    at = settled(at)
    assert at.selectbox(key="lib_citation-conflicts_ward").value == AN_DUONG  # one ward until "all" is picked
    assert "— tất cả —" in at.selectbox(key="lib_citation-conflicts_ward").options
    no_iri_shown(at)


def test_national_compare_quality_and_search_by_province(national, store):
    from plangraph.query.catalog import run

    at = settled(open_app("compare"))
    assert at.selectbox(key="compare_province").value == "Hà Tĩnh"
    assert list(frames(at)[0]["Phường"]) == ["Trần Phú"]
    assert "Cả nước: 5 trên 5 phường, xã có chỉ tiêu này" in texts(at)
    at.selectbox(key="compare_province").set_value("*").run()
    check(at)
    assert set(frames(at)[0]["Phường"]) == WARDS
    at = settled(open_app("quality"))
    assert at.selectbox(key="quality_ward__province").value == "Hà Tĩnh"
    assert set(frames(at)[0]["Phường"]) == {"Phường Trần Phú"}
    assert "Cả nước: 5 kế hoạch" in texts(at)
    at = settled(open_app("search"))
    assert at.selectbox(key="search_ward__province").value == "*"  # the whole country
    at.text_input(key="search_text").input("bao hiem y te").run()
    check(at)
    hits = frames(at)[0]
    assert len(hits) == len(run(store, "search", {"text": "bao hiem y te"}).values()) >= 5
    assert "Nguồn" not in hits.columns  # each hit's source opens on a click
