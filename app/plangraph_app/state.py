"""Process-wide resources: the store, the ward directory, sources, export rows, background jobs.

Each is loaded once per process (st.cache_resource) and shared read-only by every session.
The store is the embedded one unless an endpoint is configured (PLANGRAPH_ENDPOINT or the
sidebar); an endpoint that cannot be reached falls back to the embedded store with a message.

Nothing here covers the whole graph when it is big: sources, export rows and picker lists are
per ward (or per record) and bounded caches; what must read the whole graph (the national
summary of the overview, the validation report) runs as a background job that pages poll.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import streamlit as st

from plangraph.config import settings
from plangraph.errors import PlangraphError
from plangraph.query.choices import choices
from plangraph.store import Store, open_store

from .sources import Source, SourceIndex, build_index, lookup, ward_index
from .wards import Directory, directory as build_directory

log = logging.getLogger("plangraph.app")

# A remote endpoint must answer the first (small) question within this many seconds.
PROBE_TIMEOUT = 8.0


def settle_heap() -> None:
    """Take what is alive now (libraries, the store, the sources, the report) out of the
    cyclic garbage collector's sight, once a process-wide resource is loaded.

    Streamlit runs a full collection after every script run (`runner.postScriptGC`). Over the
    app's long-lived heap (pandas, pyarrow, Streamlit, rdflib, the report) that took 60-150 ms
    per interaction, holding the GIL while the page's last messages waited to be sent. Frozen
    objects are still freed by reference counting; only cycles among them stay."""
    gc.collect()
    gc.freeze()


@st.cache_resource(show_spinner="Đang nạp đồ thị / loading the graph…")
def get_store(endpoint: str | None = None) -> Store:
    """The store for an endpoint URL; "" forces the embedded store, None follows the settings."""
    if endpoint is None:
        store = open_store(settings())
    elif endpoint == "":
        store = open_store(settings(endpoint=""))
    else:
        store = open_store(settings(endpoint=endpoint, timeout=PROBE_TIMEOUT))
    settle_heap()
    return store


def default_endpoint() -> str:
    return os.environ.get("PLANGRAPH_ENDPOINT", "").strip()


@dataclass(frozen=True)
class ActiveStore:
    store: Store
    key: str
    endpoint: str
    problem: str | None = None


def active_store(endpoint: str | None) -> ActiveStore:
    """The store the session asked for, or the embedded one with the reason it fell back."""
    endpoint = (endpoint if endpoint is not None else default_endpoint()).strip()
    if not endpoint:
        store = get_store("")
        return ActiveStore(store, "embedded", "")
    try:
        store = get_store(endpoint)
        wards = choices(store, "ward")  # also the probe: a small query the pages need anyway
    except PlangraphError as exc:
        get_store.clear(endpoint)  # try again on the next run rather than caching a dead client
        return ActiveStore(get_store(""), "embedded", "", exc.message)
    except Exception as exc:  # noqa: BLE001 - a network library's own error: say it, fall back
        get_store.clear(endpoint)
        return ActiveStore(get_store(""), "embedded", "", f"{type(exc).__name__}: {exc}")
    if not wards:
        return ActiveStore(store, f"remote:{endpoint}", endpoint,
                           "endpoint không chứa kế hoạch nào / the endpoint holds no plans (plangraph load --endpoint URL)")
    return ActiveStore(store, f"remote:{endpoint}", endpoint)


# --------------------------------------------------------------------------- wards, sources, rows

@st.cache_resource(show_spinner="Đang nạp danh sách phường / loading the wards…")
def ward_directory(key: str, _store: Store) -> Directory:
    """Every ward with its name, label and province, once per store. Meanwhile, for the
    embedded store, the shared documents that ward slices draw from are read on a second
    thread (slices.shared_docs: 0.4-0.6 s at 3,321 plans, mostly outside the GIL)."""
    if getattr(_store, "kind", "") == "embedded":
        threading.Thread(target=_read_shared_docs, name="plangraph-shared-docs", daemon=True).start()
    out = build_directory(_store)
    settle_heap()
    return out


def _read_shared_docs() -> None:
    from .slices import shared_docs

    try:
        shared_docs(settings().ttl_dir)
    except Exception:  # noqa: BLE001 - a slice reads it again and falls back to the whole store
        log.exception("reading the shared documents failed")


@st.cache_resource(show_spinner=False)
def source_index(key: str, _store: Store) -> SourceIndex:
    """Every record's source (document, section, lines, quote), once per store: for a graph
    of a few wards only (`Directory.large` is false)."""
    index = build_index(_store)
    settle_heap()
    return index


@st.cache_resource(show_spinner=False, max_entries=64)
def ward_sources(key: str, ward_iri: str, _store: Store) -> SourceIndex:
    """The records of one ward with their sources; shared read-only."""
    return ward_index(_store, ward_iri)


@st.cache_resource(show_spinner=False, max_entries=4096)
def record_source(key: str, iri: str, _store: Store) -> Source | None:
    """One record's source, looked up when it is shown."""
    return lookup(_store, iri)


@st.cache_resource(show_spinner=False, max_entries=8)
def export_rows(key: str, kind: str, _store: Store) -> tuple[dict, ...]:
    """The rows of a whole export table (documents; indicators and tasks of a few wards or of
    a remote endpoint), once per store; shared read-only, so callers copy before changing a row."""
    from plangraph.exports import export_table

    rows = tuple(export_table(_store, kind).rows)
    settle_heap()
    return rows


@st.cache_resource(show_spinner=False, max_entries=8)
def ward_slice(key: str, ward_iri: str, _store: Store) -> Store | None:
    """The ward's plans as a small store (slices.py), for the embedded store; None for an
    endpoint or when the ward's files are not found."""
    from .slices import ward_slice as load

    if getattr(_store, "kind", "") != "embedded":
        return None
    return load(settings().ttl_dir, ward_iri)


@st.cache_resource(show_spinner=False, max_entries=64)
def ward_export_rows(key: str, kind: str, ward_iri: str, _store: Store) -> tuple[dict, ...]:
    """One ward's rows of an export table (indicators, tasks): from the ward's slice, else
    read for that ward (`export_table(..., ward_iri=...)`: a remote endpoint). Never by the
    ward's name: names recur across provinces."""
    from plangraph.exports import export_table

    piece = ward_slice(key, ward_iri, _store)
    if piece is not None:
        return tuple(export_table(piece, kind).rows)
    return tuple(export_table(_store, kind, ward_iri=ward_iri).rows)


@st.cache_resource(show_spinner=False, max_entries=64)
def ward_choices(key: str, param_type: str, ward_iri: str, _store: Store) -> tuple[tuple[str, str], ...]:
    """The picker values of a type within one ward (its units, its indicators): from the
    ward's slice, else read for that ward (`ward_choices`: a remote endpoint)."""
    from plangraph.query.choices import ward_choices as for_ward

    piece = ward_slice(key, ward_iri, _store)
    if piece is not None:
        return tuple(choices(piece, param_type))
    return tuple(for_ward(_store, param_type, ward_iri))


@st.cache_data(show_spinner=False, max_entries=512)
def store_data(key: str, name: str, args: tuple, _fn: Callable[..., Any], _store: Store) -> Any:
    """`_fn(_store, *args)` once per store state and arguments (`key`: the store and its
    generation, `name`: the function), for the pages' pure functions over the store (a
    trace's rows ...). Each caller gets its own copy."""
    return _fn(_store, *args)


# --------------------------------------------------------------------------- background jobs

@dataclass
class Job:
    """Work on the whole graph running in a background thread, shared by every session."""

    name: str
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    result: Any = None
    error: str | None = None
    hint: str | None = None
    done_count: int = 0
    total: int = 0
    _event: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def done(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        return self._event.wait(seconds)

    def progress(self, done: int, total: int) -> None:
        self.done_count, self.total = done, total

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started


_JOBS: dict[str, Job] = {}
_JOBS_LOCK = threading.Lock()


def job(name: str, work: Callable[[Callable[[int, int], None]], Any]) -> Job:
    """The process-wide job `name`, started on the first call: `work(progress)` runs in a
    daemon thread (pyoxigraph and the validation's worker processes leave the GIL to the
    pages meanwhile); a failed job is forgotten once a page has shown its error."""
    with _JOBS_LOCK:
        current = _JOBS.get(name)
        if current is not None:
            return current
        current = _JOBS[name] = Job(name)

    def target() -> None:
        try:
            current.result = work(current.progress)
        except PlangraphError as exc:
            current.error, current.hint = exc.message, exc.hint
        except Exception as exc:  # noqa: BLE001 - reported on the page that asked for it
            log.exception("background job %s failed", name)
            current.error = f"{type(exc).__name__}: {str(exc)[:300]}"
        finally:
            current.finished = time.monotonic()
            current._event.set()
            if current.error is None:
                settle_heap()

    threading.Thread(target=target, name=f"plangraph-{name.split(':')[0]}", daemon=True).start()
    return current


def forget(name: str) -> None:
    with _JOBS_LOCK:
        _JOBS.pop(name, None)


def forget_older(prefix: str, keep: str) -> None:
    """Drop finished jobs whose name starts with `prefix`, except `keep` (an old report)."""
    with _JOBS_LOCK:
        for name in [n for n, j in _JOBS.items() if n.startswith(prefix) and n != keep and j.done]:
            _JOBS.pop(name, None)


# The graph files are looked at again at most this often (3,322 files take 80 ms to list).
SIGNATURE_SECONDS = 15.0
_SIGNATURES: dict[Path, tuple[float, int]] = {}


def _ttl_signature(ttl_dir: Path) -> int:
    """Names, sizes and modification times of the graph files, as one number."""
    seen = _SIGNATURES.get(ttl_dir)
    if seen is not None and time.monotonic() - seen[0] < SIGNATURE_SECONDS:
        return seen[1]
    signature = 0
    if ttl_dir.is_dir():
        stats = ((p.name, p.stat()) for p in sorted(ttl_dir.glob("*.ttl")))
        signature = hash(tuple((name, st.st_mtime_ns, st.st_size) for name, st in stats))
    _SIGNATURES[ttl_dir] = (time.monotonic(), signature)
    return signature


def validation_job() -> Job:
    """The SHACL report of the graph files (data/ttl), run in the background with the shard
    cache (plans unchanged since an earlier run are not validated again), once per state of
    the files (looked at again after SIGNATURE_SECONDS)."""
    from plangraph.validate import validate_store_files

    ttl_dir = settings().ttl_dir
    prefix = f"validation:{ttl_dir}:"
    name = f"{prefix}{_ttl_signature(ttl_dir)}"
    forget_older(prefix, name)
    return job(name, lambda progress: validate_store_files(settings(), ttl_dir=ttl_dir, cache=True, progress=progress))
