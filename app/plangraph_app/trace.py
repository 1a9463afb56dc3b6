"""Truy vết / Trace: a document down to plans, tasks, indicators and units (`trace-down`),
or an indicator up to the documents behind it (`trace-up`)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from plangraph.query.catalog import get_query, run
from plangraph.store import Store

from .graphs import KIND_NAMES, Graph, Node
from .i18n import bilingual, pick
from .sources import Source, SourceIndex
from .tables import split_list

DEFAULT_DOCUMENT = get_query("trace-down").param("document").default
DEFAULT_CONCEPT = get_query("trace-up").param("concept").default


def down(store: Store, document: str, ward: str | None = None) -> list[dict[str, Any]]:
    params = {"document": document}
    if ward:
        params["ward"] = ward
    return run(store, "trace-down", params).values()


def up(store: Store, concept: str | None = None, indicator: str | None = None, ward: str | None = None) -> list[dict[str, Any]]:
    params: dict[str, str] = {}
    if indicator:
        params["indicator"] = indicator
    elif concept:
        params["concept"] = concept
    if ward:
        params["ward"] = ward
    return run(store, "trace-up", params).values()


def down_summary(rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Distinct plans (wards), tasks, indicators and responsible units reached from a document;
    a ward is its IRI (names recur across provinces)."""
    plans = {_ward(r) for r in rows}
    tasks = {r.get("item_iri") for r in rows if r.get("link_code") in ("implements", "drives-task")}
    indicators = {r.get("item_iri") for r in rows if r.get("link_code") in ("drives-indicator", "serves-indicator")}
    units = {(_ward(r), u) for r in rows for u in split_list(r.get("units"), ("; ",))}
    return {"plans": len(plans), "tasks": len(tasks), "indicators": len(indicators), "units": len(units)}


def _ward(row: Mapping[str, Any]) -> Any:
    return row.get("ward_iri") or row.get("ward")


def up_summary(rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    indicators = {r.get("indicator_iri") for r in rows}
    documents = {r.get("to_iri") for r in rows if r.get("step") and int(r["step"]) >= 2}
    central = {r.get("to_iri") for r in rows if (r.get("level") or "").startswith("Trung ương")}
    wards = {_ward(r) for r in rows}
    return {"indicators": len(indicators), "documents": len(documents), "central": len(central), "wards": len(wards)}


def node_choices(g: Graph, lang: str = "vi", skip_kinds: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(node id, "Kind · label") for a node-details picker, in graph order."""
    out = []
    for n in g.nodes.values():
        if n.kind in skip_kinds:
            continue
        kind = pick(lang, *KIND_NAMES.get(n.kind, (n.kind, n.kind)))
        ward = n.data.get("ward")
        suffix = f" ({ward})" if ward and ward not in n.label else ""
        out.append((n.id, f"{kind} · {n.label}{suffix}"))
    return out


def node_details(node: Node, index: SourceIndex, lang: str = "vi") -> tuple[dict[str, Any], Source | None]:
    """What a node's details card shows, and its source excerpt when it has one (`index`: a
    SourceIndex, or anything with its `get` and `plan_of`)."""
    d = node.data
    details: dict[str, Any] = {pick(lang, "Loại", "Kind"): pick(lang, *KIND_NAMES.get(node.kind, (node.kind, node.kind)))}
    fields = [("ward", ("Phường", "Ward")), ("level", ("Cấp", "Level")), ("link", ("Liên kết", "Link")),
              ("reason", ("Lý do liên kết", "Why linked")), ("section", ("Mục", "Section")),
              ("domain", ("Lĩnh vực", "Domain")), ("units", ("Đơn vị chịu trách nhiệm", "Responsible units"))]
    for key, (vi, en) in fields:
        if d.get(key):
            details[pick(lang, vi, en)] = bilingual(str(d[key]), lang)
    src = index.get(d.get("iri"))
    if src is None and node.kind == "plan" and d.get("ward"):
        src = index.plan_of(d["ward"], d.get("ward_iri"))
    return details, src


def split_document_label(label: str) -> tuple[str, str | None]:
    """"57-NQ/TW · Nghị quyết 57-NQ/TW (Trung ương)" -> ("Nghị quyết 57-NQ/TW", "Trung ương");
    the picker label of `choices(store, "document")` read back into a name and a level."""
    name = label.split(" · ", 1)[-1]
    level = None
    if name.endswith(")") and " (" in name:
        name, _, rest = name.rpartition(" (")
        level = rest.rstrip(")").split(",")[0].strip() or None
    return name, level
