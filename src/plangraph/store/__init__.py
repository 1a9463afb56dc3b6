"""One store interface, an embedded and a remote implementation chosen by settings."""

from .base import QueryResult, Store
from .factory import open_store

__all__ = ["QueryResult", "Store", "open_store"]
