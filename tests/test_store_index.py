"""The persistent index: same graph and answers as the in-memory store, rebuilt when the data
changes, never half-written, clear errors."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace

import pyoxigraph as ox
import pytest

from plangraph.config import settings as load_settings
from plangraph.errors import PlangraphError, StoreError
from plangraph.query.catalog import run
from plangraph.store.embedded import EmbeddedStore
from plangraph.store.factory import data_files, open_store
from plangraph.store.index import _streams, build_index, fingerprint, index_info, is_ready


@pytest.fixture()
def data_copy(tmp_path, settings):
    """A private copy of data/ttl (its index lives beside it, in tmp)."""
    shutil.copytree(settings.ttl_dir, tmp_path / "data" / "ttl")
    return replace(settings, data_dir=tmp_path / "data", index="on")


def test_indexed_store_holds_the_same_graph_and_answers(data_copy, store):
    indexed = open_store(data_copy)
    assert isinstance(indexed, EmbeddedStore) and indexed.index_built
    assert indexed.triple_count() == store.triple_count() > 20_000
    assert indexed.describe().startswith("embedded (pyoxigraph, persistent index, ")
    for qid, params in (("trace-down", {"document": "57-NQ/TW"}), ("compare-concept", {}), ("unit-workload", {})):
        assert run(indexed, qid, params).rows == run(store, qid, params).rows
    # 57-NQ/TW drives targets in all five plans, on the index as in memory
    wards = {r["ward"] for r in run(indexed, "trace-down", {"document": "57-NQ/TW"}).rows}
    assert len(wards) == 5


def test_parallel_streams_load_every_file_once(data_copy, store, tmp_path):
    files = data_files(data_copy)
    groups = _streams(files, 3)
    assert sorted(f.name for g in groups for f in g) == sorted(f.name for f in files) and len(groups) == 3
    # groups balanced by size: the heaviest group is at most the lightest plus the largest file
    weights = sorted(sum(f.stat().st_size for f in g) for g in groups)
    assert weights[-1] - weights[0] <= max(f.stat().st_size for f in files)
    counts = set()
    for n in (1, 3, 8):
        built = build_index(files, tmp_path / f"index-{n}" / "x", streams=n)
        counts.add(len(ox.Store.read_only(str(built))))
    assert counts == {store.triple_count()}


def test_index_is_reused_until_the_data_changes(data_copy):
    first = open_store(data_copy)
    assert first.index_built
    again = open_store(data_copy)
    assert not again.index_built and again.index_path == first.index_path
    assert index_info(first.index_path)["files"] == 6
    del first, again
    plan = next(p for p in data_files(data_copy) if p.name.startswith("lai-chau"))
    old = fingerprint(data_files(data_copy))
    plan.write_text(plan.read_text(encoding="utf-8").replace("Đoàn Kết", "Đoàn Kết Mới", 1), encoding="utf-8")
    os.utime(plan, ns=(plan.stat().st_atime_ns, plan.stat().st_mtime_ns + 1_000_000))
    assert fingerprint(data_files(data_copy)) != old
    changed = open_store(data_copy)
    assert changed.index_built
    assert changed.ask('ASK { ?w ?p ?o FILTER(CONTAINS(STR(?o), "Đoàn Kết Mới")) }')
    # the superseded index is removed once the new one is complete
    assert [p.name for p in data_copy.index_dir.iterdir()] == [changed.index_path.name]


def test_a_bad_file_names_itself_and_leaves_no_partial_index(data_copy):
    bad = data_copy.ttl_dir / "zz-broken.ttl"
    bad.write_text("@prefix pg: <https://w3id.org/plangraph/ontology#> .\n<http://x/a> pg:p \"unterminated .\n",
                   encoding="utf-8")
    with pytest.raises(StoreError) as info:
        open_store(data_copy)
    assert "zz-broken.ttl" in info.value.message and "line 2" in info.value.message
    leftovers = list(data_copy.index_dir.iterdir()) if data_copy.index_dir.exists() else []
    assert not any(is_ready(p) or p.name.startswith(".building") for p in leftovers)


def test_an_abandoned_build_folder_is_removed_by_the_next_build(data_copy, tmp_path):
    import subprocess

    gone = subprocess.Popen(["true"])
    gone.wait()  # a process id that no longer runs
    data_copy.index_dir.mkdir(parents=True, exist_ok=True)
    abandoned = data_copy.index_dir / f".building-0123456789abcdef0123-{gone.pid}"
    (abandoned / "000001.sst").parent.mkdir(parents=True)
    (abandoned / "000001.sst").write_bytes(b"partial")
    running = data_copy.index_dir / f".building-fedcba9876543210fedc-{os.getpid()}"  # a live build
    running.mkdir()
    open_store(data_copy)
    assert not abandoned.exists() and running.exists()


def test_the_indexed_store_is_read_only(data_copy):
    with pytest.raises(StoreError, match="read-only"):
        open_store(data_copy).add_turtle("<http://x/a> <http://x/b> <http://x/c> .")


def test_auto_keeps_a_small_graph_in_memory_and_settings_are_checked(settings, monkeypatch):
    assert open_store(replace(settings, index="auto")).index_path is None
    monkeypatch.setenv("PLANGRAPH_INDEX", "sometimes")
    with pytest.raises(PlangraphError, match="PLANGRAPH_INDEX"):
        load_settings()
    monkeypatch.setenv("PLANGRAPH_INDEX", "ON")
    monkeypatch.setenv("PLANGRAPH_INDEX_DIR", "/tmp/somewhere")
    s = load_settings()
    assert s.index == "on" and str(s.index_dir) == "/tmp/somewhere"
