"""So sánh / Compare."""

import streamlit as st

from plangraph.query import counts as national_counts
from plangraph_app import charts, compare, data, pickers, tables, trace, ui
from plangraph_app.compare import MARK_COLORS, MARKS
from plangraph_app.i18n import column_label, pick

t = ui.t


def body(store) -> None:
    lang = ui.lang()
    wards = data.directory(store)
    concepts = ui.choices_of(store, "concept")
    if concepts is None:
        return
    c1, c2 = st.columns([3, 2]) if wards.large else (st.container(), None)
    with c1:
        concept = pickers.picker(t("Khái niệm chỉ tiêu", "Indicator concept"), concepts, "compare_concept",
                            default=trace.DEFAULT_CONCEPT, searchable=True, url_key="concept", example="bao hiem y te",
                            help=t("Mỗi kế hoạch diễn đạt chỉ tiêu một cách khác nhau; khái niệm chuẩn gom chúng lại để so sánh.",
                                   "Each plan words a target differently; the canonical concept groups them for comparison."))
    province = None
    if c2 is not None:
        with c2:  # thousands of wards: one province on the chart and in the table
            province = pickers.province_picker(store, "compare_province", nation=True)
    ui.to_url({"concept": concept, "province": province})
    if not concept:
        return
    if province is None:
        rows, concept_name = data.cached(store, compare.shaped, concept, lang)
    else:  # one province's wards only: a tenth of a second where the whole country takes seconds
        members = tuple(w.iri for w in wards.in_province(province))
        rows, concept_name = data.cached(store, compare.shaped, concept, lang, members)
        have, of = ui.n(data.cached(store, national_counts.wards_with_target, concept)), ui.n(len(wards))
        st.caption(t(f"Cả nước: {have} trên {of} phường, xã có chỉ tiêu này; dưới đây: {province}.",
                     f"Whole country: {have} of {of} wards have this target; below: {province}."))
    if not rows:
        st.info(t("Chưa có phường nào trong đồ thị.", "No ward in the graph yet."))
        return
    rows = wards.named(rows)  # two wards of one name, apart on the chart and in the table
    counts = compare.summary(rows)
    with_target, without = compare.ward_counts(rows)
    m = st.columns(4)
    m[0].metric(t("Phường có chỉ tiêu", "Wards with a target"), ui.n(with_target))
    m[1].metric(t("Phường thiếu chỉ tiêu", "Wards without"), ui.n(without))
    m[2].metric(t("Khác đơn vị tính", "Different unit"), ui.n(counts["incompatible"]),
                help=t("Số chỉ tiêu đặt bằng đơn vị tính khác đơn vị chuẩn của khái niệm.",
                       "Targets stated in a unit other than the concept's standard unit."))
    m[3].metric(t("Không có giá trị số", "No number"), ui.n(counts["no-number"]),
                help=t("Số chỉ tiêu không nêu con số (chỉ mô tả).", "Targets without a number (words only)."))
    unit = compare.majority_unit(rows)
    st.subheader(f"{concept_name or ''}" + (f" ({unit})" if unit else ""))
    ui.legend([(MARK_COLORS[c], pick(lang, *MARKS[c])) for c in MARKS if counts[c]])
    if len(rows) <= MAX_BARS:
        ui.chart(charts.compare(rows, lang, unit_title=t(f"Mục tiêu ({unit})", f"Target ({unit})") if unit else ""))
    else:
        st.caption(t(f"{ui.n(len(rows))} phường, xã: chọn một tỉnh, thành phố để xem biểu đồ; bảng dưới đây liệt kê tất cả.",
                     f"{ui.n(len(rows))} wards: pick a province for the chart; the table below lists them all."))
    if counts["incompatible"]:
        st.warning(t("Có phường đặt mục tiêu bằng đơn vị tính khác: các giá trị đó không so sánh trực tiếp được.",
                     "Some wards state the target in another unit: those values cannot be compared directly."))
    if counts["gap"]:
        gap_wards = [r["ward"] for r in rows if r["mark_code"] == "gap"]
        gaps = ", ".join(gap_wards[:MAX_NAMED]) + (t(f" và {len(gap_wards) - MAX_NAMED} phường khác", f" and {len(gap_wards) - MAX_NAMED} more")
                                                  if len(gap_wards) > MAX_NAMED else "")
        st.info(t(f"Kế hoạch của {gaps} không có chỉ tiêu cho khái niệm này.",
                  f"The plans of {gaps} have no target for this concept."))

    _table(store, rows, concept, lang)


# A bar per ward: beyond this many the chart is unreadable (and slow to draw).
MAX_BARS = 150
# Gaps named in the note; the table lists them all.
MAX_NAMED = 20


@ui.fragment
def _table(store, rows, concept, lang) -> None:
    """The comparison table; clicking a row shows that target's source."""
    st.subheader(t("Bảng so sánh", "Comparison table"))
    columns = ["ward", "indicator", "target", "comparator", "value", "uom", "target_year", "periodicity", "status"]
    picked = ui.table(tables.frame(rows, columns, lang), f"compare_table_{concept}", column_config={
        column_label("indicator", lang): st.column_config.TextColumn(column_label("indicator", lang), width="medium")})
    ui.hint_select()
    if picked is not None:
        r = rows[picked]
        ui.source_card(data.source_of(store, r.get("indicator_iri")), f"{r['ward']} – {r.get('indicator') or ''}",
                       {t("Mục tiêu", "Target"): r.get("target"), t("Tình trạng", "Status"): r.get("status")})
    index = data.index(store)
    if index is None:  # a big graph: each source is looked up when its row is clicked
        ui.downloads(f"so-sanh-{concept.rsplit('/', 1)[-1]}", columns, rows, "compare_dl")
        return
    with st.expander(t("Nguồn của từng mục tiêu", "Source of every target")):
        for r in rows:
            src = index.get(r.get("indicator_iri"))
            if src is not None:
                st.markdown(f"**{ui.md(r['ward'])}** — {ui.md(r.get('target') or '')}  \n"
                            f"{ui.md(src.citation(lang))}  \n> {ui.md(' '.join((src.quote or '').split()))}")
    ui.downloads(f"so-sanh-{concept.rsplit('/', 1)[-1]}", columns, rows, "compare_dl")


ui.run_page("So sánh", "Compare", body,
            "Mục tiêu của từng phường cho cùng một chỉ tiêu: phép so sánh, giá trị, đơn vị tính, năm; phường thiếu chỉ tiêu và đơn vị tính khác được đánh dấu.",
            "Every ward's target for one indicator concept: comparator, value, unit, year; gaps and different units marked.")
