"""Map each indicator to a canonical indicator concept by the phrasings the vocabulary lists."""

from __future__ import annotations

from dataclasses import dataclass

from ..text import fold
from .matching import similarity
from .records import Indicator


@dataclass(frozen=True)
class ConceptEntry:
    id: str  # local name in the concept scheme, e.g. "health-insurance-coverage"
    labels: tuple[str, ...]  # folded prefLabel and altLabels
    default_unit: str | None  # "percent", "ty-dong" ...


def map_concept(ind: Indicator, lexicon: list[ConceptEntry]) -> str | None:
    """The concept whose longest label occurs in the indicator's name (or quote), with the
    amount/growth pair told apart by the comparator."""
    name = fold(ind.name)
    text = fold(f"{ind.name} {ind.span.quote} {ind.context}")
    best: tuple[int, str] | None = None
    for entry in lexicon:
        for label in entry.labels:
            if label and (label in name or (len(label) > 12 and label in text)):
                score = len(label) + (1000 if label in name else 0)
                if best is None or score > best[0]:
                    best = (score, entry.id)
    if best is None:
        scored = [(max((similarity(ind.name, lab) for lab in e.labels), default=0.0), e.id) for e in lexicon]
        score, cid = max(scored, default=(0.0, ""))
        if score < 0.6:
            return None
        best = (0, cid)
    cid = best[1]
    ids = {e.id for e in lexicon}
    growth_like = ind.target.comparator in ("growth", "multiple") or (
        ind.target.unit == "%" and ind.target.periodicity == "yearly-average"
    )
    if growth_like and f"{cid}-growth" in ids:
        return f"{cid}-growth"
    if not growth_like and cid.endswith("-growth") and cid[: -len("-growth")] in ids and ind.target.unit not in ("%", None):
        return cid[: -len("-growth")]
    return cid
