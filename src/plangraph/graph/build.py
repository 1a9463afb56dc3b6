"""Extraction records -> RDF: one graph per plan, deterministic IRIs, provenance on every record."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from ..docnumber import TYPE_NAMES, TYPE_SLUGS, parse
from ..extract.dates import task_years
from ..extract.records import Extraction, Indicator, SourceSpan
from ..text import fold, slug, squash
from .curation import Correction
from .iri import Locality, Minter
from .namespaces import PG, vocab

UNIT_SLUGS = {
    "%": "percent", "tỷ đồng": "ty-dong", "triệu đồng": "trieu-dong", "triệu đồng/người/năm": "trieu-dong-per-person-year",
    "triệu đồng/ha": "trieu-dong-per-ha", "triệu USD": "trieu-usd", "tấn": "tan", "ha": "ha", "km": "km", "m²": "m2",
    "người": "nguoi", "lượt người": "luot-nguoi", "lượt khách": "luot-khach", "hộ": "ho", "doanh nghiệp": "doanh-nghiep",
    "sản phẩm": "san-pham", "trường": "truong", "đảng viên": "dang-vien", "con": "con", "lần": "lan",
    "triệu đồng/người/tháng": "trieu-dong-per-person-month",
}
KIND_CLASSES = {"phường": PG.Ward, "xã": PG.Commune, "đặc khu": PG.SpecialZone}


def dec(value: float) -> Literal:
    return Literal(Decimal(repr(float(value))).normalize().__format__("f"), datatype=XSD.decimal)


@dataclass
class PlanContext:
    source: str
    ward: str  # "Đoàn Kết"
    ward_kind: str  # "phường"
    province: str

    @property
    def ward_label(self) -> str:
        return f"{self.ward_kind} {self.ward}"


class PlanBuilder:
    def __init__(self, minter: Minter, ext: Extraction, ctx: PlanContext, plan_iri: URIRef, plan_key: str) -> None:
        self.m, self.ext, self.ctx = minter, ext, ctx
        self.g = Graph()
        self.plan, self.key = plan_iri, plan_key
        self.ward = minter.ward(ctx.province, ctx.ward_label)
        self.file = minter.source_file(ext.source)
        self.section_iri: dict[str, URIRef] = {}
        self.indicator_iri: dict[str, URIRef] = {}
        self.task_iri: dict[str, URIRef] = {}
        self.unit_iri: dict[str, URIRef] = {}
        self.citation_iri: dict[str, URIRef] = {}

    # -- helpers ---------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        if o is None or o == "" or o == []:
            return
        self.g.add((s, p, o if isinstance(o, (URIRef, Literal)) else Literal(o)))

    def label(self, s: URIRef, vi: str, en: str | None = None) -> None:
        self.g.add((s, RDFS.label, Literal(vi, lang="vi")))
        if en:
            self.g.add((s, RDFS.label, Literal(en, lang="en")))

    def searchable(self, s: URIRef, *texts: str | None) -> None:
        """Folded text for diacritic-insensitive search ("ham rong" finds "Hàm Rồng")."""
        self.g.add((s, PG.searchText, Literal(squash(fold(" ".join(t for t in texts if t))))))

    def source(self, record: URIRef, span: SourceSpan, name: str) -> None:
        ex = self.m.record(self.key, "source", name)
        self.g.add((record, PG.source, ex))
        self.g.add((ex, RDF.type, PG.SourceExcerpt))
        self.g.add((ex, PG.sourceFile, self.file))
        self.g.add((ex, PG.lineStart, Literal(span.line_start)))
        self.g.add((ex, PG.lineEnd, Literal(max(span.line_end, span.line_start))))
        self.add(ex, PG.quote, span.quote)
        self.add(ex, PG.sectionPath, span.section)

    # -- the plan and its ward ---------------------------------------------------
    def plan_node(self, number_text: str | None, issuer: URIRef | None, adopted_by: URIRef | None) -> None:
        p, e = self.plan, self.ext.plan
        number = parse(number_text) if number_text else None
        self.g.add((p, RDF.type, PG.Plan))
        self.g.add((p, RDF.type, PG.PartyDocument if number and number.family == "party" else PG.StateDocument))
        type_code = e.doc_type or (number.doc_type if number else None)
        vi_type, en_type = TYPE_NAMES.get(type_code or "", ("Văn bản", "Document"))
        self.label(p, f"{vi_type} {number_text or '(chưa số)'} – {self.ctx.ward_label}", f"{en_type} {number_text or '(unnumbered)'} – {self.ctx.ward_label}")
        self.add(p, PG.docNumber, number_text)
        if type_code in TYPE_SLUGS:
            self.g.add((p, PG.docType, vocab("doc-type")[TYPE_SLUGS[type_code]]))
        if e.date:
            self.g.add((p, PG.docDate, Literal(e.date, datatype=XSD.date)))
            self.g.add((p, PG.docYear, Literal(int(e.date[:4]))))
        self.add(p, PG.issuer, issuer)
        self.g.add((p, PG.scope, vocab("scope").ward))
        self.g.add((p, PG.jurisdictionUnit, self.ward))
        self.g.add((p, PG.forUnit, self.ward))
        self.add(p, DCTERMS.title, Literal(e.title, lang="vi") if e.title else None)
        self.add(p, PG.signer, e.signer)
        self.add(p, PG.adoptedBy, adopted_by)
        self.g.add((p, PG.sourceFile, self.file))
        self.g.add((p, PG.planPeriodStart, Literal(2026)))
        self.g.add((p, PG.planPeriodEnd, Literal(2030)))
        if e.span:
            self.source(p, e.span, "plan")
        self.searchable(p, f"{vi_type} {number_text or ''}", e.title, self.ctx.ward_label, self.ctx.province)
        f = self.file
        self.g.add((f, RDF.type, PG.SourceFile))
        self.g.add((f, PG.fileName, Literal(self.ext.source)))
        self.g.add((f, PG.sha256, Literal(self.ext.sha256)))
        self.label(f, f"Tệp nguồn {self.ext.source}", f"Source file {self.ext.source}")

    def issuer_node(self, iri: URIRef, code: str, name: str | None) -> None:
        """The ward body that issued the plan (UBND, HĐND, Đảng ủy of the ward)."""
        from .shared import LOCAL_BODY_NAMES, LOCAL_BODY_TYPES

        label = name or f"{LOCAL_BODY_NAMES.get(code, code)} {self.ctx.ward_label}"
        self.g.add((iri, RDF.type, PG.IssuingBody))
        self.label(iri, label)
        self.g.add((iri, SKOS.prefLabel, Literal(label, lang="vi")))
        self.g.add((iri, PG.issuerCode, Literal(code)))
        self.g.add((iri, PG.bodyOf, self.ward))
        if code in LOCAL_BODY_TYPES:
            self.g.add((iri, PG.bodyType, URIRef(f"{self.m.base}vocab/issuer/local-{LOCAL_BODY_TYPES[code]}")))

    def ward_node(self, former: list[str]) -> None:
        w, c = self.ward, self.ctx
        self.g.add((w, RDF.type, KIND_CLASSES.get(c.ward_kind, PG.CommuneLevelUnit)))
        self.label(w, f"{c.ward_kind.capitalize()} {c.ward}", f"{c.ward} {'ward' if c.ward_kind == 'phường' else 'commune'}")
        self.g.add((w, SKOS.prefLabel, Literal(c.ward, lang="vi")))
        self.g.add((w, PG.unitKind, Literal(c.ward_kind)))
        self.g.add((w, PG.province, self.m.province(c.province)))
        self.searchable(w, f"{c.ward_kind} {c.ward}", c.province)
        if former:
            event = self.m.record(self.key, "merger", "formation")
            self.g.add((event, RDF.type, PG.MergerEvent))
            self.label(event, f"Thành lập {c.ward_kind} {c.ward} trên cơ sở sáp nhập", f"Formation of {c.ward} by merger")
            self.g.add((event, ORG.resultingOrganization, w))
            for name in former:
                fu = self.m.former_unit(c.province, name)
                self.g.add((fu, RDF.type, PG.FormerUnit))
                self.label(fu, f"{name} (trước sắp xếp 2025)", f"{name} (before the 2025 reorganisation)")
                self.g.add((w, PG.formedFrom, fu))
                self.g.add((event, ORG.originalOrganization, fu))

    # -- sections, citations -----------------------------------------------------
    def sections(self) -> None:
        for s in self.ext.sections:
            iri = self.m.record(self.key, "section", s.key)
            self.section_iri[s.key] = iri
            self.g.add((iri, RDF.type, PG.Section))
            self.g.add((iri, PG.sectionOf, self.plan))
            self.g.add((iri, PG.number, Literal(s.number)))
            self.label(iri, f"{s.number}. {s.title}".strip(". ") if s.title else s.number)
            self.g.add((iri, PG.sectionPath, Literal(s.path)))
            self.g.add((iri, PG.lineStart, Literal(s.span.line_start)))
            self.g.add((iri, PG.lineEnd, Literal(s.span.line_end)))
            for d in s.domains:
                self.g.add((iri, PG.coversDomain, vocab("domain")[d]))
        for s in self.ext.sections:
            if s.parent:
                self.g.add((self.section_iri[s.key], PG.parentSection, self.section_iri[s.parent]))

    def section_at(self, line: int) -> URIRef | None:
        """The innermost section whose span holds `line`."""
        best = None
        for s in self.ext.sections:
            if s.span.line_start <= line <= s.span.line_end and (best is None or s.level >= best.level):
                best = s
        return self.section_iri[best.key] if best else None

    def citations(self, doc_iris: dict[int, URIRef]) -> list[tuple[URIRef, URIRef, Any]]:
        """Citation nodes; returns (citation IRI, document IRI, citation record)."""
        out = []
        for i, c in enumerate(sorted(self.ext.citations, key=lambda c: (c.span.line_start, c.number)), start=1):
            doc = doc_iris.get(id(c))
            if doc is None:
                continue
            iri = self.m.record(self.key, "citation", f"{c.span.line_start}-{slug(c.number)}-{i}")
            self.g.add((iri, RDF.type, PG.Citation))
            self.label(iri, f"Trích dẫn {c.number} (dòng {c.span.line_start})")
            self.g.add((iri, PG.citingDocument, self.plan))
            self.g.add((iri, PG.citedDocument, doc))
            self.g.add((iri, PG.citationRole, vocab("citation-role")[c.role]))
            self.g.add((iri, PG.statedNumber, Literal(c.number)))
            if c.date:
                self.g.add((iri, PG.statedDate, Literal(c.date, datatype=XSD.date)))
            self.add(iri, PG.statedIssuer, c.issuer)
            self.add(iri, PG.statedSubject, c.subject)
            self.add(iri, PG.inSection, self.section_at(c.span.line_start))
            self.source(iri, c.span, f"citation-{c.span.line_start}-{slug(c.number)}-{i}")
            self.citation_iri[f"{c.number}@{c.span.line_start}"] = iri
            self.g.add((self.plan, PG.basedOn if c.role == "basis" else PG.cites, doc))
            if c.basis_verb in ("Thực hiện", "Triển khai") and doc != self.plan:
                self.g.add((self.plan, PG.implementsDocument, doc))
            out.append((iri, doc, c))
        return out

    # -- units, indicators, tasks, assignments ------------------------------------------
    def units(self) -> None:
        for u in self.ext.units:
            iri = (self.m.leader_role if u.kind == "leader" else self.m.ward_unit)(self.ctx.province, self.ctx.ward_label, u.name)
            self.unit_iri[u.name] = iri
            self.g.add((iri, RDF.type, PG.LeaderRole if u.kind == "leader" else PG.WardUnit))
            self.label(iri, f"{u.name} ({self.ctx.ward_label})")
            self.g.add((iri, SKOS.prefLabel, Literal(u.name, lang="vi")))
            for a in sorted(set(u.aliases)):
                self.g.add((iri, SKOS.altLabel, Literal(a, lang="vi")))
            self.g.add((iri, PG.unitOf, self.ward))
            self.searchable(iri, u.name, *u.aliases)

    def unit(self, name: str, kind: str = "unit") -> URIRef:
        if name not in self.unit_iri:
            iri = (self.m.leader_role if kind == "leader" else self.m.ward_unit)(self.ctx.province, self.ctx.ward_label, name)
            self.unit_iri[name] = iri
            self.g.add((iri, RDF.type, PG.LeaderRole if kind == "leader" else PG.WardUnit))
            self.label(iri, f"{name} ({self.ctx.ward_label})")
            self.g.add((iri, SKOS.prefLabel, Literal(name, lang="vi")))
            self.g.add((iri, PG.unitOf, self.ward))
        return self.unit_iri[name]

    def groups(self) -> dict[str, URIRef]:
        out = {}
        for grp in self.ext.groups:
            iri = self.m.record(self.key, "group", grp.key)
            out[grp.key] = iri
            self.g.add((iri, RDF.type, PG.IndicatorGroup))
            self.label(iri, grp.title)
            self.g.add((iri, PG.inPlan, self.plan))
            if grp.domain:
                self.g.add((iri, PG.domain, vocab("domain")[grp.domain]))
            if grp.stated_count is not None:
                self.g.add((iri, PG.statedCount, Literal(grp.stated_count)))
            if grp.origin:
                self.g.add((iri, PG.origin, vocab("origin")[grp.origin]))
            self.source(iri, grp.span, f"group-{grp.key}")
        return out

    def indicators(self, group_iri: dict[str, URIRef]) -> None:
        for n, ind in enumerate(self.ext.indicators, start=1):
            iri = self.m.record(self.key, "indicator", ind.key)
            self.indicator_iri[ind.key] = iri
            self.g.add((iri, RDF.type, PG.Indicator))
            self.label(iri, ind.name or f"Chỉ tiêu {ind.no or ''}".strip())
            self.g.add((iri, PG.inPlan, self.plan))
            self.add(iri, PG.inGroup, group_iri.get(ind.group or ""))
            self.add(iri, PG.number, ind.no)
            self.g.add((iri, PG.part, Literal(ind.part)))
            self.g.add((iri, PG.ordinal, Literal(n)))
            if ind.domain:
                self.g.add((iri, PG.domain, vocab("domain")[ind.domain]))
            if ind.concept:
                self.g.add((iri, PG.concept, vocab("indicator")[ind.concept]))
            if ind.origin:
                self.g.add((iri, PG.origin, vocab("origin")[ind.origin]))
            self._target(iri, ind.target)
            self.source(iri, ind.span, f"indicator-{ind.key}")
            self.searchable(iri, ind.name, ind.span.quote)
            if ind.appendix:
                self._statement(iri, ind)

    def _target(self, iri: URIRef, t: Any) -> None:
        self.g.add((iri, PG.comparator, vocab("comparator")[t.comparator]))
        if t.value is not None:
            self.g.add((iri, PG.targetValue, dec(t.value)))
        if t.value_max is not None:
            self.g.add((iri, PG.targetValueMax, dec(t.value_max)))
        if getattr(t, "of_total", None) is not None:
            self.g.add((iri, PG.ofTotal, dec(t.of_total)))
        if t.unit:
            self.g.add((iri, PG.unitOfMeasure, vocab("unit")[UNIT_SLUGS.get(t.unit, slug(t.unit))]))
        if t.periodicity:
            self.g.add((iri, PG.periodicity, vocab("periodicity")[t.periodicity]))
        if t.target_year:
            self.g.add((iri, PG.targetYear, Literal(int(t.target_year))))
        self.add(iri, PG.qualitativeTarget, getattr(t, "qualitative", None))

    def _statement(self, iri: URIRef, ind: Indicator) -> None:
        a = ind.appendix or {}
        st = self.m.record(self.key, "statement", f"{ind.key}-appendix")
        self.g.add((iri, PG.alsoStated, st))
        self.g.add((st, RDF.type, PG.TargetStatement))
        self.label(st, f"Phụ lục, dòng {a['line']}: {ind.name}", f"Appendix, line {a['line']}")
        self.add(st, PG.number, a.get("no"))
        self.g.add((st, PG.comparator, vocab("comparator")[a["comparator"]]))
        if a.get("value") is not None:
            self.g.add((st, PG.targetValue, dec(a["value"])))
        if a.get("value_max") is not None:
            self.g.add((st, PG.targetValueMax, dec(a["value_max"])))
        if a.get("unit"):
            self.g.add((st, PG.unitOfMeasure, vocab("unit")[UNIT_SLUGS.get(a["unit"], slug(a["unit"]))]))
        if a.get("periodicity"):
            self.g.add((st, PG.periodicity, vocab("periodicity")[a["periodicity"]]))
        if a.get("target_year"):
            self.g.add((st, PG.targetYear, Literal(int(a["target_year"]))))
        self.source(st, SourceSpan(self.ext.source, a["line"], a["line"], a.get("quote") or ind.name, "Phụ lục"), f"statement-{ind.key}")

    def tasks(self, doc_iri: dict[str, URIRef]) -> None:
        for t in self.ext.tasks:
            iri = self.m.record(self.key, "task", t.key)
            self.task_iri[t.key] = iri
            self.g.add((iri, RDF.type, PG.Task))
            self.label(iri, t.name)
            self.g.add((iri, PG.inPlan, self.plan))
            self.g.add((iri, PG.taskKind, vocab("task-kind")[t.kind]))
            self.add(iri, PG.number, t.no)
            if t.domain:
                self.g.add((iri, PG.domain, vocab("domain")[t.domain]))
            self.add(iri, PG.timeframe, t.timeframe)
            if t.deadline:
                self.g.add((iri, PG.deadline, Literal(t.deadline, datatype=XSD.date)))
            self.add(iri, PG.deadlineText, t.deadline_text)
            start_year, due_year = task_years(t.timeframe, t.deadline)
            if due_year is not None:  # a task with no due year has no start year either
                self.add(iri, PG.startYear, start_year)
                self.add(iri, PG.dueYear, due_year)
            self.add(iri, PG.expectedOutput, t.output)
            self.add(iri, PG.inSection, self.section_iri.get(t.section or ""))
            for number in t.implements:
                if number in doc_iri:
                    self.g.add((iri, PG.implements, doc_iri[number]))
            self.source(iri, t.span, f"task-{t.key}")
            self.searchable(iri, t.name, t.output)

    def assignments(self) -> None:
        seen = set()
        for n, a in enumerate(self.ext.assignments, start=1):
            target = (self.indicator_iri if a.target_kind == "indicator" else self.task_iri).get(a.target)
            if target is None or (a.unit, a.role, a.target) in seen:
                continue
            seen.add((a.unit, a.role, a.target))
            unit = self.unit(a.unit, a.unit_kind)
            iri = self.m.record(self.key, "assignment", f"{a.target_kind}-{a.target}-{a.role}-{slug(a.unit)}")
            self.g.add((iri, RDF.type, PG.Assignment))
            self.g.add((iri, PG.assignee, unit))
            self.g.add((iri, PG.assignedTo, target))
            self.g.add((iri, PG.responsibilityRole, vocab("responsibility-role")[a.role]))
            self.source(iri, a.span, f"assignment-{a.target_kind}-{a.target}-{a.role}-{slug(a.unit)}")
            shortcut = {"lead": PG.leadUnit, "advise": PG.responsibleUnit, "coordinate": PG.coordinatingUnit, "direct": PG.directedBy}[a.role]
            self.g.add((target, shortcut, unit))

    def corrections(self, corrections: list[Correction]) -> None:
        for n, c in enumerate(corrections, start=1):
            iri = self.m.record(self.key, "correction", f"{n}")
            self.g.add((iri, RDF.type, PG.Correction))
            self.label(iri, f"Hiệu chỉnh {c.kind} {c.record}: {c.prop}", f"Correction of {c.kind} {c.record}: {c.prop}")
            target = {"indicator": self.indicator_iri, "concept": self.indicator_iri, "citation": self.citation_iri}.get(c.kind, {}).get(c.record)
            if target is None and c.kind == "assignment":
                target = self.indicator_iri.get(c.record) or self.task_iri.get(c.record)
            self.add(iri, PG.corrects, target or (self.plan if c.kind == "plan" else None))
            self.add(iri, PG.originalValue, None if c.original is None else str(c.original))
            self.add(iri, PG.correctedValue, None if c.corrected is None else str(c.corrected))
            self.g.add((iri, PG.reason, Literal(f"{c.prop}: {c.reason}")))
            self.g.add((iri, PROV.wasAttributedTo, URIRef(self.m.base + c.file)))
