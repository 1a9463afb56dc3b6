"""`plangraph load`: send the ontology, vocabularies and data/ttl to a SPARQL endpoint.

The Graph Store Protocol is the default (one POST of Turtle per file); `method="update"`
sends INSERT DATA requests of N-Triples instead, for servers without a Graph Store URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from ..errors import StoreError
from ..resources import reference_files
from .remote import RemoteStore

METHODS = ("gsp", "update")
_CHUNK = 5000  # triples per INSERT DATA request


@dataclass(frozen=True)
class LoadReport:
    files: int
    triples: int
    endpoint: str


def graph_sources(data_files: Iterable[Path]) -> list[tuple[str, bytes]]:
    """(name, Turtle bytes) of everything the embedded store loads, in the same order."""
    out = [(res.name, res.read_bytes()) for res in reference_files()]
    for path in data_files:
        try:
            out.append((path.name, path.read_bytes()))
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror}", "run `plangraph build`") from exc
    return out


def _triples(name: str, turtle: bytes) -> list[ox.Triple]:
    try:
        return [q.triple for q in ox.parse(input=turtle, format=ox.RdfFormat.TURTLE)]
    except SyntaxError as exc:
        raise StoreError(f"{name} is not valid Turtle: {exc}", "run `plangraph build`") from exc


def load_endpoint(store: RemoteStore, sources: list[tuple[str, bytes]], replace: bool = True,
                  method: str = "gsp") -> LoadReport:
    if method not in METHODS:
        raise StoreError(f"unknown load method {method!r}", f"use one of: {', '.join(METHODS)}")
    if method == "gsp" and not store.store_url:
        raise StoreError(f"no Graph Store URL known for {store.query_url}",
                         "pass --store-endpoint URL or use --method update")
    if replace:
        store.clear()
    total = 0
    for name, turtle in sources:
        triples = _triples(name, turtle)
        total += len(triples)
        if method == "gsp":
            store.upload(turtle)
            continue
        for start in range(0, len(triples), _CHUNK):
            chunk = ox.serialize(triples[start:start + _CHUNK], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            store.update(f"INSERT DATA {{\n{chunk}\n}}")
    return LoadReport(files=len(sources), triples=total, endpoint=store.query_url)
