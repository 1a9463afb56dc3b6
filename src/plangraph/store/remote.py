"""Any SPARQL 1.1 endpoint through SPARQLWrapper; uploads through the Graph Store Protocol
or SPARQL Update.

URLs: an endpoint given as a bare server root (`http://host:7878`, Oxigraph) is a base:
queries go to /query, updates to /update, Graph Store requests to /store. A URL ending in
/query or /sparql is the query URL and its parent the base. Any other URL is taken as the
query URL as is (and as the update URL unless one is given); name the Graph Store URL
explicitly for such servers, or load with SPARQL Update.
"""

from __future__ import annotations

import base64
import math
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (EndPointInternalError, EndPointNotFound, QueryBadFormed,
                                            SPARQLWrapperException, Unauthorized)

from ..errors import QueryError, StoreError
from .base import QueryResult, Store, Term, syntax_error, with_values
from .results import literal_value

_POSITION = re.compile(r"error at \d+:\d+")
_COMMENT_LINE = re.compile(r"^\s*#.*$", re.M)
_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_OWN_END = re.compile(r"\b(LIMIT|OFFSET|VALUES)\b", re.I)
_TRAILING_VALUES = re.compile(r"\bVALUES\b[^{}]*\{[^{}]*\}\s*$", re.I)


def with_limit(query: str, rows: int) -> str:
    """The query with `LIMIT rows` after its own solution modifiers, so that the endpoint
    serializes and sends only the rows the caller reads (a SPARQL result is read whole before
    its first row can be used). Unchanged when what follows the last `}` already has a LIMIT,
    OFFSET or a VALUES clause, or when no `}` is found: the endpoint then sends every row."""
    text = _STRINGS.sub('""', _COMMENT_LINE.sub("", query))  # braces in comments and strings do not count
    end = text.rfind("}")
    if end < 0 or _OWN_END.search(text[end + 1:]) or _TRAILING_VALUES.search(text):
        return query
    return f"{query.rstrip()}\nLIMIT {rows}\n"
_HINT_REACH = "check the URL and that the server runs (or drop --endpoint to use the embedded store)"


def _term(b: dict[str, Any]) -> Term:
    t = b["type"]
    if t == "uri":
        return URIRef(b["value"])
    if t == "bnode":
        return BNode(b["value"])
    dt = b.get("datatype")
    if dt == "http://www.w3.org/2001/XMLSchema#string":
        dt = None
    return Literal(b["value"], lang=b.get("xml:lang"), datatype=URIRef(dt) if dt else None)


def _value(b: dict[str, Any]) -> Any:
    if b["type"] in ("uri", "bnode"):
        return b["value"]
    return literal_value(b["value"], b.get("datatype"), b.get("xml:lang"))


def _first_line(exc: BaseException) -> str:
    """The server's own message (SPARQLWrapper keeps the response body), on one line."""
    body = getattr(exc, "response", None)
    if isinstance(body, bytes):
        text = body.decode("utf-8", "replace")
    elif body:
        text = str(body)
    else:
        text = str(exc).split("Response:", 1)[-1]
    return " ".join(text.split())[:300]


def endpoint_urls(endpoint: str) -> tuple[str, str | None, str | None]:
    """(query URL, default update URL, default Graph Store URL) for an endpoint setting."""
    url = endpoint.strip().rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"not an http(s) endpoint URL: {endpoint[:100]!r}", "give a URL such as http://localhost:7878")
    if parts.path in ("", "/"):
        return f"{url}/query", f"{url}/update", f"{url}/store"
    if parts.path.endswith(("/query", "/sparql")):
        root = url.rsplit("/", 1)[0]
        return url, f"{root}/update", f"{root}/store"
    return url, url, None


class RemoteStore(Store):
    kind = "remote"
    parallel_reads = True  # one HTTP request per query; the server answers them side by side

    def __init__(self, endpoint: str, update_endpoint: str | None = None, timeout: float = 30.0,
                 user: str | None = None, password: str | None = None, store_endpoint: str | None = None) -> None:
        self.query_url, default_update, default_store = endpoint_urls(endpoint)
        self.update_url = update_endpoint or default_update
        self.store_url = store_endpoint or default_store
        self.timeout = timeout
        self.auth = (user, password or "") if user else None

    # -- requests -------------------------------------------------------------------------

    def _wrapper(self, url: str, timeout: float | None) -> SPARQLWrapper:
        w = SPARQLWrapper(url)
        w.setTimeout(max(1, math.ceil(timeout or self.timeout)))
        w.setMethod(POST)
        if self.auth:
            w.setCredentials(*self.auth)
        return w

    def _send(self, w: SPARQLWrapper, url: str, timeout: float | None) -> Any:
        try:
            return w.query()
        except QueryBadFormed as exc:
            message = _first_line(exc)
            if _POSITION.search(message):
                raise syntax_error(message) from exc
            raise QueryError(f"the endpoint rejected the query: {message}", "check the query") from exc
        except Unauthorized as exc:
            raise StoreError(f"the endpoint {url} refused the credentials", "check --user/--password or "
                             "PLANGRAPH_ENDPOINT_USER/PLANGRAPH_ENDPOINT_PASSWORD") from exc
        except EndPointNotFound as exc:
            raise StoreError(f"no SPARQL endpoint at {url} (HTTP 404)", _HINT_REACH) from exc
        except EndPointInternalError as exc:
            raise QueryError(f"the endpoint failed on the query: {_first_line(exc)}", "check the query or the server log") from exc
        except SPARQLWrapperException as exc:
            raise QueryError(f"the endpoint answered with an error: {_first_line(exc)}", "check the query") from exc
        except (socket.timeout, TimeoutError) as exc:
            raise QueryError(f"the endpoint {url} did not answer within {timeout or self.timeout:g} s",
                             "narrow the query down or raise --timeout") from exc
        except urllib.error.HTTPError as exc:
            raise StoreError(f"the endpoint {url} answered HTTP {exc.code} {exc.reason}", _HINT_REACH) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise QueryError(f"the endpoint {url} did not answer within {timeout or self.timeout:g} s",
                                 "narrow the query down or raise --timeout") from exc
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {reason}", _HINT_REACH) from exc

    def _json(self, query: str, timeout: float | None) -> dict[str, Any]:
        w = self._wrapper(self.query_url, timeout)
        w.setQuery(query)
        w.setReturnFormat(JSON)
        res = self._send(w, self.query_url, timeout)
        try:
            return res.convert()
        except ValueError as exc:
            raise StoreError(f"the endpoint {self.query_url} did not answer in SPARQL JSON", _HINT_REACH) from exc

    # -- Store interface ------------------------------------------------------------------

    def select(self, query: str, bindings: dict[str, Any] | None = None, limit: int | None = None,
               timeout: float | None = None) -> QueryResult:
        text = with_values(query, bindings)
        # One row more than is read tells whether there are more (`truncated`).
        data = self._json(with_limit(text, limit + 1) if limit is not None else text, timeout)
        if "results" not in data:
            raise QueryError("not a SELECT query", "use ask() or construct()")
        columns = list(data.get("head", {}).get("vars", []))
        raw = []
        truncated = False
        for b in data["results"]["bindings"]:
            if limit is not None and len(raw) >= limit:
                truncated = True
                break
            raw.append(tuple(b.get(c) for c in columns))
        return QueryResult.lazy(columns, raw, _term, _value, truncated)

    def ask(self, query: str, bindings: dict[str, Any] | None = None, timeout: float | None = None) -> bool:
        data = self._json(with_values(query, bindings), timeout)
        if "boolean" not in data:
            raise QueryError("not an ASK query", "use select() or construct()")
        return bool(data["boolean"])

    def construct(self, query: str, bindings: dict[str, Any] | None = None, limit: int | None = None,
                  timeout: float | None = None) -> list[tuple[Term, Term, Term]]:
        w = self._wrapper(self.query_url, timeout)
        w.setQuery(with_values(query, bindings))
        w.setReturnFormat("turtle")
        w.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9")
        res = self._send(w, self.query_url, timeout)
        raw = res.response.read()
        g = Graph()
        try:
            g.parse(data=raw, format="turtle")
        except Exception as exc:  # rdflib raises parser-specific errors
            raise StoreError(f"the endpoint {self.query_url} did not answer with RDF: {str(exc)[:200]}", _HINT_REACH) from exc
        triples = sorted(g)
        return triples[:limit] if limit is not None else triples

    def triple_count(self) -> int:
        res = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").values()
        return int(res[0]["n"]) if res else 0

    # -- writing --------------------------------------------------------------------------

    def _http(self, url: str, method: str, body: bytes | None, content_type: str | None) -> None:
        req = urllib.request.Request(url, data=body, method=method)
        if content_type:
            req.add_header("Content-Type", content_type)
        if self.auth:
            token = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
            req.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                resp.read()
        except urllib.error.HTTPError as exc:
            if method == "DELETE" and exc.code == 404:
                return  # nothing to clear
            detail = " ".join(exc.read()[:200].decode("utf-8", "replace").split())
            raise StoreError(f"{url} refused the request: HTTP {exc.code} {detail}",
                             "check the Graph Store / update URL and the server's write access") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"cannot reach {url}: {getattr(exc, 'reason', exc)}", _HINT_REACH) from exc

    def upload(self, turtle: str | bytes, replace: bool = False) -> None:
        """Send Turtle to the default graph (SPARQL 1.1 Graph Store Protocol)."""
        if not self.store_url:
            raise StoreError(f"no Graph Store URL known for {self.query_url}",
                             "pass --store-endpoint URL or load with --method update")
        body = turtle.encode("utf-8") if isinstance(turtle, str) else turtle
        self._http(f"{self.store_url}?default", "PUT" if replace else "POST", body, "text/turtle; charset=utf-8")
        self.generation += 1

    def clear(self) -> None:
        """Empty the default graph (Graph Store DELETE, or CLEAR through SPARQL Update)."""
        if self.store_url:
            self._http(f"{self.store_url}?default", "DELETE", None, None)
        else:
            self.update("CLEAR SILENT DEFAULT")
        self.generation += 1

    def update(self, sparql_update: str) -> None:
        """Run a SPARQL Update on the update URL (for loading; never for user input)."""
        if not self.update_url:
            raise StoreError(f"no update URL known for {self.query_url}", "pass --update-endpoint URL")
        body = urllib.parse.urlencode({"update": sparql_update}).encode("utf-8")
        self._http(self.update_url, "POST", body, "application/x-www-form-urlencoded")
        self.generation += 1

    def describe(self) -> str:
        return f"remote SPARQL endpoint {self.query_url}"


__all__ = ["RemoteStore", "endpoint_urls"]
