"""Pick the store from settings: a SPARQL endpoint when configured, the embedded store otherwise."""

from __future__ import annotations

from ..config import Settings
from .base import Store


def data_files(settings: Settings) -> list:
    return sorted(settings.ttl_dir.glob("*.ttl")) if settings.ttl_dir.is_dir() else []


def open_store(settings: Settings) -> Store:
    if settings.endpoint:
        from .remote import RemoteStore

        return RemoteStore(settings.endpoint, update_endpoint=settings.update_endpoint, timeout=settings.timeout)
    from .embedded import EmbeddedStore

    return EmbeddedStore(data_files(settings))
