"""The command line: commands listed, one-line errors with exit 2, build --check."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = [sys.executable, "-m", "plangraph.cli"]


def run(*args, **kw):
    return subprocess.run([*EXE, *args], capture_output=True, text=True, cwd=ROOT, timeout=300, **kw)


def test_help_lists_the_commands():
    out = run("--help").stdout
    for cmd in ("extract", "build", "eval", "export"):
        assert cmd in out


def test_missing_file_is_one_line_exit_2():
    r = run("extract", "data/sources/nope.txt")
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "nope.txt" in r.stderr and "Traceback" not in r.stderr


def test_extract_json_draft_has_spans():
    r = run("extract", "data/sources/003_02f576e03af5e394.txt")
    assert r.returncode == 0
    d = json.loads(r.stdout)
    first = d["indicators"][0]
    assert first["target"]["value"] == 6800 and first["span"]["line_start"] == 82
    assert d["plan"]["number"] == "36/NQ-HĐND"


def test_build_check_passes_on_the_committed_graph():
    r = run("build", "--check")
    assert r.returncode == 0, r.stderr


def test_export_csv_to_stdout():
    r = run("export", "documents")
    assert r.returncode == 0 and r.stdout.startswith("iri,number,doc_type")


def test_export_of_one_ward_by_name_or_iri():
    r = run("export", "tasks", "--ward", "doan ket", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows and {row["ward"] for row in rows} == {"Đoàn Kết"} and {row["province"] for row in rows} == {"Lai Châu"}
    whole = [row for row in json.loads(run("export", "tasks", "--format", "json").stdout) if row["ward"] == "Đoàn Kết"]
    assert rows == whole
    by_iri = run("export", "tasks", "--ward", "https://w3id.org/plangraph/id/unit/lai-chau/phuong-doan-ket", "--format", "json")
    assert json.loads(by_iri.stdout) == rows
    for args, message in ((("export", "tasks", "--ward", "nowhere at all"), "no ward 'nowhere at all'"),
                          (("export", "documents", "--ward", "doan ket"), "the documents export has no ward")):
        r = run(*args)
        assert r.returncode == 2 and message in r.stderr and r.stderr.strip().count("\n") == 0, r.stderr


def test_unknown_export_kind():
    r = run("export", "nonsense")
    assert r.returncode == 2 and "nonsense" in r.stderr


def test_eval_json():
    r = run("eval", "--format", "json")
    assert r.returncode == 0
    scores = json.loads(r.stdout)
    assert scores["indicators"]["f1"] >= 0.9
