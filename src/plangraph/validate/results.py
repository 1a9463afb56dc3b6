"""From validation results to typed findings, and completeness scores per shard.

Both engines produce the same neutral records (`Result`: one SHACL validation result, as
pySHACL's report graph states it): pySHACL's report graph is read by `results_from_report`,
the compiled SPARQL engine (validate/compiled.py) emits them directly. Findings get the focus
record's label and source (file, line, quote) from the shard's store. Scores count, per rule,
the target records that have no violation or warning (information does not count against a
record), per ward and per responsible unit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import SH

from .findings import UNASSIGNED, Finding, Score, Severity, SourceRef
from .shapes import Catalogue, compact

_PREFIXES = "PREFIX pg: <https://w3id.org/plangraph/ontology#>\n" \
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" \
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


@dataclass(frozen=True)
class Result:
    """One validation result: what a sh:ValidationResult of the report graph says."""

    focus: object                   # rdflib term
    shape: str                      # the source shape (n3: an IRI or a nested shape's blank node)
    component: str                  # IRI of the constraint component
    severity: str                   # IRI
    path: str | None = None         # compact text of sh:resultPath
    value: object = None            # rdflib term or None
    messages: tuple = ()            # rdflib Literals, as the engine reports them
    constraint: str | None = None   # the sh:sparql node (n3) of a SPARQL-based result


def path_text(report: Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, BNode):
        inverse = report.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{compact(inverse)}"
        alternatives = report.value(path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(compact(p) for p in report.items(alternatives))
        return "(path)"
    return compact(path)


def _value_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Literal):
        return str(value)
    return compact(value)


def _messages(result: Result, cat: Catalogue, rule) -> tuple[str, str]:
    """The result's message in Vietnamese and English (SPARQL-substituted ones lose their
    language tag, so the language is recovered from the rule's templates)."""
    vi = en = ""
    key = result.constraint or result.shape
    for m in result.messages:
        text = str(m)
        lang = m.language if isinstance(m, Literal) and m.language else None
        lang = lang or cat.language_of(key, text) or cat.language_of(result.shape, text)
        if lang == "vi" and not vi:
            vi = text
        elif lang == "en" and not en:
            en = text
    return vi or rule.message_vi, en or rule.message_en


def _describe(store: ox.Store, nodes: set[str]) -> dict[str, tuple[str, SourceRef | None]]:
    """Label and source excerpt of each focus node, from one query over the shard."""
    iris = [n for n in nodes if n.startswith(("http://", "https://", "urn:"))]
    if not iris:
        return {}
    values = " ".join(f"<{n}>" for n in iris)
    q = _PREFIXES + f"""
        SELECT ?x ?label ?file ?start ?end ?quote WHERE {{
            VALUES ?x {{ {values} }}
            OPTIONAL {{ ?x rdfs:label ?l1 FILTER(LANG(?l1) = "vi") }}
            OPTIONAL {{ ?x skos:prefLabel ?l2 FILTER(LANG(?l2) = "vi") }}
            OPTIONAL {{ ?x rdfs:label ?l3 }}
            OPTIONAL {{ ?x pg:docNumber ?l4 }}
            BIND(COALESCE(?l1, ?l2, ?l3, ?l4) AS ?label)
            OPTIONAL {{
                ?x pg:source ?s . ?s pg:lineStart ?start .
                OPTIONAL {{ ?s pg:lineEnd ?end }} OPTIONAL {{ ?s pg:quote ?quote }}
                OPTIONAL {{ ?s pg:sourceFile/pg:fileName ?file }}
            }}
        }}"""
    out: dict[str, tuple[str, SourceRef | None]] = {}
    for x, label, file, start, end, quote in store.query(q):
        x = x.value
        if x in out and out[x][1] is not None:
            continue
        src = None
        if start is not None:
            src = SourceRef(
                file=file.value if file is not None else None,
                line_start=int(start.value),
                line_end=int(end.value) if end is not None else None,
                quote=quote.value if quote is not None else None,
            )
        out[x] = (label.value if label is not None else _short(x), src)
    return out


def _short(iri: str) -> str:
    """An unlabelled record by its IRI without the base: id/body/hai-phong/phuong-an-duong/ubnd."""
    return iri.split("https://w3id.org/plangraph/", 1)[-1]


def results_from_report(report: Graph) -> list[Result]:
    """pySHACL's report graph as Result records."""
    out = []
    for r in report.subjects(SH.resultSeverity, None):
        shape = report.value(r, SH.sourceShape)
        constraint = report.value(r, SH.sourceConstraint)
        component = report.value(r, SH.sourceConstraintComponent)
        out.append(Result(
            focus=report.value(r, SH.focusNode), shape=shape.n3() if shape is not None else "",
            component=str(component) if component is not None else "",
            severity=str(report.value(r, SH.resultSeverity)),
            path=path_text(report, report.value(r, SH.resultPath)), value=report.value(r, SH.value),
            messages=tuple(report.objects(r, SH.resultMessage)),
            constraint=constraint.n3() if constraint is not None else None,
        ))
    return out


def findings_from_report(report: Graph, cat: Catalogue, store: ox.Store, ward: str) -> list[Finding]:
    return findings_from_results(results_from_report(report), cat, store, ward)


def findings_from_results(results: list[Result], cat: Catalogue, store: ox.Store, ward: str) -> list[Finding]:
    described = _describe(store, {str(r.focus) for r in results})
    findings = []
    for r in results:
        code = cat.shape_rule.get(r.shape)
        if code is None:  # a shape without a rule code (a helper such as pgsh:DocTypeConcept)
            continue
        rule = cat.rules[code]
        focus = str(r.focus)
        label, src = described.get(focus, (_short(focus), None))
        vi, en = _messages(r, cat, rule)
        value = r.value
        if value is not None and str(value) == focus:  # pySHACL repeats the focus node as value
            value = None
        component = compact(r.component) if r.component else ""
        findings.append(Finding(
            rule=code, severity=Severity.from_iri(r.severity), ward=ward,
            focus=focus, focus_label=label, message_vi=vi, message_en=en, path=r.path,
            value=_value_text(value),
            component=component.replace("sh:", "").replace("ConstraintComponent", "") or None,
            source=src,
        ))
    findings.sort(key=_order)
    return _dedupe(findings)


def _order(f: Finding) -> tuple:
    """Violations first, then by rule and source line; the rest only makes the order total, so
    that both engines list the same findings in the same order."""
    return (f.severity.rank, f.rule, f.source.line_start if f.source else 0, f.focus_label, f.message_en,
            f.focus, f.path or "", f.value or "", f.message_vi, f.component or "")


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set = set()
    out = []
    for f in findings:
        key = (f.rule, f.focus, f.path, f.value, f.message_en)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _targets(store: ox.Store, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], set[str]]:
    """The IRIs each (target kind, IRI) selects, three queries for all of them: instances of a
    class or of its subclasses, subjects of a property, objects of a property."""
    out: dict[tuple[str, str], set[str]] = {w: set() for w in wanted}
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, iri in wanted:
        by_kind[kind].append(iri)
    patterns = {"targetClass": "?t <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?k . ?x a ?t",
                "targetSubjectsOf": "?x ?k ?o", "targetObjectsOf": "?s ?k ?x"}
    for kind, pattern in patterns.items():
        if by_kind.get(kind):
            values = " ".join(f"<{iri}>" for iri in sorted(by_kind[kind]))
            for k, x in store.query(f"SELECT DISTINCT ?k ?x WHERE {{ VALUES ?k {{ {values} }} {pattern} FILTER(isIRI(?x)) }}"):
                out[kind, k.value].add(x.value)
    for iri in by_kind.get("targetNode", ()):
        out["targetNode", iri] = {iri}
    return out


def _responsible(store: ox.Store) -> dict[str, list[str]]:
    """Indicators and tasks -> the labels of their lead or responsible units."""
    q = _PREFIXES + """SELECT ?x ?label WHERE {
        ?x a ?type . FILTER(?type IN (pg:Indicator, pg:Task))
        OPTIONAL { ?x pg:leadUnit|pg:responsibleUnit ?u . OPTIONAL { ?u skos:prefLabel ?l }
                   BIND(COALESCE(?l, STR(?u)) AS ?label) } }"""
    out: dict[str, list[str]] = defaultdict(list)
    for x, label in store.query(q):
        x = x.value
        label = label.value if label is not None else None
        if label and label not in out[x]:
            out[x].append(label)
        elif x not in out:
            out[x] = []
    return out


def scores(store: ox.Store, cat: Catalogue, codes: list[str], findings: list[Finding]) -> tuple[dict[str, Score], dict[str, Score]]:
    """Per rule and per responsible unit: conforming target records of all target records."""
    failing: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        if f.severity is not Severity.INFO:
            failing[f.rule].add(f.focus)
    cache = _targets(store, {t for code in codes for t in cat.targets.get(code, ())})
    units = _responsible(store)
    by_rule: dict[str, Score] = {}
    conforming: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for code in codes:
        targets: set[str] = set()
        for kind, iri in cat.targets.get(code, ()):
            targets |= cache[kind, iri]
        if not targets:
            continue
        bad = failing[code] & targets
        by_rule[code] = Score(len(targets) - len(bad), len(targets))
        for x in targets & units.keys():
            ok = 0 if x in bad else 1
            for unit in units[x] or [UNASSIGNED]:
                conforming[unit] += ok
                total[unit] += 1
    return by_rule, {unit: Score(conforming[unit], total[unit]) for unit in sorted(total)}
