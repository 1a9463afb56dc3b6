"""Shards: what one validation unit holds, so plans validate independently (and in parallel).

A plan's shard = its own Turtle file + the shared nodes it reaches in documents.ttl (the
documents it cites, their issuing bodies ...) + context from the other plans that the
cross-plan rules need + the reference data (ontology, vocabularies), loaded by the worker.

Context from other plans is added as untyped nodes carrying only the properties the rules
compare: other plans' citations of the documents this plan cites (number, date, issuer,
citing plan, line) and other plans' indicators of the concepts this plan uses (concept,
unit, plan). Being untyped, they are never focus nodes of any rule (every plan-record rule
targets a class), so a shard reports only its own plan's records, while the cross-plan
comparisons see every differing value they need. Other plans' records stating exactly the
one value all of this plan's own records state are left out (no rule can report them).
Validating all shards gives the same findings as validating the union graph, except that a
conflict's list of places names the records of at most CONTEXT_PER_VARIANT plans per
differing value (all of them up to that many). See docs/VALIDATION.md.

Building shards takes two passes: `scan` (validate/scan.py) reads each plan file once and
keeps only what the shards need — the plan's identity, its rows for the cross-plan rules as
N-Triples terms, and its closure in documents.ttl; then `ShardIndex` caps the rows per
variant and writes any one shard's context on demand, so no more than a few shards' context
exists at a time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..config import DEFAULT_BASE
from ..errors import PlangraphError
from ..text import fold

PG = f"{DEFAULT_BASE}ontology#"  # the ontology namespace is fixed, like the shapes'
SKOS_PREF = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
SHARED_FILE = "documents.ttl"


def _pg(local: str) -> str:
    return f"<{PG}{local}>"


_CITED, _CITING, _NUMBER, _DATE, _ISSUER = (_pg(x) for x in ("citedDocument", "citingDocument", "statedNumber",
                                                              "statedDate", "statedIssuer"))
_SOURCE, _LINE_START, _CONCEPT, _UNIT, _IN_PLAN, _FOR_UNIT = (_pg(x) for x in ("source", "lineStart", "concept",
                                                                               "unitOfMeasure", "inPlan", "forUnit"))


@dataclass(frozen=True)
class ShardSpec:
    """Everything one worker needs to validate one shard (picklable: plain values only)."""

    key: str                    # file stem of the plan, or "reference"
    kind: str                   # "plan" | "reference"
    ward: str                   # the ward's label, e.g. "Phường Hàm Rồng"
    ward_iri: str | None
    plan: str | None
    plan_label: str | None
    data: bytes                 # Turtle: the plan's own file, as written
    extra: bytes = b""          # N-Triples: shared closure + cross-plan context
    path: str | None = None     # the plan's Turtle file, read by the worker when `data` is empty
    digest: bytes = b""         # SHA-256 of the file's bytes when the scan read them (else computed)

    def turtle_digest(self) -> bytes:
        return self.digest or hashlib.sha256(self.turtle()).digest()

    def turtle(self) -> bytes:
        if self.data or not self.path:
            return self.data
        try:
            return Path(self.path).read_bytes()
        except OSError as exc:
            raise PlangraphError(f"{self.path}: cannot read: {exc}", "check the file") from exc

    def matches(self, ward: str) -> bool:
        """Does a --ward argument name this shard (label, slug or file stem, accents optional)?"""
        wanted = fold(ward).replace("-", " ").strip()
        names = [self.ward, self.key, self.ward_iri or ""]
        return any(wanted and wanted in fold(n).replace("-", " ").replace("_", " ") for n in names)


@dataclass
class PlanInfo:
    """What the shards need from one plan file; terms are N-Triples strings (picklable)."""

    path: str
    plan: str                   # <IRI>
    ward: str                   # <IRI>
    ward_label: str
    ward_name: str
    plan_label: str
    citations: list[tuple] = field(default_factory=list)   # (c, doc, num, date, issuer, line)
    indicators: list[tuple] = field(default_factory=list)  # (i, concept, unit)
    closure: bytes = b""        # N-Triples: the plan's closure in documents.ttl
    digest: bytes = b""         # SHA-256 of the file's bytes as scanned

    @property
    def key(self) -> str:
        return Path(self.path).stem


# Cross-plan context per shard: at most this many other plans' records for each distinct
# stated variant of a document (number, date, issuer) and each (concept, unit). The rules
# only need to see every differing value; a national graph would otherwise copy every
# citation of a central resolution into every shard (quadratic in the number of plans).
CONTEXT_PER_VARIANT = 10


def _keep(index: dict, key: object, variant: tuple, row: tuple, counts: dict) -> None:
    """Add `row` (its last item is the plan's number) under `key` unless CONTEXT_PER_VARIANT
    plans' rows of this variant are there already (a plan's own rows count once per plan, so
    one plan cannot crowd out the others)."""
    seen = counts.setdefault((key, variant), set())
    if len(seen) >= CONTEXT_PER_VARIANT and row[-1] not in seen:
        return
    seen.add(row[-1])
    index.setdefault(key, []).append(row)


class ShardIndex:
    """The plans of data/ttl, each with what its shard's context draws from the others."""

    def __init__(self, infos: list[PlanInfo]) -> None:
        self.plans = infos
        self.paths = [Path(p.path) for p in infos]  # the order other plans' ward names are written in
        self.by_doc: dict = {}
        self.by_concept: dict = {}
        counts: dict = {}
        for n, p in enumerate(infos):
            for c, doc, num, date, issuer, line in p.citations:
                _keep(self.by_doc, doc, (num, date, issuer), (c, doc, num, date, issuer, line, n), counts)
            for i, concept, unit in p.indicators:
                _keep(self.by_concept, concept, (unit,), (i, concept, unit, n), counts)
        # The N-Triples of each row and each plan's ward, written when a shard first needs them
        # (in the worker validating it): every shard citing a document repeats its rows.
        self._doc_text: dict = {}
        self._concept_text: dict = {}
        self._ward_text: dict = {}

    def __len__(self) -> int:
        return len(self.plans)

    def _doc_rows(self, doc: str) -> list[tuple]:
        rows = self._doc_text.get(doc)
        if rows is None:
            rows = []
            for c, _, num, date, issuer, line, m in self.by_doc.get(doc, ()):
                text = f"{c} {_CITED} {doc} .\n{c} {_CITING} {self.plans[m].plan} .\n" + "".join(
                    f"{c} {prop} {value} .\n" for value, prop in ((num, _NUMBER), (date, _DATE), (issuer, _ISSUER))
                    if value is not None)
                rows.append((m, (num, date, issuer), text, c, line))
            self._doc_text[doc] = rows
        return rows

    def _concept_rows(self, concept: str) -> list[tuple]:
        rows = self._concept_text.get(concept)
        if rows is None:
            rows = [(m, unit, f"{i} {_CONCEPT} {concept} .\n{i} {_UNIT} {unit} .\n{i} {_IN_PLAN} {self.plans[m].plan} .\n")
                    for i, _, unit, m in self.by_concept.get(concept, ())]
            self._concept_text[concept] = rows
        return rows

    def _ward(self, m: int) -> str:
        text = self._ward_text.get(m)
        if text is None:
            other = self.plans[m]
            text = self._ward_text[m] = (f"{other.plan} {_FOR_UNIT} {other.ward} .\n"
                                         f"{other.ward} {SKOS_PREF} {ox.Literal(other.ward_name, language='vi')} .\n")
        return text

    def context(self, n: int) -> str:
        """Other plans' statements about the documents and concepts plan `n` uses (N-Triples).

        Where all of the plan's own records of a document (or concept) state one and the same
        variant, the other plans' records of that very variant are left out: the cross-plan
        rules report only records that state a different value, and the plan's own records
        already show that this value is stated. Their plans' ward names stay."""
        p = self.plans[n]
        out: list[str] = []
        others: set[int] = set()
        blank = 0
        own: dict = {}
        for _, doc, num, date, issuer, _ in p.citations:
            own.setdefault(doc, set()).add((num, date, issuer))
        for doc in sorted(own):
            same = own[doc] if len(own[doc]) == 1 else ()
            for m, variant, text, c, line in self._doc_rows(doc):
                if m == n:
                    continue
                others.add(m)
                if variant in same:
                    continue
                out.append(text)
                if line is not None:
                    blank += 1
                    out.append(f"{c} {_SOURCE} _:s{blank} .\n_:s{blank} {_LINE_START} {line} .\n")
        units: dict = {}
        for _, concept, unit in p.indicators:
            units.setdefault(concept, set()).add(unit)
        for concept in sorted(units):
            same = units[concept] if len(units[concept]) == 1 else ()
            for m, unit, text in self._concept_rows(concept):
                if m == n:
                    continue
                others.add(m)
                if unit in same:
                    continue
                out.append(text)
        for m in sorted(others, key=self.paths.__getitem__):
            out.append(self._ward(m))
        return "".join(out)

    def spec(self, n: int, extra: bool = True) -> ShardSpec:
        """Plan `n`'s shard (`extra=False`: without its closure and context, to name it)."""
        p = self.plans[n]
        more = p.closure + self.context(n).encode("utf-8") if extra else b""
        return ShardSpec(p.key, "plan", p.ward_label, p.ward[1:-1], p.plan[1:-1], p.plan_label, b"", more, p.path,
                         p.digest)

    def matches(self, n: int, ward: str) -> bool:
        return self.spec(n, extra=False).matches(ward)

    def specs(self) -> list[ShardSpec]:
        return [self.spec(n) for n in range(len(self))]


def plan_shards(ttl_dir: Path, progress=None) -> list[ShardSpec]:
    """One shard per plan file in data/ttl, with its shared closure and cross-plan context."""
    from .scan import scan

    return scan(ttl_dir, 1, progress).specs()


def reference_shard() -> ShardSpec:
    """The reference data alone (the worker loads it into every shard anyway)."""
    return ShardSpec("reference", "reference", "tham chiếu / reference", None, None, None, b"", b"")
