"""The RDF draft of one extracted plan (`plangraph extract --format ttl`), no curation applied."""

from __future__ import annotations

from ..config import Settings
from ..errors import SourceError
from ..extract.records import Extraction
from .iri import Minter
from .manifest import SourceInfo
from .pipeline import BuildOutput, assemble


def draft_turtle(ext: Extraction, settings: Settings, province: str | None = None) -> str:
    prov = province or ext.plan.province
    if not prov or not ext.plan.ward:
        raise SourceError(f"{ext.source}: cannot tell the ward and province from the text",
                          "pass --province, or add the file to data/sources/manifest.yaml")
    info = SourceInfo(ext.source, ext.plan.ward, ext.plan.ward_kind or "phường", prov)
    out = BuildOutput()
    assemble(out, [(info, ext, [])], Minter(settings.base), {})
    return "\n".join(text for _name, text in sorted(out.files.items()))
