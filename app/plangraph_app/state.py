"""Process-wide resources: the store, the source index and the validation report.

Each is loaded once per process (st.cache_resource) and shared read-only by every session.
The store is the embedded one unless an endpoint is configured (PLANGRAPH_ENDPOINT or the
sidebar); an endpoint that cannot be reached falls back to the embedded store with a message.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import streamlit as st

from plangraph.config import settings
from plangraph.errors import PlangraphError
from plangraph.query.choices import choices
from plangraph.store import Store, open_store

from .sources import SourceIndex, build_index

# A remote endpoint must answer the first (small) question within this many seconds.
PROBE_TIMEOUT = 8.0


def settle_heap() -> None:
    """Take what is alive now (libraries, the store, the source index, the report) out of the
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


@st.cache_resource(show_spinner=False)
def source_index(key: str, _store: Store) -> SourceIndex:
    """Every record's source (document, section, lines, quote), once per store."""
    index = build_index(_store)
    settle_heap()
    return index


@st.cache_resource(show_spinner=False, max_entries=32)
def export_rows(key: str, kind: str, _store: Store) -> tuple[dict, ...]:
    """The rows of an export table (indicators, tasks, documents), once per store; shared
    read-only, so callers copy before changing a row."""
    from plangraph.exports import export_table

    rows = tuple(export_table(_store, kind).rows)
    settle_heap()
    return rows


@st.cache_data(show_spinner=False, max_entries=512)
def store_data(key: str, name: str, args: tuple, _fn: Callable[..., Any], _store: Store) -> Any:
    """`_fn(_store, *args)` once per store state and arguments (`key`: the store and its
    generation, `name`: the function), for the pages' pure functions over the store (a
    trace's rows ...). Each caller gets its own copy."""
    return _fn(_store, *args)


def _ttl_signature(ttl_dir: Path) -> tuple[tuple[str, float], ...]:
    if not ttl_dir.is_dir():
        return ()
    return tuple((p.name, p.stat().st_mtime) for p in sorted(ttl_dir.glob("*.ttl")))


@st.cache_resource(show_spinner="Đang kiểm tra dữ liệu (SHACL) / validating the graph…")
def _report(ttl_dir: str, signature: tuple[tuple[str, float], ...]):
    from plangraph.validate import validate_store_files

    report = validate_store_files(settings(), ttl_dir=Path(ttl_dir))
    settle_heap()
    return report


def validation_report():
    """The SHACL report of the graph files (data/ttl), recomputed only when they change."""
    ttl_dir = settings().ttl_dir
    return _report(str(ttl_dir), _ttl_signature(ttl_dir))
