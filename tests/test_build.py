"""plangraph build: deterministic, up to date, atomic, and clear on bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plangraph.config import settings as load_settings
from plangraph.errors import CurationError, SourceError
from plangraph.graph.pipeline import build, check, write

ROOT = Path(__file__).resolve().parents[1]


def test_committed_graph_is_not_stale(built, settings):
    assert check(built, settings.ttl_dir) == []


def test_build_is_deterministic(built, settings):
    again = build(settings)
    assert again.files == built.files


def test_one_file_per_plan_plus_shared_documents(built):
    assert sorted(built.files) == [
        "documents.ttl", "ha-tinh_phuong-tran-phu_000.ttl", "hai-phong_phuong-an-duong_004.ttl",
        "lai-chau_phuong-doan-ket_003.ttl", "thai-nguyen_phuong-phan-dinh-phung_001.ttl", "thanh-hoa_phuong-ham-rong_002.ttl"]


@pytest.fixture()
def scratch(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    return load_settings(data_dir=data)


def test_bad_source_leaves_data_ttl_untouched(scratch):
    before = {p.name: p.read_bytes() for p in scratch.ttl_dir.glob("*.ttl")}
    (scratch.sources_dir / "003_02f576e03af5e394.txt").write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(SourceError) as err:
        write(build(scratch), scratch.ttl_dir)
    assert "003_02f576e03af5e394.txt" in err.value.message
    assert {p.name: p.read_bytes() for p in scratch.ttl_dir.glob("*.ttl")} == before


def test_missing_source_named_in_manifest(scratch):
    (scratch.sources_dir / "001_ebe9beac4d9c6d63.txt").unlink()
    with pytest.raises(SourceError, match="001_ebe9beac4d9c6d63.txt"):
        build(scratch)


def test_stale_curation_key_is_an_error_naming_the_file(scratch):
    path = scratch.curation_dir / "004_939047ee962851a9.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("key: l55-5", "key: l999-1"), encoding="utf-8")
    with pytest.raises(CurationError, match="004_939047ee962851a9.yaml.*l999-1"):
        build(scratch)


def test_document_without_structure_is_refused(tmp_path):
    from plangraph.extract.pipeline import extract

    f = tmp_path / "note.txt"
    f.write_text("Kính gửi các đồng chí, đây là một bức thư không có mục nào.\n", encoding="utf-8")
    with pytest.raises(SourceError, match="no recognisable structure"):
        extract(f)


def test_check_reports_a_hand_edit(scratch, built):
    target = scratch.ttl_dir / "lai-chau_phuong-doan-ket_003.ttl"
    target.write_text(target.read_text(encoding="utf-8").replace("99.7", "99.8"), encoding="utf-8")
    assert check(built, scratch.ttl_dir) == ["lai-chau_phuong-doan-ket_003.ttl"]


def test_every_record_has_provenance(store):
    q = """PREFIX pg: <https://w3id.org/plangraph/ontology#>
    SELECT (COUNT(?r) AS ?n) WHERE { VALUES ?cls { pg:Indicator pg:Task pg:Citation pg:Assignment pg:IndicatorGroup }
      ?r a ?cls . FILTER NOT EXISTS { ?r pg:source/pg:lineStart ?l } }"""
    assert store.select(q).values() == [{"n": 0}]


def test_corrections_are_recorded_with_reasons(store):
    q = """PREFIX pg: <https://w3id.org/plangraph/ontology#>
    SELECT ?reason WHERE { ?c a pg:Correction ; pg:reason ?reason ; pg:corrects ?r . ?r pg:source/pg:lineStart 55 }"""
    reasons = [r["reason"] for r in store.select(q).values()]
    assert any("duy trì" in r for r in reasons)


def test_two_wards_whose_names_fold_alike_are_reported(scratch):
    """Ward identifiers come from folded names: two wards of one province whose names differ
    only by diacritics would become one ward. The build says so instead of merging silently."""
    copy = scratch.sources_dir / "005_copy_of_000.txt"
    shutil.copy(scratch.sources_dir / "000_fb128d8d27edeb81.txt", copy)
    manifest = scratch.sources_dir / "manifest.yaml"
    entry = """  - file: 005_copy_of_000.txt
    ward: Trấn Phú
    ward_kind: phường
    province: Hà Tĩnh
    doc_type: BC
    number: null
    date: null
    issuer: UBND phường Trấn Phú
"""
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("sources:\n", "sources:\n" + entry, 1), encoding="utf-8")
    out = build(scratch)
    clash = [w for w in out.warnings if "share one identifier" in w]
    assert len(clash) == 1
    assert "000_fb128d8d27edeb81.txt" in clash[0] and "005_copy_of_000.txt" in clash[0]
    assert "'phường Trần Phú'" in clash[0] and "'phường Trấn Phú'" in clash[0]
    assert "/id/unit/ha-tinh/phuong-tran-phu" in clash[0]
    # the five plans as committed share no identifier
    assert not [w for w in build(load_settings(data_dir=ROOT / "data")).warnings if "share one identifier" in w]
