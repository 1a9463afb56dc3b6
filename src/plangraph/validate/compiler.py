"""The shapes compiled to SPARQL: each constraint becomes one SELECT for all its focus nodes.

pySHACL checks core constraints one focus node at a time in Python; here every constraint of
ontology/shapes becomes one query over the shard's pyoxigraph store that returns the focus
nodes (and values) that break it (run by validate/compiled.py). The shapes graph stays the
single source of truth: the queries are derived from it when a process first needs them.

Where SPARQL and pySHACL could disagree on a value (ill-typed literals, Python regular
expressions, rdflib's literal order), a query returns only the values that may fail and
pySHACL's own test (validate/values.py) decides. A class is written as a marker that is
replaced by the class and its subclasses in the store being validated.

A shape using a constraint the compiler does not know is an UnsupportedShape error naming the
shape: nothing is silently skipped. docs/VALIDATION.md ("Two engines") lists what is supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from ..errors import PlangraphError
from .results import path_text
from .shapes import catalogue, source_graph
from .sparql_text import (_AGGREGATES_IN_ORDER, ORDER_COUNT, TARGET_MARKER, UnsupportedShape, _check_select,
                          _order_counts, _prefixes, _scoped, _unsupported, _without_strings)
from .values import (datatype_ok, languages_ok, less_or_equal_ok, min_inclusive_ok, min_length_ok,
                     pattern_ok)

# What pySHACL's oxigraph backend passes to every query as default prefixes.
QUERY_PREFIXES = {"owl": str(OWL), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD),
                  "xml": "http://www.w3.org/XML/1998/namespace"}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Shape predicates that carry no constraint (or are handled with the one they belong to).
_NOT_CONSTRAINTS = {SH.path, SH.severity, SH.message, SH.name, SH.description, SH.order, SH.group,
                    SH.deactivated, SH.defaultValue, SH.property, SH.sparql, SH.flags,
                    SH.qualifiedMinCount, SH.qualifiedValueShapesDisjoint, *_TARGETS}
_STRING_TYPES = f"<{XSD.string}>, <{RDF.langString}>"
# Lexical forms rdflib certainly parses for these datatypes (anything else goes to pySHACL's test).
_WELL_FORMED = {
    XSD.string: None,
    XSD.integer: "^[0-9]+$",
    XSD.decimal: "^[0-9]+([.][0-9]+)?$",
    XSD.date: "^[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$",
}
_NUMERIC = f"<{XSD.integer}>, <{XSD.decimal}>"


@dataclass(frozen=True)
class CoreCheck:
    """One core constraint of one (property) shape, for all focus nodes of its top shape."""

    shape: str                  # n3 of the shape reporting the result
    component: str
    severity: str
    path: str | None            # compact result path (property shapes)
    messages: tuple             # the shape's sh:message literals, as pySHACL reports them
    query: str                  # SELECT ?this [?v [?o]] (the rows that may fail)
    value: bool                 # results carry ?v as sh:value
    test: Callable | None = None  # pySHACL's own test on rdflib terms: True = conforms
    counts: tuple = ()          # (minCount, maxCount) of one query selecting ?this ?n for both
    # The checks of all shapes with the same focus nodes run together (validate/compiled.py),
    # from these parts rather than `query`. `counted`: sh:minCount / sh:maxCount of at most 1,
    # (value pattern, minCount, maxCount): "no value" and "two different values" are conditions
    # on one focus node. `where`: a check returning values (?v, and ?o for sh:lessThanOrEquals),
    # the body of its query's WHERE, one branch of a UNION.
    counted: tuple = ()
    where: str = ""


@dataclass(frozen=True)
class SparqlCheck:
    """One sh:sparql constraint of a node shape."""

    shape: str
    constraint: str             # n3 of the sh:sparql node
    severity: str
    query: str                  # as pySHACL runs it: prefixes, then the SELECT on one line
    scoped: str                 # the same, its outer WHERE starting with the shape's focus nodes
    messages: tuple             # the constraint's sh:message literals (substituted per row)
    shape_messages: tuple
    per_focus: bool             # rerun with $this bound (aggregates whose order follows the store)
    # `scoped` also selects ?pgsh_order0... = COUNT(DISTINCT x) of each GROUP_CONCAT(x) / SAMPLE(x)
    # it projects: a focus node needs the rerun only where one counts more than one value.
    orders: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShapePlan:
    targets: str                # a group graph pattern binding ?this to the shape's focus nodes
    core: tuple[CoreCheck, ...]
    sparql: tuple[SparqlCheck, ...]
    classes: tuple[str, ...] = ()     # its target classes, <IRI>
    predicates: tuple[str, ...] = ()  # the properties of its targetSubjectsOf / targetObjectsOf
    nodes: bool = False               # it has sh:targetNode: focus nodes whatever the data


# --------------------------------------------------------------------------- compiling

def _term(node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise PlangraphError(f"cannot use {node!r} as a SPARQL constant", "use IRIs or literals in shapes")


def _path(g: Graph, node, shape) -> str:
    """A SHACL path as a SPARQL property path."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if not isinstance(node, BNode):
        raise _unsupported(shape, f"the path {node!r}")
    if g.value(node, RDF.first) is not None:
        return "(" + "/".join(_path(g, p, shape) for p in g.items(node)) + ")"
    for prop, fmt in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"),
                      (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
        inner = g.value(node, prop)
        if inner is not None:
            return fmt.format(_path(g, inner, shape))
    alternatives = g.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(g, p, shape) for p in g.items(alternatives)) + ")"
    raise _unsupported(shape, "this kind of sh:path")


def _targets(g: Graph, shape) -> str:
    if g.value(shape, SH.target) is not None:
        raise _unsupported(shape, "sh:target (SHACL-AF targets)")
    if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, OWL.Class) in g:
        raise _unsupported(shape, "an implicit class target")
    classes = sorted(g.objects(shape, SH.targetClass))
    others = [*g.objects(shape, SH.targetNode), *g.objects(shape, SH.targetSubjectsOf), *g.objects(shape, SH.targetObjectsOf)]
    if len(classes) == 1 and not others:
        return f"«?this a {_term(classes[0])}»"
    parts = [f"{{ {_instance('?this', c, 'pgsh_tc')} }}" for c in classes]
    parts += [f"{{ VALUES ?this {{ {_term(n)} }} }}" for n in sorted(g.objects(shape, SH.targetNode))]
    parts += [f"{{ ?this {_term(p)} [] }}" for p in sorted(g.objects(shape, SH.targetSubjectsOf))]
    parts += [f"{{ [] {_term(p)} ?this }}" for p in sorted(g.objects(shape, SH.targetObjectsOf))]
    if not parts:
        return ""
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


# Class membership is written as a marker, replaced when the plans are rendered for a store
# (validate/compiled.py) by the class and its subclasses there: «?this a <C>» = the focus
# nodes of a shape with one target class (each once; TARGET_MARKER, in sparql_text.py), «?x a
# <C> ?tmp» = ?x is an instance.
CLASS_MARKER = re.compile(r"«(\?\w+) a (<[^>]+>) (\?\w+)»")


def _instance(var: str, cls, tmp: str) -> str:
    """`var rdf:type/rdfs:subClassOf* cls`, with the classes written out when the plans are
    rendered for a store (oxigraph evaluates the path for every typed node otherwise)."""
    return f"«{var} a {_term(cls)} ?{tmp}»"


def render_classes(text: str, subclasses: dict[str, tuple[str, ...]]) -> str:
    """The markers of `text` written out with each class and its subclasses in the store."""
    rdf_type = f"<{RDF.type}>"

    def target(m: re.Match) -> str:
        found = subclasses[m.group(1)]
        if len(found) == 1:
            return f"?this {rdf_type} {found[0]} ."
        return f"{{ SELECT DISTINCT ?this WHERE {{ VALUES ?pgsh_tc {{ {' '.join(found)} }} ?this {rdf_type} ?pgsh_tc . }} }}"

    def instance(m: re.Match) -> str:
        var, found, tmp = m.group(1), subclasses[m.group(2)], m.group(3)
        if len(found) == 1:
            return f"{var} {rdf_type} {found[0]} ."
        return f"VALUES {tmp} {{ {' '.join(found)} }} {var} {rdf_type} {tmp} ."

    return CLASS_MARKER.sub(instance, TARGET_MARKER.sub(target, text))


def marked_classes(text: str) -> set[str]:
    return set(TARGET_MARKER.findall(text)) | {m[1] for m in CLASS_MARKER.findall(text)}


def _one(g: Graph, shape, prop):
    values = list(g.objects(shape, prop))
    if len(values) > 1:
        raise _unsupported(shape, f"more than one {prop.n3(g.namespace_manager)}")
    return values[0] if values else None


def _value_filter(g: Graph, shape, prop, param) -> tuple[str, Callable | None, str]:
    """(SPARQL filter keeping the values that may fail, exact test or None, component)."""
    if prop == SH["class"]:
        return f"FILTER NOT EXISTS {{ {_instance('?v', param, 'pgsh_vc')} }}", None, "Class"
    if prop == SH.nodeKind:
        kinds = {SH.IRI: "!isIRI(?v)", SH.BlankNode: "!isBlank(?v)", SH.Literal: "!isLiteral(?v)",
                 SH.BlankNodeOrIRI: "isLiteral(?v)", SH.BlankNodeOrLiteral: "isIRI(?v)", SH.IRIOrLiteral: "isBlank(?v)"}
        if param not in kinds:
            raise _unsupported(shape, f"sh:nodeKind {param}")
        return f"FILTER({kinds[param]})", None, "NodeKind"
    if prop == SH["in"]:
        members = list(g.items(param))
        if any(not isinstance(m, URIRef) for m in members):
            raise _unsupported(shape, "sh:in with literals or blank nodes")
        same = " || ".join(f"sameTerm(?v, <{m}>)" for m in members) or "false"
        return f"FILTER(!({same}))", None, "In"
    if prop == SH.datatype:
        well_formed = f"sameTerm(DATATYPE(?v), <{param}>)"
        if param not in _WELL_FORMED:
            check = "true"
        elif _WELL_FORMED[param] is None:
            check = f"!({well_formed})"
        else:
            check = f"!COALESCE({well_formed} && REGEX(STR(?v), \"{_WELL_FORMED[param]}\"), false)"
        return f"FILTER(!isLiteral(?v) || {check})", datatype_ok(param), "Datatype"
    if prop == SH.minLength:
        n = int(param)
        fast = f"(isIRI(?v) || (isLiteral(?v) && DATATYPE(?v) IN ({_STRING_TYPES}))) && STRLEN(STR(?v)) >= {n}"
        return f"FILTER(!COALESCE({fast}, false))", min_length_ok(n), "MinLength"
    if prop == SH.pattern:
        return "", pattern_ok(param, _one(g, shape, SH.flags)), "Pattern"
    if prop == SH.minInclusive:
        if not isinstance(param, Literal):
            raise _unsupported(shape, "a non-literal sh:minInclusive")
        fast = f"DATATYPE(?v) IN ({_NUMERIC}) && isNumeric(?v) && ?v >= {param.n3()}"
        pre = f"FILTER(!COALESCE({fast}, false))" if param.datatype in (XSD.integer, XSD.decimal) else ""
        return pre, min_inclusive_ok(param), "MinInclusive"
    if prop == SH.languageIn:
        languages = {str(x.value).lower() for x in g.items(param)}
        listed = ", ".join(Literal(x).n3() for x in sorted(languages))
        return f"FILTER(!COALESCE(LCASE(LANG(?v)) IN ({listed}), false))", languages_ok(languages), "LanguageIn"
    raise _unsupported(shape, prop.n3(g.namespace_manager))


def _qualified_conforms(g: Graph, qualified, shape) -> str:
    """A SPARQL condition on ?v: does the value conform to the qualified value shape?"""
    parts = []
    for prop, param in sorted(g.predicate_objects(qualified), key=lambda po: (str(po[0]), str(po[1]))):
        if prop == RDF.type or not str(prop).startswith(str(SH)):
            continue
        if prop == SH.languageIn:
            listed = {str(x.value).lower() for x in g.items(param)}
            langs = ", ".join(Literal(x).n3() for x in sorted(listed))
            parts.append(f"(isLiteral(?v) && LANG(?v) != \"\" && ({'true' if '*' in listed else 'false'} || "
                         f"LCASE(LANG(?v)) IN ({langs}) || LCASE(STRBEFORE(LANG(?v), \"-\")) IN ({langs})))")
        elif prop == SH["class"]:
            parts.append(f"EXISTS {{ {_instance('?v', param, 'pgsh_qc')} }}")
        elif prop == SH.nodeKind:
            kinds = {SH.IRI: "isIRI(?v)", SH.BlankNode: "isBlank(?v)", SH.Literal: "isLiteral(?v)",
                     SH.BlankNodeOrIRI: "!isLiteral(?v)", SH.BlankNodeOrLiteral: "!isIRI(?v)", SH.IRIOrLiteral: "!isBlank(?v)"}
            if param not in kinds:
                raise _unsupported(shape, f"sh:nodeKind {param}")
            parts.append(kinds[param])
        else:
            raise _unsupported(shape, f"{prop.n3(g.namespace_manager)} inside sh:qualifiedValueShape")
    return " && ".join(parts) or "true"


def _core_checks(g: Graph, shape, targets: str, path_node) -> list[CoreCheck]:
    """The core constraints of one shape; `path_node` None = the focus node is the value."""
    if str(_one(g, shape, SH.deactivated)).lower() == "true":
        return []
    severity = str(_one(g, shape, SH.severity) or SH.Violation)
    messages = tuple(g.objects(shape, SH.message))
    key = shape.n3()
    if path_node is None:
        value_pattern = "BIND(?this AS ?v)"
        shown = None
    else:
        value_pattern = f"?this {_path(g, path_node, shape)} ?v ."
        shown = path_text(g, path_node)

    def check(component: str, query: str, value: bool, test=None) -> CoreCheck:
        return CoreCheck(key, f"{SH}{component}ConstraintComponent", severity, shown, messages,
                         f"SELECT DISTINCT ?this {'?v' if value else ''} WHERE {{ {targets} {query} }}"
                         if not query.startswith("SELECT") else query, value, test)

    out = []
    for prop, param in sorted(g.predicate_objects(shape), key=lambda po: (str(po[0]), str(po[1]))):
        if prop in _NOT_CONSTRAINTS or not str(prop).startswith(str(SH)) or prop == RDF.type:
            continue
        if prop in (SH.minCount, SH.maxCount) and path_node is None:
            raise _unsupported(shape, "sh:minCount or sh:maxCount on a node shape")
        if prop in (SH.minCount, SH.maxCount):
            if prop == SH.maxCount and _one(g, shape, SH.minCount) is not None:
                continue  # checked with sh:minCount, in one query
            low = _one(g, shape, SH.minCount)
            high = _one(g, shape, SH.maxCount)
            low, high = (int(low) if low is not None else None), (int(high) if high is not None else None)
            counted = (value_pattern, low, high) if low in (None, 0, 1) and high in (None, 0, 1) and (low or high is not None) \
                else ()
            if high is None and low == 1:
                out.append(replace(check("MinCount", f"FILTER NOT EXISTS {{ {value_pattern} }}", False), counted=counted))
            elif high is None and low and low > 1:
                out.append(check("MinCount", f"SELECT ?this WHERE {{ {targets} OPTIONAL {{ {value_pattern} }} }} "
                                             f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {low})", False))
            elif high is not None:
                tests = [f"COUNT(DISTINCT ?v) > {high}"] + ([f"COUNT(DISTINCT ?v) < {low}"] if low else [])
                out.append(replace(check("MinCount", f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {targets} "
                                                     f"OPTIONAL {{ {value_pattern} }} }} GROUP BY ?this "
                                                     f"HAVING ({' || '.join(tests)})", False), counts=(low, high),
                                   counted=counted))
        elif prop == SH.lessThanOrEquals:
            if path_node is None:
                raise _unsupported(shape, "sh:lessThanOrEquals on a node shape")
            fast = f"DATATYPE(?v) IN ({_NUMERIC}) && DATATYPE(?o) IN ({_NUMERIC}) && isNumeric(?v) && isNumeric(?o) && ?v <= ?o"
            where = f"{targets} {value_pattern} ?this {_term(param)} ?o . FILTER(!COALESCE({fast}, false))"
            out.append(replace(check("LessThanOrEquals", f"SELECT DISTINCT ?this ?v ?o WHERE {{ {where} }}", True,
                                     less_or_equal_ok), where=where))
        elif prop == SH.qualifiedValueShape:
            if path_node is None:
                raise _unsupported(shape, "sh:qualifiedValueShape on a node shape")
            if _one(g, shape, SH.qualifiedValueShapesDisjoint) not in (None, Literal(False)):
                raise _unsupported(shape, "sh:qualifiedValueShapesDisjoint")
            minimum = _one(g, shape, SH.qualifiedMinCount)
            if g.value(shape, SH.qualifiedMaxCount) is not None or minimum is None:
                raise _unsupported(shape, "sh:qualifiedValueShape without exactly sh:qualifiedMinCount")
            conforms = _qualified_conforms(g, param, shape)
            out.append(CoreCheck(key, f"{SH}QualifiedMinCountConstraintComponent", severity, shown, messages,
                                 f"SELECT ?this WHERE {{ {targets} OPTIONAL {{ {value_pattern} FILTER({conforms}) }} }} "
                                 f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {int(minimum)})", False))
        elif prop in (SH.node, SH["and"], SH["or"], SH["not"], SH.xone):
            raise _unsupported(shape, prop.n3(g.namespace_manager))
        else:
            pre, test, component = _value_filter(g, shape, prop, param)
            out.append(replace(check(component, f"{value_pattern} {pre}", True, test), where=f"{targets} {value_pattern} {pre}"))
    for child in sorted(g.objects(shape, SH.property)):
        out += _core_checks(g, child, targets, _one(g, child, SH.path) or _missing_path(child))
    return out


def _missing_path(shape):
    raise _unsupported(shape, "a property shape without sh:path")


def _sparql_checks(g: Graph, shape, targets: str) -> list[SparqlCheck]:
    from .engine import one_line

    out = []
    severity = str(_one(g, shape, SH.severity) or SH.Violation)
    for node in sorted(g.objects(shape, SH.sparql)):
        if str(_one(g, node, SH.deactivated)).lower() == "true":
            continue
        select = _one(g, node, SH.select)
        if select is None:
            raise _unsupported(shape, "sh:sparql without sh:select")
        text = str(select)
        if re.search(r"\$(PATH|currentShape|shapesGraph)\b", text):
            raise _unsupported(shape, "$PATH, $currentShape or $shapesGraph in sh:select")
        _check_select(text, shape)
        query = f"{_prefixes(g, node)}\n{one_line(text, node.n3())}"
        per_focus = bool(_AGGREGATES_IN_ORDER.search(_without_strings(text)))
        counts = _order_counts(query) if per_focus else ()
        out.append(SparqlCheck(
            shape.n3(), node.n3(), severity, query, _scoped(query, targets, shape, " ".join(counts or ())),
            tuple(g.objects(node, SH.message)), tuple(g.objects(shape, SH.message)),
            per_focus, tuple(f"{ORDER_COUNT}{i}" for i in range(len(counts or ()))),
        ))
    return out


def compile_shapes(g: Graph, shapes) -> dict[str, ShapePlan]:
    """Compile these top-level shapes of shapes graph `g`; UnsupportedShape names the first
    shape using a constraint the engine does not implement."""
    plans = {}
    for shape in shapes:
        targets = _targets(g, shape)
        if not targets:
            raise _unsupported(shape, "a rule shape without targets")
        path = _one(g, shape, SH.path)
        if path is None and g.value(shape, RDF.type) == SH.PropertyShape:
            raise _unsupported(shape, "a property shape without sh:path")
        if path is not None and g.value(shape, SH.sparql) is not None:
            raise _unsupported(shape, "sh:sparql on a property shape")
        plans[str(shape)] = ShapePlan(
            targets, tuple(_core_checks(g, shape, targets, path)), tuple(_sparql_checks(g, shape, targets)),
            tuple(sorted(_term(c) for c in g.objects(shape, SH.targetClass))),
            tuple(sorted(_term(p) for t in (SH.targetSubjectsOf, SH.targetObjectsOf) for p in g.objects(shape, t))),
            g.value(shape, SH.targetNode) is not None)
    return plans


@lru_cache(maxsize=1)
def compiled() -> dict[str, ShapePlan]:
    """Every rule shape (IRI) compiled once per process, from ontology/shapes as written."""
    return compile_shapes(source_graph(), [s for shapes in catalogue().rule_shapes.values() for s in shapes])
