"""data/sources/manifest.yaml: which ward and province each source document belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from ..yamlio import load_yaml


@dataclass(frozen=True)
class SourceInfo:
    file: str
    ward: str
    ward_kind: str
    province: str
    doc_type: str | None = None
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    adopted_by: str | None = None
    description: str = ""


def load_manifest(sources: Path) -> list[SourceInfo]:
    path = sources / "manifest.yaml"
    if not path.exists():
        raise SourceError(f"{path}: manifest not found", "list every source file with its ward and province")
    data = load_yaml(path, SourceError) or {}
    out = []
    for i, entry in enumerate(data.get("sources", []), start=1):
        for key in ("file", "ward", "ward_kind", "province"):
            if not entry.get(key):
                raise SourceError(f"{path}: entry {i} has no '{key}'", "every source needs file, ward, ward_kind and province")
        if not (sources / entry["file"]).exists():
            raise SourceError(f"{path}: entry {i} names {entry['file']}, which is not in {sources}", "copy the file in or fix the name")
        date = entry.get("date")
        out.append(SourceInfo(
            file=entry["file"], ward=entry["ward"], ward_kind=entry["ward_kind"], province=entry["province"],
            doc_type=entry.get("doc_type"), number=entry.get("number"),
            date=date.isoformat() if hasattr(date, "isoformat") else date, issuer=entry.get("issuer"),
            adopted_by=entry.get("adopted_by"), description=entry.get("description", ""),
        ))
    return out
