"""The extractor on a plan it has never seen (tests/fixtures/plans), not one of the five."""

from pathlib import Path

import pytest

from plangraph.extract.pipeline import extract
from plangraph.vocab import concept_lexicon

PLAN = Path(__file__).parent / "fixtures" / "plans" / "xa_tan_lap_phu_tho.txt"


@pytest.fixture(scope="module")
def ext():
    return extract(PLAN, list(concept_lexicon()))


def test_plan_metadata(ext):
    p = ext.plan
    assert (p.doc_type, p.number, p.date, p.ward, p.ward_kind, p.province, p.signer) == (
        "KH", "112/KH-UBND", "2026-01-05", "Tân Lập", "xã", "Phú Thọ", "Nguyễn Văn An")


def test_citations_with_locality_and_role(ext):
    got = [(c.number, c.date, c.scope, c.locality, c.role, c.span.line_start) for c in ext.citations]
    assert got == [
        ("57-NQ/TW", "2024-12-22", "central", None, "basis", 14),
        ("18-NQ/TU", "2025-10-10", "provincial", "Phú Thọ", "basis", 15),
        ("05/NQ-HĐND", "2025-12-20", "ward", "Tân Lập", "basis", 16),
        ("18-NQ/TU", None, "provincial", "Phú Thọ", "in-text", 44),
        ("57-NQ/TW", None, "central", None, "in-text", 47),
        ("112/KH-UBND", "2026-01-05", "ward", "Tân Lập", "in-text", 62),
    ]


def test_indicators(ext):
    got = [(i.key, i.target.comparator, i.target.value, i.target.unit, i.target.periodicity, i.target.target_year, i.concept)
           for i in ext.indicators]
    assert got == [
        ("1-1", "eq", 75, "triệu đồng/người/năm", "by-year", 2030, "per-capita-income"),
        ("2-1", "growth", 8, "%", "yearly-average", None, "state-budget-revenue-growth"),
        ("3-1", "ge", 4500, "tấn", "by-year", 2030, "grain-output"),
        ("4-1", "gt", 95, "%", "by-year", 2030, "health-insurance-coverage"),
        ("5-1", "lt", 2, "%", "by-year", 2030, "multidimensional-poverty-rate"),
        ("5-2", "eq", 90, "%", "by-year", 2030, "cultural-family-rate"),
        ("6-1", "achieve", None, None, "by-year", 2030, None),
        ("l38-1", "eq", 98, "%", "by-year", 2030, "solid-waste-collection-treatment"),
        ("l39-2", "maintain", 52.5, "%", "by-year", 2030, "forest-cover"),
    ]


def test_header_counts_are_kept_for_validation(ext):
    assert [(g.title, g.stated_count, g.listed_count) for g in ext.groups] == [
        ("Chỉ tiêu về kinh tế", 3, 3), ("Chỉ tiêu về văn hóa - xã hội", 4, 3), ("Chỉ tiêu về môi trường", None, 2)]


def test_tasks_with_deadlines_documents_and_table_rows(ext):
    got = [(t.key, t.kind, t.lead_unit, t.coordinating_units, t.deadline, t.implements) for t in ext.tasks]
    assert got == [
        ("solution-1", "solution", None, [], "2027-06-30", ["18-NQ/TU"]),
        ("solution-2", "solution", None, [], "2026-06-30", ["57-NQ/TW"]),
        ("task-l65", "task", "Phòng Kinh tế", ["Các thôn"], "2026-12-31", []),
        ("task-l66", "task", "Trung tâm Phục vụ hành chính công", ["Công an", "Phòng Văn hóa - Xã hội"], None, []),
    ]


def test_giao_statements_resolve_the_indicators_they_name(ext):
    got = {(a.unit, a.role, a.target) for a in ext.assignments if a.target_kind == "indicator"}
    assert got == {
        ("Phòng Kinh tế", "lead", "1-1"), ("Phòng Kinh tế", "lead", "2-1"), ("Phòng Kinh tế", "lead", "3-1"),
        ("Công an", "coordinate", "1-1"), ("Công an", "coordinate", "2-1"), ("Công an", "coordinate", "3-1"),
        ("Phòng Văn hóa - Xã hội", "lead", "4-1"), ("Phòng Văn hóa - Xã hội", "lead", "5-1"),
    }


def test_every_record_quotes_its_source_line(ext):
    lines = PLAN.read_text(encoding="utf-8").split("\n")
    for rec in [*ext.citations, *ext.indicators, *ext.tasks]:
        span = rec.span
        text = " ".join(lines[span.line_start - 1 : span.line_end])
        assert span.quote.split()[0].strip("(,;") in text, (span, text)


def test_draft_turtle_scopes_local_documents_to_the_province(settings):
    from plangraph.graph.draft import draft_turtle

    ttl = draft_turtle(extract(PLAN), settings)
    assert "id/doc/phu-tho/2025/18-nq-tu" in ttl
    assert "id/doc/57-nq-tw" in ttl
