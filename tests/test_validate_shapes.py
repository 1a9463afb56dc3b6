"""The shapes themselves: one violating and one conforming fixture per rule, SHACL-SHACL,
rule metadata, closed vocabulary lists, and the engine's rewrites keeping results."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
CODES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
EXPECT = re.compile(r"^# expect: (PG-[A-Z]+-\d{3}) (Violation|Warning|Info)$", re.M)
DOCS = Path(__file__).resolve().parents[1] / "docs" / "VALIDATION.md"


def _kind(code: str) -> str:
    return "reference" if code.startswith("PG-VOC-") else "plan"


@pytest.fixture(scope="module")
def catalogue():
    from plangraph.validate.shapes import catalogue as load

    return load()


def test_every_rule_has_both_fixtures(catalogue):
    assert CODES == sorted(catalogue.rules)
    for code in CODES:
        assert (FIXTURES / code / "invalid.ttl").is_file(), code
        assert (FIXTURES / code / "valid.ttl").is_file(), code


@pytest.mark.parametrize("code", CODES)
def test_violating_fixture_reports_rule_and_severity(code, catalogue):
    from plangraph.validate.run import validate_graph_file

    path = FIXTURES / code / "invalid.ttl"
    expected = EXPECT.search(path.read_text(encoding="utf-8"))
    assert expected and expected.group(1) == code, f"{path}: needs '# expect: {code} <Severity>'"
    result = validate_graph_file(path, _kind(code))
    hits = [f for f in result.findings if f.rule == code]
    assert hits, f"{code} not reported on its violating fixture"
    assert {f.severity.value for f in hits} == {expected.group(2)}
    assert expected.group(2) == catalogue.rules[code].severity.value
    for f in hits:
        assert f.message_vi and f.message_en and f.message_vi != f.message_en
        assert "{?" not in f.message_vi + f.message_en, "an unsubstituted message variable"


@pytest.mark.parametrize("code", CODES)
def test_conforming_fixture_does_not_report_rule(code):
    from plangraph.validate.run import validate_graph_file

    result = validate_graph_file(FIXTURES / code / "valid.ttl", _kind(code))
    assert [f.message_en for f in result.findings if f.rule == code] == []


@pytest.mark.parametrize("code", CODES)
def test_engine_rewrites_keep_fixture_results(code):
    """Candidate targets and one-line queries (engine.py) change speed, not findings."""
    from plangraph.validate.run import validate_graph_file

    path = FIXTURES / code / "invalid.ttl"
    fast = validate_graph_file(path, _kind(code), candidates=True).findings
    plain = validate_graph_file(path, _kind(code), candidates=False).findings
    key = lambda f: (f.rule, f.focus, f.path, f.value, f.message_en)  # noqa: E731
    assert sorted(map(key, fast)) == sorted(map(key, plain))


def test_shapes_conform_to_shacl_shacl():
    import pyshacl
    from rdflib import Graph

    from plangraph.validate.engine import shapes_graph
    from plangraph.validate.shapes import source_graph

    shsh = Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl")
    for graph in (source_graph(), shapes_graph(True)):
        conforms, _, text = pyshacl.validate(graph, shacl_graph=shsh, inference="none")
        assert conforms, text


def test_every_shape_carries_code_messages_and_fix():
    from rdflib import RDF, Literal, URIRef
    from rdflib.namespace import SH

    from plangraph.validate.shapes import PGSH, source_graph

    g = source_graph()
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
    shapes = {s for p in targets for s in g.subjects(p, None)}
    shapes |= {s for s in g.subjects(RDF.type, SH.NodeShape)} | {s for s in g.subjects(RDF.type, SH.PropertyShape)}
    assert len(shapes) > 80
    for shape in shapes:
        assert isinstance(shape, URIRef), "named shapes only"
        code = g.value(shape, PGSH.ruleCode)
        assert code and re.fullmatch(r"PG-[A-Z]+-\d{3}", str(code)), shape
        sparql = g.value(shape, SH.sparql)
        msg_node = sparql if sparql is not None else shape
        for prop, node in ((SH.message, msg_node), (PGSH.fix, shape)):
            langs = {v.language for v in g.objects(node, prop) if isinstance(v, Literal)}
            assert {"vi", "en"} <= langs, f"{shape}: {prop} needs @vi and @en"
        assert g.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape


def test_severity_policy(catalogue):
    """Missing responsible units are warnings; broken identity and contradictions are violations."""
    rules = catalogue.rules
    for code in ("PG-IND-006", "PG-TSK-001"):
        assert rules[code].severity.value == "Warning"
    for code in ("PG-PLAN-002", "PG-PLAN-003", "PG-DOC-001", "PG-CIT-201", "PG-CIT-202",
                 "PG-IND-201", "PG-IND-203", "PG-IND-204", "PG-TS-201", "PG-GRP-201"):
        assert rules[code].severity.value == "Violation", code
    assert rules["PG-IND-205"].severity.value == "Info"


@pytest.mark.parametrize("scheme, shape_code", [
    ("comparator", "PG-IND-003"), ("task-kind", "PG-TSK-003"), ("responsibility-role", "PG-ASG-001"),
    ("doc-type", "PG-DOC-002"), ("citation-role", "PG-CIT-003"),
])
def test_closed_lists_match_the_vocabularies(scheme, shape_code, catalogue):
    """sh:in lists stand in for vocabulary membership (cheaper than sh:node): keep them equal."""
    from rdflib import Graph
    from rdflib.namespace import SH, SKOS

    from plangraph.resources import vocab_files
    from plangraph.validate.shapes import source_graph

    vocab = Graph()
    for f in vocab_files():
        vocab.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    members = {str(c) for c in vocab.subjects(SKOS.inScheme, None) if f"/vocab/{scheme}/" in str(c)}
    g = source_graph()
    listed = set()
    for shape in catalogue.rule_shapes[shape_code]:
        for node in [shape, *g.objects(shape, SH.property)]:
            for lst in g.objects(node, SH["in"]):
                listed |= {str(x) for x in g.items(lst)}
    assert members and listed == members


def test_docs_list_every_rule(catalogue):
    text = DOCS.read_text(encoding="utf-8")
    missing = [code for code in catalogue.rules if code not in text]
    assert missing == []
