"""Truy vết / Trace."""

import streamlit as st

from plangraph.query.choices import choices
from plangraph_app import data, graphs, pickers, tables, trace, ui
from plangraph_app.graphs import KIND_NAMES, STYLES, UP_EDGES, UP_STYLE
from plangraph_app.i18n import pick

t = ui.t
MODES = ("down", "up")


def _color(kind: str) -> str:
    style = STYLES.get(kind, "")
    return style.split('fillcolor="')[1].split('"')[0] if 'fillcolor="' in style else "#ccc"


def body(store) -> None:
    lang = ui.lang()
    index = data.SourceLookup(store)
    ui.from_url("trace_mode", "mode", options=MODES)
    mode = st.radio(t("Bắt đầu từ", "Start from"), MODES, key="trace_mode", horizontal=True,
                    format_func=lambda m: t("Một văn bản (văn bản → kế hoạch → nhiệm vụ, chỉ tiêu → đơn vị)",
                                            "A document (document → plans → tasks, indicators → units)") if m == "down"
                    else t("Một chỉ tiêu (chỉ tiêu → kế hoạch → văn bản cấp trên)",
                           "An indicator (indicator → plan → higher documents)"))
    if mode == "down":
        _down(store, index, lang)
    else:
        _up(store, index, lang)


def _scope(store) -> pickers.Scope:
    # A few wards: all of them at once by default; thousands: one ward, picked by province.
    return pickers.scope_picker(store, "trace_ward", t("Phường", "Ward"), all_label=t("Tất cả các phường", "All wards"))


def _down(store, index, lang) -> None:
    c1, c2 = st.columns([3, 2])
    with c2:
        scope = _scope(store)
    with c1:
        documents = ui.choices_of(store, "document")
        if documents is None:
            return
        doc = pickers.picker(t("Văn bản", "Document"), documents, "trace_doc", default=trace.DEFAULT_DOCUMENT,
                        searchable=True, url_key="doc", example="nghi quyet 57")
    if doc is None:
        return
    ward = scope.ward_iri
    doc_label, level = trace.split_document_label(dict(documents).get(doc, doc))
    # two wards of one name: the province follows the name on the graph and in the table
    rows = data.directory(store).named(data.cached(store, trace.down, doc, ward))
    if not rows:
        st.info(t("Không kế hoạch nào (trong phạm vi đã chọn) viện dẫn hay triển khai văn bản này.",
                  "No plan (in the chosen scope) cites or implements this document."))
        ui.to_url({"mode": "down", "doc": doc, **scope.url()})
        return
    s = trace.down_summary(rows)
    m = st.columns(4)
    m[0].metric(t("Kế hoạch phường", "Ward plans"), s["plans"])
    m[1].metric(t("Nhiệm vụ", "Tasks"), s["tasks"])
    m[2].metric(t("Chỉ tiêu", "Indicators"), s["indicators"])
    m[3].metric(t("Đơn vị chịu trách nhiệm", "Responsible units"), s["units"])
    # All wards: a few items per plan on the graph, the rest behind a "+ N khác" box (the table lists all).
    capped = ward is None and bool(graphs.hidden_items(rows, graphs.MAX_ITEMS_PER_PLAN))
    c1, c2 = st.columns(2) if capped else (st.container(), None)
    with c1:
        with_units = st.toggle(t("Hiện đơn vị chịu trách nhiệm", "Show responsible units"), value=True, key="trace_units")
    every = True
    if c2 is not None:
        with c2:
            every = st.toggle(t("Hiện mọi nhiệm vụ, chỉ tiêu trên sơ đồ", "Every task and indicator on the graph"),
                              value=False, key="trace_every",
                              help=t(f"Khi xem mọi phường, sơ đồ hiện tối đa {graphs.MAX_ITEMS_PER_PLAN} nhiệm vụ, chỉ tiêu "
                                     "mỗi kế hoạch; bảng luôn liệt kê đủ.",
                                     f"With all wards, the graph shows up to {graphs.MAX_ITEMS_PER_PLAN} tasks and indicators "
                                     "per plan; the table always lists them all."))
    g = graphs.trace_down(rows, doc, doc_label, level, lang, with_units=with_units,
                          max_items=None if every else graphs.MAX_ITEMS_PER_PLAN)
    note = None
    if "more" in g.kinds():
        note = t(" Ô «+ … khác» mở đủ sơ đồ của phường đó; bảng liệt kê mọi dòng.",
                 " A «+ … more» box opens that ward's full graph; the table lists every row.")
    _graph_and_details(g, rows, index, lang, {"mode": "down", "doc": doc, **scope.url()},
                       ["ward", "plan", "link", "item", "domain", "reason", "units", "via_number", "line"],
                       legend=[(graphs.level_kind(level), None), ("plan", None), ("task", None), ("indicator", None),
                               ("unit", None), ("document", None), ("more", None)], note=note)


def _up(store, index, lang) -> None:
    c1, c2 = st.columns([3, 2])
    with c2:
        scope = _scope(store)
    with c1:
        concepts = ui.choices_of(store, "concept")
        if concepts is None:
            return
        concept = pickers.picker(t("Khái niệm chỉ tiêu", "Indicator concept"), concepts, "trace_concept",
                            default=trace.DEFAULT_CONCEPT, searchable=True, url_key="concept", example="bao hiem y te")
    # The indicators of the chosen ward (of every ward only when there are a few).
    indicators = data.ward_choices(store, scope.ward, "indicator") if scope.ward else choices(store, "indicator")
    indicator = pickers.picker(t("Hoặc một chỉ tiêu cụ thể", "Or one indicator"), indicators, "trace_indicator",
                          none_label=t("— mọi chỉ tiêu của khái niệm đã chọn —", "— every indicator of the concept —"),
                          searchable=True, url_key="indicator", example="ho ngheo")
    ward = scope.ward_iri
    rows = data.directory(store).named(data.cached(store, trace.up, concept, indicator, ward))
    state = {"mode": "up", "concept": concept, **scope.url(), "indicator": indicator}
    if not rows:
        st.info(t("Không có chỉ tiêu nào của khái niệm này trong phạm vi đã chọn.",
                  "No indicator of this concept in the chosen scope."))
        ui.to_url(state)
        return
    s = trace.up_summary(rows)
    m = st.columns(4)
    m[0].metric(t("Chỉ tiêu", "Indicators"), s["indicators"])
    m[1].metric(t("Phường", "Wards"), s["wards"])
    m[2].metric(t("Văn bản phía trên", "Documents above"), s["documents"])
    m[3].metric(t("Văn bản trung ương", "Central documents"), s["central"])
    g = graphs.trace_up(rows, lang)
    edges = [(UP_STYLE[k].split('color="')[1].split('"')[0], pick(lang, *UP_EDGES[k])) for k in UP_EDGES]
    _graph_and_details(g, rows, index, lang, state, ["ward", "indicator", "relation", "from", "to", "level", "reason"],
                       legend=[("indicator", None), ("plan", None), ("central", None), ("provincial", None), ("local", None)],
                       edge_legend=edges, bilingual=("relation",))


def _graph_and_details(g, rows, index, lang, state, columns, legend, edge_legend=(), bilingual=(), note=None) -> None:
    options = trace.node_choices(g, lang, skip_kinds=("more",))
    ui.from_url("trace_node", "node", options=[v for v, _ in options])
    tab_graph, tab_table = st.tabs([t("Sơ đồ", "Graph"), t("Bảng", "Table")])
    with tab_graph:
        ui.legend([(_color(k), pick(lang, *KIND_NAMES[k])) for k, _ in legend if k in g.kinds()])
        if edge_legend:
            ui.legend(list(edge_legend))
        st.caption(t(":material/touch_app: Bấm vào một ô trong sơ đồ (hoặc chọn bên dưới) để xem chi tiết và câu trích nguồn.",
                     ":material/touch_app: Click a box in the graph (or pick below) for its details and source quote.")
                   + (note or ""))
        link = ui.link_maker()

        def url_for(n):
            if n.kind == "more":  # that ward's full graph
                return link({**state, "ward": n.data.get("ward_iri"), "node": None})
            return link({**state, "node": n.id})

        ui.graph(g.to_dot(url_for=url_for))
    with tab_table:
        picked = ui.table(tables.frame(rows, columns, lang, bilingual_columns=bilingual),
                          "trace_table_" + "_".join(str(v) for v in state.values()), height=420)
        if picked is not None:
            r = rows[picked]
            iri = r.get("item_iri") or r.get("from_iri")
            ui.source_card(index.get(iri), r.get("item") or r.get("from"),
                           {t("Lý do", "Reason"): r.get("reason"), t("Mục", "Section"): r.get("section")})
    _details(g, index, lang, state, options)


@ui.fragment
def _details(g, index, lang, state, options) -> None:
    """Details of the picked node: its kind, link, reason, units and source quote."""
    node_id = pickers.picker(t("Chi tiết của", "Details of"), options, "trace_node",
                        none_label=t("— chọn một ô trong sơ đồ —", "— pick a box of the graph —"), searchable=False)
    ui.to_url({**state, "node": node_id})
    if node_id:
        node = g.find(node_id)
        if node is not None:
            details, src = trace.node_details(node, index, lang)
            ui.source_card(src, node.label, details)


ui.run_page("Truy vết", "Trace", body,
            "Từ một văn bản xuống các kế hoạch, nhiệm vụ, chỉ tiêu và đơn vị thực hiện; hoặc từ một chỉ tiêu lên các văn bản định hướng nó.",
            "From a document down to the plans, tasks, indicators and units; or from an indicator up to the documents behind it.")
