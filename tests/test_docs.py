"""Docs coverage: the README lists every CLI command and every canned query."""

from pathlib import Path

from plangraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_exactly_two_setup_commands():
    first_block = README.split("```")[1]
    commands = [ln for ln in first_block.splitlines()[1:] if ln.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["make run", "make test"]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci.splitlines()[-1]


def test_every_cli_command_is_in_the_readme():
    import typer.main

    group = typer.main.get_command(app)
    for name in group.commands:
        assert f"plangraph {name}" in README, name


def test_every_canned_query_is_documented():
    ids = [p.stem for p in sorted((ROOT / "src" / "plangraph" / "queries").glob("*.rq"))]
    queries_doc = (ROOT / "docs" / "QUERIES.md").read_text(encoding="utf-8") if (ROOT / "docs" / "QUERIES.md").exists() else ""
    for qid in ids:
        assert f"`{qid}`" in README and f"`{qid}`" in queries_doc, qid


def test_each_querys_documented_columns_are_its_columns(store):
    import re

    from plangraph.query.catalog import load_catalog, run

    doc = (ROOT / "docs" / "QUERIES.md").read_text(encoding="utf-8")
    for q in load_catalog():
        section = re.search(rf"### \d+\. `{re.escape(q.id)}`.*?\nColumns: (.*?)\n", doc, re.S)
        assert section, q.id
        params = {p.name: p.default for p in q.params if p.required}
        assert re.findall(r"`(\w+)`", section.group(1)) == run(store, q.id, params, limit=1).columns, q.id
