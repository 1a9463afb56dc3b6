"""Tổng quan / Overview."""

import streamlit as st

from plangraph_app import charts, graphs, overview, tables, ui
from plangraph_app.i18n import column_label

t = ui.t


def body(store) -> None:
    lang = ui.lang()
    ov_rows, formed_rows = overview.fetch(store)
    if not ov_rows:
        st.info(t("Đồ thị chưa có kế hoạch nào. Chạy `plangraph build` để dựng dữ liệu từ data/sources.",
                  "The graph holds no plans yet: run `plangraph build`."))
        return
    index = ui.index(store)
    wards = overview.ward_table(ov_rows, formed_rows, index)
    sums = overview.totals(wards)
    documents = ui.export_rows(store, "documents")

    provinces = overview.provinces(wards)
    cols = st.columns(6)
    cols[0].metric(t("Phường, xã", "Wards"), len(wards), help=", ".join(w["ward"] for w in wards))
    cols[1].metric(t("Tỉnh, thành phố", "Provinces"), len(provinces),
                   help="; ".join(f"{p}: {', '.join(ws)}" for p, ws in provinces.items()))
    cols[2].metric(t("Chỉ tiêu", "Indicators"), sums["indicators"],
                   help=t("Từng chỉ tiêu kèm dòng nguồn: mục “Nguồn của các con số” bên dưới.",
                          "Each indicator with its source line: “Where the numbers come from” below."))
    cols[3].metric(t("Nhiệm vụ", "Tasks"), sums["tasks"], help=t("Xem từng nhiệm vụ ở trang Văn bản.", "See each task on the Documents page."))
    cols[4].metric(t("Lần viện dẫn văn bản", "Citations"), sums["citations"],
                   help=t("Xem từng lần viện dẫn ở trang Văn bản.", "See each citation on the Documents page."))
    cols[5].metric(t("Văn bản được viện dẫn", "Documents cited"), len(documents),
                   help=t("Mỗi văn bản và các kế hoạch viện dẫn nó: trang Văn bản, chế độ lược đồ.",
                          "Each document and the plans citing it: Documents page, relation view."))

    st.subheader(t("Các phường và kế hoạch", "Wards and their plans"))
    columns = ["ward", "province", "plan_document", "indicators", "tasks", "citations", "documents_cited", "units_count",
               "completeness"]
    df = tables.frame(wards, columns, lang)
    short = {"indicators": t("Chỉ tiêu", "Indicators"), "tasks": t("Nhiệm vụ", "Tasks"),
             "citations": t("Trích dẫn", "Citations"), "documents_cited": t("Văn bản", "Documents"),
             "units_count": t("Đơn vị", "Units")}
    config = {column_label(c, lang): st.column_config.NumberColumn(label, width="small", help=column_label(c, lang))
              for c, label in short.items()}
    picked = ui.table(df, "overview_wards", column_config={
        **config,
        column_label("completeness", lang): st.column_config.ProgressColumn(
            column_label("completeness", lang), min_value=0, max_value=100, format="%.1f%%", width="medium",
            help=t("Trung bình các tiêu chí: chỉ tiêu có mục tiêu, đơn vị tính, thời hạn, khái niệm chuẩn, đơn vị "
                   "chịu trách nhiệm; nhiệm vụ có đơn vị chủ trì, thời hạn.",
                   "Mean of: indicators with a target, unit, timing, concept, owner; tasks with a lead unit, timing.")),
    })
    ui.hint_select()
    if picked is not None:
        w = wards[picked]
        ui.source_card(index.get(w.get("plan_iri")), f"{w['ward']} – {w.get('plan_document') or ''}")

    if True:
        st.subheader(t("Chỉ tiêu theo lĩnh vực", "Indicators by domain"))
        ui.chart(charts.grouped_counts(overview.section(ov_rows, "indicators-by-domain"), "item", "ward", "value",
                                              lang, t("Số chỉ tiêu", "Indicators")))
        st.subheader(t("Văn bản viện dẫn theo cấp", "Cited documents by level"))
        ui.chart(charts.grouped_counts(overview.section(ov_rows, "documents-by-level"), "item", "ward", "value",
                                              lang, t("Số văn bản", "Documents")))

    st.subheader(t("Mức đầy đủ của dữ liệu theo phường (%)", "Completeness of the data per ward (%)"))
    ui.chart(charts.heatmap(overview.section(ov_rows, "completeness"), "ward", "item", "value", lang,
                                   "%", percent=True))
    st.page_link("views/quality.py", label=t("Từng bản ghi còn thiếu, kèm dòng nguồn và cách sửa: trang Chất lượng dữ liệu",
                                             "Each incomplete record with its source line and how to fix it: Data quality"),
                 icon=":material/fact_check:")

    _drill_down(store, index, [(w["ward"], f"{w['ward']} ({w.get('province')})") for w in wards], lang)

    st.subheader(t("Các đơn vị cũ hợp thành phường (sắp xếp 2025)", "Former units each ward was formed from (2025)"))
    g = graphs.formed_from(formed_rows, lang)
    ui.graph(g.to_dot())
    silent = [r["ward"] for r in formed_rows if not r.get("former_unit")]
    if silent:
        st.caption(t("Kế hoạch không nêu việc sáp nhập: ", "The plan does not state the merger: ") + ", ".join(silent))


@ui.fragment
def _drill_down(store, index, options, lang) -> None:
    """A ward's indicators with their sources; picking a ward reruns only this part."""
    st.subheader(t("Nguồn của các con số: chỉ tiêu của một phường", "Where the numbers come from: a ward's indicators"))
    ward = ui.picker(t("Phường", "Ward"), options, "overview_ward", url_key="ward")
    ui.to_url({"ward": ward})
    rows = overview.ward_indicators(ui.export_rows(store, "indicators"), ward)
    st.caption(t(f"{len(rows)} chỉ tiêu, mỗi chỉ tiêu kèm dòng và câu trích trong văn bản nguồn.",
                 f"{len(rows)} indicators, each with its line and quote in the source document."))
    picked = ui.table(tables.frame(rows, ["no", "group", "name", "target", "responsible_units", "source_line", "quote"], lang),
                      f"overview_indicators_{ward}", height=360)
    if picked is not None:
        r = rows[picked]
        ui.source_card(None if not r.get("source_line") else _src(index, ward, r), r.get("name"),
                       {t("Mục tiêu", "Target"): r.get("target")})


def _src(index, ward, row):
    """The indexed source of an export row (matched on ward, line and quote)."""
    for s in index.ward_records(ward):
        if s.kind == "Chỉ tiêu" and s.line_start == row.get("source_line") and (s.quote or "") == (row.get("quote") or ""):
            return s
    for s in index.ward_records(ward):
        if s.line_start == row.get("source_line"):
            return s
    return None


ui.run_page("Tổng quan", "Overview", body,
            "Các phường, kế hoạch 2026-2030, số chỉ tiêu, nhiệm vụ, văn bản viện dẫn và mức đầy đủ của dữ liệu.",
            "Wards, their 2026-2030 plans, indicators, tasks, cited documents and how complete the data is.")
