"""Canned queries (catalog, typed parameters, choices) and free-form read-only SPARQL."""

from .catalog import CannedQuery, Param, get_query, load_catalog, run

__all__ = ["CannedQuery", "Param", "get_query", "load_catalog", "run"]
