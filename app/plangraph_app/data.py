"""What the pages read from the store, through the process-wide caches of `state`: the ward
directory, sources, export rows and picker lists, whole for a few wards, per ward (or per
record) for a big graph. No Streamlit widgets here (ui.py has those).
"""

from __future__ import annotations

from typing import Any, Callable

import streamlit as st

from plangraph.query.warm import keep_defaults
from plangraph.store import Store

from . import state
from .sources import Source, SourceIndex
from .wards import Directory, Ward


def store_key(store: Store) -> str:
    """The session's store and its content generation: the key of every cache over it."""
    active = st.session_state.get("_active_store")
    return f"{active.key if active is not None else 'embedded'}#{getattr(store, 'generation', 0)}"


def directory(store: Store) -> Directory:
    """Every ward with its name, label and province, loaded once per store."""
    return state.ward_directory(store_key(store), store)


def after_page(store: Store) -> state.Job | None:
    """Once a page has been drawn: for a big graph, start the background warm-up (`warm_up`).
    Started after the page rather than with the ward directory, so that the first page does
    not share the two cores with it."""
    if not directory(store).large:
        return None
    return warm_up(store)


def warm_up(store: Store) -> state.Job:
    """Read the lists pages need over the whole of a big graph (concepts, documents, the
    documents export) one after the other, in the background, once per store: the pages
    using them rarely have to wait. Then, on the read-only index, run every canned query as
    the query library first shows it for all wards, so its result is kept beside the index
    (`plangraph index --warm`): the first person to open one gets it at once."""
    key = store_key(store)  # read here: the session is not known in the background thread

    def work(_progress: Callable[[int, int], None]) -> None:
        # One at a time (a page asking for a later one starts it at once itself).
        for start in (lambda: choices_job(store, "concept", key), lambda: choices_job(store, "document", key),
                      lambda: documents_job(store, key)):
            start().wait(3600)
        keep_defaults(store)

    return state.job(f"warm-up:{key}", work)


def index(store: Store) -> SourceIndex | None:
    """Every record's source, loaded once per store, for a graph of a few wards; None for a
    big graph (sources are then looked up when shown: `source_of`, `ward_sources`)."""
    if directory(store).large:
        return None
    return state.source_index(store_key(store), store)


def source_of(store: Store, iri: str | None) -> Source | None:
    """A record's source (from the whole index of a small graph, else looked up once)."""
    if not iri:
        return None
    whole = index(store)
    if whole is not None:
        return whole.get(iri)
    return state.record_source(store_key(store), iri, store)


def ward_sources(store: Store, ward: Ward) -> SourceIndex:
    """The records of a ward with their sources (`ward_records(ward.name, ward.iri)`, `plan_of(ward.name, ward.iri)`)."""
    whole = index(store)
    if whole is not None:
        return whole
    return state.ward_sources(store_key(store), ward.iri, store)


class SourceLookup:
    """Sources as pages ask for them (`get(iri)`, `plan_of(ward, ward_iri)`, `iri in it`): from
    the whole index of a small graph, else looked up, and cached, when shown."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, iri: str | None) -> Source | None:
        return source_of(self.store, iri)

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and self.get(iri) is not None

    def plan_of(self, ward: str, ward_iri: str | None = None) -> Source | None:
        whole = index(self.store)
        if whole is not None:
            return whole.plan_of(ward, ward_iri)
        found = directory(self.store).get(ward_iri)
        return ward_sources(self.store, found).plan_of(found.name, found.iri) if found is not None else None


def cached(store: Store, fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(store, *args)` computed once per store (and its generation) and arguments; `fn` is
    a pure function of the store (a page's query rows), its arguments plain values."""
    return state.store_data(store_key(store), f"{fn.__module__}.{fn.__qualname__}", args, fn, store)


def export_rows(store: Store, kind: str) -> tuple[dict, ...]:
    """A whole export table's rows (documents; indicators and tasks of a small graph), once per store."""
    return state.export_rows(store_key(store), kind, store)


def ward_rows(store: Store, ward: Ward, kind: str) -> tuple[dict, ...]:
    """One ward's rows of an export table (indicators, tasks), found by the ward's IRI."""
    return state.ward_export_rows(store_key(store), kind, ward.iri, store)


def ward_choices(store: Store, ward: Ward, param_type: str) -> list[tuple[str, str]]:
    """Picker values of a type within one ward (units, indicators)."""
    return list(state.ward_choices(store_key(store), param_type, ward.iri, store))


def documents_job(store: Store, key: str | None = None) -> state.Job:
    """The documents export of a big graph (2,500 rows, seconds to read), read once in the
    background (`key`: the store's, when not called from a page)."""
    from plangraph.exports import export_table

    return state.job(f"export:documents:{key or store_key(store)}",
                     lambda _progress: tuple(export_table(store, "documents").rows))


def choices_job(store: Store, param_type: str, key: str | None = None) -> state.Job:
    """A picker list over the whole of a big graph (documents: ~10 s, concepts: ~3 s), read
    once in the background (`key`: the store's, when not called from a page)."""
    from plangraph.query.choices import choices

    return state.job(f"choices:{param_type}:{key or store_key(store)}", lambda _progress: choices(store, param_type))
