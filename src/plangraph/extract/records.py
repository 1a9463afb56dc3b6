"""Typed records the extractor produces: plain data with source spans, no RDF."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceSpan:
    """Where a record stands in its source file (1-based lines) and the exact quote."""

    file: str
    line_start: int
    line_end: int
    quote: str
    section: str = ""  # section path, e.g. "II > 1 > 1.2"


@dataclass
class Warning_:
    """A per-item problem met during extraction; never aborts the document."""

    line: int
    code: str
    message: str


@dataclass
class Section:
    key: str  # stable local key ("s12")
    number: str  # printed number ("II", "1.2", "a", "Phụ lục I")
    title: str
    level: int
    parent: str | None
    domains: list[str]
    span: SourceSpan
    path: str = ""


@dataclass
class PlanMeta:
    doc_type: str | None = None  # "KH", "NQ", "BC" ...
    number: str | None = None
    date: str | None = None  # ISO
    issuer: str | None = None
    signer: str | None = None
    title: str | None = None
    ward: str | None = None  # "Đoàn Kết"
    ward_kind: str | None = None  # "phường"
    province: str | None = None
    former_units: list[str] = field(default_factory=list)
    adopted_by: str | None = None  # number of the document issuing/attaching the plan
    blank_fields: list[str] = field(default_factory=list)
    span: SourceSpan | None = None


@dataclass
class Citation:
    number: str  # canonical printed number
    doc_type: str
    issuer_code: str
    issuer: str | None  # as stated
    scope: str | None  # central | provincial | district | ward | None (unknown)
    locality: str | None  # province or ward name when local
    locality_source: str  # "text" | "context" | "" (how the locality was resolved)
    date: str | None
    subject: str | None
    role: str  # basis | in-text
    span: SourceSpan
    basis_verb: str | None = None  # "Căn cứ" | "Thực hiện" | "Xét" ... for basis citations
    refs: list[str] = field(default_factory=list)  # numbers its stated subject names ("về thực hiện Chương trình số 15-CTr/TU")


@dataclass
class IndicatorGroup:
    key: str
    title: str
    domain: str | None
    stated_count: int | None
    origin: str | None
    span: SourceSpan
    listed_count: int = 0


@dataclass
class Target:
    comparator: str
    value: float | None = None
    value_max: float | None = None
    of_total: float | None = None
    unit: str | None = None
    periodicity: str | None = None
    target_year: int | None = None
    qualitative: str | None = None


@dataclass
class Indicator:
    no: str | None
    part: int
    name: str
    group: str | None  # group key
    domain: str | None
    origin: str | None
    target: Target
    span: SourceSpan
    concept: str | None = None
    appendix: dict[str, Any] | None = None  # an appendix row stating the same target
    responsible_units: list[str] = field(default_factory=list)
    leader: str | None = None
    explicit_documents: list[str] = field(default_factory=list)  # "assigned by" numbers
    key: str = ""  # unique within the plan: "6-3", or "l40-2" for unnumbered items
    context: str = ""  # the whole clause the target stands in (for concept mapping)


@dataclass
class Task:
    no: str | None
    kind: str  # task | breakthrough | programme | solution
    name: str
    span: SourceSpan
    domain: str | None = None
    lead_unit: str | None = None
    coordinating_units: list[str] = field(default_factory=list)
    timeframe: str | None = None
    deadline: str | None = None
    deadline_text: str | None = None
    output: str | None = None
    leader: str | None = None
    implements: list[str] = field(default_factory=list)
    section: str | None = None  # section key
    key: str = ""  # unique within the plan: "breakthrough-1", "task-l466"


@dataclass
class Assignment:
    unit: str  # canonical unit or leader-role name
    role: str  # lead | coordinate | advise | direct
    target_kind: str  # indicator | task
    target: str  # the key of the indicator or task
    span: SourceSpan
    unit_kind: str = "unit"  # unit | leader


@dataclass
class Unit:
    name: str
    kind: str  # unit | leader
    aliases: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    """Everything extracted from one source document."""

    source: str
    sha256: str
    plan: PlanMeta
    sections: list[Section] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    groups: list[IndicatorGroup] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
