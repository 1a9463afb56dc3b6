"""Paging by ward: the first rows of an all-wards query, read ward by ward.

A query sorted first by ward name has to be evaluated for every ward of the country before
its first row can be returned (the sort cannot stop at the row limit), although only the
first few dozen wards fill the limit. A query whose header says `page_by: ward` promises that
its rows for all wards are its rows for each ward put together, sorted first by the `ward`
column (the ward's skos:prefLabel). With a row limit and no ward chosen, `paged` then runs it
for batches of wards in name order (growing batches, VALUES over the ward parameter) and stops
once the limit is filled.

The result is the full query's first rows, not an approximation: each batch comes back in the
query's own order, and the batches are in name order, so their concatenation is in order as
long as the `ward` column never goes down and no name is split across two batches (wards that
share a name always go in the same batch). Both are checked on the rows returned; if either
fails (or a ward has no name or two), `paged` returns None and the caller runs the whole
query. A query sorted by ward name and then by the ward's IRI (`ORDER BY ?ward ?ward_iri`)
is read ward by ward instead of name by name, and checked on (name, IRI). A query's header
may cap its batches (`page_batch`): past a few wards in its VALUES block, Oxigraph may switch
to reading the whole graph. On a store that answers queries side by side, the next batch is
read while the current one is checked (`AHEAD`), so a second core is not idle.
tests/test_query_paging.py proves paged == whole on the five plans and a synthetic set, with
and without reading ahead.

A query sorted first by a year and then as above (`page_year`, e.g. the deadlines: `ORDER BY
?due_year ?ward ?ward_iri`) is read year by year (`paged_years`): each year ward by ward when
its rows are dense enough, else whole, with the year bound at the query's `# @values` lines so
that its rows are found from the index rather than by reading every year and dropping the
others.
"""

from __future__ import annotations

import os
import weakref
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ..store.base import QueryResult, Store

# Below this many wards the whole query is fast: paging would only add round trips.
MIN_WARDS = 200
FIRST_BATCH = 16  # wards in the first batch; each next batch doubles, up to MAX_BATCH
# Oxigraph answers a query for a few wards from the wards' own data; for many more it may
# switch to reading the whole graph (a cliff of seconds), so batches stay small.
MAX_BATCH = 64
# Paging pays only when the limit is reached long before the last ward: after the first batch,
# if all wards at that rate would give fewer than this many times the limit, the whole query
# runs instead (it reads every ward once, paging would too, in more round trips).
DENSE_ENOUGH = 3.0
# Year by year only over a range of at most this many years; a wider one is read whole.
MAX_YEARS = 30
# A year's first batch only has to tell a year with few rows a ward (read whole) from one that
# fills the limit within its first wards, and every year of the range pays for it.
YEAR_FIRST_BATCH = 4
# Batches read ahead on a store that answers queries side by side (the embedded engine leaves
# the GIL while it evaluates; a server has threads of its own): one per further core, at most 3.
AHEAD = max(1, min(3, (os.cpu_count() or 2) - 1))

_WARDS = """PREFIX pg: <https://w3id.org/plangraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?ward_iri ?ward WHERE {
  { SELECT DISTINCT ?ward_iri WHERE { { ?ward_iri pg:province ?province } UNION { ?plan pg:forUnit ?ward_iri } } }
  OPTIONAL { ?ward_iri skos:prefLabel ?name }
  BIND(STR(?name) AS ?ward)
}
"""

Groups = list[tuple[str, list[URIRef]]]
# Per store object and content generation, as the parameter choices are.
_ward_lists: "weakref.WeakKeyDictionary[Any, tuple[int, tuple[Groups, frozenset[URIRef]] | None]]" = \
    weakref.WeakKeyDictionary()


def ward_groups(store: Store) -> tuple[Groups, frozenset[URIRef]] | None:
    """Every ward name of the store in order, with the wards of that name, and the wards with
    more than one name (they are read under each, and rows under the others are dropped);
    None when a ward has no name (its rows would have no place in the order)."""
    generation = getattr(store, "generation", 0)
    try:
        seen, kept = _ward_lists[store]
        if seen == generation:
            return kept
    except (KeyError, TypeError):
        pass
    by_name: dict[str, list[URIRef]] = {}
    names_of: dict[URIRef, int] = {}
    found: tuple[Groups, frozenset[URIRef]] | None = None
    rows = store.select(_WARDS).values()
    if all(isinstance(r.get("ward"), str) for r in rows):
        for r in rows:
            iri = URIRef(str(r["ward_iri"]))
            by_name.setdefault(r["ward"], []).append(iri)
            names_of[iri] = names_of.get(iri, 0) + 1
        found = ([(name, sorted(by_name[name])) for name in sorted(by_name)],
                 frozenset(iri for iri, n in names_of.items() if n > 1))
    try:
        _ward_lists[store] = (generation, found)
    except TypeError:  # a store that cannot be weakly referenced is simply not remembered
        pass
    return found


def _batches(groups: Groups, several: frozenset[URIRef], first_batch: int,
             max_batch: int) -> Iterator[tuple[list[URIRef], set[str], bool]]:
    """The batches in reading order: (wards, their names, whether one of them has several
    names). A batch never splits a group; batches grow from `first_batch` to `max_batch`."""
    start, size = 0, max(1, first_batch)
    while start < len(groups):
        batch: list[URIRef] = []
        names: set[str] = set()
        end = start
        while end < len(groups) and (not batch or len(batch) + len(groups[end][1]) <= size):
            names.add(groups[end][0])
            batch.extend(groups[end][1])
            end += 1
        yield sorted(set(batch)), names, not several.isdisjoint(batch)
        start, size = end, min(size * 2, max(max_batch, first_batch))


def paged(store: Store, render: Any, var: str, limit: int | Callable[[], int], timeout: float | None = None,
          first_batch: int = FIRST_BATCH, min_wards: int = MIN_WARDS, max_batch: int = MAX_BATCH,
          dense_enough: float = DENSE_ENOUGH, by_iri: bool = False, ahead: int | None = None) -> QueryResult | None:
    """The first `limit` rows of the query for all wards, read in batches of wards, or None
    when paging does not apply (fewer than `min_wards` wards, a ward without a name, rows out
    of ward order, or too few rows per ward in the first batch for the limit to be reached
    early). `render(bindings)` gives the query text with `var` bound. `by_iri`: the query is
    sorted by ward name and then by `var`, so each ward is a group of its own (wards sharing a
    name may fall in different batches); its rows must hold `var`.

    Once the first batch has shown that paging pays, `ahead` more batches (default: AHEAD on
    a store that answers queries side by side, `Store.parallel_reads`, else none) are read
    while the current one is checked, so both cores work; at most that many batches are read
    in vain when the limit is reached.

    `limit` may be a function giving the rows still wanted, asked before each batch: an upper
    bound that may shrink while the query is read (`paged_years` reads earlier years side by
    side); the caller then cuts the rows to the final limit."""
    want: Callable[[], int] = limit if callable(limit) else (lambda: limit)  # type: ignore[assignment,return-value]
    found = ward_groups(store)
    if found is None:
        return None
    groups, several = found
    if by_iri:
        groups = [(name, [iri]) for name, iris in groups for iri in iris]
    first_batch = min(first_batch, max_batch)
    wards = len({iri for _, iris in groups for iri in iris})
    if not groups or wards < min_wards:
        return None
    if ahead is None:
        ahead = AHEAD if getattr(store, "parallel_reads", False) else 0

    def fetch(iris: list[URIRef], mixed: bool, budget: int) -> QueryResult:
        return store.select(render({var: iris}), limit=None if mixed else budget, timeout=timeout)

    read = 0  # wards read so far
    parts: list[QueryResult] = []
    rows = 0
    last: Any = None  # the last ward name (with `by_iri`: name and IRI) read so far
    batches = _batches(groups, several, first_batch, max_batch)
    queue: deque = deque()  # (wards, names, mixed, the batch's future or its row budget)
    pool = ThreadPoolExecutor(max_workers=1 + ahead, thread_name_prefix="plangraph-page") if ahead > 0 else None
    try:
        while rows <= want():
            while len(queue) < 1 + (ahead if parts else 0):
                item = next(batches, None)
                if item is None:
                    break
                iris, names, mixed = item
                budget = max(1, want() + 1 - rows)  # at least what this batch can still add
                queue.append((iris, names, mixed, pool.submit(fetch, iris, mixed, budget) if pool and parts else budget))
            if not queue:
                break
            batch, names, mixed, pending = queue.popleft()
            part = pending.result() if isinstance(pending, Future) else fetch(batch, mixed, pending)
            names_got = part.column("ward")
            got: list[Any] = list(zip(names_got, part.column(var))) if by_iri else names_got
            if mixed:  # rows under the other names of such a ward are not this batch's
                keep = [i for i, name in enumerate(names_got) if name in names]
                part, got = part.subset(keep), [got[i] for i in keep]
                names_got = [names_got[i] for i in keep]
            if any(not isinstance(n, str) for n in names_got) or (by_iri and any(not isinstance(k[1], str) for k in got)):
                return None
            if any(b < a for a, b in zip(got, got[1:])):
                return None
            if got and last is not None and got[0] <= last:  # out of order, or a name split across batches
                return None
            if got:
                last = got[-1]
            parts.append(part)
            rows += len(got)
            read += len(batch)
            if len(parts) == 1 and rows <= want() and rows * wards < dense_enough * want() * read:
                return None  # the limit would come near the last ward: one whole query is cheaper
    finally:
        if pool is not None:  # a batch read ahead in vain finishes on its own; nobody waits for it
            pool.shutdown(wait=False, cancel_futures=True)
    final = want()
    out = QueryResult.concat(parts, final)
    out.truncated = rows > final or any(p.truncated for p in parts)
    return out


def paged_years(store: Store, render: Any, var: str, year: Mapping[str, str], first: int, last: int,
                limit: int, timeout: float | None = None, min_wards: int = MIN_WARDS, ahead: int | None = None,
                **settings: Any) -> QueryResult | None:
    """The first `limit` rows of a query sorted first by a year from `first` to `last` and then
    by ward, read one year at a time: `render(bindings)` gives the query text, `year` names the
    sorted variable (`var`) and the two year parameters (`from`, `to`). Each year's rows are the
    query's rows with both parameters set to that year, read ward by ward (`paged`, with
    `settings`) when they are dense enough, else in one query with the year also bound to
    `year['var']`. An empty range reads nothing. None when the range is wider than MAX_YEARS or
    there are fewer than `min_wards` wards: the whole query is then run.

    On a store that answers queries side by side, a year read in one query is read on another
    thread while the next years are looked at (`ahead` threads, default as `paged`); a year
    read ward by ward meanwhile stops as soon as the rows known so far fill the limit."""
    if first > last:  # no year: nothing to read
        return store.select(render({year["var"]: []}), limit=limit, timeout=timeout)
    found = ward_groups(store)
    if found is None or last - first + 1 > MAX_YEARS:
        return None
    if len({iri for _, iris in found[0] for iri in iris}) < min_wards:
        return None
    if ahead is None:
        ahead = AHEAD if getattr(store, "parallel_reads", False) else 0
    pool = ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="plangraph-year") if ahead > 0 else None
    parts: list[QueryResult | Future] = []  # each year's rows, or their future, in year order

    def known() -> int:  # rows of the years read so far; years still being read count as none
        return sum(p.row_count if isinstance(p, QueryResult) else p.result().row_count
                   for p in parts if isinstance(p, QueryResult) or p.done())

    def remaining() -> int:  # an upper bound of the rows still wanted
        return max(0, limit - known())

    results: list[QueryResult] = []
    rows = 0
    try:
        for y in range(first, last + 1):
            if known() > limit or any(isinstance(p, QueryResult) and p.truncated for p in parts):
                break
            value = [Literal(y, datatype=XSD.integer)]
            one = {year["from"]: value, year["to"]: value}
            part: QueryResult | Future | None = paged(
                store, lambda extra, one=one: render({**one, **extra}), var, remaining, timeout,
                min_wards=min_wards, ahead=ahead, **{"first_batch": YEAR_FIRST_BATCH, **settings})
            if part is None:  # too few rows a ward for paging to pay: the year's rows at once
                text = render({**one, year["var"]: value})
                part = (pool.submit(store.select, text, limit=remaining(), timeout=timeout) if pool
                        else store.select(text, limit=remaining(), timeout=timeout))
            parts.append(part)
        for p in parts:
            got = p.result() if isinstance(p, Future) else p
            results.append(got)
            rows += got.row_count
            if rows > limit or got.truncated:  # the limit is reached within this year
                break
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    out = QueryResult.concat(results, limit)
    out.truncated = rows > limit or any(r.truncated for r in results)
    return out
