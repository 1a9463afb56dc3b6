"""Tìm kiếm / Search."""

import streamlit as st

from plangraph_app import data, pickers, search, tables, ui

t = ui.t


def body(store) -> None:
    lang = ui.lang()
    ui.from_url("search_text", "text")
    c1, c2 = st.columns([3, 2])
    text = c1.text_input(t("Tìm gì?", "Search for"), key="search_text",
                         placeholder=t("ví dụ: bao hiem y te, ham rong, chuyen doi so", "e.g. bao hiem y te, ham rong"),
                         help=t("Không phân biệt dấu và chữ hoa: \"ham rong\" tìm thấy \"Hàm Rồng\".",
                                "Accents and case are ignored: \"ham rong\" finds \"Hàm Rồng\"."))
    with c2:  # thousands of wards: the whole country by default, or a province's ward
        scope = pickers.scope_picker(store, "search_ward", t("Phường", "Ward"), all_label=t("Tất cả các phường", "All wards"),
                                nation=True)
    ward = scope.ward_iri
    ui.to_url({"text": text or None, **scope.url()})
    if not (text or "").strip():
        st.info(t("Gõ một cụm từ để tìm trong tên phường, kế hoạch, chỉ tiêu, nhiệm vụ, đơn vị và văn bản, và trong câu trích nguyên văn.",
                  "Type a phrase to search ward, plan, indicator, task, unit and document names and the quoted source text."))
        return
    # Each hit's line from the whole index of a small graph; on a big one, when its row is clicked.
    rows = search.shape(data.cached(store, search.search, text, ward), data.index(store), lang)
    if not rows:
        st.info(t(f"Không tìm thấy \"{text}\". Thử ít từ hơn hoặc bỏ chọn phường.",
                  f"Nothing found for \"{text}\". Try fewer words or all wards."))
        return
    counts = search.kind_counts(rows)
    more = t(f" (hiện {len(rows)} kết quả đầu; thêm từ hoặc chọn phường để thu hẹp)",
             f" (the first {len(rows)} shown; add words or pick a ward to narrow down)") if len(rows) >= search.LIMIT else ""
    st.markdown(t(f"**{len(rows)} kết quả**: ", f"**{len(rows)} results**: ")
                + " · ".join(f"{ui.md(k)} {n}" for k, n in counts.items()) + more)
    columns = ["kind", "label", "wards", "source", "snippet"] if data.index(store) is not None else ["kind", "label", "wards", "snippet"]
    picked = ui.table(tables.frame(rows, columns, lang), f"search_results_{text}_{ward}", height=480)
    ui.hint_select()
    if picked is not None:
        r = rows[picked]
        ui.source_card(data.source_of(store, r.get("item_iri")), f"{r['kind']} · {r['label']}", {t("Phường", "Wards"): r.get("wards")})


ui.run_page("Tìm kiếm", "Search", body,
            "Tìm trong mọi thứ của đồ thị, gõ không dấu cũng được.",
            "Search everything in the graph; accents optional.")
