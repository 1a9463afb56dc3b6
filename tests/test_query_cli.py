"""`plangraph queries | query | sparql | load` through the real entry point: output formats,
exit codes (0 ok, 2 usage or query error) and one-line error messages without tracebacks."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import socket
import sys

import pytest


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `plangraph ARGS` in process through `plangraph.cli.main`; (exit code, stdout, stderr)."""
    from plangraph.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv
    sys.argv = ["plangraph", *args]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = saved
    return code, out.getvalue(), err.getvalue()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("plangraph: lỗi / error: "), err
    assert "Traceback" not in err
    for f in fragments:
        assert f in lines[0], (f, lines[0])


def test_queries_lists_ids_titles_and_parameters():
    code, out, _ = run_cli("queries")
    assert code == 0
    assert "compare-concept" in out and "concept:concept!, ward:ward" in out
    assert "deadlines" in out and "from_year:year=2026" in out
    code, out, _ = run_cli("queries", "--format", "json")
    listed = {q["id"]: q for q in json.loads(out)}
    assert len(listed) == 15
    assert listed["search"]["title"] == {"vi": "Tìm kiếm không dấu trong nhãn và câu trích",
                                         "en": "Full-text search over labels and quotes, diacritic-insensitive"}
    assert listed["search"]["params"][0] == {"name": "text", "type": "text", "required": True, "default": "bảo hiểm y tế",
                                             "choices": "free", "label": {"vi": "Cụm từ cần tìm", "en": "Text to find"}}
    assert listed["deadlines"]["view"] == "timeline"


def test_query_json_is_a_list_of_row_objects():
    code, out, err = run_cli("query", "compare-concept", "--param", "ward=Đoàn Kết", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert isinstance(rows, list) and len(rows) == 1
    assert rows[0]["ward"] == "Đoàn Kết" and rows[0]["value"] == 99.7 and rows[0]["unit"] == "%"
    assert rows[0]["value_max"] is None


def test_query_table_csv_and_xlsx(tmp_path):
    code, out, _ = run_cli("query", "shared-documents")
    assert code == 0
    assert out.splitlines()[0].split() == ["document", "number", "level", "wards", "citations", "citing_wards", "document_iri"]
    assert "57-NQ/TW" in out.splitlines()[2]
    code, out, _ = run_cli("query", "shared-documents", "-p", "min_wards=3", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["number"], r["wards"]) for r in rows] == [("57-NQ/TW", "5"), ("68-NQ/TW", "3")]
    target = tmp_path / "overview.xlsx"
    code, _, err = run_cli("query", "ward-overview", "--param", "ward=doan ket", "--format", "xlsx", "--output", str(target))
    assert code == 0, err
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["ward", "section", "item", "value"]
    assert {sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)} == {"Đoàn Kết"}


def test_query_notes_and_limits_go_to_stderr():
    code, out, err = run_cli("query", "compare-concept", "--param", "ward=Hà Nội", "--format", "json")
    assert code == 0 and json.loads(out) == []
    assert "nothing matches ward='Hà Nội'" in err
    code, out, err = run_cli("query", "source-lookup", "--limit", "3", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 3 and "result cut at 3 rows" in err


@pytest.mark.parametrize("args, fragments", [
    (["query", "nope"], ["unknown query 'nope'", "plangraph queries"]),
    (["query", "compare-concept", "--param", "colour=red"], ["has no parameter 'colour'"]),
    (["query", "compare-concept", "--param", "ward"], ["--param needs name=value"]),
    (["query", "compare-concept", "-p", "ward=a", "-p", "ward=b"], ["given twice"]),
    (["query", "deadlines", "--param", "from_year=2026} ; DROP ALL"], ["must be a whole number"]),
    (["query", "search", "--param", "text=" + "x" * 600], ["too long"]),
    (["query", "shared-documents", "--format", "xlsx"], ["xlsx needs a file"]),
    (["sparql", "DROP ALL"], ["updates are not allowed"]),
    (["sparql", "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"], ["SERVICE"]),
    (["sparql", "SELECT ?x WHERE { ?x a pg:Ward"], ["SPARQL syntax error at line 1, column 31"]),
    (["sparql", "SELECT * {}", "--file", "x.rq"], ["not both"]),
    (["sparql", "--file", "/nonexistent/query.rq"], ["cannot read"]),
    (["load"], ["load needs an endpoint"]),
])
def test_errors_are_one_line_with_exit_code_2(args, fragments):
    code, _, err = run_cli(*args)
    assert_one_line_error(code, err, *fragments)


def test_usage_errors_exit_2():
    code, _, _ = run_cli("query")
    assert code == 2
    code, _, _ = run_cli("query", "compare-concept", "--format", "pdf")
    assert code == 2


def test_unreachable_endpoint_is_a_clear_error():
    url = f"http://127.0.0.1:{closed_port()}"
    code, _, err = run_cli("query", "compare-concept", "--endpoint", url)
    assert_one_line_error(code, err, f"cannot reach the SPARQL endpoint {url}/query", "drop --endpoint")
    code, _, err = run_cli("sparql", "ASK {}", "--endpoint", url)
    assert_one_line_error(code, err, "cannot reach")
    code, _, err = run_cli("load", "--endpoint", url)
    assert_one_line_error(code, err, "cannot reach")
    code, _, err = run_cli("query", "compare-concept", "--endpoint", "ftp://example.org/sparql")
    assert_one_line_error(code, err, "not an http(s) endpoint URL")


def test_sparql_from_argument_and_file(tmp_path):
    code, out, _ = run_cli("sparql", "SELECT ?l WHERE { ?w a pg:Ward ; skos:prefLabel ?l } ORDER BY ?l", "--format", "json")
    assert code == 0 and [r["l"] for r in json.loads(out)][0] == "An Dương"
    f = tmp_path / "q.rq"
    f.write_text("ASK { ?d pg:docNumber '57-NQ/TW' }", encoding="utf-8")
    code, out, _ = run_cli("sparql", "--file", str(f), "--format", "json")
    assert code == 0 and json.loads(out) == [{"boolean": True}]
    code, out, err = run_cli("sparql", "SELECT * WHERE { ?s ?p ?o }", "--limit", "2", "--format", "csv")
    assert code == 0 and len(out.strip().splitlines()) == 3 and "cut at 2 rows" in err
    code, out, _ = run_cli("sparql", "CONSTRUCT { ?w a pg:Ward } WHERE { ?w a pg:Ward }", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "subject,predicate,object" and len(out.splitlines()) == 6
