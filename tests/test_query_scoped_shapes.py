"""Canned queries written with one shape for a ward and another for all wards: on the five
plans, the ward's answer is exactly the all-wards answer restricted to that ward."""

from __future__ import annotations

import pytest

from plangraph.query.catalog import run

WARDS = ("An Dương", "Hàm Rồng", "Phan Đình Phùng", "Trần Phú", "Đoàn Kết")
# Texts reaching every kind of item: the ward itself, its plan, indicators, tasks, units and
# the documents its plan cites (national ones cited by all five wards among them).
TEXTS = ("bao hiem y te", "chuyen doi so", "57", "nghi quyet", "ke hoach", "tram y te", "doan ket", "ham rong")


def rows(store, query_id, **params):
    return run(store, query_id, params).values()


@pytest.mark.parametrize("text", TEXTS)
def test_search_for_a_ward_is_the_all_wards_rows_naming_it(store, text):
    everywhere = rows(store, "search", text=text)
    assert everywhere
    seen = 0
    for ward in WARDS:
        got = rows(store, "search", text=text, ward=ward)
        assert got == [r for r in everywhere if ward in r["wards"].split("; ")], ward
        seen += len(got)
    # every row belongs to at least one of the five wards
    assert seen >= len(everywhere)


def test_search_for_a_ward_finds_its_own_items_of_each_kind(store):
    doan_ket = rows(store, "search", text="doan ket", ward="Đoàn Kết")
    assert {(r["kind"], r["label"]) for r in doan_ket} >= {
        ("Phường", "Đoàn Kết"), ("Kế hoạch", "Nghị quyết 36/NQ-HĐND – phường Đoàn Kết")}
    insurance = rows(store, "search", text="bao hiem y te", ward="Trần Phú")
    assert [(r["kind"], r["label"], r["snippet"]) for r in insurance] == [
        ("Chỉ tiêu", "Tỷ lệ người tham gia bảo hiểm y tế", "Tỷ lệ người tham gia bảo hiểm y tế: đạt 97%")]


def test_search_for_a_ward_lists_every_ward_citing_a_document(store):
    got = rows(store, "search", text="57-nq/tw", ward="Hàm Rồng")
    assert [(r["kind"], r["label"], r["wards"]) for r in got] == [
        ("Văn bản", "Nghị quyết 57-NQ/TW", "An Dương; Hàm Rồng; Phan Đình Phùng; Trần Phú; Đoàn Kết")]
