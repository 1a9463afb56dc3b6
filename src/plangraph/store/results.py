"""The result of a SELECT, whatever the engine: rows of rdflib terms or of plain values.

Stores hand over their raw cells (pyoxigraph terms, SPARQL JSON bindings) with two
converters; a row becomes rdflib terms only when `rows` is read, and `values()` goes
straight from the raw cell to a Python value. Building rdflib Literals costs a few
microseconds each, which is most of the time of a large result on the embedded store.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable

from rdflib import Literal, URIRef
from rdflib.term import Node

Term = Node
Raw = Any
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
_INTEGERS = ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
             "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")
_CASTS: dict[str, Callable[[str], Any]] = {
    **{XSD + name: int for name in _INTEGERS},
    XSD + "decimal": Decimal,
    XSD + "double": float,
    XSD + "float": float,
    XSD + "boolean": lambda v: v in ("true", "1"),
    XSD + "date": datetime.date.fromisoformat,
}


def literal_value(lexical: str, datatype: str | None = None, lang: str | None = None) -> Any:
    """The Python value of a literal, as `to_python` gives it, without building an rdflib term
    for the common datatypes."""
    if lang or not datatype or datatype == XSD_STRING:
        return lexical
    cast = _CASTS.get(datatype)
    if cast is not None:
        try:
            return cast(lexical)
        except (ValueError, InvalidOperation):
            pass
    return to_python(Literal(lexical, datatype=URIRef(datatype)))


def to_python(term: Term | None) -> Any:
    """An rdflib term as a plain value: IRIs as str, literals as their Python value."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


class QueryResult:
    """Rows in column order; an unbound cell is absent from its row dict."""

    def __init__(self, columns: Iterable[str], rows: list[dict[str, Term]] | None = None,
                 truncated: bool = False, notes: list[str] | None = None) -> None:
        self.columns = list(columns)
        self._rows: list[dict[str, Term]] | None = list(rows) if rows is not None else []
        self._raw: list[tuple[Raw, ...]] = []
        self._term: Callable[[Raw], Term] | None = None
        self._value: Callable[[Raw], Any] | None = None
        self._text_maps: dict[str, Callable[[str], str]] = {}
        self.truncated = truncated
        # Things the user should know about the result (a parameter that matched nothing ...).
        self.notes: list[str] = list(notes or [])

    @classmethod
    def lazy(cls, columns: list[str], raw_rows: list[tuple[Raw, ...]], term: Callable[[Raw], Term],
             value: Callable[[Raw], Any], truncated: bool = False) -> "QueryResult":
        """A result over raw cells (None = unbound), converted on demand."""
        out = cls(columns, truncated=truncated)
        out._rows, out._raw, out._term, out._value = None, raw_rows, term, value
        return out

    @property
    def rows(self) -> list[dict[str, Term]]:
        if self._rows is None:
            assert self._term is not None
            rows = []
            for cells in self._raw:
                row = {}
                for c, raw in zip(self.columns, cells):
                    if raw is not None:
                        row[c] = self._mapped_term(c, self._term(raw))
                rows.append(row)
            self._rows = rows
        return self._rows

    @rows.setter
    def rows(self, rows: list[dict[str, Term]]) -> None:
        self._rows, self._raw = list(rows), []

    def _mapped_term(self, column: str, term: Term) -> Term:
        fn = self._text_maps.get(column)
        if fn is None or not isinstance(term, Literal):
            return term
        return Literal(fn(str(term)), lang=term.language, datatype=term.datatype)

    def map_text(self, column: str, fn: Callable[[str], str]) -> None:
        """Rewrite the text of a literal column (e.g. sort the parts of a joined list)."""
        self._text_maps[column] = fn
        if self._rows is not None:
            for row in self._rows:
                if column in row:
                    row[column] = self._mapped_term(column, row[column])
            del self._text_maps[column]

    def values(self) -> list[dict[str, Any]]:
        """Rows as plain Python values: IRIs as str, literals as their Python value."""
        if self._rows is not None:
            return [{k: to_python(v) for k, v in row.items()} for row in self._rows]
        assert self._value is not None
        value, columns, maps = self._value, self.columns, self._text_maps
        out = [{c: value(v) for c, v in zip(columns, cells) if v is not None} for cells in self._raw]
        for c, fn in maps.items():
            for row in out:
                if isinstance(row.get(c), str):
                    row[c] = fn(row[c])
        return out

    def column(self, name: str) -> list[Any]:
        """One column's Python values (None where unbound)."""
        if self._rows is None and not self._text_maps and name in self.columns:
            assert self._value is not None
            i, value = self.columns.index(name), self._value
            return [None if cells[i] is None else value(cells[i]) for cells in self._raw]
        return [row.get(name) for row in self.values()]

    def subset(self, indices: list[int]) -> "QueryResult":
        """A result with the rows at `indices` only, in that order."""
        if self._rows is None and not self._text_maps:
            out = QueryResult.lazy(self.columns, [self._raw[i] for i in indices], self._term, self._value,  # type: ignore[arg-type]
                                   self.truncated)
        else:
            rows = self.rows
            out = QueryResult(self.columns, [rows[i] for i in indices], self.truncated)
        out.notes = list(self.notes)
        return out

    @classmethod
    def concat(cls, parts: list["QueryResult"], limit: int | None = None) -> "QueryResult":
        """The rows of `parts` one after the other (same columns), at most `limit`, with their notes."""
        columns = parts[0].columns if parts else []
        if any(p.columns != columns for p in parts):
            raise ValueError("results with different columns cannot be joined")
        notes = [n for p in parts for n in p.notes]
        if parts and all(p._rows is None and not p._text_maps for p in parts):
            raw = [cells for p in parts for cells in p._raw][:limit]
            out = cls.lazy(columns, raw, parts[0]._term, parts[0]._value)  # type: ignore[arg-type]
        else:
            out = cls(columns, [row for p in parts for row in p.rows][:limit])
        out.notes = notes
        return out

    def raw_cells(self) -> list[tuple[Raw, ...]] | None:
        """The engine's own cells, row by row, while the result is still lazy and unchanged
        (None once rows were built or a column's text is rewritten)."""
        if self._rows is not None or self._text_maps:
            return None
        return self._raw

    @property
    def row_count(self) -> int:
        return len(self._rows) if self._rows is not None else len(self._raw)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        return self.columns == other.columns and self.values() == other.values()

    def __repr__(self) -> str:
        return f"QueryResult(columns={self.columns!r}, rows={self.row_count}, truncated={self.truncated})"
