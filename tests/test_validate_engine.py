"""The compiled SPARQL engine against pySHACL, the reference: the same findings (rule, severity,
focus, path, value, messages, ward, label, source) and the same scores on every fixture, on the
five plans and on a synthetic national set with its injected defects; what it cannot compile
is an error naming the shape."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SH

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
CASES = sorted((d.name, f) for d in FIXTURES.iterdir() if d.is_dir() for f in ("invalid.ttl", "valid.ttl"))
# Each injected defect of the synthetic set and the rule that must report it (as in test_national).
DEFECT_RULES = {"blank-plan-number": "PG-PLAN-002", "conflicting-citation-date": "PG-CIT-202",
                "duplicate-indicator-number": "PG-IND-201"}


def _key(f) -> tuple:
    return (f.ward, f.rule, f.severity.value, f.focus, f.focus_label, f.path, f.value, f.component,
            f.message_vi, f.message_en, f.source)


def _same(a, b) -> None:
    """Two shard results: identical findings, in the same order, and identical scores."""
    assert [_key(f) for f in a.findings] == [_key(f) for f in b.findings], a.shard
    assert a.rule_scores == b.rule_scores and a.unit_scores == b.unit_scores, a.shard


@pytest.mark.parametrize("code, name", CASES)
def test_engines_agree_on_every_fixture(code, name):
    from plangraph.validate.run import validate_graph_file

    kind = "reference" if code.startswith("PG-VOC-") else "plan"
    reference = validate_graph_file(FIXTURES / code / name, kind, engine="pyshacl")
    compiled = validate_graph_file(FIXTURES / code / name, kind, engine="sparql")
    _same(reference, compiled)
    assert (code in {f.rule for f in compiled.findings}) == (name == "invalid.ttl")


@pytest.fixture(scope="module")
def five_plans(settings):
    from plangraph.validate import validate_store_files

    return (validate_store_files(settings, engine="pyshacl", jobs=1),
            validate_store_files(settings, engine="sparql", jobs=1))


def test_engines_agree_on_the_five_plans(five_plans):
    reference, compiled = five_plans
    assert (reference.engine, compiled.engine) == ("pyshacl", "sparql")
    assert [s.shard for s in reference.shards] == [s.shard for s in compiled.shards]
    for a, b in zip(reference.shards, compiled.shards):
        _same(a, b)
    # not vacuous: the compiled engine reports the known source defects, messages substituted
    dates = [f for f in compiled.findings if f.rule == "PG-CIT-202" and f.ward == "Phường Đoàn Kết"]
    assert dates and "57-NQ/TW" in dates[0].message_vi and "Hàm Rồng" in dates[0].message_vi
    assert sorted(f.value for f in compiled.findings if f.rule == "PG-TS-201") == ["13", "13"]
    assert compiled.counts() == reference.counts() and compiled.score == reference.score


@pytest.fixture(scope="module")
def national(settings, tmp_path_factory):
    """A synthetic national set of 40 wards (the context cap of 10 plans per variant is reached:
    32 plans cite 57-NQ/TW with one date), validated by both engines."""
    from plangraph.synth import generate
    from plangraph.validate import validate_store_files

    out = tmp_path_factory.mktemp("synth") / "w40"
    generate(settings, 40, 2, out)
    conf = replace(settings, data_dir=out, index_root=tmp_path_factory.mktemp("index"))
    defects = json.loads((out / "defects.json").read_text(encoding="utf-8"))
    return (validate_store_files(conf, engine="pyshacl", jobs=2), validate_store_files(conf, engine="sparql", jobs=2),
            defects)


def test_engines_agree_on_a_synthetic_national_set(national):
    reference, compiled, _ = national
    assert len(compiled.shards) == 41 and [s.shard for s in reference.shards] == [s.shard for s in compiled.shards]
    for a, b in zip(reference.shards, compiled.shards):
        _same(a, b)
    # the capped context shows in the messages: a conflict lists the places of up to 10 plans each
    places = max((f for f in compiled.findings if f.rule == "PG-CIT-202"), key=lambda f: f.message_en.count("(line"))
    assert places.message_en.count("(line") >= 10


def test_compiled_engine_finds_the_injected_defects(national):
    _, compiled, defects = national
    rules_by_shard = {s.shard: {f.rule for f in s.findings} for s in compiled.shards}
    checked = 0
    for kind, rule in DEFECT_RULES.items():
        assert defects[kind], kind
        for fname in defects[kind]:
            assert rule in rules_by_shard[fname.removesuffix(".ttl")], (kind, fname)
            checked += 1
    assert checked >= 3


def _shapes_with(extra: list[tuple]):
    from plangraph.validate.shapes import source_graph

    g = source_graph()
    copy = type(g)()
    copy += g
    for t in extra:
        copy.add(t)
    return copy


@pytest.mark.parametrize("prop, value", [
    (SH.equals, URIRef("https://w3id.org/plangraph/ontology#qualitativeTarget")),
    (SH.maxLength, Literal(10)),
    (SH.node, URIRef("https://w3id.org/plangraph/shapes#Elsewhere")),
    (SH.target, URIRef("https://w3id.org/plangraph/shapes#SomeTarget")),
])
def test_an_unsupported_constraint_fails_loudly(prop, value):
    from plangraph.errors import PlangraphError
    from plangraph.validate.compiler import UnsupportedShape, compile_shapes

    shape = URIRef("https://w3id.org/plangraph/shapes#IndicatorTarget")
    assert compile_shapes(_shapes_with([]), [shape])  # compiles as written
    with pytest.raises(UnsupportedShape) as exc:
        compile_shapes(_shapes_with([(shape, prop, value)]), [shape])
    assert "IndicatorTarget" in exc.value.message and "--engine pyshacl" in exc.value.hint
    assert isinstance(exc.value, PlangraphError)  # the CLI prints it as one line, exit code 2


def test_a_sparql_constraint_must_select_this(settings):
    from plangraph.validate.compiled import evaluate
    from plangraph.validate.compiler import UnsupportedShape, compile_shapes
    from plangraph.validate.run import _store
    from plangraph.validate.shards import plan_shards

    shape = URIRef("https://w3id.org/plangraph/shapes#PlanNumber")
    g = _shapes_with([])
    sparql = g.value(shape, SH.sparql)
    g.set((sparql, SH.select, Literal("SELECT ?n WHERE { $this <https://w3id.org/plangraph/ontology#forUnit> ?n }")))
    plans = compile_shapes(g, [shape])
    store = _store(plan_shards(settings.ttl_dir)[0])
    with pytest.raises(UnsupportedShape) as exc:
        evaluate(store, [str(shape)], plans)
    assert "$this" in exc.value.message


def test_engine_choice(settings):
    from plangraph.errors import PlangraphError
    from plangraph.validate import validate_store_files
    from plangraph.validate.run import SPARQL_FROM, choose_engine

    assert choose_engine("auto", 5) == "pyshacl" and choose_engine("auto", SPARQL_FROM) == "sparql"
    assert choose_engine("pyshacl", 3321) == "pyshacl" and choose_engine("sparql", 1) == "sparql"
    with pytest.raises(PlangraphError):
        validate_store_files(settings, engine="jena")


def test_cli_engine_option(tmp_path):
    from typer.testing import CliRunner

    from plangraph.cli import app

    fixture = FIXTURES / "PG-CIT-202" / "invalid.ttl"
    (tmp_path / "ttl").mkdir()
    (tmp_path / "ttl" / "plan.ttl").write_bytes(fixture.read_bytes())
    outputs = {}
    for engine in ("pyshacl", "sparql"):
        res = CliRunner().invoke(app, ["validate", "--data", str(tmp_path), "--engine", engine, "--format", "csv", "--no-cache"])
        assert res.exit_code == 1, res.output
        outputs[engine] = res.stdout
    assert outputs["pyshacl"] == outputs["sparql"] and "PG-CIT-202" in outputs["sparql"]
    bad = CliRunner().invoke(app, ["validate", "--data", str(tmp_path), "--engine", "jena"])
    assert bad.exit_code == 2
