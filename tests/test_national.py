"""The synthetic national graph and the benchmark, run once at small N (a check that they
work and report real figures; the timings themselves go to docs/PERFORMANCE.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from plangraph.cli import app
from plangraph.errors import PlangraphError
from plangraph.query.catalog import load_catalog
from plangraph.synth import generate
from plangraph.validate import validate_store_files

# Each injected defect and the rule that must report it in the plan it was injected into.
DEFECT_RULES = {"blank-plan-number": "PG-PLAN-002", "conflicting-citation-date": "PG-CIT-202",
                "duplicate-indicator-number": "PG-IND-201"}


@pytest.fixture(scope="module")
def synthetic(settings, tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "w40"
    result = generate(settings, 40, 2, out)
    return out, result


def test_synth_spreads_plans_over_provinces_deterministically(settings, synthetic, tmp_path):
    out, result = synthetic
    files = sorted((out / "ttl").glob("*.ttl"))
    assert result.wards == 40 and len(files) == 41 and result.files == 41
    provinces = Counter(f.name.split("_")[0] for f in files if f.name != "documents.ttl")
    assert len(provinces) == 34 and max(provinces.values()) == 2
    store = ox.Store()
    for f in files:
        store.load(path=str(f), format=ox.RdfFormat.TURTLE)
    plans = int(next(iter(store.query("PREFIX pg: <https://w3id.org/plangraph/ontology#> "
                                      "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?p a pg:Plan }")))[0].value)
    wards = int(next(iter(store.query("PREFIX pg: <https://w3id.org/plangraph/ontology#> "
                                      "SELECT (COUNT(DISTINCT ?w) AS ?n) { ?p a pg:Plan ; pg:forUnit ?w }")))[0].value)
    assert plans == wards == 40
    files_per_plan = store.query("PREFIX pg: <https://w3id.org/plangraph/ontology#> SELECT (COUNT(DISTINCT ?f) AS ?n) "
                                 "{ ?p a pg:Plan ; pg:sourceFile ?f }")
    assert int(next(iter(files_per_plan))[0].value) == 40  # every plan its own source file
    # central documents stay one node: 57-NQ/TW is cited by every synthetic plan
    citing = store.query("PREFIX pg: <https://w3id.org/plangraph/ontology#> SELECT (COUNT(DISTINCT ?p) AS ?n) "
                         "{ ?c pg:citedDocument <https://w3id.org/plangraph/id/doc/57-nq-tw> ; pg:citingDocument ?p }")
    assert int(next(iter(citing))[0].value) == 40
    again = generate(settings, 40, 2, tmp_path / "again")
    assert again.defects == result.defects
    assert all((tmp_path / "again" / "ttl" / f.name).read_bytes() == f.read_bytes() for f in files)


def test_validation_finds_the_injected_defects(settings, synthetic, tmp_path):
    out, result = synthetic
    defects = json.loads((out / "defects.json").read_text(encoding="utf-8"))
    assert defects == result.defects and all(defects[kind] for kind in DEFECT_RULES)
    conf = replace(settings, data_dir=out, index_root=tmp_path)
    report = validate_store_files(conf, jobs=2, cache=True)
    assert len(list((tmp_path / "validation").glob("*.pickle"))) == len(report.shards) == 41
    again = validate_store_files(conf, jobs=2, cache=True)  # every shard from the cache: same findings
    assert [s.findings for s in again.shards] == [s.findings for s in report.shards]
    damaged = sorted((tmp_path / "validation").glob("*.pickle"))[3]
    damaged.write_bytes(damaged.read_bytes()[:100])  # a damaged entry is validated again and rewritten
    third = validate_store_files(conf, jobs=2, cache=True)
    assert [s.findings for s in third.shards] == [s.findings for s in report.shards]
    assert len(damaged.read_bytes()) > 100
    rules_by_shard = {s.shard: {f.rule for f in s.findings} for s in report.shards}
    checked = 0
    for kind, rule in DEFECT_RULES.items():
        for fname in defects[kind]:
            assert rule in rules_by_shard[fname.removesuffix(".ttl")], (kind, fname)
            checked += 1
    assert checked > 0


def test_a_plan_file_read_before_is_not_parsed_again(settings, synthetic, tmp_path, monkeypatch):
    """The scan keeps what each plan file holds: files with the same bytes (and the same
    documents.ttl and validation code) come from the cache and give the same shards; a changed
    file is read again, and the entries of removed files go."""
    import shutil

    from plangraph.validate import scan as shards

    out, _ = synthetic
    ttl = tmp_path / "ttl"
    shutil.copytree(out / "ttl", ttl)
    cache = lambda: shards.ScanCache(tmp_path / "scan", ttl, b"code")  # noqa: E731
    fresh = shards.scan(ttl, 1)
    first = shards.scan(ttl, 2, cache=cache())  # in two processes: the cache is written by the workers
    assert len(list((tmp_path / "scan").glob("*.pickle"))) == len(fresh) == 40
    parsed: list[str] = []
    real_scan = shards.scan_plan
    monkeypatch.setattr(shards, "scan_plan", lambda path, *a: parsed.append(path.name) or real_scan(path, *a))
    again = shards.scan(ttl, 1, cache=cache())
    assert parsed == [] and again.specs() == first.specs() == fresh.specs()
    # one plan changed, one removed: the changed one alone is read again
    changed, removed = sorted(p for p in ttl.glob("*.ttl") if p.name != "documents.ttl")[:2]
    changed.write_bytes(changed.read_bytes() + b"\n# edited\n")
    removed.unlink()
    after = shards.scan(ttl, 1, cache=cache())
    assert parsed == [changed.name] and len(after) == 39
    assert len(list((tmp_path / "scan").glob("*.pickle"))) == 39
    # documents.ttl or the validation code changing: every file is read again
    parsed.clear()
    shards.scan(ttl, 1, cache=shards.ScanCache(tmp_path / "scan", ttl, b"other code"))
    assert len(parsed) == 39
    # a moved folder: the same entries, the files where they are now
    moved = tmp_path / "moved"
    ttl.rename(moved)
    parsed.clear()
    found = shards.scan(moved, 1, cache=shards.ScanCache(tmp_path / "scan", moved, b"other code"))
    assert parsed == [] and all(Path(p.path).parent == moved for p in found.plans)


def test_synthetic_plans_validate_like_the_real_ones(settings, synthetic, tmp_path):
    """Apart from the injected defects, a synthetic plan breaks only the rules the real plans
    break: the generator itself adds no defect (a ward's own documents are written out, target
    values stay decimals)."""
    out, result = synthetic
    real = validate_store_files(replace(settings, index_root=tmp_path / "real"), jobs=2, cache=False)
    real_rules = {f.rule for s in real.shards for f in s.findings}
    assert real_rules and "PG-IND-102" not in real_rules and "PG-DOC-001" not in real_rules
    report = validate_store_files(replace(settings, data_dir=out, index_root=tmp_path / "synth"), jobs=2, cache=False)
    injected = {f.removesuffix(".ttl") for files in result.defects.values() for f in files}
    # A duplicated indicator number also changes the count of its group's items.
    allowed = {*DEFECT_RULES.values(), "PG-GRP-201"}
    extra_by_shard = {s.shard: {f.rule for f in s.findings} - real_rules for s in report.shards}
    assert all(not extra for shard, extra in extra_by_shard.items() if shard not in injected), extra_by_shard
    assert all(extra <= allowed for extra in extra_by_shard.values()), extra_by_shard
    assert any(extra_by_shard[shard] for shard in injected)


def test_bench_reports_every_figure_for_each_engine(settings, tmp_path):
    res = CliRunner().invoke(app, ["bench", "--wards", "5,12", "--engines", "pyoxigraph,oxigraph-server",
                                   "--repeat", "1", "--work-dir", str(tmp_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["machine"]["cores"] >= 1 and out["machine"]["pyoxigraph"] == ox.__version__
    ids = {q.id for q in load_catalog()}
    real, synthetic = out["runs"]
    assert real["wards"] == 5 and synthetic["wards"] == 12
    assert real["triples"] > 20_000 and synthetic["triples"] > real["triples"]
    for scale in (real, synthetic):
        for name in ("pyoxigraph", "oxigraph-server"):
            engine = scale["engines"][name]
            assert engine["load_seconds"] > 0 and engine["triples"] == scale["triples"], (name, engine["note"])
            assert set(engine["queries"]) == ids and all(v is not None and v > 0 for v in engine["queries"].values())
            assert engine["peak_memory_mb"] > 0
        assert scale["validation_seconds"] > 0 and scale["validation_findings"]["Violation"] > 0
        assert scale["app_start_seconds"] > 0
    # where the store keeps slow results, first runs get a column of their own beside the medians
    from plangraph.bench_report import to_markdown

    engine = synthetic["engines"]["pyoxigraph"]
    engine["first"] = {q: v * 10 for q, v in engine["queries"].items()}
    engine["scoped_first"] = dict(engine["scoped"])
    table = to_markdown(out).split("### N = 12 plans")[1]
    header = next(line for line in table.splitlines() if line.startswith("| | pyoxigraph"))
    assert header == "| | pyoxigraph | pyoxigraph, first run | oxigraph-server |"
    q = sorted(ids)[0]
    cells = next(line for line in table.splitlines() if line.startswith(f"| `{q}` (ms)")).split(" | ")
    assert float(cells[2].replace(",", "")) == pytest.approx(engine["first"][q] * 1000, abs=0.06)
    assert "| median ratio oxigraph-server / pyoxigraph (first runs) |" in table


def test_a_failed_synth_run_leaves_the_earlier_plans_as_they_were(settings, tmp_path, monkeypatch):
    from plangraph import synth

    out = tmp_path / "w6"
    generate(settings, 6, 1, out)
    before = {f.name: f.read_bytes() for f in (out / "ttl").iterdir()}
    defects = (out / "defects.json").read_bytes()
    assert len(before) == 7
    calls = []

    def broken(text, rng, fname, result):
        calls.append(fname)
        if len(calls) == 4:
            raise OSError(28, "No space left on device")
        return text

    monkeypatch.setattr(synth, "_inject", broken)
    with pytest.raises(PlangraphError, match="cannot write the synthetic plans: No space left on device"):
        generate(settings, 9, 3, out)
    assert len(calls) == 4
    assert {f.name: f.read_bytes() for f in (out / "ttl").iterdir()} == before
    assert (out / "defects.json").read_bytes() == defects
    assert sorted(p.name for p in out.iterdir()) == ["defects.json", "ttl"]  # nothing half-written left


def test_synth_and_bench_refuse_bad_options_before_any_work(settings, tmp_path):
    cases = [
        (["synth", "--wards", "0", "--out", str(tmp_path / "a")], "--wards must be at least 1"),
        (["synth", "--wards", "3", "--out", str(settings.data_dir)], "is the data folder"),
        (["bench", "--wards", "5,0", "--work-dir", str(tmp_path / "b")], "at least 1"),
        (["bench", "--engines", "pyoxigraph,virtuoso", "--work-dir", str(tmp_path / "b")], "unknown engine 'virtuoso'"),
        (["bench", "--repeat", "0", "--work-dir", str(tmp_path / "b")], "--repeat must be at least 1"),
        (["bench", "--format", "xml", "--work-dir", str(tmp_path / "b")], "--format must be markdown or json"),
    ]
    for args, message in cases:  # as a user runs it: one line on standard error, exit status 2
        res = subprocess.run([sys.executable, "-m", "plangraph.cli", *args], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "PLANGRAPH_DATA": str(settings.data_dir)})
        assert res.returncode == 2 and message in res.stderr and "Traceback" not in res.stderr, (args, res.stderr)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
    assert (settings.ttl_dir / "documents.ttl").exists()


def test_synthetic_ward_names_never_fold_to_one_identifier():
    """Two names of a province differing only by diacritics would make two wards one."""
    import random

    from plangraph.synth import _names
    from plangraph.text import slug

    names = _names(random.Random(1), 3321, 34)
    assert len({(i % 34, slug(name)) for i, name in enumerate(names)}) == 3321
    assert names == _names(random.Random(1), 3321, 34)  # deterministic
    assert len(set(names)) < 3321  # a name still recurs across provinces, as real names do


def test_wards_sharing_a_name_are_told_apart(settings, tmp_path):
    """Ward names recur across provinces: a ward's rows and picker values are found by its IRI."""
    import sys
    from collections import defaultdict
    from pathlib import Path

    from plangraph.exports import export_table
    from plangraph.query.choices import choices, ward_choices
    from plangraph.store.embedded import EmbeddedStore

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))
    from plangraph_app import slices

    out = tmp_path / "w100"
    generate(settings, 100, 1, out)
    store = EmbeddedStore(sorted((out / "ttl").glob("*.ttl")))
    by_name = defaultdict(list)
    for iri, label in choices(store, "ward"):
        by_name[label.split(" (")[0].split(" ", 1)[1]].append(iri)
    name, (a, b) = next((n, iris) for n, iris in sorted(by_name.items()) if len(iris) == 2)
    for kind in ("indicators", "tasks"):
        rows_a, rows_b = (export_table(store, kind, ward_iri=w).rows for w in (a, b))
        assert rows_a and rows_b and {r["province"] for r in rows_a} != {r["province"] for r in rows_b}
        assert {r["ward"] for r in rows_a + rows_b} == {name}
        by_label = [r for r in export_table(store, kind).rows if r["ward"] == name]
        assert sorted(rows_a + rows_b, key=repr) == sorted(by_label, key=repr)  # by name they ran together
        provinces = [r["province"] for r in by_label]
        assert provinces == sorted(provinces) and len(set(provinces)) == 2  # one ward after the other
        assert export_table(slices.ward_slice(out / "ttl", a), kind).rows == rows_a
    r = subprocess.run([sys.executable, "-m", "plangraph.cli", "export", "tasks", "--ward", name, "--data", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and f"2 wards match {name!r}" in r.stderr and a in r.stderr and b in r.stderr, r.stderr
    for param_type in ("unit", "indicator"):
        mine, theirs = ward_choices(store, param_type, a), ward_choices(store, param_type, b)
        assert mine and theirs and not set(mine) & set(theirs)
        assert [c for c in choices(store, param_type) if c in set(mine)] == mine
