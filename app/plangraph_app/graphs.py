"""Graph views as Graphviz DOT text (rendered by st.graphviz_chart in the browser).

Nodes carry a kind (document, plan, task, indicator, unit ...) that fixes their shape and
colour, a tooltip, and optionally a URL: clicking a node opens its details on the page.
"""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from .i18n import bilingual, pick
from .tables import split_list

STYLES: dict[str, str] = {
    "document": 'shape=note, style="filled", fillcolor="#1f4e79", fontcolor="white", color="#163a5c"',
    "central": 'shape=note, style="filled", fillcolor="#7f1d1d", fontcolor="white", color="#5f1515"',
    "provincial": 'shape=note, style="filled", fillcolor="#1f4e79", fontcolor="white", color="#163a5c"',
    "local": 'shape=note, style="filled", fillcolor="#4a7db3", fontcolor="white", color="#35638f"',
    "plan": 'shape=folder, style="filled", fillcolor="#dbe9f6", color="#4a7db3"',
    "task": 'shape=box, style="rounded,filled", fillcolor="#fff2cc", color="#bf9000"',
    "indicator": 'shape=box, style="rounded,filled", fillcolor="#e2f0d9", color="#548235"',
    "unit": 'shape=box, style="filled,diagonals", fillcolor="#efe3f7", color="#7030a0"',
    "ward": 'shape=box, style="rounded,filled,bold", fillcolor="#fde9d9", color="#c55a11"',
    "former": 'shape=ellipse, style="dashed,filled", fillcolor="#f7f7f7", color="#7f7f7f"',
    "source": 'shape=box, style="rounded,filled", fillcolor="#dbe9f6", color="#4a7db3"',
    "target": 'shape=box, style="rounded,filled", fillcolor="#e2f0d9", color="#548235"',
    "more": 'shape=box, style="dashed,filled", fillcolor="#f7f7f7", color="#7f7f7f", fontcolor="#404040"',
}
# Legend texts of the kinds, Vietnamese and English.
KIND_NAMES: dict[str, tuple[str, str]] = {
    "central": ("Văn bản trung ương", "Central document"),
    "provincial": ("Văn bản cấp tỉnh", "Provincial document"),
    "local": ("Văn bản cấp phường/huyện cũ", "Ward or former-district document"),
    "document": ("Văn bản", "Document"),
    "plan": ("Kế hoạch của phường", "Ward plan"),
    "task": ("Nhiệm vụ", "Task"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "unit": ("Đơn vị chịu trách nhiệm", "Responsible unit"),
    "ward": ("Phường", "Ward"),
    "former": ("Đơn vị cũ (trước sáp nhập)", "Former unit (before the merger)"),
    "more": ("Còn nữa: bấm để xem đủ phường đó", "More: click for that ward in full"),
}
WRAP = 30
MAX_LINES = 4


def node_id(key: str) -> str:
    """A short stable id for a node key (an IRI or a label): safe in DOT and in URLs."""
    return "n" + hashlib.blake2s(key.encode("utf-8"), digest_size=5).hexdigest()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def wrap(text: str, width: int = WRAP, max_lines: int = MAX_LINES) -> str:
    """A label as DOT lines ("\\n"-joined), cut with an ellipsis after max_lines."""
    lines = textwrap.wrap(" ".join(str(text).split()), width=width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1] + "…"
    return "\\n".join(_escape(line) for line in lines)


@dataclass
class Node:
    key: str
    label: str
    kind: str
    tooltip: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return node_id(self.key)


@dataclass
class Graph:
    rankdir: str = "LR"
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[tuple[str, str, str, str]] = field(default_factory=list)
    _ranks: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)

    def node(self, key: str, label: str, kind: str, tooltip: str = "", **data: Any) -> str:
        if key not in self.nodes:
            self.nodes[key] = Node(key, label, kind, tooltip or label, dict(data))
        else:
            self.nodes[key].data.update({k: v for k, v in data.items() if v is not None})
        return key

    def edge(self, a: str, b: str, label: str = "", style: str = "", rank: int = 0) -> None:
        """One edge per pair of nodes: a labelled or higher-`rank` edge replaces a plain one."""
        for i, (x, y, old_label, old_style) in enumerate(self.edges):
            if (x, y) == (a, b):
                if (label and not old_label) or rank > self._ranks.get((a, b), 0):
                    self.edges[i] = (a, b, label or old_label, style if rank >= self._ranks.get((a, b), 0) else old_style)
                    self._ranks[(a, b)] = max(rank, self._ranks.get((a, b), 0))
                return
        self.edges.append((a, b, label, style))
        self._ranks[(a, b)] = rank

    def find(self, node_id_: str) -> Node | None:
        for n in self.nodes.values():
            if n.id == node_id_:
                return n
        return None

    def kinds(self) -> list[str]:
        seen: list[str] = []
        for n in self.nodes.values():
            if n.kind not in seen:
                seen.append(n.kind)
        return seen

    def to_dot(self, url_for: Callable[[Node], str | None] | None = None) -> str:
        # The DOT names (the SVG's <title>s) change with the graph's shape: the browser then
        # draws a changed graph afresh instead of matching its old boxes to the new ones one
        # by one (d3-graphviz's update), which cost it a third more. Node.id (in URLs and
        # pickers) stays stable.
        salt = hashlib.blake2s("\n".join([*self.nodes, *(f"{a}>{b}" for a, b, _l, _s in self.edges)]).encode("utf-8"),
                               digest_size=3).hexdigest()

        def name(key: str) -> str:
            return f"g{salt}{node_id(key)}"

        lines = [
            "digraph G {",
            f'  rankdir={self.rankdir}; bgcolor="transparent"; nodesep=0.18; ranksep=0.9;',
            '  node [fontname="Helvetica", fontsize=11, margin="0.12,0.06"];',
            '  edge [fontname="Helvetica", fontsize=9, color="#7f7f7f", fontcolor="#404040", arrowsize=0.7];',
        ]
        for n in self.nodes.values():
            attrs = [f'label="{wrap(n.label)}"', STYLES.get(n.kind, STYLES["source"]),
                     f'tooltip="{_escape(" ".join(n.tooltip.split()))[:400]}"']
            url = url_for(n) if url_for else None
            if url:
                attrs.append(f'URL="{_escape(url)}", target="_self"')
            lines.append(f"  {name(n.key)} [{', '.join(attrs)}];")
        for a, b, label, style in self.edges:
            attrs = []
            if label:
                attrs.append(f'label="{wrap(label, 22, 2)}"')
            if style:
                attrs.append(style)
            lines.append(f"  {name(a)} -> {name(b)}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
        lines.append("}")
        return "\n".join(lines)


def level_kind(level: str | None) -> str:
    text = (level or "").lower()
    if "trung ương" in text:
        return "central"
    if "tỉnh" in text:
        return "provincial"
    if text:
        return "local"
    return "document"


# ---------------------------------------------------------------------------- trace

LINK_WORDS = {
    "basis": ("căn cứ", "basis"),
    "in-text": ("viện dẫn", "cited in text"),
    "implements": ("nhiệm vụ thực hiện", "task implementing it"),
    "drives-task": ("định hướng nhiệm vụ", "drives task"),
    "drives-indicator": ("định hướng chỉ tiêu", "drives indicator"),
    "serves-indicator": ("chỉ tiêu được phục vụ", "indicator served"),
}
# When a task both implements a document and is driven by it, one edge shows, the stronger.
EDGE_RANK = {"implements": 3, "serves-indicator": 2, "drives-indicator": 1, "drives-task": 1}
EDGE_STYLE = {
    "implements": 'color="#bf9000", penwidth=1.4',
    "drives-task": 'color="#bf9000", style="dashed"',
    "drives-indicator": 'color="#548235", style="dashed"',
    "serves-indicator": 'color="#548235"',
}


# All wards at once: at most this many tasks and indicators per plan on the graph, the rest
# behind a "+ N more" box opening that ward (57-NQ/TW reaches 44 items in five plans; a
# 53-node graph took the browser longer to draw than a page interaction has).
MAX_ITEMS_PER_PLAN = 6


def _ward_key(r: Mapping[str, Any]) -> str:
    """A row's ward: its IRI (names recur across provinces), else its name."""
    return r.get("ward_iri") or r.get("ward") or ""


def _item_key(r: Mapping[str, Any]) -> str:
    return r.get("item_iri") or f"item:{_ward_key(r)}:{r.get('item')}"


def hidden_items(rows: Sequence[Mapping[str, Any]], max_items: int | None) -> dict[str, dict[str, Any]]:
    """Per ward (its IRI), the items `trace_down` leaves off with `max_items`: {ward IRI:
    {"keys", "tasks", "indicators", "ward", "ward_iri"}}. The strongest links (tasks
    implementing the document, then the indicators they serve, then driven items) are drawn
    first, in the plan's order; a single item over the limit is drawn rather than hidden."""
    if not max_items:
        return {}
    items: dict[str, dict[str, tuple[int, int, str]]] = {}
    for i, r in enumerate(rows):
        code = r.get("link_code") or ""
        if code in ("basis", "in-text"):
            continue
        key = _item_key(r)
        kind = "indicators" if code in ("drives-indicator", "serves-indicator") else "tasks"
        rank = (-EDGE_RANK.get(code, 0), i, kind)
        ward_items = items.setdefault(_ward_key(r), {})
        if key not in ward_items or rank < ward_items[key]:
            ward_items[key] = rank
    out: dict[str, dict[str, Any]] = {}
    for ward_key, ward_items in items.items():
        if len(ward_items) <= max_items + 1:
            continue
        ordered = sorted(ward_items, key=ward_items.get)
        hidden = ordered[max_items:]
        first = next(r for r in rows if _ward_key(r) == ward_key)
        out[ward_key] = {"keys": set(hidden), "ward": first.get("ward"), "ward_iri": first.get("ward_iri"),
                     "tasks": sum(1 for k in hidden if ward_items[k][2] == "tasks"),
                     "indicators": sum(1 for k in hidden if ward_items[k][2] == "indicators")}
    return out


def more_label(hidden: Mapping[str, Any], lang: str = "vi") -> str:
    """"+ 12 chỉ tiêu, 3 nhiệm vụ khác" / "+ 12 indicators, 3 tasks more": what a "more" node stands for."""
    n_ind, n_task = hidden["indicators"], hidden["tasks"]
    if lang == "en":
        parts = [f"{n_ind} indicator" + ("s" if n_ind > 1 else "")] if n_ind else []
        parts += [f"{n_task} task" + ("s" if n_task > 1 else "")] if n_task else []
        return "+ " + ", ".join(parts) + " more"
    parts = ([f"{n_ind} chỉ tiêu"] if n_ind else []) + ([f"{n_task} nhiệm vụ"] if n_task else [])
    return "+ " + ", ".join(parts) + " khác"


def trace_down(rows: Sequence[Mapping[str, Any]], document_key: str, document_label: str, level: str | None = None,
               lang: str = "vi", with_units: bool = True, max_items: int | None = None) -> Graph:
    """document -> plans (per ward) -> tasks and indicators -> responsible units.

    With `max_items`, each plan shows at most that many items and one "more" node (kind
    "more", carrying the ward's IRI) for the rest (see `hidden_items`). A plan is its ward's
    (by IRI): two wards of one name are two plans; the rows' `ward` is what the graph shows
    (with the province added where names are shared: `Directory.named`)."""
    hidden = hidden_items(rows, max_items)
    g = Graph()
    doc = g.node(document_key, document_label, level_kind(level), iri=document_key)
    for r in rows:
        via = r.get("via_number")
        top = doc
        if via:
            top = g.node(f"via:{via}", via, "document", pick(lang, f"Văn bản triển khai {document_label}",
                                                         f"Document implementing {document_label}"))
            g.edge(doc, top, pick(lang, "được triển khai bởi", "implemented by"), 'style="dashed"')
        ward_key = _ward_key(r)
        plan_key = f"plan:{ward_key}"
        plan = g.node(plan_key, f"{r.get('plan')} – {r.get('ward')}", "plan", ward=r.get("ward"), ward_iri=r.get("ward_iri"))
        code = r.get("link_code") or ""
        if code in ("basis", "in-text"):
            vi, en = LINK_WORDS[code]
            g.edge(top, plan, pick(lang, vi, en))
            continue
        g.edge(top, plan)
        item_key = _item_key(r)
        if item_key in hidden.get(ward_key, {}).get("keys", ()):
            continue
        kind = "indicator" if code in ("drives-indicator", "serves-indicator") else "task"
        item = g.node(item_key, r.get("item") or "", kind, r.get("reason") or "", iri=r.get("item_iri"),
                      ward=r.get("ward"), link=r.get("link"), reason=r.get("reason"), section=r.get("section"),
                      units=r.get("units"), domain=r.get("domain"))
        vi, en = LINK_WORDS.get(code, (r.get("link") or "", r.get("link") or ""))
        g.edge(plan, item, "", EDGE_STYLE.get(code, ""), rank=EDGE_RANK.get(code, 0))
        if with_units:
            for u in split_list(r.get("units"), ("; ",)):
                unit = g.node(f"unit:{ward_key}:{u}", u, "unit", f"{u} – {r.get('ward')}", ward=r.get("ward"))
                g.edge(item, unit, "", 'style="dotted", arrowhead="none"')
    for ward_key, h in hidden.items():
        ward = h["ward"]
        more = g.node(f"more:{ward_key}", more_label(h, lang), "more",
                      pick(lang, f"Bấm để xem đủ sơ đồ của phường {ward}", f"Click for the full graph of {ward}"),
                      ward=ward, ward_iri=h["ward_iri"], hidden=len(h["keys"]))
        g.edge(f"plan:{ward_key}", more, "", 'style="dashed"')
    return g


UP_STYLE = {
    "in-plan": 'color="#4a7db3"',
    "basis": 'color="#1f4e79"',
    "driven": 'color="#548235", style="dashed", penwidth=1.3',
    "implements": 'color="#7f1d1d", style="dotted", penwidth=1.3',
}
# Legend of the edges of `trace_up`, Vietnamese and English.
UP_EDGES = {
    "in-plan": ("chỉ tiêu thuộc kế hoạch", "indicator in plan"),
    "basis": ("kế hoạch căn cứ vào văn bản", "plan based on document"),
    "driven": ("văn bản định hướng chỉ tiêu", "document drives indicator"),
    "implements": ("văn bản triển khai văn bản cấp trên", "document implements a higher one"),
}


def up_relation(relation: str | None) -> str:
    text = relation or ""
    if text.startswith("thuộc"):
        return "in-plan"
    if text.startswith("căn cứ"):
        return "basis"
    if "định hướng" in text:
        return "driven"
    return "implements"


def trace_up(rows: Sequence[Mapping[str, Any]], lang: str = "vi") -> Graph:
    """indicator -> its plan -> the documents driving it or the plan, -> the documents those implement."""
    g = Graph()
    for r in rows:
        relation = up_relation(r.get("relation"))
        from_key = r.get("from_iri") or f"from:{r.get('from')}"
        to_key = r.get("to_iri") or f"to:{r.get('to')}"
        if r.get("from_iri") and r.get("from_iri") == r.get("indicator_iri"):
            g.node(from_key, f"{r.get('from')} ({r.get('ward')})", "indicator", iri=r.get("from_iri"), ward=r.get("ward"))
        elif relation == "basis":
            g.node(from_key, r.get("from") or "", "plan", iri=r.get("from_iri"), ward=r.get("ward"))
        else:
            g.node(from_key, r.get("from") or "", "document", iri=r.get("from_iri"))
        to_kind = "plan" if relation == "in-plan" else level_kind(r.get("level"))
        tip = " · ".join(x for x in (r.get("level"), r.get("reason")) if x)
        g.node(to_key, r.get("to") or "", to_kind, tip, iri=r.get("to_iri"), level=r.get("level"))
        g.edge(from_key, to_key, "", UP_STYLE[relation])
    return g


def edges(rows: Sequence[Mapping[str, Any]], source: str, target: str, edge: str | None = None,
          lang: str = "vi", limit: int = 200) -> Graph:
    """A generic graph of a result: one edge per row from its `source` to its `target` value."""
    g = Graph()
    for r in rows[:limit]:
        s, t = r.get(source), r.get(target)
        if s is None or t is None:
            continue
        sk, tk = f"s:{s}", f"t:{t}"
        g.node(sk, str(s), "source", **({"iri": r.get(f"{source}_iri")} if r.get(f"{source}_iri") else {}))
        g.node(tk, str(t), "target")
        label = bilingual(str(r.get(edge)), lang) if edge and r.get(edge) is not None else ""
        g.edge(sk, tk, label)
    return g


def formed_from(rows: Sequence[Mapping[str, Any]], lang: str = "vi") -> Graph:
    """former units -> ward; wards whose plan does not state a merger stand alone."""
    g = Graph()
    for r in rows:
        ward = g.node(r.get("ward_iri") or f"ward:{r.get('ward')}", f"{r.get('ward')} ({r.get('province')})", "ward")
        if r.get("former_unit"):
            former = g.node(r.get("former_iri") or f"former:{r.get('former_unit')}", r["former_unit"], "former")
            g.edge(former, ward)
    return g


def relation_view(document_key: str, document_label: str, level: str | None,
                  citations: Iterable[Mapping[str, Any]], implementing: Iterable[str], lang: str = "vi") -> Graph:
    """The "Lược đồ" of a cited document: the plans citing it (by role) and the documents
    implementing it."""
    g = Graph()
    doc = g.node(document_key, document_label, level_kind(level), iri=document_key)
    for number in implementing:
        via = g.node(f"via:{number}", number, "document")
        g.edge(via, doc, pick(lang, "triển khai", "implements"), 'style="dashed"')
    counts: dict[tuple[str, str, str, str], int] = {}
    for c in citations:  # a plan is its ward's (IRI: two wards may share a name)
        key = (c.get("plan") or "", c.get("ward_iri") or c.get("ward") or "", c.get("ward") or "", c.get("role") or "")
        counts[key] = counts.get(key, 0) + 1
    for (plan, ward_key, ward, role), n in counts.items():
        p = g.node(f"plan:{ward_key}:{plan}", f"{plan} – {ward}" if ward else plan, "plan", ward=ward)
        times = pick(lang, f"{n} lần", f"{n}×")
        g.edge(p, doc, f"{role.lower()} ({times})")
    return g
