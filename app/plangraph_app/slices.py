"""A ward's plans as a small store of their own, for the fixed whole-graph tables that take no
ward: the exports (indicators, tasks) and the picker lists (units, indicators).

`plangraph.exports.export_table` and `plangraph.query.choices` read the whole graph; on the
national graph the indicators export takes minutes. A page about one ward only needs that
ward's rows, and a ward's records live in its own graph files (`data/ttl/<province>_<ward>_<n>.ttl`,
named by `plangraph.graph.pipeline.plan_file_name` after the ward's IRI), which refer only to
the shared documents (`documents.ttl`) and the reference data. Loaded together (~50 ms), they
give exactly the ward's rows of the whole graph. Canned queries always run on the real store.
"""

from __future__ import annotations

from pathlib import Path

from plangraph.query.choices import choices
from plangraph.store import Store

SHARED_FILE = "documents.ttl"


def ward_files(ttl_dir: Path, ward_iri: str) -> list[Path]:
    """The graph files of a ward's plans, found by the ward IRI's last two segments
    (`…/unit/hai-phong/phuong-an-duong` -> `hai-phong_phuong-an-duong_*.ttl`)."""
    parts = ward_iri.rstrip("/").split("/")
    if len(parts) < 2 or not parts[-1] or not parts[-2] or not ttl_dir.is_dir():
        return []
    if any(ch in "*?[]" for ch in parts[-2] + parts[-1]):
        return []
    return sorted(ttl_dir.glob(f"{parts[-2]}_{parts[-1]}_*.ttl"))


def ward_slice(ttl_dir: Path, ward_iri: str) -> Store | None:
    """A store of the ward's plans, the shared documents and the reference data; None when
    the files are not found or do not hold the ward's plan (the caller then reads the whole
    store)."""
    from plangraph.errors import PlangraphError
    from plangraph.store.embedded import EmbeddedStore

    files = ward_files(ttl_dir, ward_iri)
    if not files:
        return None
    shared = ttl_dir / SHARED_FILE
    try:
        store = EmbeddedStore(([shared] if shared.is_file() else []) + files)
    except PlangraphError:
        return None
    if ward_iri not in {iri for iri, _label in choices(store, "ward")}:
        return None
    return store
