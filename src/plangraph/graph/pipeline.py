"""plangraph build: sources + curation -> data/ttl (one Turtle file per plan, plus the
shared documents file), deterministic and sorted, written atomically."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from ..config import Settings
from ..docnumber import parse
from ..extract.pipeline import extract
from ..extract.records import Citation, Extraction, SourceSpan
from ..text import fold, slug
from ..vocab import concept_lexicon
from . import curation as curation_mod
from .build import PlanBuilder, PlanContext
from .documents import CitationContext, DocumentRegistry
from .drivers import add_drivers
from .iri import Locality, Minter
from .manifest import SourceInfo, load_manifest
from .namespaces import PREFIXES, vocab
from .shared import shared_graph

Progress = Callable[[str], None]


@dataclass
class BuildOutput:
    files: dict[str, str] = field(default_factory=dict)  # file name in data/ttl -> Turtle
    warnings: list[str] = field(default_factory=list)
    extractions: dict[str, Extraction] = field(default_factory=dict)
    triples: int = 0


def _serialise(g: Graph) -> str:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for scheme in ("domain", "comparator", "unit", "periodicity", "task-kind", "citation-role", "scope",
                   "origin", "responsibility-role", "link-basis", "doc-type", "indicator"):
        g.bind(f"v-{scheme}" if scheme != "indicator" else "pgc", vocab(scheme))
    return g.serialize(format="turtle")


def plan_file_name(info: SourceInfo) -> str:
    stem = Path(info.file).stem.split("_", 1)[0]
    return f"{slug(info.province)}_{slug(info.ward_kind + ' ' + info.ward)}_{stem}.ttl"


def build(settings: Settings, progress: Progress = lambda _msg: None) -> BuildOutput:
    out = BuildOutput()
    manifest = load_manifest(settings.sources_dir)
    cur = curation_mod.load(settings.curation_dir)
    concepts = list(concept_lexicon())
    prepared = []
    for info in manifest:
        progress(f"trích xuất / extracting {info.file}")
        ext = extract(settings.sources_dir / info.file, concepts)
        from ..extract.normalise import read_source

        lines = read_source(settings.sources_dir / info.file).split("\n")
        corrections = curation_mod.apply(ext, cur, lines)
        _check_manifest(info, ext, out.warnings)
        prepared.append((info, ext, corrections))
        out.extractions[info.file] = ext
    assemble(out, prepared, Minter(settings.base), cur.documents, progress)
    return out


def assemble(out: BuildOutput, prepared: list, minter: Minter, decisions: dict, progress: Progress = lambda _m: None) -> None:
    """Resolve document identity across all plans, then build each plan's graph and the shared one."""
    registry = DocumentRegistry(minter, decisions)
    staged = []
    for info, ext, corrections in prepared:
        ctx = PlanContext(info.file, info.ward, info.ward_kind, info.province)
        cctx = CitationContext(info.province, ctx.ward_label, info.file)
        for c in ext.citations:
            registry.add(c, cctx)
        own = None
        if ext.plan.number and (n := parse(ext.plan.number)):
            own = Citation(n.text, n.doc_type, n.issuer_code, None, "ward", info.ward, "context", ext.plan.date, None,
                           "self", SourceSpan(info.file, 1, 1, ""))
            registry.add(own, cctx)
        staged.append((info, ext, corrections, ctx, own))
    doc_iris = registry.resolve()
    plan_iris: set = set()
    ward_names: dict = {}  # ward IRI -> (name, file) of each plan naming it
    for info, ext, corrections, ctx, own in staged:
        progress(f"dựng đồ thị / building graph {info.file}")
        if own is not None:
            plan_iri = doc_iris[id(own)]
            key = minter.plan_key(info.province, ctx.ward_label, f"{slug(ext.plan.number or '')}")
        else:
            local = f"{(ext.plan.doc_type or 'doc').lower()}-{Path(info.file).stem}"
            plan_iri = minter.unnumbered_document(Locality(info.province, ctx.ward_label), local)
            key = minter.plan_key(info.province, ctx.ward_label, local)
        plan_iris.add(plan_iri)
        b = PlanBuilder(minter, ext, ctx, plan_iri, key)
        ward_names.setdefault(b.ward, []).append((ctx.ward_label, info.file))
        adopted = None
        if ext.plan.adopted_by:
            adopted = next((doc_iris[id(c)] for c in ext.citations if c.number == ext.plan.adopted_by and id(c) in doc_iris), None)
        ext.plan.doc_type = ext.plan.doc_type or info.doc_type
        code = parse(ext.plan.number).issuer_code if own else issuer_code_of(info.issuer or ext.plan.issuer or "")
        issuer = minter.issuing_body(code, Locality(info.province, ctx.ward_label)) if code else None
        b.plan_node(ext.plan.number, issuer, adopted)
        if issuer is not None:
            b.issuer_node(issuer, code, info.issuer or ext.plan.issuer)
        b.ward_node(ext.plan.former_units)
        b.sections()
        number_iri = {c.number: doc_iris[id(c)] for c in ext.citations if id(c) in doc_iris}
        cites = b.citations(doc_iris)
        b.units()
        groups = b.groups()
        b.indicators(groups)
        b.tasks(number_iri)
        b.assignments()
        add_drivers(b, cites)
        b.corrections(corrections)
        out.files[plan_file_name(info)] = _serialise(b.g)
        out.triples += len(b.g)
    for ward, named in ward_names.items():
        if len({name for name, _f in named}) > 1:  # names that differ only by diacritics fold alike
            out.warnings.append(
                f"{', '.join(f for _n, f in named)}: các phường/xã {' / '.join(repr(n) for n, _f in named)} "
                f"trùng một định danh / wards share one identifier {ward}; their plans are read as one ward")
    progress("văn bản dùng chung / shared documents")
    shared = shared_graph(minter, registry.docs, plan_iris)
    out.files["documents.ttl"] = _serialise(shared)
    out.triples += len(shared)


def issuer_code_of(text: str) -> str | None:
    """The issuer code of a body named in words: "UBND phường X" -> UBND, "Đảng bộ phường X" -> ĐU."""
    f = fold(text)
    for pattern, code in ((r"\bubnd\b|uy ban nhan dan", "UBND"), (r"\bhdnd\b|hoi dong nhan dan", "HĐND"), (r"dang bo|dang uy", "ĐU")):
        if re.search(pattern, f):
            return code
    return None


def _check_manifest(info: SourceInfo, ext: Extraction, warnings: list[str]) -> None:
    e = ext.plan
    for field_name, manifest_value, extracted in (("number", info.number, e.number), ("date", info.date, e.date),
                                                  ("adopted_by", info.adopted_by, e.adopted_by)):
        if manifest_value and extracted and manifest_value != extracted:
            warnings.append(f"{info.file}: manifest {field_name} {manifest_value!r} ≠ extracted {extracted!r}")
    if e.ward and e.ward != info.ward:
        warnings.append(f"{info.file}: manifest ward {info.ward!r} ≠ extracted {e.ward!r}")


def write(output: BuildOutput, ttl_dir: Path) -> list[str]:
    """Write every file atomically (temporary file, then rename); remove stale .ttl files."""
    ttl_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(output.files.items()):
        target = ttl_dir / name
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        fd, tmp = tempfile.mkstemp(dir=ttl_dir, prefix=f".{name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        written.append(name)
    for stale in sorted(ttl_dir.glob("*.ttl")):
        if stale.name not in output.files:
            stale.unlink()
            written.append(f"-{stale.name}")
    return written


def check(output: BuildOutput, ttl_dir: Path) -> list[str]:
    """File names in data/ttl that differ from what a build would write now."""
    stale = [n for n, text in sorted(output.files.items())
             if not (ttl_dir / n).exists() or (ttl_dir / n).read_text(encoding="utf-8") != text]
    stale += [p.name for p in sorted(ttl_dir.glob("*.ttl")) if p.name not in output.files]
    return stale
