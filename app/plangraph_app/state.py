"""The store, loaded once per process and shared read-only by every session."""

from __future__ import annotations

import streamlit as st

from plangraph.config import settings
from plangraph.store import Store, open_store


@st.cache_resource(show_spinner="Đang nạp đồ thị / loading the graph…")
def get_store() -> Store:
    return open_store(settings())
