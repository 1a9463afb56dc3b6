"""Any SPARQL 1.1 endpoint through SPARQLWrapper; uploads through the Graph Store Protocol."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any

from rdflib import BNode, Literal, URIRef
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from ..errors import QueryError, StoreError
from .base import QueryResult, Store, Term, with_values


def _term(b: dict[str, Any]) -> Term:
    t = b["type"]
    if t == "uri":
        return URIRef(b["value"])
    if t == "bnode":
        return BNode(b["value"])
    return Literal(b["value"], lang=b.get("xml:lang"), datatype=URIRef(b["datatype"]) if b.get("datatype") else None)


class RemoteStore(Store):
    kind = "remote"

    def __init__(self, endpoint: str, update_endpoint: str | None = None, timeout: float = 30.0,
                 user: str | None = None, password: str | None = None) -> None:
        base = endpoint.rstrip("/")
        # An Oxigraph server's base URL is enough: /query, /update and /store hang off it.
        self.query_url = base if base.endswith(("/query", "/sparql")) else f"{base}/query"
        root = base.rsplit("/", 1)[0] if base.endswith(("/query", "/sparql")) else base
        self.update_url = update_endpoint or f"{root}/update"
        self.store_url = f"{root}/store"
        self.timeout = timeout
        self.auth = (user, password) if user else None

    def _wrapper(self, url: str) -> SPARQLWrapper:
        w = SPARQLWrapper(url)
        w.setTimeout(int(self.timeout))
        w.setMethod(POST)
        if self.auth:
            w.setCredentials(*self.auth)
        return w

    def _query(self, query: str) -> Any:
        w = self._wrapper(self.query_url)
        w.setQuery(query)
        w.setReturnFormat(JSON)
        try:
            return w.query().convert()
        except SPARQLWrapperException as exc:
            raise QueryError(f"the endpoint rejected the query: {str(exc).splitlines()[0][:300]}", "check the query") from exc
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint {self.query_url}: {exc}",
                             "check the URL and that the server runs (or drop --endpoint for the embedded store)") from exc

    def select(self, query: str, bindings: dict[str, Any] | None = None, limit: int | None = None,
               timeout: float | None = None) -> QueryResult:
        data = self._query(with_values(query, bindings))
        if "results" not in data:
            raise QueryError("not a SELECT query")
        columns = data["head"].get("vars", [])
        out = QueryResult(columns)
        for b in data["results"]["bindings"]:
            if limit is not None and len(out.rows) >= limit:
                out.truncated = True
                break
            out.rows.append({k: _term(v) for k, v in b.items()})
        return out

    def ask(self, query: str, bindings: dict[str, Any] | None = None) -> bool:
        data = self._query(with_values(query, bindings))
        return bool(data.get("boolean"))

    def construct(self, query: str, bindings: dict[str, Any] | None = None) -> list[tuple[Term, Term, Term]]:
        from rdflib import Graph

        w = self._wrapper(self.query_url)
        w.setQuery(with_values(query, bindings))
        w.setReturnFormat("turtle")
        try:
            raw = w.query().response.read()
        except (SPARQLWrapperException, urllib.error.URLError, OSError) as exc:
            raise StoreError(f"cannot run CONSTRUCT on {self.query_url}: {exc}") from exc
        g = Graph()
        g.parse(data=raw, format="turtle")
        return list(g)

    def triple_count(self) -> int:
        res = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(res.rows[0]["n"]) if res.rows else 0

    def upload(self, turtle: str, replace: bool = False) -> None:
        """Send Turtle to the default graph (SPARQL 1.1 Graph Store Protocol)."""
        req = urllib.request.Request(
            f"{self.store_url}?default", data=turtle.encode("utf-8"), method="PUT" if replace else "POST",
            headers={"Content-Type": "text/turtle; charset=utf-8"},
        )
        if self.auth:
            token = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
            req.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                resp.read()
        except urllib.error.HTTPError as exc:
            raise StoreError(f"the store refused the upload: HTTP {exc.code} {exc.read()[:200]!r}", "check the Graph Store URL") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"cannot reach {self.store_url}: {exc}", "is the server running?") from exc

    def describe(self) -> str:
        return f"remote SPARQL endpoint {self.query_url}"


__all__ = ["RemoteStore", "json"]
