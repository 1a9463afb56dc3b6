"""Results of slow queries kept beside the read-only index, so that a query asked again over a
big graph answers at once.

The persistent index (store/index.py) never changes once built: new or changed data gets a
new index under another fingerprint. A result is therefore exact for as long as the index
exists, and is kept inside the index folder (`results/`), so it goes away with it. The key
is the hash of the query text as sent (every parameter is in it) and the row limit; only
results that took at least `MIN_SECONDS` to compute are kept, and at most `MAX_ROWS` rows.
Reading a result marks it used; past `MAX_BYTES` in all, the results used least recently go.

Each file is written to a temporary name and renamed into place, so a reader never sees a
half-written result; two processes computing the same result write the same content. The
cache is best effort: a folder that cannot be written, or a file that cannot be read, only
means the query runs.

Cells are stored as text, the first character telling the kind of term:
`I` IRI, `B` blank node, `S` plain string, `L<lang>\\x1f<text>` language-tagged,
`T<datatype>\\x1f<text>` typed literal.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

log = logging.getLogger(__name__)

FORMAT = 1
FOLDER = "results"
# Queries faster than this are not worth a file.
MIN_SECONDS = 0.2
# Larger results are not kept (the app fetches at most 5,000 rows; downloads run again).
MAX_ROWS = 50_000
# Past this many bytes in all, the results read least recently are removed (down to 80 %).
MAX_BYTES = 512 * 1024 * 1024
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SEP = "\x1f"


def enabled() -> bool:
    """PLANGRAPH_RESULT_CACHE=off turns the cache off (to time the engine itself)."""
    return os.environ.get("PLANGRAPH_RESULT_CACHE", "on").strip().lower() not in ("off", "0", "no", "false")


def default_min_seconds() -> float:
    """PLANGRAPH_RESULT_CACHE_MIN_SECONDS: keep results that took at least this long."""
    raw = os.environ.get("PLANGRAPH_RESULT_CACHE_MIN_SECONDS", "").strip()
    try:
        return float(raw) if raw else MIN_SECONDS
    except ValueError:
        return MIN_SECONDS


def _encode(term: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return "I" + term.value
    if isinstance(term, ox.BlankNode):
        return "B" + term.value
    if isinstance(term, ox.Literal):
        if term.language:
            return f"L{term.language}{SEP}{term.value}"
        if term.datatype.value == XSD_STRING:
            return "S" + term.value
        return f"T{term.datatype.value}{SEP}{term.value}"
    raise TypeError(f"cannot keep a {type(term).__name__} in the result cache")


def _decoder() -> Any:
    memo: dict[str, Any] = {}
    datatypes: dict[str, ox.NamedNode] = {}

    def decode(cell: str | None) -> Any:
        if cell is None:
            return None
        term = memo.get(cell)
        if term is not None:
            return term
        kind, body = cell[0], cell[1:]
        if kind == "I":
            term = ox.NamedNode(body)
        elif kind == "S":
            term = ox.Literal(body)
        elif kind == "L":
            lang, text = body.split(SEP, 1)
            term = ox.Literal(text, language=lang)
        elif kind == "T":
            dt, text = body.split(SEP, 1)
            if dt not in datatypes:
                datatypes[dt] = ox.NamedNode(dt)
            term = ox.Literal(text, datatype=datatypes[dt])
        elif kind == "B":
            term = ox.BlankNode(body)
        else:
            raise ValueError(f"unknown cell kind {kind!r}")
        memo[cell] = term
        return term

    return decode


class ResultCache:
    """The kept results of one index (`<index>/results/`)."""

    def __init__(self, index_path: Path, min_seconds: float | None = None, max_rows: int = MAX_ROWS,
                 max_bytes: int = MAX_BYTES) -> None:
        self.folder = Path(index_path) / FOLDER
        self.min_seconds = default_min_seconds() if min_seconds is None else min_seconds
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self._warned = False

    def _file(self, query: str, limit: int | None) -> Path:
        digest = hashlib.sha256(f"plangraph-results {FORMAT}\n{limit}\n{query}".encode()).hexdigest()
        return self.folder / f"{digest[:40]}.json"

    def get(self, query: str, limit: int | None) -> tuple[list[str], list[tuple[Any, ...]], bool] | None:
        """(columns, rows of pyoxigraph terms, truncated), or None when not kept."""
        path = self._file(query, limit)
        try:
            with path.open("r", encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("format") != FORMAT or data.get("query") != query:
                return None
            decode = _decoder()
            rows = [tuple(decode(c) for c in row) for row in data["rows"]]
            try:
                os.utime(path)  # used now: the last to go when the folder is trimmed
            except OSError:
                pass
            return list(data["columns"]), rows, bool(data["truncated"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("result cache: cannot read %s (%s); running the query", path.name, exc)
            return None

    def put(self, query: str, limit: int | None, columns: list[str], rows: list[tuple[Any, ...]],
            truncated: bool, seconds: float) -> bool:
        """Keep a result that took `seconds` to compute; False when it is not kept."""
        if seconds < self.min_seconds or len(rows) > self.max_rows:
            return False
        path = self._file(query, limit)
        tmp = path.with_name(f".{path.stem}-{os.getpid()}-{threading.get_ident()}.tmp")  # per writer
        try:
            payload = {
                "format": FORMAT, "query": query, "limit": limit, "columns": columns,
                "truncated": truncated, "seconds": round(seconds, 3),
                "kept": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "rows": [[_encode(c) for c in row] for row in rows],
            }
            self.folder.mkdir(exist_ok=True)
            with tmp.open("w", encoding="utf-8") as fh:
                json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
            self._trim()
            return True
        except (OSError, TypeError) as exc:
            if not self._warned:  # once: a folder that cannot be written stays so
                log.warning("result cache: cannot keep results in %s (%s)", self.folder, exc)
                self._warned = True
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            return False

    def _trim(self) -> None:
        """Remove the results used least recently while the folder holds more than `max_bytes`,
        and temporary files older than an hour."""
        files = []
        stale = time.time() - 3600
        for entry in os.scandir(self.folder):
            if entry.name.endswith(".json"):
                st = entry.stat()
                files.append((st.st_mtime_ns, st.st_size, entry.path))
            elif entry.name.endswith(".tmp") and entry.stat().st_mtime < stale:
                try:  # left by a writer that was stopped
                    os.unlink(entry.path)
                except OSError:
                    pass
        total = sum(size for _, size, _ in files)
        if total <= self.max_bytes:
            return
        for _, size, path in sorted(files):
            if total <= self.max_bytes * 0.8:
                break
            try:
                os.unlink(path)
                total -= size
            except OSError:
                pass

    def count(self) -> int:
        try:
            return sum(1 for p in self.folder.glob("*.json"))
        except OSError:
            return 0

    def clear(self) -> int:
        """Remove every kept result; returns how many."""
        n = 0
        for p in list(self.folder.glob("*.json")):
            try:
                p.unlink()
                n += 1
            except OSError:
                pass
        return n
