"""Chất lượng dữ liệu / Data quality."""

import streamlit as st

from plangraph_app import charts, data, pickers, quality, state, tables, ui
from plangraph_app.i18n import column_label
from plangraph_app.sources import Source

t = ui.t
SEVERITY_FILTER = ("all",) + quality.SEVERITIES


def body(store) -> None:
    lang = ui.lang()
    if st.session_state.get("_active_store") is not None and st.session_state["_active_store"].endpoint:
        st.info(t("Báo cáo kiểm tra được tính trên các tệp đồ thị (data/ttl) của máy chủ ứng dụng, không phải trên endpoint.",
                  "The report checks the graph files (data/ttl) of the app server, not the endpoint."))
    large = data.directory(store).large
    # Validation reads every graph file: it runs once in the background (plans unchanged since
    # an earlier run come from the shard cache); a few plans are waited for, thousands followed.
    report = ui.awaited(state.validation_job(), "kiểm tra dữ liệu (SHACL) của mọi kế hoạch",
                        "validating every plan (SHACL)", wait=0.3 if large else WAIT_SMALL)
    if report is None:
        return
    if not quality.plan_shards(report):
        st.info(t("Chưa có kế hoạch nào để kiểm tra: chạy `plangraph build`.", "No plan to check yet: run `plangraph build`."))
        return
    report, ward = _scope(store, report, large)
    counts = quality.severity_counts(report, ward)
    scores = quality.score_rows(report)
    m = st.columns(4)
    for i, sev in enumerate(quality.SEVERITIES):
        m[i].metric(quality.severity_name(sev, lang), counts[sev])
    shown_scores = [s for s in scores if not ward or s["ward_iri"] == ward]
    passed = sum(s["passed"] for s in shown_scores)
    checked = sum(s["checked"] for s in shown_scores)
    m[3].metric(t("Điểm đầy đủ", "Completeness"), f"{(passed / checked * 100 if checked else 100):.1f}%".replace(".", ","),
                help=t(f"{passed} trên {checked} phép kiểm (quy tắc × bản ghi) không có vi phạm hay cảnh báo.",
                       f"{passed} of {checked} checks (rule × record) with no violation or warning."))

    st.subheader(t("Điểm đầy đủ theo phường", "Completeness per ward"))
    cfg = {column_label("score", lang): st.column_config.ProgressColumn(column_label("score", lang), min_value=0, max_value=100,
                                                                        format="%.1f%%")}
    score_cols = ["ward", "plan", "score", "passed", "checked", "n_violation", "n_warning", "n_info"]
    df = tables.frame(scores, score_cols, lang).rename(columns={
        "n violation": quality.severity_name("Violation", lang), "n warning": quality.severity_name("Warning", lang),
        "n info": quality.severity_name("Info", lang)})
    ui.table(df, "quality_scores", select=False, column_config=cfg)

    _problems(store, report, ward, lang)

    if ward:
        st.subheader(t("Điểm đầy đủ theo đơn vị chịu trách nhiệm", "Completeness by responsible unit"))
        units = quality.unit_score_rows(report, ward)
        if units:
            ui.chart(charts.bar(units, "unit", "score", lang=lang, tooltip=("passed", "checked")))


# Seconds the page waits for the report of a few plans (the first run, before the shard cache).
WAIT_SMALL = 120.0


def _scope(store, report, large):
    """(the report's part in view, the ward picked): a few wards: all or one; thousands: one
    province's wards, all or one (the counts of the whole country in a caption)."""
    if not large:
        ward_options = quality.ward_options(quality.wards(report), data.directory(store))
        ward = pickers.picker(t("Phường", "Ward"), ward_options, "quality_ward", none_label=t("Tất cả các phường", "All wards"),
                         url_key="ward")
        return report, ward
    wards = data.directory(store)
    national, plans = quality.severity_counts(report), ui.n(len(quality.plan_shards(report)))
    st.caption(t(f"Cả nước: {plans} kế hoạch, ", f"Whole country: {plans} plans, ")
               + ", ".join(f"{ui.n(national[s])} {quality.severity_name(s, ui.lang()).lower()}" for s in quality.SEVERITIES)
               + t(f" (kiểm tra trong {report.seconds:.0f} giây).", f" (checked in {report.seconds:.0f} s)."))
    province = pickers.province_picker(store, "quality_ward__province")
    part = quality.subset(report, lambda shard: (wards.get(shard.ward_iri) or _NOWHERE).province == province)
    options = quality.ward_options(quality.wards(part), wards)
    every = t(f"Tất cả {len(options)} phường, xã của {province}", f"All {len(options)} wards of {province}")
    ward = pickers.picker(t("Phường", "Ward"), options, "quality_ward", none_label=every, url_key="ward")
    return part, ward


class _Nowhere:
    province = None


_NOWHERE = _Nowhere()


@ui.fragment
def _problems(store, report, ward, lang) -> None:
    """The problems of the chosen ward by rule, at one severity, and their records; changing
    the severity reruns only this part."""
    st.subheader(t("Các vấn đề theo phường và quy tắc", "Problems by ward and rule"))
    ui.from_url("quality_severity", "severity", options=list(SEVERITY_FILTER))
    severity = st.radio(t("Mức độ", "Severity"), SEVERITY_FILTER, key="quality_severity", horizontal=True,
                        format_func=lambda s: t("Tất cả", "All") if s == "all" else quality.severity_name(s, lang))
    page_state = {"ward": ward, "severity": severity if severity != "all" else None}
    groups = quality.rule_rows(report, ward, None if severity == "all" else severity, lang)
    if not groups:
        st.success(t("Không có vấn đề nào ở mức độ này.", "No problem at this severity."))
        ui.to_url(page_state)
        return
    ui.table(tables.frame(groups, ["ward", "rule", "severity", "count", "message", "fix"], lang), "quality_rules",
             select=False, height=min(420, 38 + 35 * len(groups)))
    _drill_down(store, report, groups, page_state, lang)


@ui.fragment
def _drill_down(store, report, groups, page_state, lang) -> None:
    """One rule's findings, each record with its message and source line."""
    st.subheader(t("Xem chi tiết từng bản ghi", "Drill down to the records"))
    options = [(f"{g['ward_iri']}|{g['rule']}", f"{g['rule']} · {g['ward']} · {g['severity']} · {g['count']} "
                + t("kết quả", "results")) for g in groups]
    picked_group = pickers.picker(t("Quy tắc", "Rule"), options, "quality_group", url_key="rule")
    ui.to_url({**page_state, "rule": picked_group})
    if not picked_group:
        return
    g_ward, g_rule = picked_group.rsplit("|", 1)
    group = next(g for g in groups if g["ward_iri"] == g_ward and g["rule"] == g_rule)
    with st.container(border=True):
        st.markdown(f"**{ui.md(group['rule'])} — {ui.md(group['severity'])}** · {ui.md(group['message'])}")
        st.markdown(f":material/build: **{t('Cách sửa', 'How to fix')}:** {ui.md(group['fix'])}")
    rows = quality.finding_rows(report, g_ward, g_rule, lang)
    picked = ui.table(tables.frame(rows, ["record", "message", "path", "value", "line", "quote"], lang), f"quality_findings_{picked_group}",
                      height=min(420, 38 + 35 * len(rows)))
    ui.hint_select()
    if picked is not None:
        f = rows[picked]
        src = data.source_of(store, f["focus_iri"])
        if src is None and f.get("line") is not None:
            src = Source(iri=f["focus_iri"], kind="", label=f["record"], ward=f["ward"], document=f["ward"], file=f.get("file") or "",
                         section=None, line_start=f["line"], line_end=None, quote=f.get("quote"))
        ui.source_card(src, f["record"], {t("Vấn đề", "Problem"): f["message"]})


ui.run_page("Chất lượng dữ liệu", "Data quality", body,
            "Kết quả kiểm tra SHACL: vi phạm, cảnh báo và thông tin theo phường và quy tắc, cách sửa, và bản ghi kèm dòng nguồn.",
            "The SHACL validation: violations, warnings and notes by ward and rule, how to fix them, and each record with its source line.")
