"""Namespaces of the ontology, the vocabularies and the standards it builds on."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from ..config import DEFAULT_BASE

PG = Namespace(f"{DEFAULT_BASE}ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")


def vocab(scheme: str, base: str = DEFAULT_BASE) -> Namespace:
    """The namespace of one SKOS vocabulary, e.g. vocab("unit").percent."""
    return Namespace(f"{base}vocab/{scheme}/")


# External vocabularies whose terms the project may use without declaring them.
EXTERNAL = {
    str(RDF): RDF, str(RDFS): RDFS, str(OWL): OWL, str(XSD): XSD, str(SKOS): SKOS,
    str(DCTERMS): DCTERMS, str(PROV): PROV, str(ORG): ORG, str(ELI): ELI,
    str(SDMX_ATTRIBUTE): SDMX_ATTRIBUTE, str(SDMX_DIMENSION): SDMX_DIMENSION,
}

PREFIXES = {
    "pg": PG, "eli": ELI, "org": ORG, "skos": SKOS, "dcterms": DCTERMS, "prov": PROV,
    "rdfs": RDFS, "owl": OWL, "xsd": XSD,
}
