"""Thư viện truy vấn / Query library."""

import streamlit as st

from plangraph_app import charts, data, graphs, library, permalink, pickers, tables, ui

t = ui.t
LARGE_FIRST = "ward-overview"


def body(store) -> None:
    lang = ui.lang()
    index = data.SourceLookup(store)
    queries = library.catalog()
    url_query, url_params = permalink.parse_library(st.query_params)
    if url_query and "lib_query" not in st.session_state and url_query in {q.id for q in queries}:
        st.session_state["lib_query"] = url_query
        for name, value in url_params.items():
            st.session_state.setdefault(f"lib_{url_query}_{name}", value)

    left, right = st.columns([1, 3], gap="large")
    with left:
        text = st.text_input(t("Tìm truy vấn", "Find a query"), key="lib_search",
                             placeholder=t("ví dụ: don vi, so sanh, van ban", "e.g. units, compare, documents"))
        tags = st.multiselect(t("Chủ đề", "Tags"), library.all_tags(queries), key="lib_tags",
                              format_func=lambda tag: library.tag_name(tag, lang), placeholder=t("Tất cả", "All"))
        found = library.search(queries, text, tags or ())
        if not found:
            st.warning(t("Không có truy vấn nào khớp.", "No query matches."))
            return
        ids = [q.id for q in found]
        if st.session_state.get("lib_query") not in ids:
            # On a big graph, open on a ward's overview (answers at once for one ward) rather
            # than the first query in the list, which may gather a whole country's citations.
            first = LARGE_FIRST if data.directory(store).large and LARGE_FIRST in ids else ids[0]
            st.session_state["lib_query"] = first
        titles = {q.id: library.title(q, lang) for q in found}
        qid = st.radio(t(f"Truy vấn ({len(found)})", f"Queries ({len(found)})"), ids, key="lib_query",
                       format_func=titles.get)
    q = next(x for x in found if x.id == qid)
    with right:
        _query(store, index, q, lang)


@ui.fragment
def _query(store, index, q, lang) -> None:
    st.subheader(library.title(q, lang))
    st.markdown(ui.md(t(q.description_vi, q.description_en)))
    st.caption(" · ".join(f"#{library.tag_name(tag, lang)}" for tag in q.tags))
    params = {}
    if q.params:
        cols = st.columns(min(3, len(q.params)))
        for i, p in enumerate(q.params):
            with cols[i % len(cols)]:
                params[p.name] = _param_widget(store, index, q, p, lang)
    link_state = permalink.library_state(q.id, params)
    ui.to_url(link_state)
    result = data.cached(store, library.execute_rows, q.id, tuple(sorted(library.clean(q, params).items())))
    values = library.ward_named(data.directory(store), result)
    for note in result.notes:
        st.info(note)
    view, opts = library.view_of(q, result.columns)
    table_key = "_".join([q.id, *(f"{k}={v}" for k, v in sorted(params.items()) if v)])
    c1, c2 = st.columns([3, 1])
    c1.caption(t(f"{len(values)} dòng kết quả", f"{len(values)} result rows") +
               (t(" (đã cắt bớt)", " (truncated)") if result.truncated else ""))
    show_sql = c2.toggle(t("Xem truy vấn", "Show query"), key="lib_show_sql")
    if show_sql:
        if q.hide_sql:
            st.caption(t("Truy vấn này không hiển thị mã SPARQL.", "This query does not show its SPARQL."))
        else:
            st.code(library.sparql_text(store, q.id, params), language="sparql")
    if not values:
        st.info(t("Không có kết quả cho các tham số đã chọn. Thử bỏ bớt điều kiện (ví dụ chọn tất cả các phường).",
                  "No result for these parameters. Try fewer conditions (e.g. all wards)."))
        _links(q, link_state, result.columns, values)
        return
    view_names = {"table": t("Bảng", "Table"), "bar": t("Biểu đồ", "Chart"), "graph": t("Sơ đồ", "Graph"),
                  "timeline": t("Dòng thời gian", "Timeline")}
    tabs = st.tabs([view_names[view]] + ([view_names["table"]] if view != "table" else []))
    with tabs[0]:
        if view == "bar":
            ui.chart(charts.bar(values, opts["x"], opts["y"], color=opts.get("color"), facet=opts.get("facet"), lang=lang))
        elif view == "graph":
            g = graphs.edges(values, opts["source"], opts["target"], opts.get("edge"), lang)
            ui.graph(g.to_dot())
        elif view == "timeline":
            ui.chart(charts.timeline(values, opts.get("start") or opts["end"], opts["end"], opts["label"],
                                     opts.get("group"), lang))
        else:
            _table(values, result.columns, index, lang, q.id, table_key)
    if view != "table":
        with tabs[1]:
            _table(values, result.columns, index, lang, q.id, table_key)
    _links(q, link_state, result.columns, values)


def _table(values, columns, index, lang, qid, key) -> None:
    bilingual = [c for c in columns if any(isinstance(r.get(c), str) and " / " in r.get(c) for r in values[:50])]
    picked = ui.table(tables.frame(values, columns, lang, bilingual_columns=bilingual), f"lib_table_{key}", height=440)
    ui.hint_select()
    if picked is not None:
        row = values[picked]
        iri = library.record_iri(row, index)
        label = next((str(row[c]) for c in ("item", "indicator", "label", "record", "document", "unit", "ward") if row.get(c)), "")
        ui.source_card(index.get(iri), label)


def _links(q, link_state, columns, values) -> None:
    ui.downloads(q.id, columns, values, f"lib_dl_{q.id}")
    url = ui.permalink_url(link_state)
    st.markdown(f"**{t('Liên kết cố định', 'Permalink')}** · [{t('mở', 'open')}]({url}) · "
                + t("sao chép liên kết dưới đây để quay lại đúng truy vấn và các tham số đã chọn.",
                    "copy the link below to come back to this query with these parameters."))
    st.code(url, language=None, wrap_lines=True)


def _param_widget(store, index, q, p, lang):
    key = f"lib_{q.id}_{p.name}"
    label = t(p.label_vi, p.label_en)
    default = library.default_value(q, p.name)
    none = None if (p.required or default is not None) else t("— tất cả —", "— all —")
    wards = data.directory(store)
    if wards.large and p.type in ("ward", "unit", "indicator", "record", "document", "concept"):
        opts = _large_options(store, q, p, wards)
        if p.type == "ward" and default is None and wards.wards:
            default = wards.wards[0].iri  # one ward, not the whole country, until another is picked
        if opts is None:
            return default
    else:
        opts = library.options(store, q, p.name, data.index(store))
    if opts is None:
        if key not in st.session_state and default is not None:
            st.session_state[key] = default
        return st.text_input(label, key=key) or None
    return pickers.picker(label, opts, key, default=default, none_label=none, searchable=len(opts) > 30,
                     example="nghi quyet 57" if p.type == "document" else None)


def _large_options(store, q, p, wards):
    """A parameter's values on a big graph: wards, documents and concepts over the whole graph
    (the lists read once in the background); units, indicators and records of the ward chosen
    in the query's ward parameter (None, with a note, while there is none)."""
    if p.type == "ward":
        return wards.options()
    if p.type in ("document", "concept"):
        return ui.choices_of(store, p.type)
    ward_param = next((x for x in q.params if x.type == "ward"), None)
    ward_key = f"lib_{q.id}_{ward_param.name}" if ward_param else None
    ward = wards.get(st.session_state.get(ward_key)) if ward_key else None
    if ward is None and ward_key and ward_key not in st.session_state:  # the ward parameter's default: the first
        ward = wards.wards[0]
    if ward is None:
        st.caption(t(f"{p.label_vi}: chọn một phường trước để chọn trong danh sách của phường đó.",
                     f"{p.label_en}: pick a ward first to choose from that ward's list."))
        return None
    if p.type == "record":
        records = data.ward_sources(store, ward).records()
        return sorted(((s.iri, f"{s.ward} · {s.kind} · {s.label or s.lines()}") for s in records), key=lambda o: o[1])
    return data.ward_choices(store, ward, p.type)


ui.run_page("Thư viện truy vấn", "Query library", body,
            "Các câu hỏi soạn sẵn về kế hoạch: chọn câu hỏi, chọn tham số, xem kết quả dạng bảng, biểu đồ, sơ đồ hay dòng thời gian; tải CSV, Excel; chia sẻ bằng liên kết.",
            "Ready-made questions about the plans: pick one, choose its parameters, see a table, chart, graph or timeline; download CSV or Excel; share a link.")
