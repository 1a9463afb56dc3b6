"""Free-form SPARQL for power users: read-only, time-limited, row-capped.

Only SELECT, ASK, CONSTRUCT and DESCRIBE run. Update keywords and SERVICE (which would make
the embedded engine fetch from any URL) are refused before anything reaches the store; the
scan ignores comments, strings and IRIs, so `"DROP"` in a literal is fine. The common
prefixes (pg:, skos:, rdfs: ...) may be used without declaring them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import QueryError
from ..store.base import QueryResult, Store, Term

DEFAULT_LIMIT = 1000
DEFAULT_TIMEOUT = 10.0
MAX_QUERY_CHARS = 100_000
READ_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
KNOWN_PREFIXES = {
    "pg": "https://w3id.org/plangraph/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
}

# Comments, strings (long forms first) and IRIs: what the keyword scan must not look into.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|' r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n]|\\.)*"|' r"'(?:[^'\\\n]|\\.)*'|"
    r'<[^<>"{}|^`\\\x00-\x20]*>|'
    r"#[^\n]*",
    re.S,
)
_WORD = re.compile(r"(?<![\w:?$@.-])([A-Za-z]+)(?![\w:-])")
_DECLARED = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:")
_USED = re.compile(r"(?<![\w?$<])([A-Za-z][\w.-]*):(?=[\w%\\]|[^\s<])")


@dataclass
class SparqlResult:
    """What a free-form query returned: `kind` is select, ask or graph."""

    kind: str
    table: QueryResult | None = None
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] | None = None
    truncated: bool = False


def _blank_opaque(text: str) -> str:
    # Keep offsets and line breaks, drop content.
    return _OPAQUE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def query_form(text: str) -> str:
    """The query form keyword (SELECT, ASK ...), or the first keyword found if none is."""
    words = [w.upper() for w in _WORD.findall(_blank_opaque(text))]
    for w in words:
        if w in READ_FORMS or w in UPDATE_WORDS:
            return w
    return words[0] if words else ""


def check_read_only(text: str) -> str:
    """Refuse anything but a read query; returns its form."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long ({len(text):,} characters, at most {MAX_QUERY_CHARS:,})", "shorten it")
    if not text.strip():
        raise QueryError("empty query", "give a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    scanned = _blank_opaque(text)
    words = {w.upper() for w in _WORD.findall(scanned)}
    form = query_form(text)
    refused = sorted(words & set(UPDATE_WORDS))
    if refused or form in UPDATE_WORDS:
        raise QueryError(f"updates are not allowed here ({', '.join(refused) or form})",
                         "only SELECT, ASK, CONSTRUCT and DESCRIBE run; load data with `plangraph load`")
    if "SERVICE" in words:
        raise QueryError("SERVICE (federated query) is not allowed", "query the store's own data only")
    if form not in READ_FORMS:
        raise QueryError(f"not a query: expected SELECT, ASK, CONSTRUCT or DESCRIBE, found {form[:20] or 'nothing'}",
                         "start the query with one of those (after PREFIX lines)")
    return form


def missing_prefixes(text: str) -> dict[str, str]:
    """Known prefixes the query uses without declaring them."""
    scanned = _blank_opaque(text)
    declared = {m.group(1) or "" for m in _DECLARED.finditer(scanned)}
    used = {m.group(1) for m in _USED.finditer(scanned)}
    return {p: KNOWN_PREFIXES[p] for p in sorted(used - declared) if p in KNOWN_PREFIXES}


def with_prefixes(text: str) -> tuple[str, int]:
    """The query with missing known prefixes declared on its first line (so line numbers stay
    right), and how many characters that put before the user's first line."""
    missing = missing_prefixes(text)
    if not missing:
        return text, 0
    head = "".join(f"PREFIX {p}: <{iri}> " for p, iri in missing.items())
    return head + text, len(head)


_POSITION = re.compile(r"line 1, column (\d+)")


def run_sparql(store: Store, text: str, limit: int = DEFAULT_LIMIT, timeout: float = DEFAULT_TIMEOUT) -> SparqlResult:
    """Run a user's read-only query with a row cap and a time limit."""
    form = check_read_only(text)
    full, shift = with_prefixes(text)
    try:
        if form == "SELECT":
            table = store.select(full, limit=limit, timeout=timeout)
            return SparqlResult("select", table=table, truncated=table.truncated)
        if form == "ASK":
            return SparqlResult("ask", boolean=store.ask(full, timeout=timeout))
        triples = store.construct(full, limit=limit + 1, timeout=timeout)
        return SparqlResult("graph", triples=triples[:limit], truncated=len(triples) > limit)
    except QueryError as exc:
        if shift:
            # Columns on line 1 count the declarations we added; give the user's own.
            exc.message = _POSITION.sub(lambda m: f"line 1, column {max(1, int(m.group(1)) - shift)}", exc.message)
            exc.args = (exc.message,)
        raise


def as_rows(result: SparqlResult) -> tuple[list[str], list[dict[str, Any]]]:
    """A free-form result as columns and plain-value rows (for tables, CSV, JSON)."""
    from ..store.base import to_python

    if result.kind == "select" and result.table is not None:
        return result.table.columns, [{c: r.get(c) for c in result.table.columns} for r in result.table.values()]
    if result.kind == "ask":
        return ["boolean"], [{"boolean": bool(result.boolean)}]
    rows = [{"subject": to_python(s), "predicate": to_python(p), "object": to_python(o)} for s, p, o in result.triples or []]
    return ["subject", "predicate", "object"], rows
