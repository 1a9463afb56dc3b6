"""plangraph: the Streamlit entry point (a router over the pages)."""

from __future__ import annotations

import streamlit as st

from plangraph_app.state import get_store

st.set_page_config(page_title="plangraph – Kế hoạch phát triển KT-XH cấp xã", page_icon="🗺️", layout="wide")


def overview() -> None:
    from plangraph.exports import export_table

    store = get_store()
    st.title("Tổng quan / Overview")
    st.caption(store.describe())
    indicators = export_table(store, "indicators").rows
    if not indicators:
        st.info("Đồ thị chưa có kế hoạch nào. Chạy `plangraph build` để dựng dữ liệu từ data/sources. / "
                "The graph holds no plans yet: run `plangraph build`.")
        return
    wards = sorted({r["ward"] for r in indicators})
    cols = st.columns(3)
    cols[0].metric("Phường/xã / Wards", len(wards))
    cols[1].metric("Chỉ tiêu / Indicators", len(indicators))
    cols[2].metric("Văn bản được viện dẫn / Documents cited", len(export_table(store, "documents").rows))
    st.dataframe(indicators, use_container_width=True, hide_index=True)


pg = st.navigation([st.Page(overview, title="Tổng quan / Overview", icon="🏠", default=True)])
pg.run()
