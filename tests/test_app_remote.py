"""The app on a remote SPARQL endpoint: a real Oxigraph server on a loopback port, filled by
`plangraph load --endpoint URL`, chosen in the sidebar; the pages show the same five plans."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from streamlit.testing.v1 import AppTest  # noqa: E402

from plangraph.store.server import oxigraph_executable, oxigraph_server  # noqa: E402


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    if oxigraph_executable() is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        load = subprocess.run([sys.executable, "-c", "from plangraph.cli import main; main()", "load", "--endpoint", url],
                              capture_output=True, text=True, timeout=120)
        assert load.returncode == 0, load.stderr
        yield url


def _open(endpoint: str, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app" / "Home.py"), default_timeout=90)
    at.session_state["endpoint"] = endpoint
    at.run()
    if page:
        at.query_params.clear()  # as in the browser: opening another page starts from its own URL
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


def test_national_compare_reads_one_province_from_the_endpoint(endpoint, monkeypatch):
    import time

    from plangraph_app import wards

    monkeypatch.setattr(wards, "MANY_WARDS", 2)  # the national layout, on the five plans
    at = _open(endpoint, "compare")
    for _ in range(60):  # the concept list is read in the background first
        if not [i for i in at.info if str(i.value).startswith("Đang ")]:
            break
        time.sleep(0.5)
        at.run()
    assert at.selectbox(key="compare_province").value == "Hà Tĩnh"
    assert list(at.dataframe[0].value["Phường"]) == ["Trần Phú"]
    captions = " ".join(c.value for c in at.caption)
    assert "Cả nước: 5 trên 5 phường, xã có chỉ tiêu này; dưới đây: Hà Tĩnh." in captions


def test_national_overview_reads_one_wards_rows_from_the_endpoint(endpoint, monkeypatch):
    from plangraph_app import wards

    monkeypatch.setattr(wards, "MANY_WARDS", 2)
    at = _open(endpoint)
    at.selectbox(key="overview_province").set_value("Lai Châu").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="overview_ward").value == "https://w3id.org/plangraph/id/unit/lai-chau/phuong-doan-ket"
    indicators = at.dataframe[-1].value
    assert "Đạt 99,7%" in set(indicators["Mục tiêu"]) and len(indicators) == 29  # Đoàn Kết's own 29, read by IRI
