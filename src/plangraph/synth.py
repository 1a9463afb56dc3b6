"""A deterministic synthetic national graph: N ward plans spread over the 34 provinces,
made by varying the five real plans (same shapes, realistic counts), with defects injected at
known rates so that validation can be checked to find them.

It works on the built Turtle of the real plans as text: each synthetic plan is a real plan's
file with its ward, province, plan and document identifiers rewritten, its target values
scaled, and, for some plans, one injected defect. Local documents are rewritten per province
(so provincial documents are shared by the wards of one province), a ward's own documents per
synthetic ward, and central documents stay one node each. Working on text keeps generation linear and fast (no RDF round trip).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .config import Settings
from .errors import PlangraphError
from .extract.lexicon import PROVINCES
from .graph.manifest import load_manifest
from .graph.pipeline import plan_file_name
from .text import fold, slug

BASE = "https://w3id.org/plangraph/"
_SYLLABLES = (
    "An", "Bình", "Phú", "Hòa", "Tân", "Thạnh", "Long", "Đông", "Tây", "Nam", "Bắc", "Hưng", "Thịnh", "Phước", "Lộc",
    "Xuân", "Hải", "Sơn", "Thủy", "Minh", "Quang", "Trung", "Hiệp", "Lợi", "Mỹ", "Vĩnh", "Định", "Thuận", "Phong",
    "Thành", "Lạc", "Yên", "Kim", "Hồng", "Ngọc", "Cát", "Tiến", "Đức", "Nghĩa", "Hà", "Lâm", "Tường", "Khánh",
)
# Rates of injected defects (per plan) and the rule each should trip.
DEFECTS = {
    "blank-plan-number": 0.05,  # the plan's own number left blank
    "conflicting-citation-date": 0.05,  # one central document cited with another date
    "duplicate-indicator-number": 0.03,  # two items with the same number
}
_BLOCK_SPLIT = re.compile(r"\n\n(?=<)")


@dataclass
class Template:
    source: str
    province: str  # slug
    ward: str  # slug with kind, "phuong-doan-ket"
    ward_name: str  # "Đoàn Kết"
    province_name: str  # "Lai Châu"
    kind: str  # "phường"
    prefixes: str
    blocks: list[str]


@dataclass
class SynthResult:
    wards: int
    files: int
    triples_estimate: int
    defects: dict[str, list[str]] = field(default_factory=dict)  # kind -> plan files


def _split(text: str) -> tuple[str, list[str]]:
    head, _, body = text.partition("\n\n")
    if not head.startswith("@prefix"):
        head, body = "", text
    return head + "\n\n", [b.strip() for b in _BLOCK_SPLIT.split(body) if b.strip()]


def _templates(settings: Settings) -> tuple[list[Template], str, list[str]]:
    manifest = load_manifest(settings.sources_dir)
    out = []
    for info in manifest:
        path = settings.ttl_dir / plan_file_name(info)
        if not path.exists():
            raise PlangraphError(f"{path}: not built", "run `plangraph build` first")
        prefixes, blocks = _split(path.read_text(encoding="utf-8"))
        out.append(Template(info.file, slug(info.province), slug(f"{info.ward_kind} {info.ward}"), info.ward,
                            info.province, info.ward_kind, prefixes, blocks))
    doc_prefixes, doc_blocks = _split((settings.ttl_dir / "documents.ttl").read_text(encoding="utf-8"))
    return out, doc_prefixes, doc_blocks


def _names(rng: random.Random, n: int, groups: int) -> list[str]:
    """n two-syllable ward names, unique within each group (province) as ward names are in
    Vietnam, where the same name recurs across provinces. Plan i belongs to group i % groups."""
    seen: list[set[str]] = [set() for _ in range(groups)]
    capacity = len(_SYLLABLES) * (len(_SYLLABLES) - 1)
    if -(-n // groups) > capacity:
        raise PlangraphError(f"--wards {n}: at most {capacity * groups} synthetic wards", "use fewer wards")
    names = []
    for i in range(n):
        while True:
            first, second = rng.choice(_SYLLABLES), rng.choice(_SYLLABLES)
            name = f"{first} {second}"
            if first != second and name not in seen[i % groups]:
                seen[i % groups].add(name)
                names.append(name)
                break
    # Two names of a province that differ only by their diacritics ("Thạnh Phú", "Thanh Phú")
    # fold to one ward identifier, which would make two wards one. The later of the two is
    # drawn again, from a generator of its own, so that every other name stays as it was.
    redraw = random.Random(f"plangraph-synth-names-{n}-{groups}")
    taken: list[set[str]] = [set() for _ in range(groups)]
    for i in range(n):
        group = i % groups
        while slug(names[i]) in taken[group]:
            first, second = redraw.choice(_SYLLABLES), redraw.choice(_SYLLABLES)
            name = f"{first} {second}"
            if first != second and name not in seen[group] and slug(name) not in taken[group]:
                seen[group].add(name)
                names[i] = name
        taken[group].add(slug(names[i]))
    return names


def _scale(match: re.Match[str], factor: Decimal) -> str:
    value = Decimal(match.group(2))
    if value in (0, 100) or "." in match.group(2) and value < 1:
        return match.group(0)
    scaled = (value * factor).quantize(Decimal("0.1"))
    if value <= 100 < scaled:
        scaled = Decimal("100.0")
    # Always with a decimal point: in Turtle "6936" is an xsd:integer, and a target value is an
    # xsd:decimal (PG-IND-102).
    return f"{match.group(1)}{format(scaled, 'f')}"


def generate(settings: Settings, wards: int, seed: int, out_dir: Path,
             progress: Callable[[int, int], None] | None = None) -> SynthResult:
    """Write `wards` synthetic plans and their documents.ttl to `out_dir`/ttl, and the injected
    defects to `out_dir`/defects.json. The files are written in a folder beside ttl/ and put
    in its place when all are written: a failed or stopped run leaves the earlier ttl/ as it
    was. `progress(done, total)` hears after each plan."""
    if wards < 1:
        raise PlangraphError("--wards must be at least 1", "e.g. --wards 330")
    out_dir = Path(out_dir)
    if out_dir.resolve() == settings.data_dir.resolve() or (out_dir / "ttl").resolve() == settings.ttl_dir.resolve():
        raise PlangraphError(f"{out_dir}: is the data folder the synthetic plans are made from",
                             "choose another folder, e.g. --out build/synth")
    rng = random.Random(seed)
    templates, doc_prefixes, doc_blocks = _templates(settings)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".ttl-", dir=out_dir))
    except OSError as exc:
        raise PlangraphError(f"{out_dir}: cannot write there: {exc.strerror or exc}",
                             "choose a folder you can write to, e.g. --out build/synth") from exc
    try:
        result = _write(work, wards, rng, templates, doc_prefixes, doc_blocks, progress)
        defects = work / "defects.json"
        defects.write_text(json.dumps(result.defects, ensure_ascii=False, indent=1), encoding="utf-8")
        ttl, old = out_dir / "ttl", out_dir / f".ttl-old-{os.getpid()}"
        if ttl.exists():
            ttl.rename(old)
        try:
            (work / "ttl").rename(ttl)
        except OSError:
            if old.exists() and not ttl.exists():
                old.rename(ttl)  # the earlier plans back in place
            raise
        os.replace(defects, out_dir / "defects.json")
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise PlangraphError(f"{out_dir}: cannot write the synthetic plans: {exc.strerror or exc}",
                             "free some space or choose another folder (--out)") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _write(work: Path, wards: int, rng: random.Random, templates: list[Template], doc_prefixes: str,
           doc_blocks: list[str], progress: Callable[[int, int], None] | None) -> SynthResult:
    ttl = work / "ttl"
    ttl.mkdir()
    provinces = [(p, slug(p)) for p in PROVINCES]
    names = _names(rng, wards, len(provinces))
    result = SynthResult(wards, 0, 0, {k: [] for k in DEFECTS})
    local_docs: dict[str, set[str]] = {}  # province slug -> template provinces whose local documents it needs
    # A ward's own documents and bodies (in documents.ttl, as in the real build): each synthetic
    # plan gets its template's, under its own identifiers.
    own_blocks = {t.source: [b for b in doc_blocks if _is_own(b, t)] for t in templates}
    own: list[str] = []
    lines = 0
    for i in range(wards):
        t = templates[i % len(templates)]
        pname, pslug = provinces[i % len(provinces)]
        kind = "phường" if i % 3 == 0 else "xã"
        wname = names[i]
        wslug = slug(f"{kind} {wname}")
        key = f"s{i + 1:04d}"
        local_docs.setdefault(pslug, set()).add(t.province)
        text = t.prefixes + "\n\n".join(t.blocks) + "\n"
        text = _rewrite(text, t, pslug, pname, wslug, wname, kind, key)
        own.extend(_rewrite(b, t, pslug, pname, wslug, wname, kind, key) for b in own_blocks[t.source])
        factor = Decimal(str(round(rng.uniform(0.9, 1.1), 2)))
        text = re.sub(r"(pg:targetValue |pg:targetValueMax )([0-9]+(?:\.[0-9]+)?)", lambda m: _scale(m, factor), text)
        fname = f"{pslug}_{wslug}_{key}.ttl"
        text = _inject(text, rng, fname, result)
        (ttl / fname).write_text(text, encoding="utf-8")
        lines += text.count(" ;\n") + text.count(" .\n")
        result.files += 1
        if progress:
            progress(i + 1, wards)
    # Shared documents: central ones once; each template province's local ones per province using them.
    central = [b for b in doc_blocks if not _is_local(b, templates)]
    shared = [*central]
    for pslug, sources in sorted(local_docs.items()):
        pname = next(p for p, s in provinces if s == pslug)
        for tprov in sorted(sources):
            t = next(x for x in templates if x.province == tprov)
            for b in doc_blocks:
                if _is_local(b, [t]) and not _is_own(b, t):
                    shared.append(_rewrite_province(b, t, pslug, pname))
    shared.extend(own)
    (ttl / "documents.ttl").write_text(doc_prefixes + "\n\n".join(shared) + "\n", encoding="utf-8")
    result.files += 1
    result.triples_estimate = lines + len(shared) * 8
    return result


def _is_local(block: str, templates: list[Template]) -> bool:
    subject = block.split(" ", 1)[0]
    return any(f"/id/doc/{t.province}/" in subject or f"/id/body/{t.province}/" in subject for t in templates)


def _is_own(block: str, t: Template) -> bool:
    """A document or issuing body of the template's ward itself."""
    subject = block.split(" ", 1)[0]
    return f"/id/doc/{t.province}/{t.ward}/" in subject or f"/id/body/{t.province}/{t.ward}/" in subject


def _rewrite_province(text: str, t: Template, pslug: str, pname: str) -> str:
    text = text.replace(f"/id/doc/{t.province}/", f"/id/doc/{pslug}/").replace(f"/id/body/{t.province}/", f"/id/body/{pslug}/")
    text = text.replace(f"/id/province/{t.province}>", f"/id/province/{pslug}>").replace(f"/id/unit/{t.province}/", f"/id/unit/{pslug}/")
    return text.replace(t.province_name, pname).replace(fold(t.province_name), fold(pname))


def _rewrite(text: str, t: Template, pslug: str, pname: str, wslug: str, wname: str, kind: str, key: str) -> str:
    # Plan-scoped identifiers first (they contain the ward), then the province-scoped ones.
    text = re.sub(rf"/id/plan/{t.province}/{t.ward}/[^/>]+/", f"/id/plan/{pslug}/{wslug}/{key}/", text)
    text = text.replace(f"/id/doc/{t.province}/{t.ward}/", f"/id/doc/{pslug}/{wslug}/")
    text = text.replace(f"/id/body/{t.province}/{t.ward}/", f"/id/body/{pslug}/{wslug}/")
    text = text.replace(f"/id/unit/{t.province}/{t.ward}", f"/id/unit/{pslug}/{wslug}")
    text = text.replace(f"/unnumbered/", f"/unnumbered/{key}-")
    # Each synthetic plan has its own source file node: shared, it would say that every plan
    # made from one template came from the same file.
    text = text.replace("/id/source/", f"/id/source/{key}-")
    text = _rewrite_province(text, t, pslug, pname)
    text = text.replace(f"{t.kind} {t.ward_name}", f"{kind} {wname}").replace(f"{t.kind.capitalize()} {t.ward_name}", f"{kind.capitalize()} {wname}")
    text = text.replace(t.ward_name, wname).replace(fold(t.ward_name), fold(wname))
    # Ward-level documents are the ward's own: give them the synthetic plan's key so two wards
    # made from one template never share a number.
    return text.replace(f"/id/doc/{pslug}/{wslug}/", f"/id/doc/{pslug}/{wslug}/{key}-")


def _inject(text: str, rng: random.Random, fname: str, result: SynthResult) -> str:
    roll = rng.random()
    acc = 0.0
    for kind, rate in DEFECTS.items():
        acc += rate
        if roll >= acc:
            continue
        new = _apply(kind, text, rng)
        if new != text:
            result.defects[kind].append(fname)
            return new
        break
    return text


def _apply(kind: str, text: str, rng: random.Random) -> str:
    if kind == "blank-plan-number":
        # the plan's block (typed pg:Plan) loses its number line
        m = re.search(r"\n\n<[^>]+> a pg:Plan\b.*?(?=\n\n<|\Z)", text, flags=re.S)
        if not m or "pg:docNumber" not in m.group(0):
            return text
        block = re.sub(r"\n    pg:docNumber \"[^\"]*\" ;", "", m.group(0), count=1)
        return text[: m.start()] + block + text[m.end():]
    if kind == "conflicting-citation-date":
        dates = list(re.finditer(r"pg:citedDocument <https://w3id.org/plangraph/id/doc/[0-9][^/>]*> ;(?:\n    [^\n]*)*?\n    pg:statedDate \"(\d{4})-(\d\d)-(\d\d)\"", text))
        if not dates:
            return text
        m = rng.choice(dates)
        day = int(m.group(3)) % 28 + 1
        return text[: m.start(3)] + f"{day:02d}" + text[m.end(3):]
    if kind == "duplicate-indicator-number":
        numbers = list(re.finditer(r"pg:number \"(\d+)\" ;\n    pg:ordinal", text))
        if len(numbers) < 2:
            return text
        a, b = numbers[0], numbers[1]
        return text[: b.start(1)] + a.group(1) + text[b.end(1):]
    return text


def copy_reference_settings(settings: Settings, out_dir: Path) -> Settings:
    """Settings whose data directory is the synthetic output (sources stay the real ones)."""
    from dataclasses import replace

    return replace(settings, data_dir=out_dir)


__all__ = ["DEFECTS", "SynthResult", "generate", "BASE"]
