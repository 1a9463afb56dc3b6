"""The canned-query catalog: one SPARQL file per question, its metadata in a `#+` YAML header.

    from plangraph.query.catalog import load_catalog, run
    for q in load_catalog():                      # list[CannedQuery], sorted by id
        print(q.id, q.title_vi, [p.name for p in q.params])
    result = run(store, "compare-concept", {"concept": "health-insurance-coverage"})

The file name is the id. Parameters are declared in the header, converted to RDF terms by
`params.bind_params` and bound as VALUES blocks at the query's `# @values` lines
(`store.base.place_values`); user input never becomes query text.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping, Sequence

import yaml
from ..errors import QueryError
from ..resources import query_dir
from ..store.base import QueryResult, Store, place_values

PARAM_TYPES = ("document", "ward", "concept", "unit", "year", "text", "integer", "indicator", "record")
VIEWS = ("table", "bar", "graph", "timeline")
LIST_SEPARATOR = "; "
_HEADER_KEYS = {"id", "title", "description", "tags", "params", "view", "view_options", "list_columns", "hide_sql",
                "page_by", "page_batch", "page_year"}
_PARAM_KEYS = {"name", "type", "var", "required", "default", "choices", "label", "fold"}


@dataclass(frozen=True)
class Param:
    """A declared parameter. `var` is the SPARQL variable it binds (default: its name);
    `choices` says how the app offers values: "store" (`choices.choices(store, type)`),
    "free" (typed by the user) or a fixed tuple of values."""

    name: str
    type: str
    label_vi: str
    label_en: str
    var: str
    required: bool = False
    default: Any = None
    choices: str | tuple[Any, ...] = "store"
    fold: bool = False


@dataclass(frozen=True)
class CannedQuery:
    id: str
    title_vi: str
    title_en: str
    description_vi: str
    description_en: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    view: str
    sparql: str
    file: str
    view_options: dict[str, Any] = field(default_factory=dict)
    list_columns: tuple[str, ...] = ()
    hide_sql: bool = False
    # "ward": the rows for all wards are the rows of each ward put together, sorted first by
    # the `ward` column, so a limited all-wards run may read them ward by ward (query/paging.py)
    page_by: str | None = None
    # At most this many wards in one batch (None: paging's own maximum): Oxigraph plans a query
    # for a VALUES block of a few wards from the wards themselves, and past a size that depends
    # on the query switches to reading the whole graph.
    page_batch: int | None = None
    # {"var": v, "from": a, "to": b}: the rows are sorted first by ?v, a year between the
    # parameters a and b, and within a year as `page_by: ward` requires; `# @values v` lines
    # let one year be read from the index, so an all-wards run is read year by year, each year
    # ward by ward (query/paging.py).
    page_year: dict[str, str] | None = None

    @property
    def page_by_iri(self) -> bool:
        """Sorted by ward name and then by the ward parameter's IRI (`ORDER BY ?ward ?ward_iri`,
        after the year with `page_year`), so wards sharing a name may be read in different batches."""
        var = next((p.var for p in self.params if p.type == "ward"), None)
        year = rf"\?{self.page_year['var']}\s+" if self.page_year else ""
        return var is not None and re.search(rf"ORDER BY\s+{year}\?ward\s+\?{var}\b", self.sparql) is not None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise QueryError(f"query {self.id!r} has no parameter {name!r}",
                         f"its parameters: {', '.join(p.name for p in self.params) or 'none'}")

    def render(self, bindings: Mapping[str, list[Any]]) -> str:
        """The query text with the given (already converted) bindings placed."""
        return place_values(self.sparql, dict(bindings))


def _texts(value: Any, key: str, file: str) -> tuple[str, str]:
    if isinstance(value, dict) and isinstance(value.get("vi"), str) and isinstance(value.get("en"), str):
        return value["vi"].strip(), value["en"].strip()
    raise QueryError(f"{file}: header '{key}' needs 'vi' and 'en' texts", "see docs/QUERIES.md for the header format")


def _param(raw: Any, file: str) -> Param:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or raw.get("type") not in PARAM_TYPES:
        raise QueryError(f"{file}: every parameter needs a name and a type ({', '.join(PARAM_TYPES)})",
                         "fix the params list in the header")
    unknown = set(raw) - _PARAM_KEYS
    if unknown:
        raise QueryError(f"{file}: parameter {raw['name']!r} has unknown keys {sorted(unknown)}", f"allowed: {sorted(_PARAM_KEYS)}")
    vi, en = _texts(raw.get("label"), f"params.{raw['name']}.label", file)
    choices = raw.get("choices", "free" if raw["type"] in ("text", "integer", "record") else "store")
    if isinstance(choices, list):
        choices = tuple(choices)
    elif choices not in ("store", "free"):
        raise QueryError(f"{file}: parameter {raw['name']!r}: choices must be store, free or a list", "fix the header")
    return Param(name=raw["name"], type=raw["type"], label_vi=vi, label_en=en, var=raw.get("var", raw["name"]),
                 required=bool(raw.get("required", False)), default=raw.get("default"), choices=choices,
                 fold=bool(raw.get("fold", False)))


def parse_query_file(name: str, text: str) -> CannedQuery:
    """Parse one .rq file: the leading `#+` lines are YAML metadata, the rest is SPARQL."""
    qid = name.removesuffix(".rq")
    lines = text.splitlines()
    header = []
    for line in lines:
        if not line.startswith("#+"):
            break
        header.append(line[3:] if line.startswith("#+ ") else line[2:])
    if not header:
        raise QueryError(f"{name}: no '#+' metadata header", "start the file with '#+ title: ...' lines")
    try:
        meta = yaml.safe_load("\n".join(header))
    except yaml.YAMLError as exc:
        raise QueryError(f"{name}: the metadata header is not valid YAML: {str(exc).splitlines()[0]}", "fix the '#+' lines") from exc
    if not isinstance(meta, dict):
        raise QueryError(f"{name}: the metadata header must be a mapping", "use 'key: value' lines")
    unknown = set(meta) - _HEADER_KEYS
    if unknown:
        raise QueryError(f"{name}: unknown header keys {sorted(unknown)}", f"allowed: {sorted(_HEADER_KEYS)}")
    if meta.get("id", qid) != qid:
        raise QueryError(f"{name}: header id {meta['id']!r} differs from the file name", "the file name is the id")
    title = _texts(meta.get("title"), "title", name)
    desc = _texts(meta.get("description"), "description", name)
    view = meta.get("view", "table")
    if view not in VIEWS:
        raise QueryError(f"{name}: view {view!r} is not one of {', '.join(VIEWS)}", "fix the header")
    params = tuple(_param(p, name) for p in meta.get("params") or [])
    if len({p.name for p in params}) != len(params):
        raise QueryError(f"{name}: duplicate parameter names", "each parameter once")
    sparql = "\n".join(lines[len(header):]).strip() + "\n"
    if not sparql.strip():
        raise QueryError(f"{name}: no SPARQL after the header", "add the query")
    page_by = meta.get("page_by")
    if page_by is not None and (page_by != "ward" or sum(p.type == "ward" for p in params) != 1):
        raise QueryError(f"{name}: page_by must be 'ward', in a query with one ward parameter",
                         "remove page_by or fix the parameters")
    page_batch = meta.get("page_batch")
    if page_batch is not None and (page_by is None or not isinstance(page_batch, int) or isinstance(page_batch, bool)
                                   or page_batch < 1):
        raise QueryError(f"{name}: page_batch must be a whole number from 1, with page_by",
                         "e.g. 'page_batch: 8', or remove it")
    page_year = meta.get("page_year")
    if page_year is not None:
        years = {p.name for p in params if p.type == "year"}
        if (page_by is None or not isinstance(page_year, dict) or set(page_year) != {"var", "from", "to"}
                or page_year["from"] not in years or page_year["to"] not in years
                or not re.search(rf"^\s*# @values\b.*\b{re.escape(str(page_year['var']))}\b", sparql, re.M)
                or not re.search(rf"ORDER BY\s+\?{re.escape(str(page_year['var']))}\b", sparql)):
            raise QueryError(f"{name}: page_year needs page_by, 'var' (sorted on first, placed at '# @values' "
                             "lines) and 'from'/'to' naming two year parameters",
                             "e.g. 'page_year: {var: due_year, from: from_year, to: to_year}', or remove it")
    return CannedQuery(
        id=qid, title_vi=title[0], title_en=title[1], description_vi=desc[0], description_en=desc[1],
        tags=tuple(meta.get("tags") or ()), params=params, view=view, sparql=sparql, file=name,
        view_options=dict(meta.get("view_options") or {}), list_columns=tuple(meta.get("list_columns") or ()),
        hide_sql=bool(meta.get("hide_sql", False)), page_by=page_by,
        page_batch=page_batch, page_year=dict(page_year) if page_year else None,
    )


@lru_cache(maxsize=1)
def _catalog() -> tuple[CannedQuery, ...]:
    folder = query_dir()
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name) if folder.is_dir() else []
    return tuple(parse_query_file(f.name, f.read_text(encoding="utf-8")) for f in files)


def load_catalog() -> list[CannedQuery]:
    """Every canned query shipped with the package, sorted by id."""
    return list(_catalog())


def get_query(query_id: str) -> CannedQuery:
    for q in _catalog():
        if q.id == query_id:
            return q
    raise QueryError(f"unknown query {query_id[:80]!r}", "run `plangraph queries` to list them")


def _sorted_parts(text: str) -> str:
    return LIST_SEPARATOR.join(sorted(p for p in text.split(LIST_SEPARATOR) if p))


def _year_range(query: CannedQuery, bindings: Mapping[str, list[Any]]) -> tuple[int, int] | None:
    """The years a `page_year` query is bound to (its two year parameters), or None."""
    if not query.page_year:
        return None
    try:
        (first,), (last,) = bindings[query.param(query.page_year["from"]).var], bindings[query.param(query.page_year["to"]).var]
        return int(first), int(last)
    except (KeyError, ValueError, TypeError):
        return None


def run(store: Store, query_id: str, params: Mapping[str, Any] | None = None, *, limit: int | None = None,
        timeout: float | None = None, paging: Mapping[str, int] | None = None,
        values: Mapping[str, Sequence[Any]] | None = None) -> QueryResult:
    """Run a canned query with typed, safely bound parameters. `paging` overrides the paging
    settings (query/paging.py: first_batch, min_wards). `values` gives a parameter several
    values at once, as alternatives (`{"ward": [iri, ...]}`: a province's wards); no values
    means no rows."""
    from .paging import paged, paged_years
    from .params import bind_params, convert

    query = get_query(query_id)
    bindings, notes = bind_params(store, query, params or {})
    for name, several in (values or {}).items():
        p = query.param(name)
        bindings[p.var] = [term for value in several for term in convert(store, p, value)]
    text = query.render(bindings)
    result = None
    if query.page_by == "ward" and limit is not None:
        var = next(p.var for p in query.params if p.type == "ward")
        if var not in bindings:  # all wards: the first rows, read ward by ward when there are many
            # Paging returns the whole query's first rows, so they are kept under its text.
            result = store.kept(text, limit)
            if result is None:
                started = time.perf_counter()
                settings = {"by_iri": query.page_by_iri, **({"max_batch": query.page_batch} if query.page_batch else {}),
                            **(paging or {})}
                years = _year_range(query, bindings)
                if years is not None:
                    result = paged_years(store, lambda extra: query.render({**bindings, **extra}), var,
                                         query.page_year, *years, limit, timeout, **settings)
                elif not query.page_year:
                    result = paged(store, lambda extra: query.render({**bindings, **extra}), var, limit, timeout,
                                   **settings)
                if result is not None:
                    store.keep(text, limit, result, time.perf_counter() - started)
    if result is None:
        result = store.select(text, limit=limit, timeout=timeout)
    # GROUP_CONCAT order depends on the engine's storage order: sort the parts so a result
    # reads the same on every store.
    for column in query.list_columns:
        result.map_text(column, _sorted_parts)
    result.notes.extend(notes)
    return result
