"""The store interface and the query result every caller gets, whatever the engine."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError

Term = Node
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_VALUES_MARK = re.compile(r"^[ \t]*#[ \t]*@values[ \t]*$", re.M)
# `# @values ward concept`: the VALUES blocks of the named parameters go on this line.
_NAMED_MARK = re.compile(r"^([ \t]*)#[ \t]*@values((?:[ \t]+[A-Za-z_][A-Za-z0-9_]*)+)[ \t]*$", re.M)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class QueryResult:
    """Rows of RDF terms (rdflib), in column order."""

    columns: list[str]
    rows: list[dict[str, Term]] = field(default_factory=list)
    truncated: bool = False
    # Things the user should know about the result (a parameter that matched nothing ...).
    notes: list[str] = field(default_factory=list)

    def values(self) -> list[dict[str, Any]]:
        """Rows as plain Python values: IRIs as str, literals as their Python value."""
        return [{k: to_python(v) for k, v in row.items()} for row in self.rows]

    def column(self, name: str) -> list[Any]:
        return [to_python(r.get(name)) for r in self.rows]


def to_python(term: Term | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


def term_n3(term: Term) -> str:
    """A term as SPARQL text, escaped so no input can change the query's structure."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise QueryError(f"not a valid IRI: {str(term)[:80]!r}", "pick a value from the list")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()  # rdflib escapes quotes, backslashes and newlines
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
    return f"VALUES ?{name} {{ {' '.join(term_n3(t) for t in terms)} }}"


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


class Store(ABC):
    """What the CLI and the app need from a SPARQL store."""

    kind: str = "store"

    @abstractmethod
    def select(self, query: str, bindings: dict[str, Any] | None = None, limit: int | None = None,
               timeout: float | None = None) -> QueryResult: ...

    @abstractmethod
    def ask(self, query: str, bindings: dict[str, Any] | None = None) -> bool: ...

    @abstractmethod
    def construct(self, query: str, bindings: dict[str, Any] | None = None) -> list[tuple[Term, Term, Term]]: ...

    @abstractmethod
    def triple_count(self) -> int: ...

    def describe(self) -> str:
        return self.kind
