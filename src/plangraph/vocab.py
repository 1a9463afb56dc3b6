"""Reference data read from the shipped vocabularies (rdflib graph API, no SPARQL)."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from .extract.concepts import ConceptEntry
from .graph.namespaces import PG
from .resources import ontology_dir
from .text import fold


@lru_cache(maxsize=1)
def concept_lexicon() -> tuple[ConceptEntry, ...]:
    """Every canonical indicator concept with its folded labels, for the extractor."""
    g = Graph()
    g.parse(data=ontology_dir().joinpath("vocab", "indicator-concepts.ttl").read_text(encoding="utf-8"), format="turtle")
    entries = []
    for concept in sorted(g.subjects(RDF.type, PG.IndicatorConcept)):
        labels = [str(lit) for p in (SKOS.prefLabel, SKOS.altLabel) for lit in g.objects(concept, p) if getattr(lit, "language", None) == "vi"]
        unit = g.value(concept, PG.defaultUnit)
        entries.append(ConceptEntry(
            id=str(concept).rsplit("/", 1)[-1],
            labels=tuple(sorted({fold(lab) for lab in labels}, key=len, reverse=True)),
            default_unit=str(unit).rsplit("/", 1)[-1] if unit else None,
        ))
    return tuple(entries)
