"""The small error hierarchy every layer raises; the CLI turns it into one line and exit 2."""

from __future__ import annotations


class PlangraphError(Exception):
    """An error a user can act on: `message` says what went wrong, `hint` the next step."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class SourceError(PlangraphError):
    """A source document is missing, unreadable or has no recognisable structure."""


class CurationError(PlangraphError):
    """A curation file is malformed or refers to a record that does not exist."""


class QueryError(PlangraphError):
    """A query is malformed, refused, or failed on the store."""


class StoreError(PlangraphError):
    """The store (embedded or remote) cannot be reached or loaded."""
