"""A ward's plans as a small store of their own, for the fixed whole-graph tables that take no
ward: the exports (indicators, tasks) and the picker lists (units, indicators).

`plangraph.exports.export_table` and `plangraph.query.choices` read the whole graph; on the
national graph the indicators export takes minutes. A page about one ward only needs that
ward's rows, and a ward's records live in its own graph files (`data/ttl/<province>_<ward>_<n>.ttl`,
named by `plangraph.graph.pipeline.plan_file_name` after the ward's IRI), which refer only to
the shared documents (`documents.ttl`) and the reference data. With the part of the shared
documents they reach (the documents the ward cites, their issuing bodies ...: the closure
validation uses, `SharedDocs.closure`), they give exactly the ward's rows of the whole graph.
The shared documents are read once per process (7 MB, 0.3 s at 3,321 plans); a slice then
takes ~30 ms instead of reading all of them again. Canned queries always run on the real store.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import pyoxigraph as ox

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


_SHARED_LOCK = threading.Lock()


@functools.lru_cache(maxsize=2)
def _shared_docs(path: str, size: int, mtime_ns: int):  # noqa: ARG001 - the file's state is the key
    from plangraph.validate.scan import SharedDocs

    return SharedDocs(Path(path).parent)


def shared_docs(ttl_dir: Path):
    """documents.ttl of `ttl_dir`, parsed once per process and again when the file changes;
    None when there is none."""
    path = ttl_dir / SHARED_FILE
    try:
        stat = path.stat()
    except OSError:
        return None
    with _SHARED_LOCK:  # two pages opening at once read it once
        return _shared_docs(str(path), stat.st_size, stat.st_mtime_ns)


def ward_slice(ttl_dir: Path, ward_iri: str) -> Store | None:
    """A store of the ward's plans, the shared documents they reach and the reference data;
    None when the files are not found or do not hold the ward's plan (the caller then reads
    the whole store)."""
    from plangraph.errors import PlangraphError
    from plangraph.store.embedded import EmbeddedStore

    files = ward_files(ttl_dir, ward_iri)
    if not files:
        return None
    try:
        store = EmbeddedStore(files)
        docs = shared_docs(ttl_dir)
        if docs is not None:
            closure = docs.closure(store.store)
            if closure:
                store.store.load(input=closure, format=ox.RdfFormat.N_TRIPLES)
    except (PlangraphError, SyntaxError, ValueError):
        return None
    if ward_iri not in {iri for iri, _label in choices(store, "ward")}:
        return None
    return store
