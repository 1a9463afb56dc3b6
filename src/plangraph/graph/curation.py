"""Human-reviewed corrections (data/curation/*.yaml) applied after extraction.

Nothing in data/ttl is edited by hand: every change lives here, with its reason, and the
build records it in the graph as a pg:Correction next to the untouched source quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CurationError
from ..extract.records import Assignment, Citation, Extraction, Indicator, SourceSpan, Target
from ..extract.units import canonical_unit
from ..yamlio import load_yaml

_TARGET_FIELDS = {"comparator", "value", "value_max", "of_total", "unit", "periodicity", "target_year", "qualitative"}
_INDICATOR_FIELDS = {"no", "part", "name", "concept", "origin", "domain"}


@dataclass
class Correction:
    """One applied curation entry, kept in the graph as an attributed statement."""

    file: str
    kind: str  # indicator | citation | assignment | plan | concept
    record: str  # key of the record corrected (or added)
    prop: str
    original: Any
    corrected: Any
    reason: str


@dataclass
class Curation:
    by_source: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # identity decisions
    unit_aliases: dict[str, str] = field(default_factory=dict)  # folded alias -> canonical


def load(folder: Path) -> Curation:
    cur = Curation()
    if not folder.is_dir():
        return cur
    for path in sorted(folder.glob("*.yaml")):
        data = load_yaml(path, CurationError) or {}
        if not isinstance(data, dict):
            raise CurationError(f"{path}: expected a mapping at the top level", "see data/curation/README.md")
        if path.name == "documents.yaml":
            for i, d in enumerate(data.get("decisions", [])):
                if "number" not in d or "reason" not in d:
                    raise CurationError(f"{path}: decision {i + 1} needs 'number' and 'reason'", "see data/curation/README.md")
                key = f"{d['source']}:{d['line']}:{d['number']}" if d.get("source") else d["number"]
                cur.documents[key] = d
        elif path.name == "units.yaml":
            from ..text import fold

            for canon, aliases in (data.get("aliases") or {}).items():
                for a in aliases:
                    cur.unit_aliases[fold(a)] = canon
        else:
            if "source" not in data:
                raise CurationError(f"{path}: missing 'source'", "name the source file the corrections apply to")
            data["_file"] = path.name
            cur.by_source[data["source"]] = data
    return cur


def apply(ext: Extraction, cur: Curation, lines: list[str] | None = None) -> list[Correction]:
    """Apply the curation of one source to its extraction, in place. `lines` (the source's
    lines) give records added without a quote the text of their line."""
    data = cur.by_source.get(ext.source)
    if not data:
        return []

    def quote_of(entry: dict[str, Any]) -> str:
        line = int(entry.get("line") or 0)
        if entry.get("quote"):
            return entry["quote"]
        return " ".join(lines[line - 1].split()) if lines and 0 < line <= len(lines) else ""
    fname = f"data/curation/{data['_file']}"
    out: list[Correction] = []
    by_key = {i.key: i for i in ext.indicators}

    def need(entry: dict[str, Any], key: str) -> Any:
        if key not in entry:
            raise CurationError(f"{fname}: entry {entry!r} needs '{key}'", "see data/curation/README.md")
        return entry[key]

    for entry in data.get("plan", []) or []:
        prop, value = need(entry, "set"), entry.get("value")
        out.append(Correction(fname, "plan", "plan", prop, getattr(ext.plan, prop, None), value, need(entry, "reason")))
        setattr(ext.plan, prop, value)

    for entry in data.get("indicators", []) or []:
        reason = need(entry, "reason")
        if "add" in entry:
            ind = _new_indicator(ext, entry["add"], fname)
            ext.indicators.append(ind)
            by_key[ind.key] = ind
            out.append(Correction(fname, "indicator", ind.key, "added", None, ind.name, reason))
            continue
        key = need(entry, "key")
        ind = by_key.get(key)
        if ind is None:
            raise CurationError(f"{fname}: no indicator with key {key!r} in {ext.source}", "run `plangraph extract` to see the keys")
        if entry.get("drop"):
            ext.indicators.remove(ind)
            ext.assignments = [a for a in ext.assignments if not (a.target_kind == "indicator" and a.target == key)]
            out.append(Correction(fname, "indicator", key, "dropped", ind.name, None, reason))
            continue
        for prop, value in (entry.get("set") or {}).items():
            if prop in _TARGET_FIELDS:
                old = getattr(ind.target, prop)
                setattr(ind.target, prop, value)
            elif prop in _INDICATOR_FIELDS:
                old = getattr(ind, prop)
                setattr(ind, prop, value)
            else:
                raise CurationError(f"{fname}: unknown indicator field {prop!r}", f"use one of {sorted(_TARGET_FIELDS | _INDICATOR_FIELDS)}")
            out.append(Correction(fname, "indicator", key, prop, old, value, reason))

    for entry in data.get("citations", []) or []:
        reason = need(entry, "reason")
        if "add" in entry:
            c = entry["add"]
            cit = Citation(
                number=need(c, "number"), doc_type=c.get("doc_type", ""), issuer_code=c.get("issuer_code", ""),
                issuer=c.get("issuer"), scope=c.get("scope"), locality=c.get("locality"), locality_source="curation",
                date=_iso(c.get("date")), subject=c.get("subject"), role=c.get("role", "in-text"),
                span=SourceSpan(ext.source, need(c, "line"), c.get("line_end", c["line"]), need(c, "quote"), c.get("section", "")),
            )
            ext.citations.append(cit)
            out.append(Correction(fname, "citation", f"{cit.number}@{cit.span.line_start}", "added", None, cit.number, reason))
        elif "drop" in entry:
            d = entry["drop"]
            before = len(ext.citations)
            ext.citations = [c for c in ext.citations if not (c.number == d["number"] and c.span.line_start == d["line"])]
            if len(ext.citations) == before:
                raise CurationError(f"{fname}: no citation {d['number']} at line {d['line']}", "check the line")
            out.append(Correction(fname, "citation", f"{d['number']}@{d['line']}", "dropped", d["number"], None, reason))
        elif "match" in entry:
            m = entry["match"]
            hits = [c for c in ext.citations if c.number == m["number"] and c.span.line_start == m["line"]]
            if not hits:
                raise CurationError(f"{fname}: no citation {m['number']} at line {m['line']}", "check the line")
            for prop, value in (entry.get("set") or {}).items():
                out.append(Correction(fname, "citation", f"{m['number']}@{m['line']}", prop, getattr(hits[0], prop), value, reason))
                setattr(hits[0], prop, _iso(value) if prop == "date" else value)

    for entry in data.get("concepts", []) or []:
        key = need(entry, "key")
        ind = by_key.get(key)
        if ind is None:
            raise CurationError(f"{fname}: no indicator with key {key!r} in {ext.source}", "run `plangraph extract` to see the keys")
        out.append(Correction(fname, "concept", key, "concept", ind.concept, entry.get("concept"), need(entry, "reason")))
        ind.concept = entry.get("concept")

    for entry in data.get("assignments", []) or []:
        reason = need(entry, "reason")
        a = entry.get("add") or entry.get("drop")
        if a is None:
            raise CurationError(f"{fname}: assignment entry needs 'add' or 'drop'", "see data/curation/README.md")
        kind = a.get("kind", "indicator")
        target = need(a, "target")
        if kind == "indicator" and target not in by_key:
            raise CurationError(f"{fname}: no indicator with key {target!r}", "run `plangraph extract` to see the keys")
        unknown = set(a) - {"unit", "role", "kind", "target", "line", "quote", "unit_kind"}
        if unknown:
            raise CurationError(f"{fname}: assignment {a!r} has unknown fields {sorted(unknown)}",
                                "quote unit names that contain a comma")
        if (canon := canonical_unit(need(a, "unit"))) is not None:
            a["unit"], a["unit_kind"] = canon
        if "add" in entry:
            line = a.get("line", 0)
            ext.assignments.append(Assignment(need(a, "unit"), need(a, "role"), kind, target,
                                              SourceSpan(ext.source, line, line, quote_of(a), ""), a.get("unit_kind", "unit")))
            out.append(Correction(fname, "assignment", target, "added", None, f"{a['unit']} ({a['role']})", reason))
        else:
            before = len(ext.assignments)
            ext.assignments = [x for x in ext.assignments if not (x.unit == a["unit"] and x.role == a["role"] and x.target == target)]
            if len(ext.assignments) == before:
                raise CurationError(f"{fname}: no assignment {a!r}", "check unit, role and target")
            out.append(Correction(fname, "assignment", target, "dropped", f"{a['unit']} ({a['role']})", None, reason))
    return out


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _new_indicator(ext: Extraction, d: dict[str, Any], fname: str) -> Indicator:
    for k in ("name", "line", "quote", "comparator"):
        if k not in d:
            raise CurationError(f"{fname}: added indicator needs '{k}'", "see data/curation/README.md")
    target = Target(d["comparator"], d.get("value"), d.get("value_max"), d.get("of_total"), d.get("unit"),
                    d.get("periodicity"), d.get("target_year"), d.get("qualitative"))
    no = None if d.get("no") is None else str(d["no"])
    part = int(d.get("part", 1))
    group = next((g for g in ext.groups if g.key == d.get("group")), None)
    ind = Indicator(no, part, d["name"], group.key if group else d.get("group"), d.get("domain") or (group.domain if group else None),
                    d.get("origin") or (group.origin if group else None), target,
                    SourceSpan(ext.source, d["line"], d.get("line_end", d["line"]), d["quote"], d.get("section", "")),
                    concept=d.get("concept"))
    ind.key = d.get("key") or (f"{no}-{part}" if no else f"l{d['line']}-{part}")
    return ind
