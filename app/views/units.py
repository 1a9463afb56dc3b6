"""Đơn vị / Units."""

import streamlit as st

from plangraph_app import charts, data, pickers, tables, ui, units
from plangraph_app.i18n import column_label

t = ui.t
KINDS = {"both": ("indicator", "task"), "indicator": ("indicator",), "task": ("task",)}


def body(store) -> None:
    lang = ui.lang()
    # A few wards: all of them compared by default; thousands: one ward, picked by province.
    scope = pickers.scope_picker(store, "units_ward", t("Phường", "Ward"),
                            all_label=t("Tất cả các phường (so sánh)", "All wards (compare)"))
    ui.to_url(scope.url())
    if scope.ward is None:
        _across(store, lang)
    else:
        _ward(store, scope, lang)


def _across(store, lang) -> None:
    rows = data.cached(store, units.workload)
    if not rows:
        st.info(t("Chưa có đơn vị nào trong đồ thị.", "No unit in the graph yet."))
        return
    rows = data.directory(store).named(rows)  # two wards of one name, two columns of the heat map
    st.subheader(t("Số việc được giao theo đơn vị và phường", "Items assigned per unit and ward"))
    st.caption(t("Mỗi ô: tổng số chỉ tiêu và nhiệm vụ đơn vị chủ trì, tham mưu, phối hợp hoặc chỉ đạo. Ô trống: đơn vị không có ở phường đó.",
                 "Each cell: indicators and tasks the unit leads, advises, coordinates or directs. Empty: no such unit in that ward."))
    ui.chart(charts.heatmap(units.cross_ward(rows), "ward", "unit", "total", lang, t("Số việc", "Items")))
    st.subheader(t("Khối lượng công việc", "Workload"))
    columns = ["ward", "unit", "kind", "indicators_lead", "indicators_advise", "tasks_lead", "tasks_coordinate", "directs",
               "total", "leads_nothing"]
    picked = ui.table(tables.frame(rows, columns, lang), "units_workload", height=420)
    st.caption(t(":material/touch_app: Bấm vào một dòng để xem các việc của đơn vị đó, kèm dòng nguồn.",
                 ":material/touch_app: Click a row to list that unit's items with their source lines."))
    if picked is not None:
        r = rows[picked]
        ward = data.directory(store).get(r.get("ward_iri"))
        if ward is None:
            return
        pairs = units.assignments(data.ward_rows(store, ward, "indicators"), data.ward_rows(store, ward, "tasks"), ward.name)
        items = units.unit_items(pairs, r["unit"], lang)
        st.markdown(f"**{ui.md(r['unit'])} – {ui.md(r['ward'])}**")
        ui.table(tables.frame(items, ["kind", "role", "no", "item", "source_line", "quote"], lang), "units_items", select=False)


def _ward(store, scope, lang) -> None:
    ward_iri, ward = scope.ward.iri, scope.ward.name
    pairs = units.assignments(data.ward_rows(store, scope.ward, "indicators"), data.ward_rows(store, scope.ward, "tasks"), ward)
    ui.from_url("units_kind", "kind", options=list(KINDS))
    kind = st.radio(t("Loại việc", "Items"), list(KINDS), key="units_kind", horizontal=True,
                    format_func=lambda k: {"both": t("Chỉ tiêu và nhiệm vụ", "Indicators and tasks"),
                                           "indicator": t("Chỉ tiêu", "Indicators"), "task": t("Nhiệm vụ", "Tasks")}[k])
    ui.to_url({**scope.url(), "kind": kind if kind != "both" else None})
    missing, total = units.unassigned_count(pairs, KINDS[kind])
    unit_cols, rows = units.matrix(pairs, lang, KINDS[kind])
    m = st.columns(3)
    m[0].metric(t("Việc đã giao đơn vị", "Items with a unit"), total - missing)
    m[1].metric(t("Việc chưa giao đơn vị", "Items with no unit"), missing)
    m[2].metric(t("Đơn vị, chức danh được giao việc", "Units and roles given work"), len(unit_cols))
    if missing == total:
        st.warning(t(f"Kế hoạch của phường {ward} không giao đơn vị nào cho các việc này.",
                     f"The plan of {ward} assigns no unit to these items."))
    st.subheader(t("Ma trận trách nhiệm", "Responsibility matrix"))
    st.caption(t("Hàng: chỉ tiêu, nhiệm vụ; cột: đơn vị, chức danh (nhiều việc nhất trước); ô: vai trò của đơn vị.",
                 "Rows: indicators and tasks; columns: units and roles (busiest first); cells: the unit's role."))
    if rows:
        _matrix(store, scope.ward, unit_cols, rows, lang)
    st.subheader(t("Khối lượng công việc của các đơn vị", "Workload of the units"))
    work = data.cached(store, units.workload, ward_iri)
    ui.chart(charts.bar(work, "unit", "total", color="kind", lang=lang, tooltip=("indicators_lead", "tasks_lead", "directs")))


@ui.fragment
def _matrix(store, ward, unit_cols, rows, lang) -> None:
    """Items × units, the role in each cell; clicking a row shows the item's source."""
    df = tables.frame(rows, ["kind", "no", "item"] + unit_cols + ["source_line"], lang)
    config = {u: st.column_config.TextColumn(units.short_name(u), width="small", help=u) for u in unit_cols}
    config[column_label("item", lang)] = st.column_config.TextColumn(column_label("item", lang), width="large")
    picked = ui.table(df, f"units_matrix_{ward.iri}_{len(rows)}", column_config=config, height=480)
    ui.hint_select()
    if picked is not None:
        r = rows[picked]
        roles = {u: r[u] for u in unit_cols if r.get(u)}
        ui.source_card(_source(r, ward, data.ward_sources(store, ward)), r["item"], roles)


def _source(row, ward, index):
    for s in index.ward_records(ward.name, ward.iri):
        if s.line_start == row.get("source_line") and s.kind in ("Chỉ tiêu", "Nhiệm vụ"):
            return s
    return None


ui.run_page("Đơn vị", "Units", body,
            "Ai chịu trách nhiệm việc gì: ma trận đơn vị × chỉ tiêu, nhiệm vụ của từng phường, và so sánh giữa các phường.",
            "Who is responsible for what: unit × indicator and task matrix per ward, and a comparison across wards.")
