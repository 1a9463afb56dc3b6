"""Which document drives which target, with how each link was obtained.

- explicit: the plan says the targets were assigned by the document ("Chỉ tiêu ... giao tại
  Kết luận số 3566-KL/TU").
- task-text: the task's own text or heading names the document.
- section-domain: the document is cited in a section whose heading covers a domain; the
  plan's indicators and tasks of that domain are driven by it. Preamble bases, which cover
  no one domain, drive the plan (pg:basedOn), not individual targets.
"""

from __future__ import annotations

from typing import Any

from rdflib import URIRef
from rdflib.namespace import RDF

from ..docnumber import parse
from ..text import slug
from .build import PlanBuilder
from .namespaces import PG, vocab


def add_drivers(b: PlanBuilder, cites: list[tuple[URIRef, URIRef, Any]]) -> int:
    g, ext = b.g, b.ext
    by_number: dict[str, tuple[URIRef, URIRef]] = {}
    for cit_iri, doc, c in cites:
        n = parse(c.number)
        if n is not None:
            by_number.setdefault(n.identity_text, (cit_iri, doc))
    count = 0

    def link(basis: str, doc: URIRef, cit: URIRef | None, kind: str, key: str, target: URIRef) -> None:
        nonlocal count
        iri = b.m.record(b.key, "driver", f"{basis}-{slug(str(doc).rsplit('/doc/', 1)[-1])}-{kind}-{key}")
        if (iri, RDF.type, PG.DriverLink) in g:
            return
        g.add((iri, RDF.type, PG.DriverLink))
        g.add((iri, PG.driver, doc))
        g.add((iri, PG.driven, target))
        g.add((iri, PG.linkBasis, vocab("link-basis")[basis]))
        if cit is not None:
            g.add((iri, PG.viaCitation, cit))
        g.add((doc, PG.drives, target))
        count += 1

    for ind in ext.indicators:
        for number in ind.explicit_documents:
            n = parse(number)
            if n and n.identity_text in by_number:
                cit, doc = by_number[n.identity_text]
                link("explicit", doc, cit, "indicator", ind.key, b.indicator_iri[ind.key])
    for task in ext.tasks:
        for number in task.implements:
            n = parse(number)
            if n and n.identity_text in by_number:
                cit, doc = by_number[n.identity_text]
                link("task-text", doc, cit, "task", task.key, b.task_iri[task.key])
    domains_at = _section_domains(ext)
    for cit_iri, doc, c in cites:
        if c.role == "basis":
            continue
        domains = domains_at(c.span.line_start)
        if not domains:
            continue
        for ind in ext.indicators:
            if ind.domain in domains:
                link("section-domain", doc, cit_iri, "indicator", ind.key, b.indicator_iri[ind.key])
        for task in ext.tasks:
            if task.domain in domains and task.key in b.task_iri:
                link("section-domain", doc, cit_iri, "task", task.key, b.task_iri[task.key])
    return count


def _section_domains(ext):
    by_key = {s.key: s for s in ext.sections}

    def at(line: int) -> set[str]:
        inner = None
        for s in ext.sections:
            if s.span.line_start <= line <= s.span.line_end and (inner is None or s.level >= inner.level):
                inner = s
        while inner is not None:
            if inner.domains:
                return set(inner.domains)
            inner = by_key.get(inner.parent) if inner.parent else None
        return set()

    return at
