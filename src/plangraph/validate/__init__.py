"""SHACL validation of the plan graph: completeness, well-formedness, consistency.

    from plangraph.config import settings
    from plangraph.validate import validate_store_files

    report = validate_store_files(settings(), ward="Hàm Rồng")
    report.conforms, report.counts(), report.shards[0].score.ratio, report.findings[0].message_vi

Names are imported lazily: `plangraph.cli` imports `plangraph.validate.cli` at start-up and
must not pay for pySHACL unless `validate` runs. See docs/VALIDATION.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "Finding", "Report", "Rule", "Score", "Severity", "ShardResult", "SourceRef",
    "catalogue", "render", "to_json", "validate_graph_file", "validate_store_files",
]

_WHERE = {
    "Finding": "findings", "Report": "findings", "Rule": "findings", "Score": "findings",
    "Severity": "findings", "ShardResult": "findings", "SourceRef": "findings",
    "catalogue": "shapes", "render": "report", "to_json": "report",
    "validate_graph_file": "run", "validate_store_files": "run",
}

if TYPE_CHECKING:  # pragma: no cover
    from .findings import Finding, Report, Rule, Score, Severity, ShardResult, SourceRef
    from .report import render, to_json
    from .run import validate_graph_file, validate_store_files
    from .shapes import catalogue


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        module = importlib.import_module(f".{_WHERE[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
