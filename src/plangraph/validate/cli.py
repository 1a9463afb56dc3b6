"""`plangraph validate`: SHACL validation of data/ttl with a report staff can act on.

Exit codes: 0 no violations (warnings and information allowed), 1 violations found,
2 error (a PlangraphError, printed by plangraph.cli.main as one line). Heavy imports
(pySHACL) happen inside the command, so other commands start fast. `--engine` chooses
pySHACL or the compiled SPARQL engine (same findings; docs/VALIDATION.md).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import PlangraphError


class Engine(str, Enum):
    auto = "auto"
    pyshacl = "pyshacl"
    sparql = "sparql"


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"
    ttl = "ttl"


def validate(
    ward: Annotated[Optional[str], typer.Option("--ward", help="Only this ward's plan (name, slug or file stem; accents optional).")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text (staff), json (tools), csv (Excel), ttl (SHACL report).")] = ReportFormat.text,
    data: Annotated[Optional[Path], typer.Option("--data", help="Data directory (default: the checkout's data/ or $PLANGRAPH_DATA).")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: standard output).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Examples shown per rule in text (0 = all).")] = 5,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Worker processes (default: 1 for a few plans, all CPUs for many).")] = None,
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="Reuse the results of plans unchanged since the last run (kept in <data>/.index/validation).")] = True,
    engine: Annotated[Engine, typer.Option("--engine", help="pyshacl (the reference), sparql (the shapes compiled to SPARQL, same findings, faster) or auto (pyshacl for a few plans, sparql for many).")] = Engine.auto,
) -> None:
    """Kiểm tra đồ thị bằng SHACL: thiếu sót, sai dạng, mâu thuẫn / validate the graph with SHACL."""
    from ..config import settings as load_settings
    from .report import render
    from .run import validate_store_files

    if jobs is not None and jobs < 1:
        raise PlangraphError(f"--jobs must be at least 1, got {jobs}", "omit --jobs to choose automatically")
    from ..progress import progress_bar

    with progress_bar("Kiểm tra / validating", unit="kế hoạch / plans") as advance:
        report = validate_store_files(load_settings(data_dir=data), ward=ward, jobs=jobs, cache=cache,
                                      progress=advance, engine=engine.value)
    text = render(report, fmt.value, limit)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise PlangraphError(f"{output}: cannot write: {exc}", "choose a writable --output path") from exc
        counts = report.counts()
        typer.echo(f"{output}: {sum(counts.values())} findings, {report.seconds:.2f} s", err=True)
    if not report.conforms:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `validate` to the main command line (called by plangraph.cli)."""
    app.command("validate")(validate)
