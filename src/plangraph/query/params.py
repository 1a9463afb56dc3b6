"""Typed parameters: what a user typed becomes RDF terms, never query text.

- document, ward, concept, unit, indicator, record: an IRI, or a name resolved against the
  store's candidates ("Đoàn Kết", "doan ket", "57-NQ/TW", "health-insurance-coverage").
  A name may match several nodes (18-NQ/TU of three provinces, a unit name in two wards):
  all of them are bound as alternatives. A name that matches nothing binds an empty VALUES
  block, so the query returns no rows, and the result carries a note saying so.
- year, integer: checked numbers (xsd:integer); anything else is a QueryError.
- text: a plain literal, control characters removed, at most MAX_TEXT characters; folded to
  lower-case ASCII (`text.fold`) when the parameter says `fold: true`, to match pg:searchText.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ..errors import QueryError
from ..store.base import Store, Term
from ..text import fold, squash
from .catalog import CannedQuery, Param
from .choices import candidates

MAX_TEXT = 500
_ABSOLUTE_IRI = re.compile(r"^(https?|urn):[^\s<>\"{}|\\^`]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_IRI_TYPES = ("document", "ward", "concept", "unit", "indicator", "record")
# Types whose names may match by substring ("doan ket" in "phuong doan ket").
_LOOSE = ("ward", "unit", "concept")


def _as_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        raise QueryError("one value per parameter", "repeat --param only for different parameters")
    return str(value)


def _number(p: Param, value: Any, lo: int, hi: int) -> Literal:
    text = _as_text(value).strip()
    if not re.fullmatch(r"[+-]?\d{1,9}", text):
        raise QueryError(f"parameter {p.name!r} must be a whole number, got {text[:40]!r}",
                         f"give a {'year such as 2030' if p.type == 'year' else 'number'}")
    n = int(text)
    if not lo <= n <= hi:
        raise QueryError(f"parameter {p.name!r} must be between {lo} and {hi}, got {n}", "give a value in range")
    return Literal(n, datatype=XSD.integer)


def _text(p: Param, value: Any) -> Literal:
    text = _as_text(value)
    if len(text) > MAX_TEXT:
        raise QueryError(f"parameter {p.name!r} is too long ({len(text)} characters, at most {MAX_TEXT})", "shorten it")
    text = squash(_CONTROL.sub(" ", text))
    return Literal(fold(text) if p.fold else text)


def is_iri(text: str) -> bool:
    """Is `text` an absolute IRI that can be written into a query as `<text>`?"""
    return bool(_ABSOLUTE_IRI.match(text))


def resolve(store: Store, param_type: str, value: Any) -> list[URIRef]:
    """The IRIs a typed value names: itself when it is an absolute IRI, else the candidates
    whose folded name matches (exactly, or for ward/unit/concept as a substring)."""
    text = _as_text(value).strip()
    if len(text) > 2000 or _CONTROL.search(text):
        return []
    if is_iri(text):
        return [URIRef(text)]
    key = squash(fold(text))
    if not key or param_type == "record":
        return []
    cands = candidates(store, param_type)
    exact = [c for c in cands if key in c.keys]
    if exact or param_type not in _LOOSE:
        return [URIRef(c.value) for c in exact]
    return [URIRef(c.value) for c in cands if any(key in k for k in c.keys)]


def convert(store: Store, p: Param, value: Any) -> list[Term]:
    if p.type == "year":
        return [_number(p, value, 1900, 2100)]
    if p.type == "integer":
        return [_number(p, value, 0, 1_000_000)]
    if p.type == "text":
        return [_text(p, value)]
    if p.type in _IRI_TYPES:
        return list(resolve(store, p.type, value))
    raise QueryError(f"parameter {p.name!r} has unknown type {p.type!r}")


def bind_params(store: Store, query: CannedQuery, raw: Mapping[str, Any]) -> tuple[dict[str, list[Term]], list[str]]:
    """Bindings {variable: terms} for a canned query, and notes for the user.

    Unknown parameter names and missing required values are errors; an optional parameter
    left empty stays unbound, so the query answers for every value (every ward ...)."""
    known = {p.name for p in query.params}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise QueryError(f"query {query.id!r} has no parameter {unknown[0][:40]!r}",
                         f"its parameters: {', '.join(sorted(known)) or 'none'}")
    bindings: dict[str, list[Term]] = {}
    notes: list[str] = []
    for p in query.params:
        value = raw.get(p.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            value = p.default
        if value is None or (isinstance(value, str) and not value.strip()):
            if p.required:
                raise QueryError(f"query {query.id!r} needs parameter {p.name!r} ({p.type})",
                                 f"pass --param {p.name}=VALUE")
            continue
        terms = convert(store, p, value)
        if not terms:
            shown = _as_text(value)[:60]
            notes.append(f"không tìm thấy / nothing matches {p.name}={shown!r}")
        bindings[p.var] = terms
    return bindings, notes
