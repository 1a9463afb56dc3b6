"""Each canned query on the five plans, asserting real values from the sources (the
hand-checked expectations in tests/expectations agree with every value asserted here)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from plangraph.query.catalog import run

BASE = "https://w3id.org/plangraph/"
WARDS = {"An Dương", "Hàm Rồng", "Phan Đình Phùng", "Trần Phú", "Đoàn Kết"}
PREFIXES = """PREFIX pg: <https://w3id.org/plangraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def rows(store, query_id, **params):
    return run(store, query_id, params).values()


# 1. trace-down ---------------------------------------------------------------------------

def test_trace_down_reaches_every_ward_citing_57_nq_tw_with_reasons(store):
    got = rows(store, "trace-down", document="57-NQ/TW")
    citations = {(r["ward"], r["line"]) for r in got if r["link_code"] in ("basis", "in-text")}
    assert citations == {("An Dương", 119), ("Hàm Rồng", 1717), ("Hàm Rồng", 2185), ("Phan Đình Phùng", 168),
                         ("Trần Phú", 81), ("Trần Phú", 295), ("Trần Phú", 297), ("Đoàn Kết", 317)}
    assert all(r["reason"] == "Trích dẫn: Viện dẫn trong nội dung" for r in got if r["link_code"] == "in-text")
    # Đoàn Kết's task 4.2 names the resolution in its own text
    task = next(r for r in got if r["ward"] == "Đoàn Kết" and r["link_code"] == "implements")
    assert task["line"] == 261 and task["reason"] == "Nêu trong nhiệm vụ" and task["plan"] == "Nghị quyết 36/NQ-HĐND"
    # derived links say which section and domain they come from
    pdp = [r for r in got if r["ward"] == "Phan Đình Phùng" and r["link_code"] == "drives-indicator"]
    assert pdp and all(r["reason"].startswith("Suy ra qua mục và lĩnh vực — mục III > 2 > 2.6") for r in pdp)
    assert {r["domain"] for r in pdp} == {"Khoa học công nghệ - Chuyển đổi số"}
    five_g = next(r for r in pdp if r["item"] == "Tỷ lệ dân số phủ sóng 5G")
    assert five_g["units"] == "Phòng Văn hóa - Xã hội"


def test_trace_down_of_every_central_document_reaches_every_plan_citing_it(store):
    cited = store.select(PREFIXES + """SELECT ?d ?w WHERE {
      ?c pg:citedDocument ?d ; pg:citingDocument/pg:forUnit ?w . ?d pg:scope <https://w3id.org/plangraph/vocab/scope/central> }""").values()
    by_doc: dict[str, set[str]] = {}
    for r in cited:
        by_doc.setdefault(r["d"], set()).add(r["w"])
    assert len(by_doc) >= 30
    for doc, wards in by_doc.items():
        traced = {r["ward_iri"] for r in rows(store, "trace-down", document=doc) if r["link_code"] in ("basis", "in-text")}
        assert traced == wards, doc


def test_trace_down_follows_documents_that_implement_it_and_filters_by_ward(store):
    got = rows(store, "trace-down", document="66-NQ/TW")  # 272/KH-UBND implements it; An Dương cites both
    assert {(r["ward"], r["line"], r.get("via_number")) for r in got} == {("An Dương", 157, "272/KH-UBND"), ("An Dương", 157, None)}
    assert rows(store, "trace-down", document="57-NQ/TW", ward="Đoàn Kết") == \
        [r for r in rows(store, "trace-down", document="57-NQ/TW") if r["ward"] == "Đoàn Kết"]


# 2. trace-up -----------------------------------------------------------------------------

def test_trace_up_from_ward_target_to_provincial_and_central_documents(store):
    got = rows(store, "trace-up", ward="Đoàn Kết")  # default concept: health-insurance coverage
    assert {r["indicator"] for r in got} == {"tỷ lệ dân số tham gia bảo hiểm y tế"}
    steps = {(r["step"], r["to"], r["level"]) for r in got}
    assert (1, "Nghị quyết 36/NQ-HĐND – Phường Đoàn Kết", "Phường, xã") in steps
    assert {(2, "Nghị quyết 96/NQ-HĐND", "Tỉnh, thành phố"), (2, "Quyết định 3068/QĐ-UBND", "Tỉnh, thành phố"),
            (2, "Luật 72/2025/QH15", "Trung ương"), (2, "Nghị quyết 18-NQ/TU", "Tỉnh, thành phố")} <= steps
    # ordered ward plan -> provincial -> central within a step
    levels = [r["level"] for r in got if r["step"] == 2]
    assert levels == sorted(levels, key=["Phường, xã", "Cấp huyện (trước 01/7/2025)", "Tỉnh, thành phố", "Trung ương"].index)


def test_trace_up_follows_implements_links_upwards(store):
    got = rows(store, "trace-up", ward="An Dương")
    assert {(r["from"], r["to"], r["relation"]) for r in got if r["step"] == 3} == {
        ("Kế hoạch 47-KH/ĐU", "Chương trình 15-CTr/TU", "triển khai văn bản / implements")}
    got = rows(store, "trace-up", ward="Hàm Rồng")
    assert ("Nghị quyết 83/NQ-HĐND", "Chỉ thị 24-CT/TU") in {(r["from"], r["to"]) for r in got if r["step"] == 3}


def test_trace_up_of_one_indicator(store):
    forest = store.select(PREFIXES + """SELECT ?i WHERE { ?i pg:concept <https://w3id.org/plangraph/vocab/indicator/forest-cover> ;
        pg:inPlan/pg:forUnit/skos:prefLabel "Đoàn Kết"@vi }""").column("i")[0]
    got = rows(store, "trace-up", indicator=forest)  # the concept's default does not apply then
    assert {r["indicator_iri"] for r in got} == {forest}
    assert {r["indicator"] for r in got} == {"Tỷ lệ che phủ rừng"}
    assert {("Nghị quyết 96/NQ-HĐND", "Tỉnh, thành phố"), ("Luật 72/2025/QH15", "Trung ương")} <= {
        (r["to"], r["level"]) for r in got}


# 3. compare-concept ----------------------------------------------------------------------

def test_compare_returns_each_wards_real_target(store):
    got = {r["ward"]: r for r in rows(store, "compare-concept")}
    assert {w: (r["comparator"], r["value"], r["unit"]) for w, r in got.items()} == {
        "An Dương": ("Trên", Decimal("97.5"), "%"),
        "Hàm Rồng": ("Từ ... trở lên", Decimal("95.5"), "%"),
        "Phan Đình Phùng": ("Đạt", Decimal("100"), "%"),
        "Trần Phú": ("Đạt", Decimal("97"), "%"),
        "Đoàn Kết": ("Đạt", Decimal("99.7"), "%"),
    }
    assert got["An Dương"]["target_year"] == 2030 and got["An Dương"]["periodicity"] == "Đến năm"
    assert {r["status"] for r in got.values()} == {"có chỉ tiêu / target"}


def test_compare_lists_gaps_and_flags_incompatible_units(store):
    forest = {r["ward"]: r for r in rows(store, "compare-concept", concept="forest-cover")}
    assert {w for w, r in forest.items() if r["status"] == "thiếu chỉ tiêu / gap"} == {"An Dương", "Phan Đình Phùng", "Trần Phú"}
    assert forest["Đoàn Kết"]["value"] == Decimal("45.83") and forest["Hàm Rồng"]["value"] == Decimal("9.3")
    income = {r["ward"]: r for r in rows(store, "compare-concept", concept="per-capita-income")}
    assert income["Trần Phú"]["value"] == 88 and income["Trần Phú"]["unit_check"] == "cùng đơn vị / comparable"
    assert income["Hàm Rồng"]["value"] == 108
    assert income["Phan Đình Phùng"]["unit"] == "triệu đồng/người/tháng"
    assert income["Phan Đình Phùng"]["unit_check"] == "khác đơn vị / incompatible unit"


# 4. shared-documents ---------------------------------------------------------------------

def test_documents_cited_by_at_least_n_wards(store):
    got = rows(store, "shared-documents")
    assert [(r["number"], r["level"], r["wards"], r["citing_wards"]) for r in got] == [
        ("57-NQ/TW", "Trung ương", 5, "An Dương; Hàm Rồng; Phan Đình Phùng; Trần Phú; Đoàn Kết"),
        ("68-NQ/TW", "Trung ương", 3, "Hàm Rồng; Trần Phú; Đoàn Kết"),
    ]
    assert [r["number"] for r in rows(store, "shared-documents", min_wards=4)] == ["57-NQ/TW"]
    one = {r["number"]: r["level"] for r in rows(store, "shared-documents", min_wards=1, ward="Đoàn Kết")}
    assert one["96/NQ-HĐND"] == "Tỉnh, thành phố" and one["43/BC-HĐND"] == "Phường, xã" and one["57-NQ/TW"] == "Trung ương"


# 5. ward-overview ------------------------------------------------------------------------

def test_ward_overview_counts_and_completeness(store):
    got = rows(store, "ward-overview", ward="Đoàn Kết")
    cell = {(r["section_code"], r["item"]): r["value"] for r in got}
    assert cell[("totals", "Chỉ tiêu")] == 29 and cell[("totals", "Nhiệm vụ")] == 12 and cell[("totals", "Trích dẫn")] == 9
    assert cell[("indicators-by-domain", "Kinh tế")] == 4 and cell[("indicators-by-domain", "Môi trường")] == 2
    assert cell[("tasks-by-kind", "Khâu đột phá")] == 2 and cell[("tasks-by-kind", "Giải pháp")] == 6
    assert cell[("documents-by-level", "Trung ương")] == 4 and cell[("documents-by-level", "Tỉnh, thành phố")] == 3
    assert cell[("completeness", "Chỉ tiêu gắn khái niệm chuẩn")] == 100
    assert cell[("completeness", "Nhiệm vụ có đơn vị chủ trì")] == 0  # the resolution assigns no units
    assert {r["ward"] for r in rows(store, "ward-overview")} == WARDS
    an_duong = {(r["section_code"], r["item"]): r["value"] for r in rows(store, "ward-overview", ward="An Dương")}
    assert an_duong[("totals", "Chỉ tiêu")] == 20 and an_duong[("totals", "Nhiệm vụ")] == 51


# 6. unit-workload ------------------------------------------------------------------------

def test_unit_workload_per_ward_and_units_leading_nothing(store):
    got = {r["unit"]: r for r in rows(store, "unit-workload", ward="An Dương")}
    vhxh = got["Phòng Văn hóa - Xã hội"]
    assert (vhxh["indicators_lead"], vhxh["indicators_advise"], vhxh["tasks_lead"], vhxh["tasks_coordinate"]) == (9, 8, 16, 4)
    assert got["Phó Chủ tịch UBND phụ trách văn hóa - xã hội"]["directs"] == 26
    assert got["Chủ tịch UBND"]["kind"] == "lãnh đạo"
    nothing = {u for u, r in got.items() if r["leads_nothing"]}
    assert {"Chi cục Thuế", "Trạm Y tế", "Đảng ủy", "Ủy ban MTTQ Việt Nam"} <= nothing
    assert "Phòng Văn hóa - Xã hội" not in nothing
    across = {(r["ward"], r["indicators_lead"]) for r in rows(store, "unit-workload", unit="Phòng Văn hóa - Xã hội")}
    assert across == {("An Dương", 9), ("Phan Đình Phùng", 11)}


# 7. deadlines ----------------------------------------------------------------------------

def test_deadlines_in_a_period(store):
    got = rows(store, "deadlines", from_year=2027, to_year=2027)
    assert {(r["ward"], r["kind"], r["line"], r["due_year"]) for r in got} == {
        ("Hàm Rồng", "nhiệm vụ / task", 2165, 2027), ("Hàm Rồng", "chỉ tiêu / target", 1365, 2027),
        ("Hàm Rồng", "chỉ tiêu / target", 1367, 2027)}
    task = next(r for r in got if r["line"] == 2165)
    assert task["due_date"] == date(2027, 3, 31) and task["due_text"] == "quý I/2027"
    assert [r["due_year"] for r in got] == sorted(r["due_year"] for r in got)
    an_duong = [r for r in rows(store, "deadlines", ward="An Dương") if r["kind"] == "nhiệm vụ / task"]
    assert len(an_duong) == 44 and {(r["start_year"], r["due_year"]) for r in an_duong} == {(2026, 2030)}
    # all wards: by due year, then by ward and date (the order the query is read in, year by year)
    every = rows(store, "deadlines")
    keys = [(r["due_year"], r["ward"], r["ward_iri"], r.get("due_date") or date.min) for r in every]
    assert keys == sorted(keys)
    assert Counter(r["ward"] for r in every) == {"An Dương": 55, "Hàm Rồng": 29, "Đoàn Kết": 4, "Trần Phú": 3}
    assert Counter(r["due_year"] for r in every) == {2030: 86, 2027: 3, 2026: 2}


def test_task_years_come_from_the_deadline_or_the_printed_timeframe(store):
    """pg:startYear and pg:dueYear are what the deadline query reads: the deadline's year, else
    the first and last year the timeframe names; a task naming no year has neither."""
    got = store.select(PREFIXES + """SELECT ?t ?deadline ?timeframe ?start ?due WHERE {
      ?t a pg:Task . OPTIONAL { ?t pg:deadline ?deadline } OPTIONAL { ?t pg:timeframe ?timeframe }
      OPTIONAL { ?t pg:startYear ?start } OPTIONAL { ?t pg:dueYear ?due } }""").values()
    dated = [r for r in got if r.get("deadline")]
    assert dated and all(r["start"] == r["due"] == r["deadline"].year for r in dated)
    framed = [r for r in got if not r.get("deadline") and r.get("timeframe")]
    assert framed and all((r["start"], r["due"]) == (2026, 2030) for r in framed)
    assert {r["timeframe"] for r in framed} == {"2026 - 2030"}
    assert all(r.get("due") is None and r.get("start") is None for r in got if not r.get("deadline") and not r.get("timeframe"))


# 8. unassigned ---------------------------------------------------------------------------

def test_indicators_and_tasks_without_units(store):
    got = rows(store, "unassigned")
    summary = {(r["ward"], r["kind"].split(" / ")[1]): (r["missing"], r["of"]) for r in got}
    assert summary[("Đoàn Kết", "indicator with no responsible unit")] == (29, 29)
    assert summary[("Đoàn Kết", "task with no lead unit")] == (12, 12)
    assert summary[("An Dương", "task with no lead unit")] == (7, 51)
    assert ("An Dương", "indicator with no responsible unit") not in summary  # all 20 have a unit
    assert summary[("Hàm Rồng", "indicator with no responsible unit")] == (46, 51)  # 5 given to the health station
    assert Counter(r["ward"] for r in got if r["kind"].startswith("nhiệm vụ"))["An Dương"] == 7


# 9. target-origin ------------------------------------------------------------------------

def test_province_assigned_and_ward_added_targets(store):
    got = rows(store, "target-origin", ward="Hàm Rồng")
    counts = {r["origin"]: r["origin_count"] for r in got}
    assert counts["Tỉnh giao"] == 26
    assert counts["Phường đề ra"] + counts.get("Không nêu", 0) == 25
    first = next(r for r in got if r["origin"] == "Tỉnh giao")
    assert (first["number"], first["value"], first["unit"]) == ("1", 11, "%")
    assert {r["origin"] for r in rows(store, "target-origin", ward="Đoàn Kết")} == {"Không nêu"}


# 10. sdg-alignment -----------------------------------------------------------------------

def test_sdg_alignment_and_coverage(store):
    got = rows(store, "sdg-alignment", ward="Đoàn Kết")
    by_sdg = {r["sdg_indicator"]: r for r in got}
    assert by_sdg["15.1.1"]["targets"] == "Tỷ lệ che phủ rừng: 45.83 %" and by_sdg["15.1.1"]["sdg_goal"] == "15"
    assert by_sdg["3.8.1"]["concept"] == "Bao phủ bảo hiểm y tế"
    assert set(by_sdg) == {"1.2.2", "2.2.1", "3.8.1", "7.1.1", "11.6.1", "15.1.1"}
    assert {(r["mapped_indicators"], r["ward_indicators"], r["coverage_pct"]) for r in got} == {(6, 29, Decimal("20.7"))}
    all_wards = rows(store, "sdg-alignment")
    assert {r["ward"] for r in all_wards} == WARDS
    assert {r["ward"] for r in all_wards if r.get("sdg_indicator") == "3.8.1"} == WARDS


# 11. citation-conflicts ------------------------------------------------------------------

def test_citations_whose_stated_dates_conflict(store):
    got = rows(store, "citation-conflicts")
    resolution = [r for r in got if r["number"] == "57-NQ/TW"]
    assert {r["conflict"] for r in resolution} == {"ngày / date"}
    assert {(r["ward"], r["line"], r.get("stated_date")) for r in resolution if r.get("stated_date")} == {
        ("Hàm Rồng", 1717, date(2024, 11, 22)), ("Hàm Rồng", 2185, date(2024, 11, 22)),
        ("Phan Đình Phùng", 168, date(2024, 12, 22)), ("Trần Phú", 295, date(2024, 12, 22)),
        ("Trần Phú", 297, date(2024, 12, 22)), ("Đoàn Kết", 317, date(2024, 12, 22))}
    plan = [r for r in got if r["number"] == "86/KH-UBND"]
    assert {(r["line"], r["stated_date"]) for r in plan} == {(424, date(2026, 3, 15)), (461, date(2026, 3, 25))}
    # spelling variants of one issuer are not a conflict
    assert "1686/NQ-UBTVQH15" not in {r["number"] for r in got}
    assert {r["number"] for r in rows(store, "citation-conflicts", ward="Đoàn Kết")} == {"57-NQ/TW"}


def test_a_wards_own_conflicting_citations_come_first(store):
    # 57-NQ/TW is cited with two dates; Trần Phú's own citations come before those of the
    # wards whose names it follows, so a row limit keeps them.
    got = rows(store, "citation-conflicts", ward="Trần Phú")
    assert [(r["ward"], r["line"], r.get("stated_date")) for r in got[:3]] == [
        ("Trần Phú", 81, None), ("Trần Phú", 295, date(2024, 12, 22)), ("Trần Phú", 297, date(2024, 12, 22))]
    assert [(r["ward"], r["line"]) for r in got[3:]] == [
        ("An Dương", 119), ("Hàm Rồng", 1717), ("Hàm Rồng", 2185), ("Phan Đình Phùng", 168), ("Đoàn Kết", 317)]
    first = run(store, "citation-conflicts", {"ward": "Trần Phú"}, limit=3).values()
    assert {r["ward"] for r in first} == {"Trần Phú"}
    # without a ward, by document and ward name as before
    assert [r["ward"] for r in rows(store, "citation-conflicts") if r["number"] == "57-NQ/TW"][:2] == ["An Dương", "Hàm Rồng"]


# 12. leader-roles ------------------------------------------------------------------------

def test_leader_roles_and_what_they_direct(store):
    got = rows(store, "leader-roles", ward="An Dương")
    directs = {r["role"]: r["directs"] for r in got}
    assert directs == {"Phó Chủ tịch UBND phụ trách văn hóa - xã hội": 26, "Phó Chủ tịch UBND phụ trách kinh tế": 19,
                       "Chủ tịch UBND": 18, "Phó Chủ tịch UBND": 0}
    kinds = Counter((r["role"], r.get("kind")) for r in got)
    assert kinds[("Chủ tịch UBND", "chỉ tiêu / indicator")] == 5 and kinds[("Chủ tịch UBND", "nhiệm vụ / task")] == 13
    assert "Tỷ lệ người dân tham gia bảo hiểm y tế" in {
        r.get("item") for r in got if r["role"] == "Phó Chủ tịch UBND phụ trách văn hóa - xã hội"}


# 13. source-lookup -----------------------------------------------------------------------

def test_source_lookup_of_a_record(store):
    iri = BASE + "id/plan/lai-chau/phuong-doan-ket/36-nq-hdnd/indicator/6-3"
    [row] = rows(store, "source-lookup", record=iri)
    assert row["file"] == "003_02f576e03af5e394.txt" and row["document"] == "Nghị quyết 36/NQ-HĐND"
    assert (row["line_start"], row["line_end"], row["section"]) == (109, 111, "Điều 1 > 2 > 2.2")
    assert row["quote"] == "tỷ lệ dân số tham gia bảo hiểm y tế đạt 99,7%" and row["kind"] == "Chỉ tiêu"
    kinds = Counter(r["kind"] for r in rows(store, "source-lookup", ward="Đoàn Kết"))
    assert kinds["Chỉ tiêu"] == 29 and kinds["Nhiệm vụ"] == 12 and kinds["Trích dẫn"] == 9


# 14. search ------------------------------------------------------------------------------

def test_search_is_diacritic_insensitive(store):
    ham_rong = rows(store, "search", text="ham rong")
    assert ("Phường", "Hàm Rồng") in {(r["kind"], r["label"]) for r in ham_rong}
    assert rows(store, "search", text="HÀM RỒNG") == ham_rong
    insurance = [r for r in rows(store, "search", text="bao hiem y te") if r["kind"] == "Chỉ tiêu"]
    assert {r["wards"] for r in insurance} >= WARDS
    assert "Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên 97,5%" in {r["snippet"] for r in insurance}
    assert [r["wards"] for r in rows(store, "search", text="bảo hiểm y tế", ward="Trần Phú")] == ["Trần Phú"]
    assert rows(store, "search", text="57-nq/tw")[0]["wards"] == "An Dương; Hàm Rồng; Phan Đình Phùng; Trần Phú; Đoàn Kết"


# 15. formed-from -------------------------------------------------------------------------

def test_former_units_merged_into_each_ward(store):
    got = rows(store, "formed-from")
    merged = {}
    for r in got:
        merged.setdefault(r["ward"], set()).add(r.get("former_unit"))
    assert merged["Trần Phú"] == {"Thạch Hạ", "Thạch Trung", "Đồng Môn", "Hộ Độ"}
    assert merged["Hàm Rồng"] == {"Thiệu Dương", "Đông Cương", "Hàm Rồng", "Nam Ngạn", "Đông Thọ"}
    not_stated = {r["ward"] for r in got if r["relation"] == "không nêu / not stated"}
    assert not_stated == {"An Dương", "Phan Đình Phùng", "Đoàn Kết"}
    assert {r["former_count"] for r in rows(store, "formed-from", ward="Trần Phú")} == {4}


@pytest.mark.parametrize("query_id", ["trace-down", "trace-up", "compare-concept", "shared-documents", "ward-overview",
                                      "unit-workload", "deadlines", "unassigned", "target-origin", "sdg-alignment",
                                      "citation-conflicts", "leader-roles", "source-lookup", "search", "formed-from"])
def test_one_ward_is_the_all_wards_result_restricted(store, query_id):
    every = rows(store, query_id)
    one = rows(store, query_id, ward="Trần Phú")
    if "ward" in run(store, query_id).columns:
        assert one == [r for r in every if r["ward"] == "Trần Phú"] or query_id == "citation-conflicts"
    assert len(one) <= len(every)
