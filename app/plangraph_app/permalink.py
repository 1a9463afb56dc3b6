"""Permalinks: a page's state (query, parameters, picked items) as URL query parameters.

The page path names the page (st.Page url_path); the query string holds the rest:
`?q=compare-concept&p.concept=https://…/health-insurance-coverage&p.ward=…&lang=en`.
Opening such a URL restores the page, the query and its parameters.
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

PARAM_PREFIX = "p."
QUERY_KEY = "q"
# Keys every page keeps: the language and a remote endpoint chosen in the sidebar.
GLOBAL_KEYS = ("lang", "endpoint")


def library_state(query_id: str, params: Mapping[str, Any]) -> dict[str, str]:
    """The query-string keys of a canned query with its parameters (empty ones left out)."""
    out = {QUERY_KEY: query_id}
    for name, value in params.items():
        if value is None or value == "":
            continue
        out[PARAM_PREFIX + name] = str(value)
    return out


def parse_library(query_params: Mapping[str, Any]) -> tuple[str | None, dict[str, str]]:
    """(query id, parameters) read back from the query string."""
    qid = _one(query_params.get(QUERY_KEY))
    params = {k[len(PARAM_PREFIX):]: _one(v) for k, v in query_params.items() if k.startswith(PARAM_PREFIX)}
    return (qid or None), {k: v for k, v in params.items() if k and v}


def _one(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return "" if value is None else str(value)


def merged(current: Mapping[str, Any], state: Mapping[str, Any], keep: tuple[str, ...] = GLOBAL_KEYS) -> dict[str, str]:
    """The page's new query string: its own `state` plus the global keys of `current`."""
    out = {k: _one(current[k]) for k in keep if _one(current.get(k))}
    out.update({k: str(v) for k, v in state.items() if v is not None and v != ""})
    return out


def url(page_url: str | None, params: Mapping[str, Any]) -> str:
    """An absolute link when the page URL is known (st.context.url), else a relative one."""
    query = urlencode({k: str(v) for k, v in params.items() if v is not None and v != ""})
    if not page_url:
        return f"?{query}" if query else "?"
    scheme, netloc, path, _q, _f = urlsplit(page_url)
    return urlunsplit((scheme, netloc, path, query, ""))
