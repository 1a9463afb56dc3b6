"""Pick the store from settings: a SPARQL endpoint when configured, the embedded store otherwise.

Endpoint settings beyond `Settings` come from the environment: PLANGRAPH_STORE_ENDPOINT
(Graph Store URL), PLANGRAPH_ENDPOINT_USER and PLANGRAPH_ENDPOINT_PASSWORD (HTTP Basic).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..config import Settings
from .base import Store


def data_files(settings: Settings) -> list[Path]:
    return sorted(settings.ttl_dir.glob("*.ttl")) if settings.ttl_dir.is_dir() else []


def open_remote(settings: Settings, user: str | None = None, password: str | None = None,
                store_endpoint: str | None = None):
    from .remote import RemoteStore

    assert settings.endpoint
    return RemoteStore(
        settings.endpoint, update_endpoint=settings.update_endpoint, timeout=settings.timeout,
        user=user or os.environ.get("PLANGRAPH_ENDPOINT_USER") or None,
        password=password or os.environ.get("PLANGRAPH_ENDPOINT_PASSWORD") or None,
        store_endpoint=store_endpoint or os.environ.get("PLANGRAPH_STORE_ENDPOINT") or None,
    )


def open_store(settings: Settings, user: str | None = None, password: str | None = None,
               store_endpoint: str | None = None, progress=None) -> Store:
    """The configured store. The embedded one loads data/ttl into memory, or for a big graph
    (PLANGRAPH_INDEX, see store.index) opens its persistent index, building it first if the
    data changed; `progress(done_bytes, total_bytes)` hears about a build."""
    if settings.endpoint:
        return open_remote(settings, user, password, store_endpoint)
    from .embedded import EmbeddedStore
    from .index import wants_index

    files = data_files(settings)
    if wants_index(settings, files):
        return EmbeddedStore.indexed(settings, files, progress)
    return EmbeddedStore(files)
