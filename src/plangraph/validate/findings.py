"""Typed validation records: rules, findings, completeness scores, the report of a run.

A finding is one SHACL validation result made readable: the rule it breaks (a stable code
with messages in Vietnamese and English and how to fix the data), the record it is about
(by label, with the source quote and line) and the engine's own detail (path, value,
constraint component) kept beside the message.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

SH = "http://www.w3.org/ns/shacl#"
UNASSIGNED = "(chưa giao / unassigned)"


class Severity(str, Enum):
    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @classmethod
    def from_iri(cls, iri: str) -> "Severity":
        name = iri.rsplit("#", 1)[-1]
        try:
            return cls(name)
        except ValueError:  # a custom severity counts as a violation (SHACL: any other IRI)
            return cls.VIOLATION

    @property
    def iri(self) -> str:
        return f"{SH}{self.value}"

    @property
    def label_vi(self) -> str:
        return {"Violation": "Vi phạm", "Warning": "Cảnh báo", "Info": "Thông tin"}[self.value]

    @property
    def rank(self) -> int:
        """Sort key: violations first."""
        return {"Violation": 0, "Warning": 1, "Info": 2}[self.value]


@dataclass(frozen=True)
class Rule:
    """One validation rule: one shape of ontology/shapes carrying pgsh:ruleCode."""

    code: str
    severity: Severity
    category: str
    message_vi: str
    message_en: str
    fix_vi: str
    fix_en: str
    shape: str

    def to_dict(self) -> dict:
        return {
            "severity": self.severity.value, "category": self.category, "shape": self.shape,
            "message": {"vi": self.message_vi, "en": self.message_en},
            "fix": {"vi": self.fix_vi, "en": self.fix_en},
        }


@dataclass(frozen=True)
class SourceRef:
    """Where the focus record stands in its source document."""

    file: str | None = None
    line_start: int | None = None
    line_end: int | None = None
    quote: str | None = None

    def to_dict(self) -> dict:
        return {"file": self.file, "line_start": self.line_start, "line_end": self.line_end, "quote": self.quote}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    ward: str
    focus: str
    focus_label: str
    message_vi: str
    message_en: str
    path: str | None = None
    value: str | None = None
    component: str | None = None
    source: SourceRef | None = None

    def to_dict(self) -> dict:
        return {
            "rule": self.rule, "severity": self.severity.value, "ward": self.ward,
            "focus": self.focus, "focus_label": self.focus_label,
            "message": {"vi": self.message_vi, "en": self.message_en},
            "path": self.path, "value": self.value, "component": self.component,
            "source": self.source.to_dict() if self.source else None,
        }


@dataclass(frozen=True)
class Score:
    """Completeness: (rule, target record) pairs with no violation or warning, of all pairs."""

    conforming: int = 0
    total: int = 0

    @property
    def ratio(self) -> float:
        return self.conforming / self.total if self.total else 1.0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.conforming + other.conforming, self.total + other.total)

    def to_dict(self) -> dict:
        return {"conforming": self.conforming, "total": self.total, "ratio": round(self.ratio, 4)}


@dataclass
class ShardResult:
    """The validation of one shard: one plan (its ward) or the reference data."""

    shard: str
    ward: str
    ward_iri: str | None
    plan: str | None
    plan_label: str | None
    findings: list[Finding] = field(default_factory=list)
    rule_scores: dict[str, Score] = field(default_factory=dict)
    unit_scores: dict[str, Score] = field(default_factory=dict)
    triples: int = 0
    seconds: float = 0.0

    @property
    def score(self) -> Score:
        return sum(self.rule_scores.values(), Score())

    def counts(self) -> Counter:
        return Counter(f.severity for f in self.findings)

    def by_rule(self) -> dict[str, list[Finding]]:
        """Findings grouped by rule, violations first, then by code."""
        groups: dict[str, list[Finding]] = {}
        for f in self.findings:
            groups.setdefault(f.rule, []).append(f)
        return dict(sorted(groups.items(), key=lambda kv: (kv[1][0].severity.rank, kv[0])))


@dataclass
class Report:
    """A validation run: one result per shard, the rule catalogue, the wall time, the engine."""

    shards: list[ShardResult]
    rules: dict[str, Rule]
    seconds: float = 0.0
    jobs: int = 1
    engine: str = "pyshacl"     # "pyshacl" or "sparql" (same findings)

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.shards for f in s.findings]

    def counts(self) -> Counter:
        return Counter(f.severity for f in self.findings)

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings and infos do not fail a run)."""
        return self.counts()[Severity.VIOLATION] == 0

    @property
    def score(self) -> Score:
        return sum((s.score for s in self.shards), Score())

    def rule_counts(self) -> Counter:
        return Counter((f.rule, f.severity) for f in self.findings)
