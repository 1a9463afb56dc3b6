"""Objects of one type kept on disk, one pickle file per key: the validation's caches (shard
results, what the scan found in each plan file). Entries are written atomically (a temporary
file renamed into place); an entry that cannot be read counts as missing, and a cache that
cannot be written only costs time."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any, ClassVar


class PickleFolder:
    kind: ClassVar[type] = object  # what an entry must be to be returned

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_bytes(self, key: str) -> bytes | None:
        """The entry as stored (a worker process hands it on as it is: unpickled once, where it is used)."""
        try:
            return (self.folder / f"{key}.pickle").read_bytes()
        except OSError:
            return None

    @classmethod
    def loads(cls, data: bytes) -> Any | None:
        try:
            value = pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            return None
        return value if isinstance(value, cls.kind) else None

    def get(self, key: str) -> Any | None:
        data = self.get_bytes(key)
        return self.loads(data) if data is not None else None

    def put(self, key: str, value: Any) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.{os.getpid()}.tmp"
            tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(self.folder / f"{key}.pickle")
        except OSError:
            pass

    def prune(self, keep: set[str]) -> None:
        """Remove the entries not in `keep` (not those of folders below)."""
        for f in self.folder.glob("*.pickle") if self.folder.is_dir() else ():
            if f.stem not in keep:
                f.unlink(missing_ok=True)
