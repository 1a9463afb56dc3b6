"""The `plangraph` command line. Errors become one line and exit code 2; validation
findings exit 1."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from .config import settings as load_settings
from .errors import PlangraphError

app = typer.Typer(
    help="plangraph: kế hoạch phát triển KT-XH cấp xã dưới dạng đồ thị tri thức / "
    "Vietnamese ward development plans as a knowledge graph.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
err = Console(stderr=True)

DataOpt = Annotated[Optional[Path], typer.Option("--data", help="Data directory (default: the checkout's data/ or $PLANGRAPH_DATA).")]
EndpointOpt = Annotated[Optional[str], typer.Option("--endpoint", help="SPARQL endpoint URL (default: the embedded store).")]


class ExtractFormat(str, Enum):
    json = "json"
    ttl = "ttl"


class TableFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A plan document (.txt).")],
    fmt: Annotated[ExtractFormat, typer.Option("--format", help="json (reviewable draft) or ttl (RDF).")] = ExtractFormat.json,
    province: Annotated[Optional[str], typer.Option(help="Province, when the text does not name it.")] = None,
) -> None:
    """Extract a plan into a reviewable draft: metadata, citations, indicators, tasks, assignments, units."""
    from .extract.pipeline import extract as run
    from .vocab import concept_lexicon

    ext = run(file, list(concept_lexicon()))
    if fmt == ExtractFormat.json:
        typer.echo(json.dumps(ext.to_dict(), ensure_ascii=False, indent=2, default=str))
        return
    from .graph.draft import draft_turtle

    typer.echo(draft_turtle(ext, load_settings(), province))


@app.command()
def build(
    check: Annotated[bool, typer.Option("--check", help="Fail (exit 1) when data/ttl differs from a fresh build.")] = False,
    data: DataOpt = None,
) -> None:
    """Rebuild data/ttl from data/sources and data/curation (deterministic, atomic)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from .graph.pipeline import build as run, check as stale_files, write

    s = load_settings(data_dir=data)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err, transient=True) as progress:
        task = progress.add_task("…")
        out = run(s, lambda msg: progress.update(task, description=msg))
    for w in out.warnings:
        err.print(f"[yellow]cảnh báo / warning:[/] {w}")
    if check:
        stale = stale_files(out, s.ttl_dir)
        if stale:
            err.print(f"data/ttl đã cũ / is stale: {', '.join(stale)} — run `plangraph build`")
            raise typer.Exit(1)
        err.print(f"data/ttl is up to date ({len(out.files)} files, {out.triples:,} triples)")
        return
    written = write(out, s.ttl_dir)
    err.print(f"{len(out.files)} files, {out.triples:,} triples; changed: {', '.join(written) or 'none'}")


@app.command("eval")
def evaluate_cmd(
    expectations: Annotated[Path, typer.Option(help="Folder of hand-checked expectations.")] = Path("tests/expectations"),
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    show: Annotated[Optional[str], typer.Option(help="Print misses and extras of one record type.")] = None,
    data: DataOpt = None,
) -> None:
    """Score the extractor alone (no curation) against the expectations: precision, recall, F1."""
    from .evaluate import evaluate
    from .expectations import load_all
    from .extract.pipeline import extract as run
    from .vocab import concept_lexicon

    s = load_settings(data_dir=data)
    exps = load_all(expectations)
    concepts = list(concept_lexicon())
    scores = evaluate(exps, {src: run(s.sources_dir / src, concepts) for src in exps})
    if fmt == "json":
        typer.echo(json.dumps({k: {"expected": v.expected, "extracted": v.extracted, "correct": v.correct,
                                   "precision": round(v.precision, 4), "recall": round(v.recall, 4), "f1": round(v.f1, 4)}
                               for k, v in scores.items()}, indent=2))
    else:
        typer.echo(f"{'record type':24} {'expected':>8} {'extracted':>9} {'correct':>7} {'P':>6} {'R':>6} {'F1':>6}")
        for k, v in scores.items():
            typer.echo(f"{k:24} {v.expected:8d} {v.extracted:9d} {v.correct:7d} {v.precision:6.3f} {v.recall:6.3f} {v.f1:6.3f}")
    if show:
        sc = scores[show]
        typer.echo("\nmisses:\n  " + "\n  ".join(sc.misses) + "\nextras:\n  " + "\n  ".join(sc.extras))


@app.command()
def export(
    kind: Annotated[str, typer.Argument(help="indicators | documents | citations | tasks | units")],
    fmt: Annotated[TableFormat, typer.Option("--format")] = TableFormat.csv,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: standard output; xlsx needs a file).")] = None,
    ward: Annotated[Optional[str], typer.Option("--ward", help="Only this ward's rows: its IRI, or its name "
                                                "(accents optional) when no other ward bears it.")] = None,
    data: DataOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    """Export a table for Excel or checking, with stable documented columns."""
    from .exports import export_table, write_table
    from .store import open_store

    store = open_store(load_settings(data_dir=data, endpoint=endpoint))
    table = export_table(store, kind, ward_iri=_one_ward(store, ward) if ward is not None else None)
    write_table(table, fmt.value, output)


def _one_ward(store, text: str) -> str:
    """The IRI of the one ward `text` names (an IRI or a name); an error naming the candidates
    when there are several (names recur across provinces) or none."""
    from .query.choices import choices
    from .query.params import resolve

    known = dict(choices(store, "ward"))
    found = [str(iri) for iri in resolve(store, "ward", text) if str(iri) in known]
    if not found:
        raise PlangraphError(f"no ward {text[:80]!r} in the graph", "give a ward's IRI or name (`plangraph query ward-overview`)")
    if len(found) > 1:
        listed = "; ".join(f"{known[iri]} = {iri}" for iri in found[:10])
        raise PlangraphError(f"{len(found)} wards match {text[:80]!r}: {listed}", "give the ward's IRI")
    return found[0]


@app.command()
def synth(
    wards: Annotated[int, typer.Option("--wards", help="How many synthetic ward plans.")] = 330,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same graph.")] = 1,
    out: Annotated[Path, typer.Option("--out", help="Output data directory (its ttl/ is replaced).")] = Path("build/synth"),
    data: DataOpt = None,
) -> None:
    """Generate a synthetic national graph by varying the five real plans (with injected defects)."""
    from .progress import progress_bar
    from .synth import generate

    s = load_settings(data_dir=data)
    with progress_bar("Tạo kế hoạch tổng hợp / generating plans", unit="kế hoạch") as advance:
        res = generate(s, wards, seed, out, progress=advance)
    err.print(f"{res.wards} plans, {res.files} files, ~{res.triples_estimate:,} triples in {out / 'ttl'}; "
              f"injected defects: " + ", ".join(f"{k} {len(v)}" for k, v in res.defects.items()))


@app.command()
def bench(
    wards: Annotated[str, typer.Option("--wards", help="Comma-separated scales, e.g. 5,330,3321 (5 = the real plans).")] = "5",
    fmt: Annotated[str, typer.Option("--format", help="markdown or json")] = "markdown",
    engines: Annotated[str, typer.Option("--engines", help="Comma-separated: pyoxigraph,rdflib,oxigraph-server")] = "pyoxigraph,rdflib,oxigraph-server",
    repeat: Annotated[int, typer.Option("--repeat", help="Runs per query (the median is reported).")] = 5,
    no_app: Annotated[bool, typer.Option("--no-app", help="Skip the app start measurement.")] = False,
    work_dir: Annotated[Path, typer.Option("--work-dir", help="Where synthetic data is generated.")] = Path("build/bench"),
    data: DataOpt = None,
) -> None:
    """Benchmark load, every canned query, validation, memory and app start, engines side by side."""
    from .bench import bench as run, check_options
    from .bench_report import dumps, to_markdown

    scales, chosen = check_options(wards, engines, repeat, fmt)
    result = run(load_settings(data_dir=data), scales, chosen, repeat, work_dir, app=not no_app,
                 progress=lambda m: err.print(m))
    typer.echo(dumps(result) if fmt == "json" else to_markdown(result))


@app.command()
def index(
    data: DataOpt = None,
    warm: Annotated[bool, typer.Option("--warm", help="Then run every canned query with its default parameters, "
                                       "so its result is kept beside the index and the app shows it at once.")] = False,
    clear_results: Annotated[bool, typer.Option("--clear-results", help="Forget the query results kept beside the index.")] = False,
) -> None:
    """Build the persistent index of data/ttl now (the app and queries open it in under a second).

    Done automatically on first use when the graph is big (PLANGRAPH_INDEX=auto) or always
    (PLANGRAPH_INDEX=on); a changed data/ttl gets a new index on its next open. Queries that
    take longer than a moment keep their result beside the index (`results/`); it goes with
    the index when the data changes."""
    import time

    from .progress import progress_bar
    from .store.factory import data_files
    from .store.index import build_index, index_info, index_path, is_ready
    from .store.result_cache import ResultCache

    s = load_settings(data_dir=data)
    files = data_files(s)
    if not files:
        raise PlangraphError(f"{s.ttl_dir}: no Turtle files", "run `plangraph build` first")
    path = index_path(s, files)
    if is_ready(path):
        err.print(f"{path}: up to date ({index_info(path).get('triples', 0):,} triples)")
    else:
        t = time.perf_counter()
        with progress_bar("Lập chỉ mục / indexing", unit="MB") as advance:
            build_index(files, path, lambda done, total: advance(done >> 20, total >> 20))
        err.print(f"{path}: {index_info(path).get('triples', 0):,} triples from {len(files)} files in {time.perf_counter() - t:.1f} s")
    if clear_results:
        err.print(f"{ResultCache(path).clear()} kept results forgotten")
    if warm:
        from .query.warm import warm as run_warm
        from .store.embedded import EmbeddedStore

        store = EmbeddedStore.indexed(s, files)
        if store.result_cache is None:
            raise PlangraphError("không lưu kết quả khi PLANGRAPH_RESULT_CACHE=off / the result cache is off",
                                 "unset PLANGRAPH_RESULT_CACHE to keep results")
        t = time.perf_counter()
        with progress_bar("Chạy sẵn truy vấn / running the canned queries", unit="truy vấn") as advance:
            done = run_warm(store, advance)
        for w in done:
            if w.error:
                err.print(f"[red]{w.query_id}: {w.error}[/red]")
        err.print(f"{len(done)} queries in {time.perf_counter() - t:.1f} s; "
                  f"{store.result_cache.count()} results kept in {store.result_cache.folder} "
                  f"(those taking {store.result_cache.min_seconds:g} s or more)")


@app.command()
def info(data: DataOpt = None, endpoint: EndpointOpt = None) -> None:
    """What the store holds: triples, plans, indicators, documents."""
    from .store import open_store

    store = open_store(load_settings(data_dir=data, endpoint=endpoint))
    typer.echo(store.describe())


@app.command("app")
def run_app(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8501,
    endpoint: EndpointOpt = None,
    data: DataOpt = None,
    headless: Annotated[bool, typer.Option(help="Do not open a browser.")] = True,
) -> None:
    """Start the Streamlit app (embedded store by default)."""
    import os
    import subprocess

    entry = Path(__file__).resolve().parents[2] / "app" / "Home.py"
    if not entry.exists():
        raise PlangraphError(f"{entry}: app not found", "run from a checkout of plangraph")
    env = dict(os.environ)
    if endpoint:
        env["PLANGRAPH_ENDPOINT"] = endpoint
    if data:
        env["PLANGRAPH_DATA"] = str(data)
    cmd = [sys.executable, "-m", "streamlit", "run", str(entry), "--server.port", str(port),
           "--server.headless", "true" if headless else "false", "--browser.gatherUsageStats", "false",
           "--client.toolbarMode", "viewer"]
    raise typer.Exit(subprocess.call(cmd, env=env))


def _register_plugins() -> None:
    """Command groups that live beside their layer (validate/, query/) add themselves here."""
    import importlib

    for module in ("plangraph.validate.cli", "plangraph.query.cli"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        mod.register(app)


_register_plugins()


def main() -> None:
    try:
        app()
    except PlangraphError as exc:
        hint = f" — {exc.hint}" if exc.hint else ""
        print(f"plangraph: lỗi / error: {exc.message}{hint}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
