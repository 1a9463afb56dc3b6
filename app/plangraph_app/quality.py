"""Chất lượng dữ liệu / Data quality: the SHACL validation report as tables for staff.

The report comes from `plangraph.validate.validate_store_files` (cached per process by
`state.validation_report`); these functions only regroup its findings and scores.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable

from .i18n import pick

SEVERITIES = ("Violation", "Warning", "Info")
SEVERITY_NAMES = {"Violation": ("Vi phạm", "Violation"), "Warning": ("Cảnh báo", "Warning"), "Info": ("Thông tin", "Info")}
SEVERITY_COLORS = {"Violation": "#c00000", "Warning": "#bf9000", "Info": "#2e75b6"}


def severity_name(severity: str, lang: str = "vi") -> str:
    return pick(lang, *SEVERITY_NAMES.get(severity, (severity, severity)))


@dataclass(frozen=True)
class Subset:
    """Part of a report (some wards' shards) that the functions below read like a report."""

    shards: list
    rules: dict
    seconds: float = 0.0


def subset(report, keep: Callable[[Any], bool]) -> Subset:
    """The plan shards `keep` accepts (a province's wards ...), with the rule catalogue."""
    return Subset([s for s in report.shards if s.ward_iri and keep(s)], report.rules, report.seconds)


def plan_shards(report) -> list:
    """The shards of the plans (the reference-data shard has no ward)."""
    return [s for s in report.shards if s.ward_iri]


def wards(report) -> list[tuple[str, str]]:
    """(ward IRI, label) of each plan's ward, in the report's order. A ward is its IRI: two
    wards may share a label ("Phường Tân Phú" in two provinces)."""
    return [(s.ward_iri, s.ward) for s in plan_shards(report)]


def ward_options(wards: list[tuple[str, str]], directory) -> list[tuple[str, str]]:
    """(ward IRI, label) for a ward picker; a label two wards share names its province (from
    the ward `directory`, `get(iri).province`)."""
    seen = Counter(label for _iri, label in wards)
    out = []
    for iri, label in wards:
        found = directory.get(iri) if seen[label] > 1 else None
        out.append((iri, f"{label} ({found.province})" if found is not None and found.province else label))
    return out


def _findings(report, ward: str | None = None, severity: str | None = None, rule: str | None = None):
    """(shard, finding) pairs, of one ward (its IRI), severity and rule when given."""
    for s in report.shards:
        if ward and s.ward_iri != ward:
            continue
        for f in s.findings:
            if severity and f.severity.value != severity:
                continue
            if rule and f.rule != rule:
                continue
            yield s, f


def findings(report, ward: str | None = None, severity: str | None = None, rule: str | None = None) -> list:
    """The findings, of one ward (`ward`: its IRI), severity and rule when given."""
    return [f for _s, f in _findings(report, ward, severity, rule)]


def severity_counts(report, ward: str | None = None) -> dict[str, int]:
    if ward is None:
        return dict(_all_counts(report))
    counts = Counter(f.severity.value for f in findings(report, ward))
    return {s: counts.get(s, 0) for s in SEVERITIES}


_LAST_COUNTS: list = [None, {}]


def _all_counts(report) -> dict[str, int]:
    """The counts of a whole report, kept for the last report asked about (a national report
    has 300,000 findings: counting them took a quarter of a second per page run)."""
    if _LAST_COUNTS[0] is not report:
        counts = Counter(f.severity.value for s in report.shards for f in s.findings)
        _LAST_COUNTS[:] = [report, {s: counts.get(s, 0) for s in SEVERITIES}]
    return _LAST_COUNTS[1]


def rule_rows(report, ward: str | None = None, severity: str | None = None, lang: str = "vi") -> list[dict[str, Any]]:
    """One row per (ward, rule): severity, count, the plain message and how to fix it; wards
    told apart by IRI (`ward_iri`), shown by label (`ward`)."""
    groups: dict[tuple[str, str, str], list] = {}
    for s, f in _findings(report, ward, severity):
        groups.setdefault((s.ward, s.ward_iri or "", f.rule), []).append(f)
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    out = []
    for (label, iri, code), found in sorted(groups.items(), key=lambda kv: (rank[kv[1][0].severity.value], kv[0][0],
                                                                           kv[0][2], kv[0][1])):
        rule = report.rules.get(code)
        out.append({
            "ward": label, "ward_iri": iri, "rule": code, "severity": severity_name(found[0].severity.value, lang),
            "count": len(found), "message": group_message(found, rule, lang),
            "fix": pick(lang, rule.fix_vi, rule.fix_en) if rule else "",
            "category": rule.category if rule else "", "severity_code": found[0].severity.value,
        })
    return out


def group_message(found: list, rule, lang: str = "vi") -> str:
    """The plain message of a group of findings: the rule's own words when they need no
    record's details, else the first finding's message and how many more are alike."""
    first = pick(lang, found[0].message_vi, found[0].message_en)
    if len({f.message_vi for f in found}) == 1:
        return first
    general = pick(lang, rule.message_vi, rule.message_en) if rule else ""
    if general and "{" not in general:
        return general
    more = len(found) - 1
    return first + pick(lang, f" (và {more} trường hợp tương tự)", f" (and {more} similar)")


def finding_rows(report, ward: str | None, rule: str, lang: str = "vi") -> list[dict[str, Any]]:
    """The findings of one rule (of one ward: its IRI): the record, the message, and where the
    record stands in its source."""
    out = []
    for f in findings(report, ward, rule=rule):
        src = f.source
        out.append({
            "ward": f.ward, "record": f.focus_label, "message": pick(lang, f.message_vi, f.message_en),
            "path": f.path, "value": f.value, "file": src.file if src else None,
            "line": src.line_start if src else None, "quote": src.quote if src else None, "focus_iri": f.focus,
        })
    return out


def score_rows(report) -> list[dict[str, Any]]:
    """Completeness per ward: passed / checked (rule, record) pairs, as a percentage."""
    out = []
    for s in plan_shards(report):
        counts = Counter(f.severity.value for f in s.findings)
        out.append({"ward": s.ward, "ward_iri": s.ward_iri, "plan": s.plan_label, "score": round(s.score.ratio * 100, 1),
                    "passed": s.score.conforming, "checked": s.score.total,
                    **{f"n_{k.lower()}": counts.get(k, 0) for k in SEVERITIES}})
    return out


def unit_score_rows(report, ward: str) -> list[dict[str, Any]]:
    """Completeness by responsible unit within a ward (its IRI), weakest first."""
    for s in plan_shards(report):
        if s.ward_iri == ward:
            return [{"unit": u, "score": round(sc.ratio * 100, 1), "passed": sc.conforming, "checked": sc.total}
                    for u, sc in sorted(s.unit_scores.items(), key=lambda kv: (kv[1].ratio, kv[0]))]
    return []
