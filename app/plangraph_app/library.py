"""Thư viện truy vấn / Query library: find a canned query, fill its parameters from the
graph, run it, show it in its default view. Everything goes through `plangraph.query`."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from plangraph.query.catalog import CannedQuery, get_query, load_catalog, run
from plangraph.query.choices import choices
from plangraph.query.params import bind_params
from plangraph.query.warm import TABLE_LIMIT
from plangraph.store import QueryResult, Store
from plangraph.text import fold, squash

from .i18n import pick
from .sources import SourceIndex

# Row limit of a result in the app (the CLI and exports have none): enough for the five plans
# and for a national graph's first screen. The same limit as `plangraph index --warm`, so the
# results it keeps are the ones the app asks for.
ROW_LIMIT = TABLE_LIMIT


def catalog() -> list[CannedQuery]:
    return load_catalog()


TAG_NAMES = {
    "documents": "văn bản", "citations": "trích dẫn", "quality": "chất lượng", "indicators": "chỉ tiêu",
    "compare": "so sánh", "wards": "phường", "tasks": "nhiệm vụ", "timeline": "thời hạn", "merger": "sáp nhập",
    "history": "lịch sử", "units": "đơn vị", "leaders": "lãnh đạo", "responsibility": "trách nhiệm", "sdg": "SDG",
    "coverage": "độ bao phủ", "search": "tìm kiếm", "provenance": "nguồn gốc", "source": "nguồn", "origin": "nguồn giao",
    "province": "tỉnh", "lineage": "dòng dõi", "trace": "truy vết", "gaps": "chỗ thiếu", "workload": "khối lượng việc",
    "overview": "tổng quan", "completeness": "mức đầy đủ",
}


def tag_name(tag: str, lang: str = "vi") -> str:
    return tag if lang == "en" else TAG_NAMES.get(tag, tag)


def all_tags(queries: Sequence[CannedQuery]) -> list[str]:
    return sorted({tag for q in queries for tag in q.tags})


def search(queries: Sequence[CannedQuery], text: str | None = None, tags: Sequence[str] = ()) -> list[CannedQuery]:
    """Queries whose id, titles, descriptions or tags hold every typed word (accents optional),
    and that carry all the chosen tags; those whose title or tags match come first."""
    words = squash(fold(text or "")).split()
    out = []
    for q in queries:
        if tags and not set(tags) <= set(q.tags):
            continue
        names, hay = _search_text(q.id, q.title_vi, q.title_en, tuple(q.tags), q.description_vi, q.description_en)
        if all(w in hay for w in words):
            out.append((0 if all(w in names for w in words) else 1, q))
    return [q for _rank, q in sorted(out, key=lambda x: x[0])]


@functools.lru_cache(maxsize=1024)
def _search_text(qid: str, title_vi: str, title_en: str, tags: tuple[str, ...], description_vi: str,
                 description_en: str) -> tuple[str, str]:
    """A query's folded names (id, titles, tags) and everything searchable, computed once."""
    names = squash(fold(" ".join([qid, title_vi, title_en, *tags, *(TAG_NAMES.get(tag, "") for tag in tags)])))
    return names, names + " " + squash(fold(f"{description_vi} {description_en}"))


def title(q: CannedQuery, lang: str) -> str:
    return pick(lang, q.title_vi, q.title_en)


def options(store: Store, q: CannedQuery, name: str, index: SourceIndex | None = None) -> list[tuple[str, str]] | None:
    """The values a parameter offers in a picker, as (value, label); None for a typed value."""
    p = q.param(name)
    if isinstance(p.choices, tuple):
        return [(str(v), str(v)) for v in p.choices]
    if p.type == "record" and index is not None:
        return sorted(((s.iri, f"{s.ward} · {s.kind} · {s.label or s.lines()}") for s in index.records()),
                      key=lambda o: o[1])
    if p.choices == "free":
        return None
    return choices(store, p.type)


def default_value(q: CannedQuery, name: str) -> str | None:
    d = q.param(name).default
    return None if d is None else str(d)


def clean(q: CannedQuery, raw: Mapping[str, Any]) -> dict[str, str]:
    """The parameters to run with: known names only, empty values left out."""
    known = {p.name for p in q.params}
    return {k: str(v) for k, v in raw.items() if k in known and v not in (None, "")}


def execute(store: Store, query_id: str, params: Mapping[str, Any]) -> QueryResult:
    q = get_query(query_id)
    return run(store, query_id, clean(q, params), limit=ROW_LIMIT)


@dataclass(frozen=True)
class Rows:
    """A query result as plain values (for the app's per-parameters cache)."""

    columns: list[str]
    values: list[dict[str, Any]]
    notes: list[str]
    truncated: bool


def execute_rows(store: Store, query_id: str, params: tuple[tuple[str, str], ...]) -> Rows:
    result = execute(store, query_id, dict(params))
    return Rows(list(result.columns), result.values(), list(result.notes), bool(result.truncated))


def ward_named(directory: Any, rows: Rows) -> list[dict[str, Any]]:
    """The rows, a ward name two wards share followed by the province (found by the row's
    ward IRI, `ward_iri` or `citing_ward_iri`), so the library's tables, charts and downloads
    keep the two wards apart; unchanged when the result names no ward with its IRI."""
    iri = next((c for c in ("ward_iri", "citing_ward_iri") if c in rows.columns), None)
    if "ward" not in rows.columns or iri is None:
        return rows.values
    return directory.named(rows.values, iri=iri)


def sparql_text(store: Store, query_id: str, params: Mapping[str, Any]) -> str:
    """The query exactly as sent: the file's SPARQL with the parameters bound as VALUES."""
    q = get_query(query_id)
    bindings, _notes = bind_params(store, q, clean(q, params))
    return q.render(bindings)


def view_of(q: CannedQuery, result_columns: Sequence[str]) -> tuple[str, dict[str, Any]]:
    """The query's default view and its options, falling back to a table when the options
    name columns the result does not have."""
    opts = dict(q.view_options)
    needed = {"bar": ("x", "y"), "graph": ("source", "target"), "timeline": ("end", "label")}.get(q.view, ())
    if any(opts.get(k) not in result_columns for k in needed):
        return "table", {}
    return q.view, opts


def record_iri(row: Mapping[str, Any], index: SourceIndex) -> str | None:
    """The first IRI of a result row that has a source excerpt (indicator, task, citation ...)."""
    for key, value in row.items():
        if key.endswith("_iri") and isinstance(value, str) and value in index:
            return value
    return None
