"""Slow results kept beside the read-only index (store/result_cache.py): what is kept reads back
exactly, is used instead of running the query, follows the row limit, is never kept for an
in-memory store, and a cache that cannot be written or read only means the query runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from plangraph.errors import QueryError
from plangraph.query.catalog import load_catalog, run
from plangraph.query.warm import TABLE_LIMIT, default_params, keep_defaults
from plangraph.store.factory import open_store
from plangraph.store.result_cache import ResultCache

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def data_copy(tmp_path, settings):
    shutil.copytree(settings.ttl_dir, tmp_path / "data" / "ttl")
    return replace(settings, data_dir=tmp_path / "data", index="on")


@pytest.fixture()
def indexed(data_copy):
    """The five plans on a persistent index whose cache keeps every result, however fast."""
    store = open_store(data_copy)
    store.result_cache.min_seconds = 0.0
    return store


def _refuse(store):
    """Make the engine refuse every query: an answer can then only come from the cache."""
    def refuse(_query):
        raise QueryError("the engine was asked", "it should not have been")
    store._run = refuse


def test_every_kind_of_term_reads_back_as_it_was_kept(tmp_path):
    cache = ResultCache(tmp_path, min_seconds=0)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    row = (ox.NamedNode("https://w3id.org/plangraph/ward/dong-son"), ox.BlankNode("b1"),
           ox.Literal("Đông Sơn"), ox.Literal("Phường Đông Sơn", language="vi"),
           ox.Literal("95.5", datatype=ox.NamedNode(xsd + "decimal")),
           ox.Literal("2030-12-31", datatype=ox.NamedNode(xsd + "date")), None,
           ox.Literal("a\x1fb; c", language="en"))
    assert cache.put("SELECT * {}", 7, [f"c{i}" for i in range(len(row))], [row, row], True, 1.0)
    columns, rows, truncated = cache.get("SELECT * {}", 7)
    assert columns == [f"c{i}" for i in range(len(row))] and truncated
    assert rows == [row, row]
    assert cache.get("SELECT * {}", 8) is None and cache.get("SELECT * { }", 7) is None
    assert cache.count() == 1 and cache.clear() == 1 and cache.get("SELECT * {}", 7) is None


def test_a_kept_result_is_the_querys_and_answers_without_the_engine(indexed, store):
    params = {"document": "57-NQ/TW"}
    first = run(indexed, "trace-down", params, limit=TABLE_LIMIT)
    assert indexed.result_cache.count() >= 1
    _refuse(indexed)
    again = run(indexed, "trace-down", params, limit=TABLE_LIMIT)
    assert again.columns == first.columns and again.values() == first.values()
    assert again.values() == run(store, "trace-down", params, limit=TABLE_LIMIT).values()
    assert len({r["ward"] for r in again.values()}) == 5  # 57-NQ/TW drives targets in all five plans
    # another parameter or another row limit is another result: the engine is asked again
    with pytest.raises(QueryError, match="engine was asked"):
        run(indexed, "trace-down", {"document": "18-NQ/TW"}, limit=TABLE_LIMIT)
    with pytest.raises(QueryError, match="engine was asked"):
        run(indexed, "trace-down", params, limit=3)


def test_the_row_limit_and_truncation_are_kept(indexed, store):
    small = run(indexed, "unit-workload", {}, limit=4)
    assert small.truncated and small.row_count == 4
    _refuse(indexed)
    kept = run(indexed, "unit-workload", {}, limit=4)
    assert kept.truncated and kept.values() == small.values() == run(store, "unit-workload", {}, limit=4).values()


def test_a_paged_result_is_kept_under_the_whole_querys_text(indexed, store):
    opts = {"min_wards": 0, "first_batch": 1, "max_batch": 2, "dense_enough": 0}
    paged = run(indexed, "leader-roles", {}, limit=6, paging=opts)
    whole = run(store, "leader-roles", {}, limit=6)
    assert paged.values() == whole.values() and paged.truncated
    _refuse(indexed)
    assert run(indexed, "leader-roles", {}, limit=6, paging=opts).values() == whole.values()


def test_results_faster_than_the_threshold_are_not_kept(data_copy):
    store = open_store(data_copy)
    store.result_cache.min_seconds = 60.0
    run(store, "compare-concept", {}, limit=TABLE_LIMIT)
    assert store.result_cache.count() == 0


def test_only_the_read_only_index_keeps_results(settings, data_copy, monkeypatch):
    assert open_store(replace(settings, index="off")).result_cache is None
    monkeypatch.setenv("PLANGRAPH_RESULT_CACHE", "off")
    assert open_store(data_copy).result_cache is None


def test_a_cache_that_cannot_be_written_or_read_only_means_the_query_runs(indexed, store):
    folder = indexed.result_cache.folder
    folder.parent.joinpath("results").write_text("not a folder")  # mkdir fails
    got = run(indexed, "compare-concept", {}, limit=TABLE_LIMIT)
    assert got.values() == run(store, "compare-concept", {}, limit=TABLE_LIMIT).values()
    assert folder.is_file()
    folder.unlink()
    run(indexed, "compare-concept", {}, limit=TABLE_LIMIT)
    (kept,) = folder.glob("*.json")
    kept.write_text('{"format": 1, "query": ')  # a damaged file is not trusted
    assert run(indexed, "compare-concept", {}, limit=TABLE_LIMIT).values() == got.values()
    assert json.loads(kept.read_text())["format"] == 1  # and is written again, whole


def test_index_warm_runs_every_canned_query_as_the_app_first_shows_it(data_copy, store):
    env = {**os.environ, "PLANGRAPH_RESULT_CACHE_MIN_SECONDS": "0"}
    res = subprocess.run([sys.executable, "-m", "plangraph.cli", "index", "--warm", "--data", str(data_copy.data_dir)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300, env=env)
    assert res.returncode == 0, res.stderr
    queries = len(load_catalog())
    assert f"{queries} queries in" in res.stderr and "results kept in" in res.stderr
    indexed = open_store(data_copy)
    assert indexed.result_cache.count() >= queries
    _refuse(indexed)
    for qid, params in default_params(indexed).items():
        assert run(indexed, qid, params, limit=TABLE_LIMIT).values() == run(store, qid, params, limit=TABLE_LIMIT).values(), qid
    res = subprocess.run([sys.executable, "-m", "plangraph.cli", "index", "--clear-results", "--data", str(data_copy.data_dir)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300, env=env)
    assert res.returncode == 0 and "kept results forgotten" in res.stderr
    assert indexed.result_cache.count() == 0


def test_the_apps_warm_up_keeps_each_canned_default_only_where_results_are_kept(indexed, store):
    assert keep_defaults(store) is None  # in memory: its content can change, nothing is run
    done = keep_defaults(indexed)
    assert sorted(w.query_id for w in done) == sorted(q.id for q in load_catalog())
    assert not [w for w in done if w.error]
    _refuse(indexed)
    for qid, params in default_params(indexed).items():
        assert run(indexed, qid, params, limit=TABLE_LIMIT).values() == run(store, qid, params, limit=TABLE_LIMIT).values(), qid


def test_past_its_size_the_cache_drops_the_results_used_least_recently(tmp_path):
    cache = ResultCache(tmp_path, min_seconds=0)
    row = [(ox.Literal("x" * 1000),)]
    for i in range(3):
        assert cache.put(f"SELECT {i}", None, ["c"], row, False, 1.0)
    size = max(p.stat().st_size for p in cache.folder.glob("*.json"))
    older = cache.folder.stat().st_mtime - 100
    for p in cache.folder.glob("*.json"):
        os.utime(p, (older, older))
    assert cache.get("SELECT 0", None) is not None  # read: now the most recently used
    cache.max_bytes = 3 * size + 10
    assert cache.put("SELECT 3", None, ["c"], row, False, 1.0)  # four files: over the size
    kept = {q for q in ("SELECT 0", "SELECT 1", "SELECT 2", "SELECT 3") if cache.get(q, None) is not None}
    assert "SELECT 0" in kept and "SELECT 3" in kept and len(kept) == 2
