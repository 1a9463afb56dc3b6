"""Measure the extractor alone (no curation) against the hand-checked expectations:
precision, recall and F1 per record type."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .docnumber import parse
from .extract.records import Extraction, Indicator
from .extract.units import unit_key


@dataclass
class Score:
    expected: int = 0
    extracted: int = 0
    correct: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.expected += other.expected
        self.extracted += other.extracted
        self.correct += other.correct
        self.misses += other.misses
        self.extras += other.extras


def _num(text: str | None) -> str | None:
    if not text:
        return None
    n = parse(text)
    return n.identity_text if n else text


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-9


def score_citations(exp: dict[str, Any], ext: Extraction) -> Score:
    s = Score(len(exp.get("citations", [])), len(ext.citations))
    pool = list(ext.citations)
    for c in exp.get("citations", []):
        hit = next(
            (x for x in pool if _num(x.number) == _num(c["number"]) and abs(x.span.line_start - c["line"]) <= 2
             and (x.date or None) == (c.get("date") or None) and x.role == c.get("role")), None)
        if hit is not None:
            pool.remove(hit)
            s.correct += 1
        else:
            s.misses.append(f"{exp['source']}:{c['line']} {c['number']} {c.get('date')} {c.get('role')}")
    s.extras = [f"{ext.source}:{x.span.line_start} {x.number} {x.date} {x.role}" for x in pool]
    return s


def match_indicators(exp: dict[str, Any], ext: Extraction) -> dict[int, Indicator]:
    """Expected indicator index -> the extracted indicator stating the same target."""
    pool = list(ext.indicators)
    pairs: dict[int, Indicator] = {}
    for i, e in enumerate(exp.get("indicators", [])):
        cands = [x for x in pool if _close(x.target.value, e.get("value")) and (x.target.unit or None) == (e.get("unit") or None)
                 and (x.no == e.get("no") or (x.no is None and e.get("no") is None) or
                      (x.appendix and str(x.appendix.get("no")) == str(e.get("no"))))]
        cands.sort(key=lambda x: abs(x.span.line_start - e["line"]))
        if cands and abs(cands[0].span.line_start - e["line"]) <= 6:
            pairs[i] = cands[0]
            pool.remove(cands[0])
    return pairs


def score_indicators(exp: dict[str, Any], ext: Extraction) -> Score:
    expected = exp.get("indicators", [])
    pairs = match_indicators(exp, ext)
    s = Score(len(expected), len(ext.indicators), len(pairs))
    s.misses = [f"{exp['source']}:{e['line']} ({e.get('no')}.{e.get('part')}) {e.get('comparator')} {e.get('value')} {e.get('unit')} {e['name'][:50]}"
                for i, e in enumerate(expected) if i not in pairs]
    used = {id(x) for x in pairs.values()}
    s.extras = [f"{ext.source}:{x.span.line_start} ({x.no}.{x.part}) {x.target.comparator} {x.target.value} {x.target.unit} {x.name[:50]}"
                for x in ext.indicators if id(x) not in used]
    return s


def score_indicator_fields(exp: dict[str, Any], ext: Extraction) -> dict[str, Score]:
    """Among matched indicators: how often each further field is right."""
    out = {k: Score() for k in ("comparator", "value_max", "periodicity", "target_year", "concept")}
    for i, x in match_indicators(exp, ext).items():
        e = exp["indicators"][i]
        for key, got in (("comparator", x.target.comparator), ("value_max", x.target.value_max),
                         ("periodicity", x.target.periodicity), ("target_year", x.target.target_year), ("concept", x.concept)):
            if key == "concept" and "concept" not in e:
                continue
            want = e.get(key)
            sc = out[key]
            sc.expected += 1
            sc.extracted += 1
            ok = _close(got, want) if key == "value_max" else got == want
            if ok:
                sc.correct += 1
            else:
                sc.misses.append(f"{exp['source']}:{e['line']} ({e.get('no')}.{e.get('part')}) want {want} got {got}")
    return out


def score_assignments(exp: dict[str, Any], ext: Extraction) -> Score:
    pairs = match_indicators(exp, ext)
    expected = exp.get("assignments", [])
    ind_by_key = {}
    for i, e in enumerate(exp.get("indicators", [])):
        ind_by_key[(e.get("no"), e.get("part"), e["line"])] = i

    def exp_target(a: dict[str, Any]) -> Any:
        t = a["target"]
        if t["kind"] == "task":
            idx = [i for i, et in enumerate(exp.get("tasks", [])) if str(et.get("no")) == str(t.get("no"))
                   and (t.get("line") is None or et["line"] == t.get("line"))]
            return ("task", idx[0] if idx else f"unknown-{t.get('no')}")
        cands = [i for i, e in enumerate(exp.get("indicators", []))
                 if (t.get("line") is None or e["line"] == t.get("line")) and str(e.get("no")) == str(t.get("no")) and e.get("part", 1) == t.get("part", 1)]
        if not cands and t.get("line") is not None:
            cands = [i for i, e in enumerate(exp.get("indicators", [])) if e["line"] == t.get("line") and e.get("part", 1) == t.get("part", 1)]
        if not cands:
            cands = [i for i, e in enumerate(exp.get("indicators", [])) if str(e.get("no")) == str(t.get("no"))]
        if not cands:
            return ("indicator", None)
        x = pairs.get(cands[0])
        return ("indicator", id(x) if x is not None else f"unmatched-{cands[0]}")

    tasks_by_key = {t.key: t for t in ext.tasks}
    task_pairs = match_tasks(exp, ext)

    def ext_target(a: Any) -> Any:
        if a.target_kind == "task":
            t = tasks_by_key.get(a.target)
            return ("task", task_pairs.get(id(t)) if t is not None else None)
        x = next((i for i in ext.indicators if i.key == a.target), None)
        return ("indicator", id(x) if x is not None else None)

    got = [(unit_key(a.unit), a.role, ext_target(a)) for a in ext.assignments]
    want = [(unit_key(a["unit"]), a["role"], exp_target(a)) for a in expected]
    s = Score(len(set(want)), len(set(got)))
    gs = set(got)
    for w in sorted(set(want), key=str):
        if w in gs:
            s.correct += 1
        else:
            s.misses.append(f"{exp['source']} {w}")
    s.extras = [f"{ext.source} {g}" for g in sorted(gs - set(want), key=str)]
    return s


def match_tasks(exp: dict[str, Any], ext: Extraction) -> dict[int, int]:
    """id(extracted task) -> index of the expected task it matches (same kind, same line)."""
    pairs: dict[int, int] = {}
    pool = list(ext.tasks)
    for i, t in enumerate(exp.get("tasks", [])):
        hit = next((x for x in pool if x.kind == t["kind"] and abs(x.span.line_start - t["line"]) <= 1), None)
        if hit:
            pool.remove(hit)
            pairs[id(hit)] = i
    return pairs


def score_tasks(exp: dict[str, Any], ext: Extraction) -> Score:
    s = Score(len(exp.get("tasks", [])), len(ext.tasks))
    pool = list(ext.tasks)
    for t in exp.get("tasks", []):
        hit = next((x for x in pool if x.kind == t["kind"] and abs(x.span.line_start - t["line"]) <= 1), None)
        if hit:
            pool.remove(hit)
            s.correct += 1
        else:
            s.misses.append(f"{exp['source']}:{t['line']} {t['kind']} {t.get('no')} {t['name'][:50]}")
    s.extras = [f"{ext.source}:{x.span.line_start} {x.kind} {x.no} {x.name[:50]}" for x in pool]
    return s


def score_units(exp: dict[str, Any], ext: Extraction) -> Score:
    want = {unit_key(u["name"]) for u in exp.get("units", [])}
    got = {unit_key(u.name) for u in ext.units}
    s = Score(len(want), len(got), len(want & got))
    s.misses = [f"{exp['source']} {u}" for u in sorted(want - got)]
    s.extras = [f"{ext.source} {u}" for u in sorted(got - want)]
    return s


SCORERS = {
    "citations": score_citations, "indicators": score_indicators, "assignments": score_assignments,
    "tasks": score_tasks, "units": score_units,
}


def evaluate(expectations: dict[str, dict[str, Any]], extractions: dict[str, Extraction]) -> dict[str, Score]:
    totals = {k: Score() for k in SCORERS}
    fields: dict[str, Score] = {}
    for source, exp in expectations.items():
        ext = extractions[source]
        for kind, fn in SCORERS.items():
            totals[kind].add(fn(exp, ext))
        for k, sc in score_indicator_fields(exp, ext).items():
            fields.setdefault(f"indicator.{k}", Score()).add(sc)
    totals.update(fields)
    return totals
