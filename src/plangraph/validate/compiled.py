"""Running the compiled shapes (validate/compiler.py) on a shard's store: pySHACL's results, as records.

Each query's rows become the `Result` records pySHACL's report holds (shape, component,
severity, path, value, messages), so findings and scores come from the same code for both
engines. A SPARQL-based constraint runs once with its focus nodes joined into its outer WHERE;
one whose messages aggregate with GROUP_CONCAT or SAMPLE (their order follows the store) runs
again for each focus node it reports, with `$this` bound, exactly as pySHACL runs it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDFS, Literal
from rdflib.namespace import SH

from ..errors import PlangraphError
from .compiler import CLASS_MARKER, QUERY_PREFIXES, CoreCheck, ShapePlan, SparqlCheck, UnsupportedShape, compiled
from .results import Result, path_text
from .shapes import source_graph
from .shapes import to_rdflib as _rdf


def _rows(store: ox.Store, query: str, **kwargs) -> tuple[list[str], list[tuple]]:
    res = store.query(query, prefixes=QUERY_PREFIXES, **kwargs)
    return [v.value for v in res.variables], [tuple(s) for s in res]


def _format(message: str, bound: dict) -> str:
    """pySHACL's substitution of {?var} and {$var} in a SPARQL-based result's message."""
    for var, val in bound.items():
        message = re.sub("{{[?$]{}}}".format(var), str(val), message)
    return message


def _run_core(store: ox.Store, check: CoreCheck, out: list[Result]) -> None:
    _, rows = _rows(store, check.query)
    for row in rows:
        focus = _rdf(row[0])
        if check.counts:  # sh:minCount and sh:maxCount of one property, counted once
            n, (low, high) = int(row[1].value), check.counts
            for broken, component in ((low is not None and n < low, "MinCount"), (n > high, "MaxCount")):
                if broken:
                    out.append(Result(focus, check.shape, f"{SH}{component}ConstraintComponent", check.severity,
                                      check.path, None, check.messages))
            continue
        value = _rdf(row[1]) if check.value else None
        if check.test is not None:
            ok = check.test(value, _rdf(row[2])) if len(row) > 2 else check.test(value)
            if ok:
                continue
        out.append(Result(focus, check.shape, check.component, check.severity, check.path, value, check.messages))


def _focus_nodes(store: ox.Store, targets: str, cache: dict) -> set:
    if targets not in cache:
        cache[targets] = {r[0] for r in _rows(store, f"SELECT DISTINCT ?this WHERE {{ {targets} }}")[1]}
    return cache[targets]


def _sparql_results(check: SparqlCheck, focus, columns: list[str], rows: list[tuple]) -> list[Result]:
    """pySHACL's reading of the rows of one focus node (SPARQLBasedConstraint)."""
    f = _rdf(focus)
    seen: list = []
    out = []
    for row in rows:
        bound = {c: _rdf(v) for c, v in zip(columns, row) if v is not None}
        if "failure" in bound:
            raise PlangraphError(f"{check.shape}: bộ máy SPARQL chưa hỗ trợ ?failure / ?failure results are not supported "
                                 "by the compiled SPARQL engine", "dùng / use --engine pyshacl")
        p, v, t = bound.pop("path", None), bound.pop("value", None), bound.pop("this", None)
        if p is None and v is None and t is None:
            continue
        key = (t, p, v, bound)
        if key in seen:
            continue
        seen.append(key)
        v = f if v is None else v  # a node shape reports its focus node as the value
        subst = dict(bound)
        for name, val in (("this", t), ("path", p), ("value", v)):
            if val is not None:
                subst[name] = val
        messages = [Literal(_format(str(m.value), subst)) for m in check.shape_messages]
        messages += [Literal(_format(str(m.value), subst)) for m in check.messages if m not in check.shape_messages]
        out.append(Result(t or f, check.shape, f"{SH}SPARQLConstraintComponent", check.severity,
                          path_text(source_graph(), p), v, tuple(messages), check.constraint))
    return out


def _run_sparql(store: ox.Store, check: SparqlCheck, focus: set, out: list[Result]) -> None:
    columns, rows = _rows(store, check.scoped)
    if "this" not in columns:
        raise UnsupportedShape(f"{check.shape}: truy vấn sh:select không chọn $this / the sh:select query does not select $this",
                               "thêm $this vào SELECT, hoặc dùng --engine pyshacl / SELECT $this, or use --engine pyshacl")
    i = columns.index("this")
    by_focus: dict = {}
    for row in rows:
        if row[i] in focus:
            by_focus.setdefault(row[i], []).append(row)
    for node in sorted(by_focus, key=str):
        if check.per_focus:
            cols, found = _rows(store, check.query, substitutions={ox.Variable("this"): node})
            out += _sparql_results(check, node, cols, found)
        else:
            out += _sparql_results(check, node, columns, by_focus[node])


def _classes(plans: dict[str, ShapePlan]) -> tuple[str, ...]:
    """Every class the compiled queries test membership of (targets, sh:class)."""
    found = set()
    for plan in plans.values():
        for text in [plan.targets, *(c.query for c in plan.core), *(c.scoped for c in plan.sparql)]:
            found.update(CLASS_MARKER.findall(text))
    return tuple(sorted(found))


def _render(plans: dict[str, ShapePlan], hierarchy: tuple) -> dict[str, ShapePlan]:
    """The plans with each class written out as itself and its subclasses in this hierarchy."""
    subclasses = dict(hierarchy)

    def render(text: str) -> str:
        return CLASS_MARKER.sub(lambda m: " ".join(subclasses[m.group(1)]), text)

    return {iri: replace(p, targets=render(p.targets), core=tuple(replace(c, query=render(c.query)) for c in p.core),
                         sparql=tuple(replace(c, scoped=render(c.scoped)) for c in p.sparql))
            for iri, p in plans.items()}


@lru_cache(maxsize=4)
def _rendered(hierarchy: tuple) -> dict[str, ShapePlan]:
    return _render(compiled(), hierarchy)


def _hierarchy(store: ox.Store, plans: dict[str, ShapePlan] | None = None) -> tuple:
    """Each tested class with its subclasses (rdfs:subClassOf*, itself included) in the store."""
    classes = _classes(compiled() if plans is None else plans)
    if not classes:
        return ()
    found: dict[str, set[str]] = {c: {c} for c in classes}
    query = f"SELECT ?c ?s WHERE {{ VALUES ?c {{ {' '.join(classes)} }} ?s <{RDFS.subClassOf}>* ?c }}"
    for c, sub in _rows(store, query)[1]:
        found[str(c)].add(str(sub))
    return tuple((c, tuple(sorted(found[c]))) for c in classes)


def _present(store: ox.Store, subclasses: dict[str, tuple[str, ...]]):
    """A test: may this shape have focus nodes in the store (an instance of one of its target
    classes or their subclasses, a triple with one of its target properties)?"""
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    memo: dict[tuple[str, str], bool] = {}

    def used(kind: str, iri: str) -> bool:
        if (kind, iri) not in memo:
            node = ox.NamedNode(iri[1:-1])
            pattern = (None, rdf_type, node) if kind == "type" else (None, node, None)
            memo[kind, iri] = next(store.quads_for_pattern(*pattern), None) is not None
        return memo[kind, iri]

    return lambda plan: plan.nodes or any(used("type", t) for c in plan.classes for t in subclasses[c]) \
        or any(used("property", p) for p in plan.predicates)


def evaluate(store: ox.Store, shapes: list[str], plans: dict[str, ShapePlan] | None = None) -> list[Result]:
    """Validate the store against these top-level shapes (IRIs): pySHACL's results, as records.
    `plans` (from compile_shapes) replaces the compiled shapes of ontology/shapes."""
    hierarchy = _hierarchy(store, plans)
    plans = _rendered(hierarchy) if plans is None else _render(plans, hierarchy)
    present = _present(store, dict(hierarchy))
    focus_cache: dict = {}
    out: list[Result] = []
    for iri in shapes:
        plan = plans[iri]
        if not present(plan):  # no focus node in this store: nothing to report
            continue
        for check in plan.core:
            _run_core(store, check, out)
        if plan.sparql:
            focus = _focus_nodes(store, plan.targets, focus_cache)
            for sparql in plan.sparql:
                _run_sparql(store, sparql, focus, out)
    return out
