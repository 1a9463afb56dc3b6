"""The shapes graph (ontology/shapes/*.ttl) and the rule catalogue read from it.

Every rule is one shape carrying `pgsh:ruleCode`; results of property shapes nested in a
rule shape (sh:property) count for that rule. Messages and fixes come from the shape (or,
for SPARQL-based rules, from its sh:sparql constraint) in @vi and @en.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH

from ..errors import PlangraphError
from ..resources import shape_files
from .findings import Rule, Severity

PGSH = Namespace("https://w3id.org/plangraph/shapes#")
REFERENCE_CODES = re.compile(r"^PG-VOC-")
_VAR = re.compile(r"\{[?$]\w+\}")
TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


@dataclass(frozen=True)
class Catalogue:
    """The rules, which shape node belongs to which rule, and message templates.

    A rule is usually one shape; a rule over several fields of a frequent record (a source
    excerpt's file, lines, quote) is several flat property shapes sharing its code, because
    pySHACL evaluates property shapes nested under a node shape once per focus node.
    """

    rules: dict[str, Rule]
    shape_rule: dict[str, str]          # shape or nested property shape (n3) -> rule code
    rule_shapes: dict[str, tuple[URIRef, ...]]  # rule code -> its top-level shapes
    templates: dict[str, list[tuple[str, re.Pattern]]]  # constraint/shape (n3) -> (lang, regex)
    targets: dict[str, tuple[tuple[str, str], ...]]     # rule code -> ((kind, IRI), ...)

    def language_of(self, node_key: str, message: str) -> str | None:
        """Which language a (possibly substituted) result message is in: 'vi', 'en' or None."""
        for lang, pattern in self.templates.get(node_key, []):
            if pattern.fullmatch(message):
                return lang
        return None

    def codes_for(self, kind: str) -> list[str]:
        """Rule codes a shard of this kind validates ('plan' or 'reference')."""
        ref = kind == "reference"
        return [code for code in self.rules if bool(REFERENCE_CODES.match(code)) == ref]

    def shapes_for(self, kind: str) -> list[str]:
        """Top-level shape IRIs a shard of this kind validates with."""
        return [str(s) for code in self.codes_for(kind) for s in self.rule_shapes[code]]


@lru_cache(maxsize=1)
def source_graph() -> Graph:
    """All shape files as one rdflib Graph, as written (parsed once per process)."""
    import pyoxigraph as ox

    g = Graph()
    files = shape_files()
    if not files:
        raise PlangraphError("no SHACL shapes found in ontology/shapes", "reinstall plangraph or restore ontology/shapes/*.ttl")
    for f in files:  # parsed by pyoxigraph (several times faster than rdflib's Turtle parser)
        try:
            quads = list(ox.parse(input=f.read_bytes(), format=ox.RdfFormat.TURTLE))
        except (SyntaxError, ValueError) as exc:
            raise PlangraphError(f"ontology/shapes/{f.name}: {exc}", "fix the Turtle syntax of the shapes file") from exc
        for q in quads:
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term (shapes and fixtures hold no quoted triples)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _text(g: Graph, node, prop, lang: str) -> str:
    for value in g.objects(node, prop):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return ""


def _pattern(template: str) -> re.Pattern:
    parts = _VAR.split(template)
    return re.compile("(.*?)".join(re.escape(p) for p in parts), re.DOTALL)


def _nested(g: Graph, shape) -> list:
    """Property shapes nested in a rule shape: sh:property, and the members of sh:or/sh:and lists."""
    out = []
    stack = [shape]
    while stack:
        node = stack.pop()
        for p in (SH.property, SH.node, SH.qualifiedValueShape):
            for child in g.objects(node, p):
                if isinstance(child, BNode):
                    out.append(child)
                    stack.append(child)
        for p in (SH["or"], SH["and"], SH.xone):
            for lst in g.objects(node, p):
                for child in g.items(lst):
                    if isinstance(child, BNode):
                        out.append(child)
                        stack.append(child)
    return out


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    g = source_graph()
    rules: dict[str, Rule] = {}
    shape_rule: dict[str, str] = {}
    rule_shapes: dict[str, list[URIRef]] = {}
    templates: dict[str, list[tuple[str, re.Pattern]]] = {}
    targets: dict[str, set[tuple[str, str]]] = {}
    for shape, code_lit in sorted(g.subject_objects(PGSH.ruleCode)):
        code = str(code_lit)
        sparql = g.value(shape, SH.sparql)
        msg_node = sparql if sparql is not None and g.value(sparql, SH.message) is not None else shape
        rule = Rule(
            code=code, severity=Severity.from_iri(str(g.value(shape, SH.severity) or SH.Violation)),
            category=str(g.value(shape, PGSH.category) or ""),
            message_vi=_text(g, msg_node, SH.message, "vi"), message_en=_text(g, msg_node, SH.message, "en"),
            fix_vi=_text(g, shape, PGSH.fix, "vi"), fix_en=_text(g, shape, PGSH.fix, "en"), shape=str(shape),
        )
        if not (rule.message_vi and rule.message_en and rule.fix_vi and rule.fix_en):
            raise PlangraphError(f"shape {shape} ({code}) lacks sh:message or pgsh:fix in @vi and @en",
                                 "give every rule shape both messages and both fixes")
        first = rules.setdefault(code, rule)
        if (first.severity, first.category) != (rule.severity, rule.category):
            raise PlangraphError(f"the shapes of rule {code} disagree on severity or category",
                                 "shapes sharing a rule code must share its severity and category")
        rule_shapes.setdefault(code, []).append(shape)
        shape_rule[shape.n3()] = code
        for child in _nested(g, shape):
            shape_rule.setdefault(child.n3(), code)
        if sparql is not None:  # core results keep their language tags; substituted ones do not
            templates[msg_node.n3()] = [("vi", _pattern(rule.message_vi)), ("en", _pattern(rule.message_en))]
        targets.setdefault(code, set()).update(
            (p.split("#")[-1], str(o)) for p in TARGET_PREDICATES for o in g.objects(shape, p))
    return Catalogue(
        rules=dict(sorted(rules.items())), shape_rule=shape_rule,
        rule_shapes={c: tuple(v) for c, v in rule_shapes.items()}, templates=templates,
        targets={c: tuple(sorted(v)) for c, v in targets.items()},
    )


def compact(term) -> str:
    """A short readable form of an IRI or literal (pg:docNumber, uom:percent, 2026-03-15)."""
    text = str(term)
    for prefix, ns in _PREFIXES:
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text


_PREFIXES = (
    ("pg", "https://w3id.org/plangraph/ontology#"),
    ("cmp", "https://w3id.org/plangraph/vocab/comparator/"),
    ("uom", "https://w3id.org/plangraph/vocab/unit/"),
    ("pgv", "https://w3id.org/plangraph/vocab/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("rdfs", str(RDFS)),
    ("rdf", str(RDF)),
    ("org", "http://www.w3.org/ns/org#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("sh", str(SH)),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
)
