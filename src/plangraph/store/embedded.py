"""The embedded default: pyoxigraph in process, loaded with ontology, vocabularies and data/ttl.

Queries run on pyoxigraph (fast); `rdflib_graph()` gives the same triples as an rdflib Graph
for code that needs rdflib's API (pySHACL, Graph.query for comparison). With a timeout, a
query runs in a worker thread (pyoxigraph releases the GIL): the caller gets a QueryError
when time is up and the worker stops at its next row; an operator that must finish before
the first row (ORDER BY, GROUP BY) keeps its thread busy until it completes.
"""

from __future__ import annotations

import functools
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from ..errors import QueryError, StoreError
from ..resources import reference_files
from .base import QueryResult, Store, Term, syntax_error, with_values
from .results import XSD_STRING, literal_value

if TYPE_CHECKING:
    from .result_cache import ResultCache

T = TypeVar("T")


def to_rdflib(term: Any) -> Term:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        # A simple literal is an xsd:string (RDF 1.1); keep it plain, as SPARQL JSON results do.
        return Literal(term.value) if dt == XSD_STRING else Literal(term.value, datatype=URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise StoreError(f"unexpected term {term!r}")


def to_value(term: Any) -> Any:
    """A pyoxigraph term straight to the Python value `to_python(to_rdflib(term))` gives."""
    if isinstance(term, ox.Literal):
        return literal_value(term.value, term.datatype.value, term.language)
    return term.value


def _memo(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Convert each distinct term once per result: labels and IRIs repeat across rows."""
    return functools.lru_cache(maxsize=None)(fn)


class EmbeddedStore(Store):
    kind = "embedded"
    parallel_reads = True  # pyoxigraph evaluates without holding the GIL

    def __init__(self, data_files: list[Path] | None = None, include_reference: bool = True) -> None:
        self.store = ox.Store()
        self.files: list[str] = []
        self._rdflib: Graph | None = None
        try:
            if include_reference:
                for res in reference_files():
                    self.store.load(input=res.read_bytes(), format=ox.RdfFormat.TURTLE)
                    self.files.append(res.name)
            for path in data_files or []:
                self.store.load(path=str(path), format=ox.RdfFormat.TURTLE)
                self.files.append(path.name)
        except (SyntaxError, OSError, ValueError) as exc:
            raise StoreError(f"cannot load the graph: {exc}", "run `plangraph build` to regenerate data/ttl") from exc

    @classmethod
    def indexed(cls, settings: Any, data_files: list[Path], progress: Any = None) -> "EmbeddedStore":
        """The same store over the persistent read-only index of `data_files` (see store.index)."""
        from .index import open_index

        self = cls.__new__(cls)
        self.store, self.index_path, self.index_built = open_index(settings, data_files, progress)
        self.files = [path.name for path in data_files]
        self._rdflib = None
        return self

    index_path: Path | None = None
    index_built = False

    @functools.cached_property
    def result_cache(self) -> "ResultCache | None":
        """Slow results kept beside the read-only index (store/result_cache.py); None for an
        in-memory store, whose content can change, or when PLANGRAPH_RESULT_CACHE=off."""
        from .result_cache import ResultCache, enabled

        if self.index_path is None or not enabled():
            return None
        return ResultCache(self.index_path)

    def kept(self, query: str, limit: int | None) -> QueryResult | None:
        cache = self.result_cache
        found = cache.get(query, limit) if cache is not None else None
        if found is None:
            return None
        columns, raw, truncated = found
        return QueryResult.lazy(columns, raw, _memo(to_rdflib), _memo(to_value), truncated)

    def keep(self, query: str, limit: int | None, result: QueryResult, seconds: float) -> None:
        cache = self.result_cache
        raw = result.raw_cells()
        if cache is not None and raw is not None:
            cache.put(query, limit, list(result.columns), raw, result.truncated, seconds)

    def add_turtle(self, text: str) -> None:
        if self.index_path is not None:
            raise StoreError("the indexed store is read-only", "change data/ttl instead; the index follows on the next open")
        self.store.load(input=text, format=ox.RdfFormat.TURTLE)
        self._rdflib = None
        self.generation += 1

    def rdflib_graph(self) -> Graph:
        """The store's triples as an rdflib Graph (built once, on first use)."""
        if self._rdflib is None:
            g = Graph()
            data = self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            g.parse(data=data.decode("utf-8"), format="nt")
            self._rdflib = g
        return self._rdflib

    def _run(self, query: str) -> Any:
        try:
            return self.store.query(query)
        except SyntaxError as exc:
            raise syntax_error(str(exc)) from exc
        except OSError as exc:
            raise QueryError(f"query failed: {exc}", "check the query") from exc

    @staticmethod
    def _with_timeout(work: Callable[[threading.Event], T], timeout: float | None) -> T:
        cancel = threading.Event()
        if not timeout:
            return work(cancel)
        box: dict[str, Any] = {}

        def target() -> None:
            try:
                box["value"] = work(cancel)
            except BaseException as exc:  # handed to the caller below
                box["error"] = exc

        worker = threading.Thread(target=target, name="plangraph-query", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            cancel.set()
            raise QueryError(f"the query ran longer than the time limit ({timeout:g} s) and was stopped",
                             "narrow it down (filters, LIMIT) or raise --timeout")
        if "error" in box:
            raise box["error"]
        return box["value"]

    def select(self, query: str, bindings: dict[str, Any] | None = None, limit: int | None = None,
               timeout: float | None = None) -> QueryResult:
        text = with_values(query, bindings)
        cache = self.result_cache
        if cache is not None:
            found = self.kept(text, limit)
            if found is not None:
                return found

        def work(cancel: threading.Event) -> QueryResult:
            started = time.perf_counter()
            res = self._run(text)
            if not isinstance(res, ox.QuerySolutions):
                raise QueryError("not a SELECT query", "use ask() or construct()")
            columns = [v.value for v in res.variables]
            raw: list[tuple[Any, ...]] = []
            truncated = False
            for solution in res:
                if cancel.is_set():
                    break
                if limit is not None and len(raw) >= limit:
                    truncated = True
                    break
                raw.append(tuple(solution))  # in variable order; lookups by name cost ~40 µs each
            if cache is not None and not cancel.is_set():
                cache.put(text, limit, columns, raw, truncated, time.perf_counter() - started)
            return QueryResult.lazy(columns, raw, _memo(to_rdflib), _memo(to_value), truncated)

        return self._with_timeout(work, timeout)

    def ask(self, query: str, bindings: dict[str, Any] | None = None, timeout: float | None = None) -> bool:
        text = with_values(query, bindings)

        def work(_cancel: threading.Event) -> bool:
            res = self._run(text)
            if not isinstance(res, ox.QueryBoolean):
                raise QueryError("not an ASK query", "use select() or construct()")
            return bool(res)

        return self._with_timeout(work, timeout)

    def construct(self, query: str, bindings: dict[str, Any] | None = None, limit: int | None = None,
                  timeout: float | None = None) -> list[tuple[Term, Term, Term]]:
        text = with_values(query, bindings)

        def work(cancel: threading.Event) -> list[tuple[Term, Term, Term]]:
            res = self._run(text)
            if not isinstance(res, ox.QueryTriples):
                raise QueryError("not a CONSTRUCT or DESCRIBE query", "use select() or ask()")
            conv = _memo(to_rdflib)
            out = []
            for t in res:
                if cancel.is_set() or (limit is not None and len(out) >= limit):
                    break
                out.append((conv(t.subject), conv(t.predicate), conv(t.object)))
            return out

        return self._with_timeout(work, timeout)

    def triple_count(self) -> int:
        if self.index_path is None:
            return len(self.store)
        if self._count is None:  # read-only: counted when the index was built
            from .index import index_info

            self._count = index_info(self.index_path).get("triples") or len(self.store)
        return self._count

    _count: int | None = None

    def describe(self) -> str:
        where = ", persistent index" if self.index_path is not None else ""
        return f"embedded (pyoxigraph{where}, {self.triple_count():,} triples)"
