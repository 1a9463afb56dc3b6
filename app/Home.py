"""plangraph: the Streamlit entry point, only a router over the pages in views/."""

from __future__ import annotations

import streamlit as st

from plangraph_app import ui
from plangraph_app.pages import PAGES

st.set_page_config(page_title="plangraph – Kế hoạch phát triển KT-XH cấp xã", page_icon="🗺️", layout="wide",
                   initial_sidebar_state="expanded")

st.session_state["_active_store"] = ui.sidebar()
lang = ui.lang()
nav = st.navigation([
    st.Page(p.file, title=p.title(lang), icon=p.icon, url_path=p.key, default=(i == 0))
    for i, p in enumerate(PAGES)
])
try:
    nav.run()
finally:  # also when the page stops or reruns early
    ui.after_page(st.session_state["_active_store"].store)
