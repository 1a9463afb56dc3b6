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


@pytest.mark.parametrize("body, what", [
    ("$this pg:forUnit ?w . MINUS { $this pg:docNumber ?n }", "MINUS"),
    ("VALUES ?w { pg:x } $this pg:forUnit ?w .", "VALUES"),
    ("$this pg:forUnit ?w . { SELECT ?w WHERE { ?w a pg:Ward } }", "nested SELECT"),
])
def test_a_sparql_constraint_shacl_forbids_is_refused(body, what):
    """SHACL forbids these in SPARQL-based constraints and pySHACL refuses them when it
    evaluates one; the compiler refuses them for every shape, so the engines cannot diverge."""
    from plangraph.validate.compiler import UnsupportedShape, compile_shapes

    shape = URIRef("https://w3id.org/plangraph/shapes#PlanNumber")
    g = _shapes_with([])
    sparql = g.value(shape, SH.sparql)
    g.set((sparql, SH.select, Literal(f"SELECT $this WHERE {{ {body} }}")))
    with pytest.raises(UnsupportedShape) as exc:
        compile_shapes(g, [shape])
    assert what in exc.value.message and "PlanNumber" in exc.value.message


def test_order_counts_read_the_outer_projection():
    from plangraph.validate.sparql_text import _order_counts

    query = 'PREFIX pg: <https://w3id.org/plangraph/ontology#>\nSELECT $this (GROUP_CONCAT(DISTINCT ?a; separator="; ") AS ?x) ' \
            '(SAMPLE(STR(?b)) AS ?y) (COUNT(?c) AS ?z) WHERE { $this pg:p ?a ; pg:q ?b ; pg:r ?c } GROUP BY $this'
    assert _order_counts(query) == ("(COUNT(DISTINCT ?a) AS ?pgsh_order0)", "(COUNT(DISTINCT STR(?b)) AS ?pgsh_order1)")
    # an aggregate whose order matters inside a subquery: every reported focus node runs again
    nested = 'SELECT $this ?x WHERE { { SELECT $this (GROUP_CONCAT(?a) AS ?x) WHERE { $this <urn:p> ?a } GROUP BY $this } }'
    assert _order_counts(nested) is None


def test_places_are_listed_in_the_order_pyshacl_lists_them(settings):
    """PG-CIT-202, PG-CIT-203 and PG-IND-205 list places in the order the store returns them.
    A focus node whose list has two or more places is evaluated again on its own, as pySHACL
    does; one with a single place keeps the row of the query over all focus nodes. Both give
    the results of evaluating every reported focus node again."""
    from dataclasses import replace as dc_replace

    import plangraph.validate.compiled as compiled_module
    from plangraph.validate.compiler import compiled
    from plangraph.validate.run import _store
    from plangraph.validate.shapes import catalogue
    from plangraph.validate.shards import plan_shards

    shapes = [s for s in catalogue().shapes_for("plan") if any(c.orders for c in compiled()[s].sparql)]
    assert len(shapes) == 3
    always = {s: dc_replace(compiled()[s], sparql=tuple(dc_replace(c, orders=()) for c in compiled()[s].sparql))
              for s in shapes}
    runs = {"with counts": 0, "every time": 0}
    real_rows = compiled_module._rows
    counting = "with counts"

    def rows(store, query, **kwargs):
        runs[counting] += bool(kwargs.get("substitutions"))
        return real_rows(store, query, **kwargs)

    compiled_module._rows = rows
    try:
        for spec in plan_shards(settings.ttl_dir):
            store = _store(spec)
            counting = "with counts"
            found = compiled_module.evaluate(store, shapes)
            counting = "every time"
            every = compiled_module.evaluate(store, shapes, always)
            assert sorted(map(repr, found)) == sorted(map(repr, every)), spec.key
    finally:
        compiled_module._rows = real_rows
    assert 0 < runs["with counts"] < runs["every time"]


def test_subclasses_declared_in_the_data_are_followed(tmp_path):
    """The class hierarchy is read once per set of rdfs:subClassOf triples: a shard declaring
    its own subclass gets its own hierarchy (here a citation typed only with a subclass of
    pg:Citation is still checked by the citation rules), the same as pySHACL."""
    from plangraph.validate.run import validate_graph_file

    fixture = (FIXTURES / "PG-CIT-202" / "invalid.ttl").read_text(encoding="utf-8")
    assert "a pg:Citation" in fixture
    sub = fixture.replace("a pg:Citation", "a ex:LocalCitation", 1) + \
        "\nex:LocalCitation rdfs:subClassOf pg:Citation .\n"
    path = tmp_path / "sub.ttl"
    path.write_text(sub, encoding="utf-8")
    cit = "https://w3id.org/plangraph/id/test/cit"
    plain = validate_graph_file(FIXTURES / "PG-CIT-202" / "invalid.ttl", engine="sparql")  # the reference's hierarchy
    reference = validate_graph_file(path, engine="pyshacl")
    compiled = validate_graph_file(path, engine="sparql")
    _same(reference, compiled)
    for result in (plain, compiled):
        assert cit in {f.focus for f in result.findings if f.rule == "PG-CIT-202"}


def test_core_checks_run_together_as_they_run_alone(settings):
    """The sh:minCount / sh:maxCount checks of the shapes sharing focus nodes run as one query
    of flags, their value checks as one UNION: the same results as each check's own query."""
    from dataclasses import replace as dc_replace

    from plangraph.validate.compiled import evaluate
    from plangraph.validate.compiler import compiled
    from plangraph.validate.run import _store
    from plangraph.validate.shapes import catalogue
    from plangraph.validate.shards import ShardSpec, plan_shards

    shapes = catalogue().shapes_for("plan")
    alone = {s: dc_replace(compiled()[s], core=tuple(dc_replace(c, counted=(), where="") for c in compiled()[s].core),
                           sparql=()) for s in shapes}
    together = {s: dc_replace(compiled()[s], sparql=()) for s in shapes}
    assert sum(1 for p in together.values() for c in p.core if c.counted) > 50
    assert sum(1 for p in together.values() for c in p.core if c.where) > 40
    fixtures = [FIXTURES / code / name for code, name in CASES if not code.startswith("PG-VOC-")]
    stores = [_store(spec) for spec in plan_shards(settings.ttl_dir)]
    stores += [_store(ShardSpec(f.stem, "plan", "x", None, None, None, f.read_bytes())) for f in fixtures]
    components = set()
    for store in stores:
        a = evaluate(store, shapes, alone)
        assert sorted(map(repr, a)) == sorted(map(repr, evaluate(store, shapes, together)))
        components |= {r.component.rsplit("#", 1)[-1] for r in a}
    # not vacuous: results of both kinds of flags and of value checks were compared
    assert {"MinCountConstraintComponent", "MaxCountConstraintComponent", "ClassConstraintComponent",
            "DatatypeConstraintComponent", "InConstraintComponent"} <= components
