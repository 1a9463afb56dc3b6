"""Process-wide resources: the store, the source index and the validation report.

Each is loaded once per process (st.cache_resource) and shared read-only by every session.
The store is the embedded one unless an endpoint is configured (PLANGRAPH_ENDPOINT or the
sidebar); an endpoint that cannot be reached falls back to the embedded store with a message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from plangraph.config import settings
from plangraph.errors import PlangraphError
from plangraph.query.choices import choices
from plangraph.store import Store, open_store

from .sources import SourceIndex, build_index

# A remote endpoint must answer the first (small) question within this many seconds.
PROBE_TIMEOUT = 8.0


@st.cache_resource(show_spinner="Đang nạp đồ thị / loading the graph…")
def get_store(endpoint: str | None = None) -> Store:
    """The store for an endpoint URL; "" forces the embedded store, None follows the settings."""
    if endpoint is None:
        return open_store(settings())
    if endpoint == "":
        return open_store(settings(endpoint=""))
    return open_store(settings(endpoint=endpoint, timeout=PROBE_TIMEOUT))


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
    return build_index(_store)


@st.cache_resource(show_spinner=False, max_entries=32)
def export_rows(key: str, kind: str, _store: Store) -> tuple[dict, ...]:
    """The rows of an export table (indicators, tasks, documents), once per store; shared
    read-only, so callers copy before changing a row."""
    from plangraph.exports import export_table

    return tuple(export_table(_store, kind).rows)


def _ttl_signature(ttl_dir: Path) -> tuple[tuple[str, float], ...]:
    if not ttl_dir.is_dir():
        return ()
    return tuple((p.name, p.stat().st_mtime) for p in sorted(ttl_dir.glob("*.ttl")))


@st.cache_resource(show_spinner="Đang kiểm tra dữ liệu (SHACL) / validating the graph…")
def _report(ttl_dir: str, signature: tuple[tuple[str, float], ...]):
    from plangraph.validate import validate_store_files

    return validate_store_files(settings(), ttl_dir=Path(ttl_dir))


def validation_report():
    """The SHACL report of the graph files (data/ttl), recomputed only when they change."""
    ttl_dir = settings().ttl_dir
    return _report(str(ttl_dir), _ttl_signature(ttl_dir))
