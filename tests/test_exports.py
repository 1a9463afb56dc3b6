"""Exports for Excel users: stable columns, real values, typed xlsx."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from plangraph.exports import QUERIES, export_table, to_csv, to_json, to_xlsx


@pytest.fixture(scope="module")
def tables(store):
    return {k: export_table(store, k) for k in QUERIES}


def test_documented_columns(tables):
    assert tables["indicators"].columns == [
        "ward", "province", "plan", "no", "group", "name", "concept", "comparator", "value", "value_max", "unit",
        "periodicity", "target_year", "responsible_units", "leader", "source_file", "source_line", "quote"]
    assert tables["documents"].columns == ["iri", "number", "doc_type", "issuer", "scope", "date", "dates_seen", "cited_by", "citation_count"]
    assert tables["citations"].columns == ["ward", "plan", "document_iri", "number", "stated_date", "stated_issuer", "role",
                                           "section", "source_line", "quote", "province"]
    assert tables["tasks"].columns[:4] == ["ward", "no", "kind", "name"] and tables["tasks"].columns[-1] == "province"
    assert tables["units"].columns == ["ward", "unit", "kind", "aliases", "indicators", "tasks", "province"]
    # every row names its ward's province: ward names recur across provinces
    for kind in ("indicators", "citations", "tasks", "units"):
        assert all(r["province"] for r in tables[kind].rows), kind


def test_indicator_rows_carry_real_values_and_their_source(tables):
    rows = list(csv.DictReader(io.StringIO(to_csv(tables["indicators"]))))
    assert len(rows) == 159
    bhyt = [r for r in rows if r["ward"] == "Đoàn Kết" and "bảo hiểm y tế" in r["name"]]
    assert [(r["value"], r["unit"], r["source_file"], r["source_line"]) for r in bhyt] == [("99.7", "%", "003_02f576e03af5e394.txt", "109")]
    an_duong = [r for r in rows if r["ward"] == "An Dương" and r["value"] == "97.5"][0]
    assert set(an_duong["responsible_units"].split(";")) == {"Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND"}
    assert an_duong["leader"] == "Phó Chủ tịch UBND phụ trách văn hóa - xã hội"
    # lead units come first
    ppp = [r for r in rows if r["ward"] == "Phan Đình Phùng" and r["no"] == "30"][0]
    assert ppp["responsible_units"].split(";")[0] in ("Ban Chỉ huy quân sự", "Công an")


def test_documents_show_every_date_seen_and_the_wards_citing(tables):
    row = next(r for r in tables["documents"].rows if r["number"] == "57-NQ/TW")
    assert row["dates_seen"] == "2024-11-22;2024-12-22"
    assert sorted(row["cited_by"].split(";")) == ["An Dương", "Hàm Rồng", "Phan Đình Phùng", "Trần Phú", "Đoàn Kết"]
    assert row["date"] is None


def test_json_is_a_list_of_row_objects_with_iso_dates(tables):
    data = json.loads(to_json(tables["citations"]))
    row = next(r for r in data if r["number"] == "96/NQ-HĐND")
    assert row["stated_date"] == "2025-12-09" and row["ward"] == "Đoàn Kết" and row["source_line"] == 34


def test_xlsx_keeps_numbers_as_numbers(tables, tmp_path):
    path = tmp_path / "indicators.xlsx"
    to_xlsx(tables["indicators"], path)
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    col = header.index("value") + 1
    values = [ws.cell(row=i, column=col).value for i in range(2, ws.max_row + 1)]
    assert 99.7 in values and all(v is None or isinstance(v, (int, float)) for v in values)


def test_a_wards_rows_are_the_whole_exports_rows_of_that_ward(store, tables):
    from plangraph.errors import PlangraphError
    from plangraph.query.choices import choices

    wards = choices(store, "ward")
    for kind in ("indicators", "tasks", "citations", "units"):
        seen = []
        for iri, label in wards:
            rows = export_table(store, kind, ward_iri=iri).rows
            assert rows and {r["ward"] for r in rows} < {r["ward"] for r in tables[kind].rows}, (kind, label)
            seen += rows
        # every row of the whole export belongs to exactly one ward, in the same order within it
        assert sorted(seen, key=repr) == sorted(tables[kind].rows, key=repr), kind
        name = wards[0][1].removeprefix("Phường ").split(" (")[0]
        assert export_table(store, kind, ward_iri=wards[0][0]).rows == [r for r in tables[kind].rows if r["ward"] == name]
    with pytest.raises(PlangraphError, match="has no ward"):
        export_table(store, "documents", ward_iri=wards[0][0])
    with pytest.raises(PlangraphError, match="not a ward IRI"):
        export_table(store, "tasks", ward_iri="x> } DROP ALL")
    assert export_table(store, "tasks", ward_iri="https://w3id.org/plangraph/id/unit/nowhere/none").rows == []
