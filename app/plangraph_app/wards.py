"""Wards as pickers offer them (IRI, "Phường An Dương (Hải Phòng)") and as tables name them
("An Dương", the preferred label the query results and exports use), grouped by province.

With a handful of wards every page can show them all at once; with thousands (the national
graph) a page shows a province or one ward, picked province first (`Directory.large`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from plangraph.query.catalog import run
from plangraph.query.choices import choices
from plangraph.store import Store
from plangraph.text import fold

# Above this many wards, pages open on a province or one ward instead of all of them, and the
# ward pickers ask for the province first. PLANGRAPH_APP_MANY_WARDS changes it (tests use a
# small value to exercise the national layout on the five plans).
MANY_WARDS = int(os.environ.get("PLANGRAPH_APP_MANY_WARDS", "60") or 60)


@dataclass(frozen=True)
class Ward:
    iri: str
    name: str  # "An Dương": the preferred label, as query results and exports name the ward
    label: str  # "Phường An Dương"
    province: str

    @property
    def option(self) -> str:
        """"Phường An Dương (Hải Phòng)", as the ward pickers show it."""
        return f"{self.label} ({self.province})" if self.province else self.label


class Directory:
    """Every ward with a plan: its IRI, name, label and province; wards in the order given (the
    pickers' order), provinces in alphabetical order (accents aside)."""

    def __init__(self, wards: Iterable[Ward], formed_rows: Sequence[Mapping[str, Any]] = ()) -> None:
        unique: dict[str, Ward] = {}
        for w in wards:
            unique.setdefault(w.iri, w)
        self.wards: tuple[Ward, ...] = tuple(unique.values())
        self.by_iri = {w.iri: w for w in self.wards}
        self._provinces: dict[str, list[Ward]] = {}
        for w in sorted(self.wards, key=lambda w: fold(w.province)):
            self._provinces.setdefault(w.province, [])
        for w in self.wards:
            self._provinces[w.province].append(w)
        # The rows of `formed-from` (former units of each ward), kept for the overview.
        self.formed_rows = [dict(r) for r in formed_rows]
        counts: dict[str, int] = {}
        for w in self.wards:
            counts[w.name] = counts.get(w.name, 0) + 1
        self.shared_names = frozenset(name for name, n in counts.items() if n > 1)

    def __len__(self) -> int:
        return len(self.wards)

    @property
    def large(self) -> bool:
        return len(self.wards) > MANY_WARDS

    def get(self, iri: str | None) -> Ward | None:
        return self.by_iri.get(iri) if iri else None

    def provinces(self) -> list[str]:
        return list(self._provinces)

    def in_province(self, province: str | None) -> list[Ward]:
        return list(self._provinces.get(province, [])) if province else list(self.wards)

    def options(self, province: str | None = None) -> list[tuple[str, str]]:
        """(IRI, "Phường An Dương (Hải Phòng)") of every ward, or of one province's."""
        return [(w.iri, w.option) for w in self.in_province(province)]

    def names(self) -> dict[str, str]:
        return {w.iri: w.name for w in self.wards}

    def named(self, rows: Sequence[Mapping[str, Any]], column: str = "ward",
              iri: str = "ward_iri") -> list[dict[str, Any]]:
        """Rows whose `column` names a ward, with a name two wards share followed by the
        province ("Yên Bình (Hà Giang)"), found by the row's ward IRI (column `iri`): tables,
        charts and graphs that group by the shown name then keep the two wards apart. Other
        rows are returned as they are (copies only where changed)."""
        if not self.shared_names:
            return list(rows)  # type: ignore[arg-type]
        out = []
        for r in rows:
            ward = self.by_iri.get(r.get(iri) or "")
            if ward is not None and r.get(column) in self.shared_names and ward.province:
                r = {**r, column: f"{r[column]} ({ward.province})"}
            out.append(r)  # type: ignore[arg-type]
        return out

    def formed(self, ward_iris: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """The former-unit rows of some wards (all of them without `ward_iris`)."""
        if ward_iris is None:
            return list(self.formed_rows)
        wanted = set(ward_iris)
        return [r for r in self.formed_rows if r.get("ward_iri") in wanted]


def _split_option(label: str) -> tuple[str, str]:
    """"Phường An Dương (Hải Phòng)" -> ("Phường An Dương", "Hải Phòng"), as `choices` writes it."""
    if label.endswith(")") and " (" in label:
        name, _, province = label[:-1].rpartition(" (")
        return name, province
    return label, ""


def directory(store: Store) -> Directory:
    """The wards of the store: pickers' labels from `choices(store, "ward")`, names and
    provinces from the canned query `formed-from` (one row per ward at least)."""
    formed = run(store, "formed-from", {}).values()
    named: dict[str, tuple[str, str]] = {}
    for r in formed:
        if r.get("ward_iri"):
            named.setdefault(r["ward_iri"], (r.get("ward") or "", r.get("province") or ""))
    out = []
    for iri, option in choices(store, "ward"):
        label, province = _split_option(option)
        name, formed_province = named.get(iri, (label, province))
        out.append(Ward(iri, name or label, label, province or formed_province))
    return Directory(out, formed)


def names(store: Store) -> dict[str, str]:
    """Ward IRI -> preferred label, from the canned query `formed-from` (one row per ward at least)."""
    out: dict[str, str] = {}
    for r in run(store, "formed-from", {}).values():
        if r.get("ward_iri"):
            out.setdefault(r["ward_iri"], r["ward"])
    return out
