"""Run every canned query once with its default parameters, as the app first shows it, so that
its result is kept beside the read-only index (store/result_cache.py) and the next person to
open it gets it at once: `plangraph index --warm`, after a new index is built, and the app's
background warm-up for a big graph (`keep_defaults`)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import PlangraphError
from ..store.base import Store

# The app's table shows at most this many rows (downloads run the query again without it).
TABLE_LIMIT = 5000


def default_params(store: Store) -> dict[str, dict[str, str]]:
    """Each canned query's parameters as the app first runs it: its declared default, else
    (when required) the first value its picker offers."""
    from .catalog import load_catalog
    from .choices import choices

    out: dict[str, dict[str, str]] = {}
    for q in load_catalog():
        params: dict[str, str] = {}
        for p in q.params:
            if p.default is not None:
                params[p.name] = str(p.default)
            elif p.required:
                opts = choices(store, p.type) if p.choices == "store" else list(p.choices) if isinstance(p.choices, tuple) else []
                if opts:
                    params[p.name] = str(opts[0][0] if isinstance(opts[0], tuple) else opts[0])
        out[q.id] = params
    return out


@dataclass
class Warmed:
    query_id: str
    seconds: float
    rows: int
    error: str = ""


def warm(store: Store, progress: Callable[[int, int], Any] | None = None,
         limit: int = TABLE_LIMIT) -> list[Warmed]:
    """Run each canned query with its default parameters for all wards; a query that fails is
    reported, not fatal."""
    from .catalog import run

    params = default_params(store)
    out: list[Warmed] = []
    for i, (qid, p) in enumerate(sorted(params.items())):
        t = time.perf_counter()
        try:
            rows = run(store, qid, p, limit=limit).row_count
            out.append(Warmed(qid, time.perf_counter() - t, rows))
        except PlangraphError as exc:
            out.append(Warmed(qid, time.perf_counter() - t, 0, str(exc)))
        if progress:
            progress(i + 1, len(params))
    return out


def keep_defaults(store: Store, progress: Callable[[int, int], Any] | None = None) -> list[Warmed] | None:
    """`warm` when the store keeps results (the read-only index); None, running nothing, for a
    store whose content can change (in memory, remote), where a result would not be kept.
    A result kept already is read back, so a later start costs only the reading."""
    if getattr(store, "result_cache", None) is None:
        return None
    return warm(store, progress)
