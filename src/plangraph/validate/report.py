"""Present a validation Report: text for staff, JSON for tools, CSV for Excel, Turtle (SHACL).

Text and JSON group findings by ward, then by rule, with counts; text shows a few examples
per rule (each with the record's label and its source line and quote) instead of
thousands of repeated lines. The JSON format is documented in docs/VALIDATION.md.
"""

from __future__ import annotations

import csv
import io

import orjson
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH, XSD

from .findings import Finding, Report, Score, Severity, ShardResult
from .shapes import PGSH

FORMAT_VERSION = "plangraph-validation/1"
FORMATS = ("text", "json", "csv", "ttl")
CSV_COLUMNS = ("ward", "rule", "severity", "focus_label", "focus", "path", "value", "component",
               "message_vi", "message_en", "source_file", "line_start", "line_end", "quote")


def render(report: Report, fmt: str = "text", limit: int = 5) -> str:
    if fmt == "json":
        # orjson: json.dumps with an indent runs in pure Python, 16 s for a national report
        return orjson.dumps(to_json(report), option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    if fmt == "csv":
        return render_csv(report)
    if fmt == "ttl":
        return render_ttl(report)
    return render_text(report, limit)


# --------------------------------------------------------------------------- JSON

def _counts(findings: list[Finding]) -> dict[str, int]:
    out = {s.value: 0 for s in Severity}
    for f in findings:
        out[f.severity.value] += 1
    return out


def _shard_json(s: ShardResult, report: Report) -> dict:
    rules = []
    for code, found in s.by_rule().items():
        rules.append({
            "rule": code, "severity": found[0].severity.value, "count": len(found),
            "score": s.rule_scores.get(code, Score()).to_dict(),
            "findings": [f.to_dict() for f in found],
        })
    return {
        "ward": s.ward, "ward_iri": s.ward_iri, "plan": s.plan, "plan_label": s.plan_label, "shard": s.shard,
        "counts": _counts(s.findings), "score": s.score.to_dict(),
        "rules": rules,
        "rule_scores": {code: sc.to_dict() for code, sc in sorted(s.rule_scores.items())},
        "units": [{"unit": u, "score": sc.to_dict()} for u, sc in s.unit_scores.items()],
        "triples": s.triples, "seconds": round(s.seconds, 3),
    }


def to_json(report: Report) -> dict:
    return {
        "format": FORMAT_VERSION,
        "conforms": report.conforms,
        "counts": _counts(report.findings),
        "score": report.score.to_dict(),
        "seconds": round(report.seconds, 3),
        "jobs": report.jobs,
        "engine": report.engine,
        "wards": [_shard_json(s, report) for s in report.shards],
        "rules": {code: rule.to_dict() for code, rule in report.rules.items()},
    }


# --------------------------------------------------------------------------- CSV

def render_csv(report: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for f in report.findings:
        src = f.source
        w.writerow([f.ward, f.rule, f.severity.value, f.focus_label, f.focus, f.path or "", f.value or "",
                    f.component or "", f.message_vi, f.message_en,
                    src.file if src and src.file else "", src.line_start if src and src.line_start else "",
                    src.line_end if src and src.line_end else "", src.quote if src and src.quote else ""])
    return buf.getvalue()


# --------------------------------------------------------------------------- Turtle

def render_ttl(report: Report) -> str:
    """A standard sh:ValidationReport, each result with its rule code, ward and messages."""
    g = Graph()
    pgv = Namespace("https://w3id.org/plangraph/validation#")
    g.bind("sh", SH)
    g.bind("pgsh", PGSH)
    g.bind("pgv", pgv)
    root = BNode("report")
    g.add((root, RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, Literal(report.conforms)))
    for i, f in enumerate(report.findings):
        r = BNode(f"r{i}")
        g.add((root, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.focusNode, URIRef(f.focus)))
        g.add((r, SH.resultSeverity, URIRef(f.severity.iri)))
        g.add((r, SH.sourceShape, URIRef(report.rules[f.rule].shape)))
        g.add((r, PGSH.ruleCode, Literal(f.rule)))
        g.add((r, pgv.ward, Literal(f.ward, lang="vi")))
        g.add((r, pgv.focusLabel, Literal(f.focus_label)))
        g.add((r, SH.resultMessage, Literal(f.message_vi, lang="vi")))
        g.add((r, SH.resultMessage, Literal(f.message_en, lang="en")))
        if f.value is not None:
            g.add((r, pgv.value, Literal(f.value)))
        if f.path is not None:
            g.add((r, pgv.path, Literal(f.path)))
        if f.source and f.source.line_start is not None:
            g.add((r, pgv.line, Literal(f.source.line_start, datatype=XSD.integer)))
    return g.serialize(format="turtle")


# --------------------------------------------------------------------------- text

def _pct(score: Score) -> str:
    return f"{score.ratio * 100:.1f}% ({score.conforming}/{score.total})"


def _where(f: Finding) -> str:
    if not f.source or f.source.line_start is None:
        return ""
    quote = " ".join((f.source.quote or "").split())
    if len(quote) > 110:
        quote = quote[:107] + "…"
    file = f"{f.source.file}:" if f.source.file else "dòng/line "
    return f" — {file}{f.source.line_start}" + (f" «{quote}»" if quote else "")


def _severity_head(sev: Severity) -> str:
    return f"{sev.label_vi.upper()} / {sev.value.upper()}"


def _shard_text(s: ShardResult, report: Report, limit: int, explained: set[str]) -> list[str]:
    counts = _counts(s.findings)
    lines = [f"== {s.ward} ({s.shard}) =="]
    if s.plan_label:
        lines.append(f"Kế hoạch / plan: {s.plan_label}")
    lines.append(f"Điểm đầy đủ / completeness: {_pct(s.score)} · "
                 f"vi phạm/violations {counts['Violation']} · cảnh báo/warnings {counts['Warning']} · "
                 f"thông tin/info {counts['Info']}")
    for code, found in s.by_rule().items():
        rule = report.rules[code]
        same = len({f.message_vi for f in found}) == 1
        lines.append("")
        lines.append(f"  [{_severity_head(found[0].severity)}] {code} — {len(found)} kết quả/results")
        if same:
            lines.append(f"    {found[0].message_vi}")
            lines.append(f"    {found[0].message_en}")
        if code in explained:
            lines.append(f"    Cách sửa / fix: xem {code} ở trên / see {code} above")
        else:
            explained.add(code)
            lines.append(f"    Cách sửa: {rule.fix_vi}")
            lines.append(f"    Fix: {rule.fix_en}")
        shown = found if limit <= 0 else found[:limit]
        for f in shown:
            detail = f" [{f.path}{' = ' + f.value if f.value else ''}]" if f.path else ""
            lines.append(f"    • {f.focus_label}{detail}{_where(f)}")
            if not same:
                lines.append(f"        {f.message_vi}")
                lines.append(f"        {f.message_en}")
        if len(found) > len(shown):
            lines.append(f"    … và {len(found) - len(shown)} kết quả khác / and {len(found) - len(shown)} more "
                         "(--limit 0 hoặc --format csv để xem hết / to see all)")
    if s.unit_scores:
        lines.append("")
        lines.append("  Điểm đầy đủ theo đơn vị chịu trách nhiệm / completeness by responsible unit:")
        for unit, score in sorted(s.unit_scores.items(), key=lambda kv: (kv[1].ratio, kv[0])):
            lines.append(f"    {_pct(score):>22}  {unit}")
    return lines


def render_text(report: Report, limit: int = 5) -> str:
    lines: list[str] = []
    explained: set[str] = set()  # a rule's fix is spelled out where it first appears
    for s in report.shards:
        lines += _shard_text(s, report, limit, explained)
        lines.append("")
    counts = _counts(report.findings)
    lines.append("== Tổng hợp / summary ==")
    lines.append(f"{len(report.shards)} phần (shard) · điểm đầy đủ / completeness {_pct(report.score)} · "
                 f"{report.seconds:.2f} s · {report.engine}")
    lines.append(f"Vi phạm/violations {counts['Violation']} · cảnh báo/warnings {counts['Warning']} · "
                 f"thông tin/info {counts['Info']}")
    by_rule = report.rule_counts()
    for (code, sev), n in sorted(by_rule.items(), key=lambda kv: (kv[0][1].rank, kv[0][0])):
        lines.append(f"  {code:<12} {sev.value:<9} {n:>4}")
    lines.append("Kết quả / result: " + ("ĐẠT — không có vi phạm / PASS — no violations" if report.conforms
                                        else "KHÔNG ĐẠT — có vi phạm / FAIL — violations found"))
    return "\n".join(lines) + "\n"
