"""The embedded default: pyoxigraph in process, loaded with ontology, vocabularies and data/ttl."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from ..errors import QueryError, StoreError
from ..resources import reference_files
from .base import QueryResult, Store, Term, with_values


def to_rdflib(term: Any) -> Term:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"unexpected term {term!r}")


class EmbeddedStore(Store):
    kind = "embedded"

    def __init__(self, data_files: list[Path] | None = None, include_reference: bool = True) -> None:
        self.store = ox.Store()
        self.files: list[str] = []
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

    def add_turtle(self, text: str) -> None:
        self.store.load(input=text, format=ox.RdfFormat.TURTLE)

    def _run(self, query: str) -> Any:
        try:
            return self.store.query(query)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}", "check the query near the position given") from exc
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def select(self, query: str, bindings: dict[str, Any] | None = None, limit: int | None = None,
               timeout: float | None = None) -> QueryResult:
        res = self._run(with_values(query, bindings))
        if not isinstance(res, ox.QuerySolutions):
            raise QueryError("not a SELECT query", "use ask() or construct()")
        columns = [v.value for v in res.variables]
        out = QueryResult(columns)
        deadline = time.monotonic() + timeout if timeout else None
        for solution in res:
            if limit is not None and len(out.rows) >= limit:
                out.truncated = True
                break
            if deadline and time.monotonic() > deadline:
                out.truncated = True
                break
            out.rows.append({c: to_rdflib(solution[c]) for c in columns if solution[c] is not None})
        return out

    def ask(self, query: str, bindings: dict[str, Any] | None = None) -> bool:
        res = self._run(with_values(query, bindings))
        if not isinstance(res, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(res)

    def construct(self, query: str, bindings: dict[str, Any] | None = None) -> list[tuple[Term, Term, Term]]:
        res = self._run(with_values(query, bindings))
        if not isinstance(res, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in res]

    def triple_count(self) -> int:
        return len(self.store)

    def describe(self) -> str:
        return f"embedded (pyoxigraph, {self.triple_count():,} triples)"
