"""The shapes graph as pySHACL runs it: the shape files, prepared for speed (the compiled
SPARQL engine, validate/compiler.py, reads the shape files as written).

Two rewrites, neither changing what is reported (tests/test_validate_shapes.py and
tests/test_validate_plans.py check that the prepared and the written shapes give the same
findings on every fixture and on the five plans):

* Every SPARQL query goes on one line. pySHACL checks a constraint's text with regexes,
  once per focus node, in time proportional to lines x characters.
* A SPARQL-based rule keeps its targets as the population it scores (catalogue) but is
  evaluated only on candidates: a SHACL-AF SPARQL target that runs the rule's own query
  once, with $this free, restricted to that population. pySHACL runs a SPARQL constraint
  once per focus node; a focus node outside the candidates would give no result anyway.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rdflib import RDF, RDFS, BNode, Graph, Literal
from rdflib.namespace import SH

from ..errors import PlangraphError
from .shapes import PGSH, source_graph

_COMMENT = re.compile(r"(^|\s)#")
_THIS = re.compile(r"\$this\b")


def one_line(query: str, where: str = "query") -> str:
    """The query on one line; queries in the shape files carry no # comments."""
    lines = [line.strip() for line in query.splitlines()]
    if any(_COMMENT.search(line) for line in lines):
        raise PlangraphError(f"{where}: a SPARQL constraint contains a # comment",
                             "move the comment out of sh:select into a Turtle comment")
    return " ".join(line for line in lines if line)


def _population(g: Graph, shape) -> str | None:
    """The shape's targets as a graph pattern over ?this (None: leave the shape as it is)."""
    if any(g.value(shape, p) is not None for p in (SH.targetNode, SH.target)):
        return None
    parts = [f"{{ ?this a/<{RDFS.subClassOf}>* <{c}> }}" for c in g.objects(shape, SH.targetClass)]
    parts += [f"{{ ?this <{p}> ?pgsh_o }}" for p in g.objects(shape, SH.targetSubjectsOf)]
    parts += [f"{{ ?pgsh_s <{p}> ?this }}" for p in g.objects(shape, SH.targetObjectsOf)]
    return " UNION ".join(parts) or None


def _candidates(g: Graph, shape) -> None:
    constraints = list(g.objects(shape, SH.sparql))
    if len(constraints) != 1 or g.value(shape, PGSH.ruleCode) is None:
        return
    population = _population(g, shape)
    if population is None:
        return
    query = str(g.value(constraints[0], SH.select))
    select = f"SELECT DISTINCT ?this WHERE {{ {population} {{ {_THIS.sub('?this', query)} }} }}"
    for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf):
        g.remove((shape, p, None))
    target = BNode()
    g.add((shape, SH.target, target))
    g.add((target, RDF.type, SH.SPARQLTarget))
    for prefixes in g.objects(constraints[0], SH.prefixes):
        g.add((target, SH.prefixes, prefixes))
    g.add((target, SH.select, Literal(select)))


@lru_cache(maxsize=2)
def shapes_graph(candidates: bool = True) -> Graph:
    """The shapes graph pySHACL validates with (cached per process)."""
    g = Graph()
    g += source_graph()
    for node, query in list(g.subject_objects(SH.select)):
        g.set((node, SH.select, Literal(one_line(str(query), node.n3()))))
    if candidates:
        for shape in set(g.subjects(PGSH.ruleCode, None)):
            _candidates(g, shape)
    return g
