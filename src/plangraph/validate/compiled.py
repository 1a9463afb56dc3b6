"""Running the compiled shapes (validate/compiler.py) on a shard's store: pySHACL's results, as records.

Each query's rows become the `Result` records pySHACL's report holds (shape, component,
severity, path, value, messages), so findings and scores come from the same code for both
engines. The sh:minCount / sh:maxCount checks of all shapes with the same focus nodes run as
one query of flags ("no value", "two different values"), and their value checks as one UNION.
A SPARQL-based constraint runs once with its focus nodes joined into its outer WHERE. One
whose messages aggregate with GROUP_CONCAT or SAMPLE lists values in the order the store
returns them: where such an aggregate has two or more distinct values for a focus node, the
query runs again for that focus node with `$this` bound, exactly as pySHACL runs it (one value
reads the same in any order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDFS, Literal
from rdflib.namespace import SH

from ..errors import PlangraphError
from .compiler import (QUERY_PREFIXES, CoreCheck, ShapePlan, SparqlCheck, UnsupportedShape, compiled, marked_classes,
                       render_classes)
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
    counts = [columns.index(c) for c in check.orders]
    kept = [n for n in range(len(columns)) if n not in counts]
    by_focus: dict = {}
    for row in rows:
        if row[i] in focus:
            by_focus.setdefault(row[i], []).append(row)
    for node in sorted(by_focus, key=str):
        found = by_focus[node]
        if check.per_focus and (not counts or any(int(row[n].value) > 1 for row in found for n in counts)):
            cols, found = _rows(store, check.query, substitutions={ox.Variable("this"): node})
            out += _sparql_results(check, node, cols, found)
        else:
            out += _sparql_results(check, node, [columns[n] for n in kept], [tuple(row[n] for n in kept) for row in found])


def _classes(plans: dict[str, ShapePlan]) -> tuple[str, ...]:
    """Every class the compiled queries test membership of (targets, sh:class)."""
    found = set()
    for plan in plans.values():
        for text in [plan.targets, *(c.query for c in plan.core), *(c.scoped for c in plan.sparql)]:
            found |= marked_classes(text)
    return tuple(sorted(found))


def _render(plans: dict[str, ShapePlan], hierarchy: tuple) -> dict[str, ShapePlan]:
    """The plans with each class written out as itself and its subclasses in this hierarchy."""
    subclasses = dict(hierarchy)

    def render(text: str) -> str:
        return render_classes(text, subclasses)

    return {iri: replace(p, targets=render(p.targets),
                         core=tuple(replace(c, query=render(c.query), where=render(c.where)) for c in p.core),
                         sparql=tuple(replace(c, scoped=render(c.scoped)) for c in p.sparql))
            for iri, p in plans.items()}


@lru_cache(maxsize=4)
def _rendered(hierarchy: tuple) -> dict[str, ShapePlan]:
    return _render(compiled(), hierarchy)


def _hierarchy(store: ox.Store, plans: dict[str, ShapePlan] | None = None) -> tuple:
    """Each tested class with its subclasses (rdfs:subClassOf*, itself included) in the store."""
    if plans is None:  # the same rdfs:subClassOf triples give the same hierarchy: ask once
        key = frozenset((str(q.subject), str(q.object)) for q in store.quads_for_pattern(None, _SUBCLASS_OF, None))
        if key not in _HIERARCHIES:
            _HIERARCHIES[key] = _subclasses(store, _classes(compiled()))
        return _HIERARCHIES[key]
    return _subclasses(store, _classes(plans))


_SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))
_HIERARCHIES: dict[frozenset, tuple] = {}


def _subclasses(store: ox.Store, classes: tuple[str, ...]) -> tuple:
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


@dataclass(frozen=True)
class CoreGroup:
    """The core checks of all shapes with the same focus nodes, in two queries. `counts`: the
    sh:minCount / sh:maxCount checks with bounds of at most 1, one flag per condition and focus
    node ("no value on the path", "two different values"), each flag exactly the failure of the
    checks listed with it. `values`: the checks returning values, as one UNION of their own
    queries (each branch tagged ?pgsh_k)."""

    plan: ShapePlan                                   # one of the shapes (its targets, for `_present`)
    counts: str = ""                                  # SELECT ?this ?pgsh_f0 ... (a flag set)
    flags: tuple[tuple[str, tuple[CoreCheck, ...]], ...] = ()  # per flag: the component and the checks
    values: str = ""                                  # SELECT DISTINCT ?pgsh_k ?this ?v ?o
    valued: tuple[CoreCheck, ...] = ()                # per ?pgsh_k


def _count_conditions(check: CoreCheck) -> list[tuple[str, str]]:
    pattern, low, high = check.counted
    out = []
    if low == 1:
        out.append((f"NOT EXISTS {{ {pattern} }}", "MinCount"))
    if high == 0:
        out.append((f"EXISTS {{ {pattern} }}", "MaxCount"))
    elif high == 1:
        other = pattern.removesuffix(" ?v .") + " ?pgsh_w ."
        out.append((f"EXISTS {{ {pattern} {other} FILTER(!sameTerm(?v, ?pgsh_w)) }}", "MaxCount"))
    return out


def _core_groups(plans: dict[str, ShapePlan], shapes: tuple[str, ...]) -> tuple[CoreGroup, ...]:
    by_targets: dict[str, tuple[ShapePlan, dict, list]] = {}
    for iri in shapes:
        plan = plans[iri]
        for check in plan.core:
            if check.counted or check.where:
                _, conditions, valued = by_targets.setdefault(plan.targets, (plan, {}, []))
                if check.where:
                    valued.append(check)
                for condition, component in _count_conditions(check) if check.counted else ():
                    conditions.setdefault(condition, (component, []))[1].append(check)
    groups = []
    for targets, (plan, conditions, valued) in by_targets.items():
        group: dict = {"plan": plan}
        if conditions:
            names = [f"?pgsh_f{i}" for i in range(len(conditions))]
            binds = " ".join(f"BIND({condition} AS {name})" for condition, name in zip(conditions, names))
            group["counts"] = f"SELECT ?this {' '.join(names)} WHERE {{ {targets} {binds} FILTER({' || '.join(names)}) }}"
            group["flags"] = tuple((c, tuple(checks)) for c, checks in conditions.values())
        if valued:
            branches = " UNION ".join(f"{{ {c.where} BIND({k} AS ?pgsh_k) }}" for k, c in enumerate(valued))
            group["values"] = f"SELECT DISTINCT ?pgsh_k ?this ?v ?o WHERE {{ {branches} }}"
            group["valued"] = tuple(valued)
        groups.append(CoreGroup(**group))
    return tuple(groups)


@lru_cache(maxsize=8)
def _grouped(hierarchy: tuple, shapes: tuple[str, ...]) -> tuple[CoreGroup, ...]:
    return _core_groups(_rendered(hierarchy), shapes)


def _run_group(store: ox.Store, group: CoreGroup, out: list[Result]) -> None:
    if group.counts:
        for row in _rows(store, group.counts)[1]:
            focus = None
            for flag, (component, checks) in zip(row[1:], group.flags):
                if flag.value == "true":
                    focus = _rdf(row[0]) if focus is None else focus
                    out += [Result(focus, c.shape, f"{SH}{component}ConstraintComponent", c.severity, c.path, None,
                                   c.messages) for c in checks]
    if group.values:
        for k, this, v, o in _rows(store, group.values)[1]:
            check = group.valued[int(k.value)]
            value = _rdf(v)
            if check.test is not None and (check.test(value, _rdf(o)) if o is not None else check.test(value)):
                continue
            out.append(Result(_rdf(this), check.shape, check.component, check.severity, check.path, value, check.messages))


def evaluate(store: ox.Store, shapes: list[str], plans: dict[str, ShapePlan] | None = None) -> list[Result]:
    """Validate the store against these top-level shapes (IRIs): pySHACL's results, as records.
    `plans` (from compile_shapes) replaces the compiled shapes of ontology/shapes."""
    hierarchy = _hierarchy(store, plans)
    if plans is None:
        plans, groups = _rendered(hierarchy), _grouped(hierarchy, tuple(shapes))
    else:
        plans = _render(plans, hierarchy)
        groups = _core_groups(plans, tuple(shapes))
    present = _present(store, dict(hierarchy))
    focus_cache: dict = {}
    out: list[Result] = []
    for group in groups:
        if present(group.plan):  # no focus node in this store: nothing to report
            _run_group(store, group, out)
    for iri in shapes:
        plan = plans[iri]
        if not present(plan):
            continue
        for check in plan.core:
            if not (check.counted or check.where):
                _run_core(store, check, out)
        if plan.sparql:
            focus = _focus_nodes(store, plan.targets, focus_cache)
            for sparql in plan.sparql:
                _run_sparql(store, sparql, focus, out)
    return out
