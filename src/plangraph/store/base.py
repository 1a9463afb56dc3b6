"""The store interface and the query result every caller gets, whatever the engine."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

from rdflib import BNode, Literal, URIRef

from ..errors import QueryError
from .results import QueryResult, Term, to_python

__all__ = ["QueryResult", "Store", "Term", "place_values", "syntax_error", "term_n3", "to_python", "values_block", "with_values"]
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_VALUES_MARK = re.compile(r"^[ \t]*#[ \t]*@values[ \t]*$", re.M)
# `# @values ward concept`: the VALUES blocks of the named parameters go on this line.
_NAMED_MARK = re.compile(r"^([ \t]*)#[ \t]*@values((?:[ \t]+[A-Za-z_][A-Za-z0-9_]*)+)[ \t]*$", re.M)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A literal is written on one line with every character that could end it escaped.
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def term_n3(term: Term) -> str:
    """A term as SPARQL text, escaped so no input can change the query's structure."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise QueryError(f"not a valid IRI: {str(term)[:80]!r}", "pick a value from the list")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = '"' + "".join(_ESCAPES.get(ch, ch) for ch in str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^{term_n3(URIRef(term.datatype))}"
        return text
    if isinstance(term, BNode):
        raise QueryError("blank nodes cannot be bound as parameters", "use an IRI or a literal")
    raise QueryError(f"unsupported parameter value {term!r}", "use an IRI or a literal")


def with_values(query: str, bindings: dict[str, Term | list[Term]] | None) -> str:
    """Bind parameters with an explicit VALUES block: at a `# @values` line inside the
    query's pattern when there is one, otherwise as the query's trailing VALUES clause."""
    if not bindings:
        return query
    names = sorted(bindings)
    for n in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n):
            raise QueryError(f"invalid parameter name {n!r}", "parameter names are letters, digits and _")
    columns = [bindings[n] if isinstance(bindings[n], list) else [bindings[n]] for n in names]
    if len({len(c) for c in columns}) != 1:
        raise QueryError("parameters bound to lists must have the same length", "bind one value each")
    rows = " ".join("(" + " ".join(term_n3(col[i]) for col in columns) + ")" for i in range(len(columns[0])))  # type: ignore[arg-type]
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ {rows} }}"
    if _VALUES_MARK.search(query):
        return _VALUES_MARK.sub(lambda _m: block, query, count=1)
    return f"{query.rstrip()}\n{block}\n"


def values_block(name: str, terms: list[Term]) -> str:
    """`VALUES ?name { t1 t2 }`; an empty list gives a block that matches nothing."""
    if not _NAME.fullmatch(name):
        raise QueryError(f"invalid parameter name {name!r}", "parameter names are letters, digits and _")
    inner = " ".join(term_n3(t) for t in terms)
    return f"VALUES ?{name} {{ {inner} }}" if inner else f"VALUES ?{name} {{ }}"


def place_values(query: str, bindings: dict[str, list[Term]]) -> str:
    """Bind each parameter with its own VALUES block (several values = alternatives).

    A `# @values a b` line receives the blocks of a and b (a parameter may be placed at
    several lines, e.g. inside a subquery and outside it); a bare `# @values` line receives
    every parameter no named line took; with neither, the blocks trail the query, which
    is only right when the parameters are grouping keys. Parameters absent from
    `bindings` stay free, so the query answers for every value (all wards ...).
    """
    placed: set[str] = set()

    def named(m: re.Match[str]) -> str:
        indent, names = m.group(1), m.group(2).split()
        blocks = [values_block(n, bindings[n]) for n in names if n in bindings]
        placed.update(n for n in names if n in bindings)
        return "\n".join(indent + b for b in blocks) if blocks else f"{indent}# (unbound: {' '.join(names)})"

    out = _NAMED_MARK.sub(named, query)
    rest = {n: v for n, v in bindings.items() if n not in placed}
    if _VALUES_MARK.search(out):
        return _VALUES_MARK.sub(lambda _m: " ".join(values_block(n, rest[n]) for n in sorted(rest)), out)
    if rest:
        return f"{out.rstrip()}\n" + "\n".join(values_block(n, rest[n]) for n in sorted(rest)) + "\n"
    return out


_POSITION = re.compile(r"error at (\d+):(\d+):?\s*")


def syntax_error(message: str) -> QueryError:
    """A parser message ("error at 3:14: expected ...", Oxigraph's form, embedded or served)
    as one clear line with line and column."""
    text = " ".join(message.split())
    m = _POSITION.search(text)
    if m:
        line, col = int(m.group(1)), int(m.group(2))
        detail = text[m.end():]
        if len(detail) > 160:
            detail = detail[:160] + " …"
        return QueryError(f"SPARQL syntax error at line {line}, column {col}: {detail}",
                          "fix the query at that position")
    return QueryError(f"SPARQL syntax error: {text[:200]}", "check the query")


class Store(ABC):
    """What the CLI and the app need from a SPARQL store."""

    kind: str = "store"
    # Whether two threads may run select() at once and both make progress (query/paging.py
    # reads the next batch of wards meanwhile).
    parallel_reads: bool = False
    # Bumped whenever the content changes through this object, so caches (parameter
    # choices) know to refresh.
    generation: int = 0

    @abstractmethod
    def select(self, query: str, bindings: dict[str, Any] | None = None, limit: int | None = None,
               timeout: float | None = None) -> QueryResult: ...

    @abstractmethod
    def ask(self, query: str, bindings: dict[str, Any] | None = None, timeout: float | None = None) -> bool: ...

    @abstractmethod
    def construct(self, query: str, bindings: dict[str, Any] | None = None, limit: int | None = None,
                  timeout: float | None = None) -> list[tuple[Term, Term, Term]]: ...

    @abstractmethod
    def triple_count(self) -> int: ...

    def describe(self) -> str:
        return self.kind

    def kept(self, query: str, limit: int | None) -> QueryResult | None:
        """The kept result of `query` with this row limit, when the store keeps results
        (store/result_cache.py: the read-only index); None otherwise."""
        return None

    def keep(self, query: str, limit: int | None, result: QueryResult, seconds: float) -> None:
        """Keep a result computed another way than one `select` of `query` (paging by ward)
        under `query`'s key; nothing for a store that does not keep results."""
