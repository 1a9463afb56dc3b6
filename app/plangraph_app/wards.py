"""Wards as pickers offer them (IRI, "Phường An Dương (Hải Phòng)") and as tables name them
("An Dương", the preferred label the query results and exports use)."""

from __future__ import annotations

from plangraph.query.catalog import run
from plangraph.store import Store


def names(store: Store) -> dict[str, str]:
    """Ward IRI -> preferred label, from the canned query `formed-from` (one row per ward at least)."""
    out: dict[str, str] = {}
    for r in run(store, "formed-from", {}).values():
        if r.get("ward_iri"):
            out.setdefault(r["ward_iri"], r["ward"])
    return out
