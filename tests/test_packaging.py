"""The package works from a wheel: ontology, vocabularies, shapes and queries ship as data."""

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    src = ROOT / "src"
    found = {".".join(p.parent.relative_to(src).parts) for p in src.rglob("__init__.py")}
    assert found - listed == set()


def test_wheel_carries_the_reference_data(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    wheel = next(tmp_path.glob("plangraph-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "plangraph/ontology/plangraph.ttl" in names
    assert "plangraph/ontology/vocab/indicator-concepts.ttl" in names
    assert any(n.startswith("plangraph/ontology/shapes/") and n.endswith(".ttl") for n in names)
    assert any(n.startswith("plangraph/queries/") and n.endswith(".rq") for n in names)
