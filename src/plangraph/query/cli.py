"""`plangraph queries | query | sparql | load`: the canned-query library and the stores on the
command line. Every command works on the embedded store or on `--endpoint URL`; errors are
PlangraphErrors, which `plangraph.cli.main` prints as one line with exit code 2."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import QueryError, StoreError

DataOpt = Annotated[Optional[Path], typer.Option("--data", help="Data directory (default: the checkout's data/ or $PLANGRAPH_DATA).")]
EndpointOpt = Annotated[Optional[str], typer.Option(
    "--endpoint", help="SPARQL query URL, or an Oxigraph server's base URL (default: the embedded store; env PLANGRAPH_ENDPOINT).")]
UpdateOpt = Annotated[Optional[str], typer.Option("--update-endpoint", help="SPARQL Update URL, where it cannot be derived.")]
StoreOpt = Annotated[Optional[str], typer.Option("--store-endpoint", help="Graph Store Protocol URL, where it cannot be derived.")]
UserOpt = Annotated[Optional[str], typer.Option("--user", help="HTTP Basic user (env PLANGRAPH_ENDPOINT_USER).")]
PasswordOpt = Annotated[Optional[str], typer.Option("--password", help="HTTP Basic password (env PLANGRAPH_ENDPOINT_PASSWORD).")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: standard output; xlsx needs a file).")]


class ListFormat(str, Enum):
    table = "table"
    json = "json"


class RowFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class LoadMethod(str, Enum):
    gsp = "gsp"
    update = "update"


def _open(data: Path | None, endpoint: str | None, update_endpoint: str | None = None, store_endpoint: str | None = None,
          user: str | None = None, password: str | None = None, timeout: float | None = None):
    from ..config import settings as load_settings
    from ..store import open_store

    s = load_settings(data_dir=data, endpoint=endpoint, update_endpoint=update_endpoint, timeout=timeout)
    return open_store(s, user=user, password=password, store_endpoint=store_endpoint)


def _parse_params(pairs: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise QueryError(f"--param needs name=value, got {pair[:60]!r}", "e.g. --param ward=\"Đoàn Kết\"")
        if name in out:
            raise QueryError(f"parameter {name[:40]!r} given twice", "give each parameter once")
        out[name] = value
    return out


def _note(text: str) -> None:
    print(f"plangraph: {text}", file=sys.stderr)


def queries_cmd(fmt: Annotated[ListFormat, typer.Option("--format", help="table or json")] = ListFormat.table) -> None:
    """List the canned queries: id, title, parameters and default view."""
    from .catalog import load_catalog
    from .render import text_table

    catalog = load_catalog()
    if fmt == ListFormat.json:
        typer.echo(json.dumps([{
            "id": q.id, "title": {"vi": q.title_vi, "en": q.title_en},
            "description": {"vi": q.description_vi, "en": q.description_en}, "tags": list(q.tags), "view": q.view,
            "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                        "choices": list(p.choices) if isinstance(p.choices, tuple) else p.choices,
                        "label": {"vi": p.label_vi, "en": p.label_en}} for p in q.params],
        } for q in catalog], ensure_ascii=False, indent=2))
        return

    def describe(p) -> str:
        text = f"{p.name}:{p.type}"
        if p.required:
            text += "!"
        return text + (f"={p.default}" if p.default is not None and p.type not in ("document", "concept") else "")

    rows = [{"id": q.id, "title": f"{q.title_vi} / {q.title_en}", "params": ", ".join(describe(p) for p in q.params),
             "view": q.view} for q in catalog]
    typer.echo(text_table(["id", "title", "params", "view"], rows), nl=False)


def query_cmd(
    query_id: Annotated[str, typer.Argument(help="Canned query id (see `plangraph queries`).")],
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="name=value; repeat for several parameters.")] = None,
    fmt: Annotated[RowFormat, typer.Option("--format", help="table, csv, json (a list of row objects) or xlsx")] = RowFormat.table,
    output: OutputOpt = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="At most this many rows.")] = None,
    timeout: Annotated[Optional[float], typer.Option("--timeout", min=0.1, help="Seconds before the query is stopped.")] = None,
    data: DataOpt = None, endpoint: EndpointOpt = None, user: UserOpt = None, password: PasswordOpt = None,
) -> None:
    """Run a canned query with typed parameters."""
    from .catalog import get_query, run
    from .render import write_rows

    query = get_query(query_id)  # unknown ids fail before the store loads
    params = _parse_params(param)
    store = _open(data, endpoint, user=user, password=password, timeout=timeout)
    result = run(store, query.id, params, limit=limit, timeout=timeout)
    for note in result.notes:
        _note(note)
    if result.truncated:
        _note(f"kết quả bị cắt ở {limit} dòng / result cut at {limit} rows")
    write_rows(query.id, result.columns, result.values(), fmt.value, output)


def sparql_cmd(
    query: Annotated[Optional[str], typer.Argument(help="A SELECT, ASK, CONSTRUCT or DESCRIBE query.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Read the query from this file ('-' for standard input).")] = None,
    fmt: Annotated[RowFormat, typer.Option("--format", help="table, csv, json or xlsx")] = RowFormat.table,
    output: OutputOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Row cap.")] = 1000,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Time limit in seconds.")] = 10.0,
    data: DataOpt = None, endpoint: EndpointOpt = None, user: UserOpt = None, password: PasswordOpt = None,
) -> None:
    """Run a read-only SPARQL query (updates and SERVICE are refused), with a row cap and a time limit."""
    from .render import write_rows
    from .sparql import as_rows, check_read_only, run_sparql

    if (query is None) == (file is None):
        raise QueryError("give a query or --file, not both", "e.g. plangraph sparql 'SELECT * WHERE { ?s ?p ?o } LIMIT 5'")
    if file is not None:
        try:
            text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}", "check the path") from exc
    else:
        text = query or ""
    check_read_only(text)  # refuse before loading the store
    store = _open(data, endpoint, user=user, password=password, timeout=timeout)
    result = run_sparql(store, text, limit=limit, timeout=timeout)
    if result.truncated:
        _note(f"kết quả bị cắt ở {limit} dòng / result cut at {limit} rows")
    columns, rows = as_rows(result)
    write_rows("sparql", columns, rows, fmt.value, output)


def load_cmd(
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateOpt = None,
    store_endpoint: StoreOpt = None,
    method: Annotated[LoadMethod, typer.Option("--method", help="gsp (Graph Store Protocol) or update (SPARQL Update).")] = LoadMethod.gsp,
    replace: Annotated[bool, typer.Option("--replace/--append", help="Empty the default graph first (default) or add to it.")] = True,
    timeout: Annotated[Optional[float], typer.Option("--timeout", min=0.1, help="Seconds per request.")] = None,
    data: DataOpt = None, user: UserOpt = None, password: PasswordOpt = None,
) -> None:
    """Upload the ontology, vocabularies and data/ttl to a SPARQL endpoint."""
    from ..config import settings as load_settings
    from ..store.factory import data_files, open_remote
    from ..store.load import graph_sources, load_endpoint

    s = load_settings(data_dir=data, endpoint=endpoint, update_endpoint=update_endpoint, timeout=timeout)
    if not s.endpoint:
        raise StoreError("load needs an endpoint", "pass --endpoint URL (or set PLANGRAPH_ENDPOINT)")
    files = data_files(s)
    if not files:
        raise StoreError(f"no Turtle files in {s.ttl_dir}", "run `plangraph build` first")
    store = open_remote(s, user=user, password=password, store_endpoint=store_endpoint)
    report = load_endpoint(store, graph_sources(files), replace=replace, method=method.value)
    held = store.triple_count()
    _note(f"đã tải / loaded {report.triples:,} triples from {report.files} files into {report.endpoint}; "
          f"the endpoint holds {held:,} triples")


def register(app: typer.Typer) -> None:
    """Add the query commands to the main `plangraph` app."""
    app.command("queries")(queries_cmd)
    app.command("query")(query_cmd)
    app.command("sparql")(sparql_cmd)
    app.command("load")(load_cmd)
