"""The ontology and every vocabulary parse, and every term is documented in vi and en."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from plangraph.graph.namespaces import EXTERNAL, PG
from plangraph.resources import ontology_file, reference_files, vocab_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    g.parse(data=ontology_file().read_text(encoding="utf-8"), format="turtle")
    return g


@pytest.fixture(scope="module")
def reference() -> Graph:
    g = Graph()
    for f in reference_files():
        g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return g


@pytest.mark.parametrize("resource", reference_files(), ids=lambda f: f.name)
def test_every_reference_file_parses(resource):
    g = Graph()
    g.parse(data=resource.read_text(encoding="utf-8"), format="turtle")
    assert len(g) > 10


def test_every_class_and_property_has_vi_and_en_label_and_comment(ontology):
    terms = set(ontology.subjects(RDF.type, OWL.Class)) | set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(
        ontology.subjects(RDF.type, OWL.DatatypeProperty))
    assert len(terms) > 60
    missing = []
    for t in terms:
        for p in (RDFS.label, RDFS.comment):
            langs = {getattr(o, "language", None) for o in ontology.objects(t, p)}
            if not {"vi", "en"} <= langs:
                missing.append(f"{t} {p}")
    assert missing == []


def test_terms_specialise_the_standards(ontology):
    assert (PG.Document, RDFS.subClassOf, URIRef("http://data.europa.eu/eli/ontology#LegalResource")) in ontology
    assert (PG.basedOn, RDFS.subPropertyOf, URIRef("http://data.europa.eu/eli/ontology#based_on")) in ontology
    assert (PG.WardUnit, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#OrganizationalUnit")) in ontology
    assert (PG.MergerEvent, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#ChangeEvent")) in ontology
    assert (PG.IndicatorConcept, RDFS.subClassOf, SKOS.Concept) in ontology
    assert (PG.source, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) in ontology


def test_34_provinces(reference):
    provinces = set(reference.subjects(RDF.type, PG.Province))
    assert len(provinces) == 34
    names = {str(reference.value(p, SKOS.prefLabel)) for p in provinces}
    assert {"Hà Tĩnh", "Thái Nguyên", "Thanh Hóa", "Lai Châu", "Hải Phòng", "Hồ Chí Minh"} <= names


def test_canonical_concepts_have_vi_en_labels_and_wellformed_sdg_codes(reference):
    concepts = set(reference.subjects(RDF.type, PG.IndicatorConcept))
    assert len(concepts) >= 40
    for c in concepts:
        langs = {o.language for o in reference.objects(c, SKOS.prefLabel)}
        assert {"vi", "en"} <= langs, c
    sdg_matches = [(c, m) for c in concepts for m in reference.objects(c, SKOS.closeMatch)]
    assert len(sdg_matches) >= 8
    for _c, m in sdg_matches:
        notation = str(reference.value(m, SKOS.notation))
        assert re.fullmatch(r"\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}", notation), notation
        assert reference.value(m, SKOS.prefLabel) is not None
    hi = URIRef("https://w3id.org/plangraph/vocab/indicator/health-insurance-coverage")
    assert str(reference.value(reference.value(hi, SKOS.closeMatch), SKOS.notation)).startswith("3.8")


def test_no_alt_label_shared_by_two_concepts(reference):
    seen: dict[str, URIRef] = {}
    for c in reference.subjects(RDF.type, PG.IndicatorConcept):
        for label in reference.objects(c, SKOS.altLabel):
            key = str(label).lower()
            assert seen.setdefault(key, c) == c, f"{label!r} on {c} and {seen[key]}"


def _declared(reference: Graph) -> set[URIRef]:
    return {s for s in reference.subjects() if isinstance(s, URIRef)}


def _used_terms(g: Graph) -> set[URIRef]:
    used = set(g.predicates())
    used |= {o for o in g.objects(None, RDF.type) if isinstance(o, URIRef)}
    return used


def _is_external(term: URIRef) -> bool:
    return any(str(term).startswith(ns) for ns in EXTERNAL) or str(term).startswith("http://purl.org/linked-data/")


def test_no_undeclared_terms_in_ontology_vocabularies_and_data(reference, settings):
    declared = _declared(reference)
    graphs = [reference]
    for path in sorted(settings.ttl_dir.glob("*.ttl")):
        g = Graph()
        g.parse(path, format="turtle")
        graphs.append(g)
    undeclared = set()
    for g in graphs:
        for term in _used_terms(g):
            if not _is_external(term) and term not in declared:
                undeclared.add(str(term))
    assert undeclared == set()


def test_no_undeclared_terms_in_queries_and_shapes(reference):
    declared = {str(t) for t in _declared(reference)}
    pg = str(PG)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "src" / "plangraph" / "queries").glob("*.rq"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "ontology" / "shapes").glob("*.ttl"))]
    texts += [(ROOT / "src" / "plangraph" / "exports.py").read_text(encoding="utf-8")]
    used = {pg + m for t in texts for m in re.findall(r"(?<![\w:])pg:([A-Za-z][A-Za-z0-9_]*)", t)}
    assert sorted(used - declared) == []


def test_vocabulary_files_cover_the_codes_the_graph_uses(reference, settings):
    """Every vocabulary concept the data points at is defined in a vocabulary file."""
    declared = _declared(reference)
    base = "https://w3id.org/plangraph/vocab/"
    missing = set()
    for path in sorted(settings.ttl_dir.glob("*.ttl")):
        g = Graph()
        g.parse(path, format="turtle")
        for o in g.objects():
            if isinstance(o, URIRef) and str(o).startswith(base) and o not in declared:
                missing.add(str(o))
    assert missing == set()


def test_vocab_files_listed():
    names = {f.name for f in vocab_files()}
    assert {"indicator-concepts.ttl", "sdg.ttl", "provinces.ttl", "doc-types.ttl", "issuers.ttl", "domains.ttl",
            "task-kinds.ttl", "comparators.ttl", "periodicities.ttl", "units.ttl"} <= names
