"""rdflib's own SPARQL engine behind the store interface: the reference the benchmark
compares the fast engines with (docs/PERFORMANCE.md). Not used by the CLI or the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Graph

from ..errors import QueryError
from ..resources import reference_files
from .base import QueryResult, Store, Term, with_values


class RdflibStore(Store):
    kind = "rdflib"

    def __init__(self, data_files: list[Path] | None = None) -> None:
        self.graph = Graph()
        for res in reference_files():
            self.graph.parse(data=res.read_text(encoding="utf-8"), format="turtle")
        for path in data_files or []:
            self.graph.parse(path, format="turtle")

    def _query(self, query: str) -> Any:
        try:
            return self.graph.query(query)
        except Exception as exc:  # noqa: BLE001 - rdflib raises parser and evaluation errors of many types
            raise QueryError(f"rdflib could not run the query: {exc}") from exc

    def select(self, query: str, bindings: dict[str, Any] | None = None, limit: int | None = None,
               timeout: float | None = None) -> QueryResult:
        res = self._query(with_values(query, bindings))
        columns = [str(v) for v in res.vars or []]
        rows = []
        for row in res:
            if limit is not None and len(rows) >= limit:
                break
            rows.append({c: row[i] for i, c in enumerate(columns) if row[i] is not None})
        return QueryResult(columns, rows, truncated=limit is not None and len(rows) >= limit)

    def ask(self, query: str, bindings: dict[str, Any] | None = None, timeout: float | None = None) -> bool:
        return bool(self._query(with_values(query, bindings)).askAnswer)

    def construct(self, query: str, bindings: dict[str, Any] | None = None, limit: int | None = None,
                  timeout: float | None = None) -> list[tuple[Term, Term, Term]]:
        return list(self._query(with_values(query, bindings)))[:limit]

    def triple_count(self) -> int:
        return len(self.graph)

    def describe(self) -> str:
        return f"rdflib in memory ({len(self.graph):,} triples)"
