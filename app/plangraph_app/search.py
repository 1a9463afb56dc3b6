"""Tìm kiếm / Search: the canned query `search` (diacritic-insensitive over labels and quotes),
with each hit's source excerpt from the source index."""

from __future__ import annotations

from collections import Counter
from typing import Any, Mapping, Sequence

from plangraph.query.catalog import run
from plangraph.store import Store

from .sources import SourceIndex

KIND_EN = {"Phường": "Ward", "Xã": "Commune", "Kế hoạch": "Plan", "Chỉ tiêu": "Indicator", "Nhiệm vụ": "Task",
           "Đơn vị": "Unit", "Chức danh lãnh đạo": "Leader role", "Văn bản": "Document"}


# Hits listed at most (a common word matches tens of thousands of records in a national graph).
LIMIT = 2000


def search(store: Store, text: str, ward: str | None = None) -> list[dict[str, Any]]:
    params = {"text": text}
    if ward:
        params["ward"] = ward
    return run(store, "search", params, limit=LIMIT).values()


def shape(rows: Sequence[Mapping[str, Any]], index: SourceIndex | None, lang: str = "vi") -> list[dict[str, Any]]:
    """Hits with their kind in the chosen language and, where the record has one and the
    sources are at hand (`index`), its line."""
    out = []
    for r in rows:
        src = index.get(r.get("item_iri")) if index is not None else None
        kind = r.get("kind") or ""
        out.append({"kind": KIND_EN.get(kind, kind) if lang == "en" else kind, "label": r.get("label"),
                    "wards": r.get("wards"), "snippet": r.get("snippet") if r.get("snippet") != r.get("label") else "",
                    "source": f"{src.document} · {src.lines(lang)}" if src else "", "item_iri": r.get("item_iri")})
    return out


def kind_counts(rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    return dict(Counter(r["kind"] for r in rows))
