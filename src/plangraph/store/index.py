"""A persistent, read-only Oxigraph index of data/ttl, so a big graph opens in well under a
second instead of being parsed again by every process that starts.

The index lives in `<data_dir>/.index/<fingerprint>/`. The fingerprint covers the index
format, the pyoxigraph version, the content of the ontology and vocabularies, and each data
file's name, size and modification time: change, add or remove a file and the next open
builds a new index (the old ones are removed once the new one is complete). A build goes to
a temporary directory that is renamed into place only when complete, so a crash or Ctrl-C
never leaves a half-written index; two processes building at once each finish and the first
rename wins.

Building streams the data files through one bulk load per core, run side by side (one bulk
load per file is 4x slower on disk; one stream for all files leaves the other cores idle while
Oxigraph parses and sorts). Turtle prefixes are redeclared per file and the data has no
labelled blank nodes, so a stream reads the same as its files one by one; a syntax error is
traced back to its file and line.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from ..config import Settings
from ..errors import StoreError
from ..resources import reference_files

FORMAT = 1
READY = "READY"  # written last, inside the temporary directory, before the rename
# Above this much Turtle, "auto" uses the index: ~200,000 triples load in memory in ~1 s.
AUTO_THRESHOLD_BYTES = 20_000_000

Progress = Callable[[int, int], None]  # bytes done, bytes total


def fingerprint(files: list[Path]) -> str:
    h = hashlib.sha256(f"plangraph-index {FORMAT} pyoxigraph {ox.__version__}\n".encode())
    for ref in reference_files():
        h.update(ref.name.encode() + b"\0" + hashlib.sha256(ref.read_bytes()).digest())
    for path in files:
        st = path.stat()
        h.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:20]


def wants_index(settings: Settings, files: list[Path]) -> bool:
    if settings.index == "on":
        return True
    if settings.index == "off":
        return False
    return sum(f.stat().st_size for f in files) > AUTO_THRESHOLD_BYTES


def index_path(settings: Settings, files: list[Path]) -> Path:
    return settings.index_dir / fingerprint(files)


def is_ready(path: Path) -> bool:
    return (path / READY).is_file()


def index_info(path: Path) -> dict[str, Any]:
    try:
        return json.loads((path / READY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


class _Tally:
    """Bytes read by all streams together, reported every 8 MB (streams read in parallel)."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = total
        self.done = 0
        self._progress = progress
        self._reported = 0
        self._lock = threading.Lock()

    def add(self, n: int) -> None:
        with self._lock:
            self.done += n
            if self._progress and self.done - self._reported >= 8 << 20:
                self._reported = self.done
                self._progress(self.done, self.total)


class _Chain:
    """Some data files as one byte stream, remembering which file each byte came from."""

    def __init__(self, files: list[Path], tally: _Tally | None = None) -> None:
        self.files = files
        self.index = -1
        self.starts: list[int] = []  # stream offset of each file
        self.offset = 0
        self._fh: IO[bytes] | None = None
        self._tally = tally

    def read(self, size: int = -1) -> bytes:
        size = size if size and size > 0 else 1 << 20
        while True:
            if self._fh is None:
                self.index += 1
                if self.index >= len(self.files):
                    return b""
                self._fh = open(self.files[self.index], "rb")
                self.starts.append(self.offset)
                # Separate files so a file without a final newline cannot run into the next one.
                if self.index:
                    self.offset += 1
                    return b"\n"
            chunk = self._fh.read(size)
            if chunk:
                self.offset += len(chunk)
                if self._tally:
                    self._tally.add(len(chunk))
                return chunk
            self._fh.close()
            self._fh = None

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def suspects(self) -> Iterator[Path]:
        """The files being read when the parser stopped (the last two opened, newest first)."""
        for i in range(min(self.index, len(self.files) - 1), max(self.index - 2, -1), -1):
            yield self.files[i]


def _locate_error(chain: _Chain, exc: Exception) -> StoreError:
    for path in chain.suspects():
        try:
            ox.Store().load(path=str(path), format=ox.RdfFormat.TURTLE)
        except SyntaxError as inner:
            return StoreError(f"{path}: {inner}", "fix or rebuild the file (`plangraph build`), then open again")
    return StoreError(f"cannot index the graph: {exc}", "check the files in data/ttl (`plangraph build --check`)")


def _streams(files: list[Path], count: int) -> list[list[Path]]:
    """`files` split into `count` groups of about the same size (largest first, each to the
    lightest group), keeping the given order inside each group."""
    groups: list[list[int]] = [[] for _ in range(max(1, min(count, len(files))))]
    sizes = [0] * len(groups)
    for i in sorted(range(len(files)), key=lambda i: -files[i].stat().st_size):
        g = sizes.index(min(sizes))
        groups[g].append(i)
        sizes[g] += files[i].stat().st_size
    return [[files[i] for i in sorted(g)] for g in groups if g]


def build_index(files: list[Path], target: Path, progress: Progress | None = None,
                streams: int | None = None) -> Path:
    """Build the index of `files` (plus ontology and vocabularies) at `target`, atomically.
    `streams` bulk loads run side by side (default: one per core, at most 4)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".building-{target.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    _remove_abandoned(target.parent)
    tally = _Tally(sum(f.stat().st_size for f in files), progress)
    chains = [_Chain(group, tally) for group in _streams(files, streams or min(os.cpu_count() or 1, 4))]
    failures: list[tuple[_Chain, Exception]] = []

    def load(store: Any, chain: _Chain) -> None:
        try:
            store.bulk_load(input=chain, format=ox.RdfFormat.TURTLE)
        except Exception as exc:  # reported by the caller, with the file it came from
            # without its traceback, which would keep this frame and so the open store alive
            failures.append((chain, exc.with_traceback(None)))
        finally:
            chain.close()

    store = None
    try:
        store = ox.Store(str(tmp))
        for ref in reference_files():
            store.bulk_load(input=ref.read_bytes(), format=ox.RdfFormat.TURTLE)
        # Oxigraph releases the GIL while it parses and writes, so threads load in parallel.
        workers = [threading.Thread(target=load, args=(store, chain), name=f"plangraph-index-{i}", daemon=True)
                   for i, chain in enumerate(chains)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        for chain, exc in failures:
            if isinstance(exc, SyntaxError):
                raise _locate_error(chain, exc) from exc
        for _chain, exc in failures:
            raise exc
        store.flush()
        store.optimize()
        info = {"triples": len(store), "files": len(files), "built": time.strftime("%Y-%m-%dT%H:%M:%S")}
        store = None  # closes the database before it is moved
        (tmp / READY).write_text(json.dumps(info) + "\n", encoding="utf-8")
        try:
            tmp.rename(target)
        except OSError:
            if not is_ready(target):  # not a concurrent build that finished first
                raise
    except OSError as exc:
        raise StoreError(f"cannot write the index in {target.parent}: {exc}",
                         "check free disk space and permissions, or set PLANGRAPH_INDEX=off") from exc
    finally:
        store = None  # closed before its folder is removed, or it may write into it again
        shutil.rmtree(tmp, ignore_errors=True)
    if progress:
        progress(tally.total, tally.total)
    _prune(target)
    return target


def _remove_abandoned(folder: Path) -> None:
    """Remove the temporary folders of builds whose process is gone (stopped by Ctrl-C or a crash)."""
    for other in folder.glob(".building-*-*"):
        pid = other.name.rsplit("-", 1)[-1]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(other, ignore_errors=True)
        except OSError:  # alive, or not ours to ask about: leave it
            pass


def _prune(keep: Path) -> None:
    """Remove older complete indexes of the same data directory (never one being built)."""
    for other in keep.parent.iterdir():
        if other != keep and other.is_dir() and not other.name.startswith(".") and is_ready(other):
            shutil.rmtree(other, ignore_errors=True)


def open_index(settings: Settings, files: list[Path], progress: Progress | None = None) -> tuple[Any, Path, bool]:
    """A read-only pyoxigraph store over the index of `files`, built first when missing.
    Returns (store, path, built_now)."""
    path = index_path(settings, files)
    built = False
    if not is_ready(path):
        build_index(files, path, progress)
        built = True
    try:
        return ox.Store.read_only(str(path)), path, built
    except OSError as exc:
        raise StoreError(f"cannot open the index {path}: {exc}", "delete the folder to rebuild it, or set PLANGRAPH_INDEX=off") from exc
