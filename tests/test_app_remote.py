"""The app on a remote SPARQL endpoint: a real Oxigraph server on a loopback port, filled by
`plangraph load --endpoint URL`, chosen in the sidebar; the pages show the same five plans."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from streamlit.testing.v1 import AppTest  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    exe = Path(sys.executable).with_name("oxigraph")
    exe = str(exe) if exe.exists() else shutil.which("oxigraph")
    if exe is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = _free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1) as r:
                    r.read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not start within 30 s")
                time.sleep(0.1)
        load = subprocess.run([sys.executable, "-c", "from plangraph.cli import main; main()", "load", "--endpoint", url],
                              capture_output=True, text=True, timeout=120)
        assert load.returncode == 0, load.stderr
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _open(endpoint: str, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app" / "Home.py"), default_timeout=90)
    at.session_state["endpoint"] = endpoint
    at.run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def test_pages_read_the_remote_endpoint(endpoint):
    at = _open(endpoint)
    assert "remote" in " ".join(c.value for c in at.sidebar.caption).lower() or endpoint in " ".join(
        c.value for c in at.sidebar.caption)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Phường, xã"] == "5"
    at = _open(endpoint, "compare")
    table = at.dataframe[0].value
    assert dict(zip(table["Phường"], table["Mục tiêu"]))["Đoàn Kết"] == "Đạt 99,7%"
    at = _open(endpoint, "trace")
    assert {m.label: m.value for m in at.metric}["Kế hoạch phường"] == "5"
