"""Appendix indicator tables: each row either restates a target of the plan's list (kept as
a second statement, so list/appendix disagreements stay visible) or adds one."""

from __future__ import annotations

from ..text import squash
from .lexicon import domain_of
from .matching import containment
from .normalise import Document
from .records import Indicator, SourceSpan
from .tables import Table, TableRow
from .targets import cell_target
from .units import canonical_unit, split_units


def merge_appendix(doc: Document, tables: list[Table], indicators: list[Indicator]) -> list[Indicator]:
    """Attach appendix rows to list indicators; return the indicators only the appendix states."""
    added: list[Indicator] = []
    taken: set[int] = set()
    for table in tables:
        if table.kind != "indicator":
            continue
        for row in table.rows:
            target, column = _row_target(row)
            if target is None:
                continue
            name = squash(row.cells.get("name", "").lstrip("+-• ")).rstrip(". :")
            match = _best_match(name, target.unit, indicators, taken)
            units = [c[0] for u in split_units(row.cells.get("advise", "")) if (c := canonical_unit(u))]
            leader = canonical_unit(row.cells.get("leader", "") or "")
            if match is not None:
                taken.add(id(match))
                match.appendix = {
                    "no": row.no, "line": row.line, "comparator": target.comparator, "value": target.value,
                    "value_max": target.value_max, "unit": target.unit, "column": column,
                    "periodicity": target.periodicity, "target_year": target.target_year,
                }
                match.responsible_units = units or match.responsible_units
                match.leader = leader[0] if leader else match.leader
                continue
            ind = Indicator(
                no=row.no, part=1, name=name, group=None, domain=domain_of(row.group or name), origin=None,
                target=target, span=SourceSpan(doc.path.name, row.line, row.line, squash(" | ".join(row.cells.values()))[:300], table.caption[:80]),
                responsible_units=units, leader=leader[0] if leader else None,
            )
            ind.appendix = {"no": row.no, "line": row.line, "comparator": target.comparator, "value": target.value,
                            "value_max": target.value_max, "unit": target.unit, "column": column,
                            "periodicity": target.periodicity, "target_year": target.target_year}
            added.append(ind)
    return added


def _row_target(row: TableRow):
    unit = row.cells.get("unit")
    for column in ("by-year", "average", "target"):
        cell = row.cells.get(column, "")
        if cell.strip():
            t = cell_target(cell, unit, column)
            if t is not None:
                return t, column
    return None, None


def _best_match(name: str, unit: str | None, indicators: list[Indicator], taken: set[int]) -> Indicator | None:
    best, best_score = None, 0.0
    for ind in indicators:
        if id(ind) in taken:
            continue
        score = min(containment(name, ind.name), 1.0) * 0.5 + containment(ind.name, name) * 0.5
        if unit and ind.target.unit and unit.strip() != ind.target.unit and unit.strip() in ("%",):
            score -= 0.2
        if score > best_score:
            best, best_score = ind, score
    return best if best_score >= 0.5 else None
