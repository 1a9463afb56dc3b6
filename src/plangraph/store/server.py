"""An Oxigraph SPARQL server (the `oxigraph` package's CLI) on a loopback port: what the
remote-store tests and the benchmark run against."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import StoreError


def oxigraph_executable() -> str | None:
    """The `oxigraph` CLI beside this Python (the venv) or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def oxigraph_server(location: Path, read_only: bool = False, start_timeout: float = 30) -> Iterator[str]:
    """Serve the store at `location` on 127.0.0.1; yields the base URL, stops the server after."""
    exe = oxigraph_executable()
    if exe is None:
        raise StoreError("the oxigraph server is not installed", "pip install oxigraph")
    port = free_port()
    command = "serve-read-only" if read_only else "serve"
    proc = subprocess.Popen([exe, command, "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if proc.poll() is not None:
                raise StoreError(f"oxigraph {command} exited: {proc.stderr.read().decode(errors='replace')[:500]}")
            try:
                with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1) as resp:
                    resp.read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise StoreError(f"oxigraph {command} did not start within {start_timeout:g} s") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
