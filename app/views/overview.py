"""Tổng quan / Overview."""

import streamlit as st

from plangraph_app import charts, data, graphs, overview, pickers, state, tables, ui
from plangraph_app.i18n import column_label

t = ui.t
WARD_COLUMNS = ["ward", "province", "plan_document", "indicators", "tasks", "citations", "documents_cited", "units_count",
                "completeness"]


def body(store) -> None:
    wards = data.directory(store)
    if not len(wards):
        st.info(t("Đồ thị chưa có kế hoạch nào. Chạy `plangraph build` để dựng dữ liệu từ data/sources.",
                  "The graph holds no plans yet: run `plangraph build`."))
        return
    if wards.large:
        _national(store, wards, ui.lang())
    else:
        _all_wards(store, wards, ui.lang())


def _all_wards(store, wards, lang) -> None:
    """A few wards: every ward side by side."""
    ov_rows, formed_rows = overview.fetch(store)
    index = data.index(store)
    rows = overview.ward_table(ov_rows, formed_rows, index)
    _metrics(rows, overview.provinces(rows), overview.totals(rows), len(data.export_rows(store, "documents")))

    st.subheader(t("Các phường và kế hoạch", "Wards and their plans"))
    picked = _ward_table(rows, "overview_wards", lang)
    ui.hint_select()
    if picked is not None:
        w = rows[picked]
        ui.source_card(index.get(w.get("plan_iri")), f"{w['ward']} – {w.get('plan_document') or ''}")

    # two wards of one name: the province follows the name, so they are two bars, two rows
    _charts({code: wards.named(overview.section(ov_rows, code)) for code in overview.CHART_SECTIONS}, lang)
    _drill_down(store, None, lang)

    st.subheader(t("Các đơn vị cũ hợp thành phường (sắp xếp 2025)", "Former units each ward was formed from (2025)"))
    _formed(formed_rows, lang)


def _national(store, wards, lang) -> None:
    """Thousands of wards: the provinces, then one province's wards; the counts come from a
    summary computed once in the background."""
    documents = data.documents_job(store)

    def add_up(_progress):
        rows = overview.summary(store, wards.formed(), 0)
        documents.wait(3600)
        return overview.Summary(rows.wards, rows.sections, len(documents.result or ()))

    work = state.job(f"overview:{data.store_key(store)}", add_up)
    summary = ui.awaited(work, "tổng hợp số liệu của mọi phường (lần đầu sau khi khởi động)",
                         "adding up every ward's figures (once after start-up)")
    provinces = {p: [w.name for w in wards.in_province(p)] for p in wards.provinces()}
    if summary is None:
        _metrics([{"ward": w.name} for w in wards.wards], provinces, None, None)
    else:
        _metrics(summary.wards, provinces, overview.totals(summary.wards), summary.documents_cited)
        st.subheader(t("Các tỉnh, thành phố", "Provinces"))
        ui.table(tables.frame(overview.province_table(summary.wards),
                              ["province", "ward_count", "indicators", "tasks", "citations", "completeness"], lang),
                 "overview_provinces", select=False, height=320, column_config=_completeness_config(lang))

    province = pickers.province_picker(store, "overview_province")
    members = {w.iri for w in wards.in_province(province)}
    st.subheader(t(f"Các phường, xã của {province}", f"Wards of {province}"))
    if summary is None:
        rows = [{"ward": w.name, "province": w.province, "ward_iri": w.iri} for w in wards.in_province(province)]
    else:
        rows = [r for r in summary.wards if r.get("ward_iri") in members]
    picked = _ward_table(rows, f"overview_wards_{province}", lang, drop=("plan_document",))
    st.caption(t(":material/touch_app: Bấm vào một dòng để xem kế hoạch của phường đó.",
                 ":material/touch_app: Click a row for that ward's plan."))
    if picked is not None:
        w = wards.get(rows[picked].get("ward_iri"))
        plan = data.ward_sources(store, w).plan_of(w.name, w.iri) if w else None
        ui.source_card(plan, f"{rows[picked]['ward']} – {plan.document if plan else ''}")
    if summary is not None:
        sections = {code: [r for r in summary.sections[code] if r.get("ward_iri") in members]
                    for code in overview.CHART_SECTIONS}
        _charts(sections, lang, province)
    _drill_down(store, province, lang)


def _metrics(rows, provinces, sums, documents_cited) -> None:
    cols = st.columns(6)
    names = [r["ward"] for r in rows]
    cols[0].metric(t("Phường, xã", "Wards"), ui.n(len(rows)),
                   help=", ".join(names) if len(names) <= 50 else None)
    cols[1].metric(t("Tỉnh, thành phố", "Provinces"), len(provinces),
                   help="; ".join(f"{p}: {', '.join(ws)}" for p, ws in provinces.items()) if len(names) <= 50 else None)
    waiting = "…"
    cols[2].metric(t("Chỉ tiêu", "Indicators"), ui.n(sums["indicators"]) if sums else waiting,
                   help=t("Từng chỉ tiêu kèm dòng nguồn: mục “Nguồn của các con số” bên dưới.",
                          "Each indicator with its source line: “Where the numbers come from” below."))
    cols[3].metric(t("Nhiệm vụ", "Tasks"), ui.n(sums["tasks"]) if sums else waiting,
                   help=t("Xem từng nhiệm vụ ở trang Văn bản.", "See each task on the Documents page."))
    cols[4].metric(t("Lần viện dẫn văn bản", "Citations"), ui.n(sums["citations"]) if sums else waiting,
                   help=t("Xem từng lần viện dẫn ở trang Văn bản.", "See each citation on the Documents page."))
    cols[5].metric(t("Văn bản được viện dẫn", "Documents cited"), ui.n(documents_cited) if documents_cited is not None else waiting,
                   help=t("Mỗi văn bản và các kế hoạch viện dẫn nó: trang Văn bản, chế độ lược đồ.",
                          "Each document and the plans citing it: Documents page, relation view."))


def _completeness_config(lang) -> dict:
    return {column_label("completeness", lang): st.column_config.ProgressColumn(
        column_label("completeness", lang), min_value=0, max_value=100, format="%.1f%%", width="medium",
        help=t("Trung bình các tiêu chí: chỉ tiêu có mục tiêu, đơn vị tính, thời hạn, khái niệm chuẩn, đơn vị "
               "chịu trách nhiệm; nhiệm vụ có đơn vị chủ trì, thời hạn.",
               "Mean of: indicators with a target, unit, timing, concept, owner; tasks with a lead unit, timing."))}


def _ward_table(rows, key, lang, drop=()):
    df = tables.frame(rows, WARD_COLUMNS, lang, drop=drop)
    short = {"indicators": t("Chỉ tiêu", "Indicators"), "tasks": t("Nhiệm vụ", "Tasks"),
             "citations": t("Trích dẫn", "Citations"), "documents_cited": t("Văn bản", "Documents"),
             "units_count": t("Đơn vị", "Units")}
    config = {column_label(c, lang): st.column_config.NumberColumn(label, width="small", help=column_label(c, lang))
              for c, label in short.items()}
    return ui.table(df, key, height=420, column_config={**config, **_completeness_config(lang)})


def _charts(sections, lang, province=None) -> None:
    """Indicators by domain, cited documents by level (per ward; a province's added up) and
    completeness per ward, from the sections of `ward-overview`."""
    domain, level = sections["indicators-by-domain"], sections["documents-by-level"]
    if province is not None:
        domain, level = overview.summed(domain, province), overview.summed(level, province)
    st.subheader(t("Chỉ tiêu theo lĩnh vực", "Indicators by domain"))
    ui.chart(charts.grouped_counts(domain, "item", "ward", "value", lang, t("Số chỉ tiêu", "Indicators")))
    st.subheader(t("Văn bản viện dẫn theo cấp", "Cited documents by level"))
    ui.chart(charts.grouped_counts(level, "item", "ward", "value", lang, t("Số văn bản", "Documents")))
    st.subheader(t("Mức đầy đủ của dữ liệu theo phường (%)", "Completeness of the data per ward (%)"))
    ui.chart(charts.heatmap(sections["completeness"], "ward", "item", "value", lang, "%", percent=True))
    st.page_link("views/quality.py", label=t("Từng bản ghi còn thiếu, kèm dòng nguồn và cách sửa: trang Chất lượng dữ liệu",
                                             "Each incomplete record with its source line and how to fix it: Data quality"),
                 icon=":material/fact_check:")


def _formed(formed_rows, lang) -> None:
    g = graphs.formed_from(formed_rows, lang)
    ui.graph(g.to_dot())
    silent = [r["ward"] for r in formed_rows if not r.get("former_unit")]
    if silent:
        st.caption(t("Kế hoạch không nêu việc sáp nhập: ", "The plan does not state the merger: ") + ", ".join(silent))


@ui.fragment
def _drill_down(store, province, lang) -> None:
    """A ward's indicators with their sources (and, for a big graph, its former units);
    picking a ward reruns only this part."""
    st.subheader(t("Nguồn của các con số: chỉ tiêu của một phường", "Where the numbers come from: a ward's indicators"))
    wards = data.directory(store)
    iri = pickers.picker(t("Phường", "Ward"), wards.options(province), "overview_ward", url_key="ward")
    ui.to_url({"province": province, "ward": iri})
    ward = wards.get(iri)
    if ward is None:
        return
    rows = overview.ward_indicators(data.ward_rows(store, ward, "indicators"), ward.name)
    st.caption(t(f"{len(rows)} chỉ tiêu, mỗi chỉ tiêu kèm dòng và câu trích trong văn bản nguồn.",
                 f"{len(rows)} indicators, each with its line and quote in the source document."))
    picked = ui.table(tables.frame(rows, ["no", "group", "name", "target", "responsible_units", "source_line", "quote"], lang),
                      f"overview_indicators_{iri}", height=360)
    if picked is not None:
        r = rows[picked]
        src = _src(data.ward_sources(store, ward), ward, r) if r.get("source_line") else None
        ui.source_card(src, r.get("name"), {t("Mục tiêu", "Target"): r.get("target")})
    if province is not None:
        st.markdown(f"**{t('Các đơn vị cũ hợp thành phường (sắp xếp 2025)', 'Former units the ward was formed from (2025)')}**")
        _formed(wards.formed([ward.iri]), lang)


def _src(index, ward, row):
    """The indexed source of an export row (matched on ward, line and quote)."""
    records = index.ward_records(ward.name, ward.iri)
    for s in records:
        if s.kind == "Chỉ tiêu" and s.line_start == row.get("source_line") and (s.quote or "") == (row.get("quote") or ""):
            return s
    for s in records:
        if s.line_start == row.get("source_line"):
            return s
    return None


ui.run_page("Tổng quan", "Overview", body,
            "Các phường, kế hoạch 2026-2030, số chỉ tiêu, nhiệm vụ, văn bản viện dẫn và mức đầy đủ của dữ liệu.",
            "Wards, their 2026-2030 plans, indicators, tasks, cited documents and how complete the data is.")
