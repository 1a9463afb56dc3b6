"""The pickers the pages share: the ward a page is about (one picker for a few wards, province
then ward for thousands), and a selectbox over (value, label) pairs with a diacritic-insensitive
filter box, its choice kept in the URL."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Sequence

import streamlit as st

from plangraph.store import Store
from plangraph.text import fold, squash

from . import data
from .ui import from_url, t
from .wards import Ward


# --------------------------------------------------------------------------- ward scope

@dataclass(frozen=True)
class Scope:
    """What a page shows: one ward, a province (big graph), or everything (both None)."""

    province: str | None = None
    ward: Ward | None = None

    @property
    def ward_iri(self) -> str | None:
        return self.ward.iri if self.ward else None

    def url(self) -> dict[str, str | None]:
        return {"province": self.province, "ward": self.ward_iri}


def province_picker(store: Store, key: str, *, nation: bool = False, start: str = "province",
                    url_ward: str = "ward") -> str | None:
    """A province of a big graph, the first one unless `start` is "nation"; `nation` offers
    "the whole country" (returned as None). A ward in the URL (a permalink, a graph's "more"
    box) opens its province."""
    wards = data.directory(store)
    if key not in st.session_state:
        linked = wards.get(st.query_params.get(url_ward))
        if linked is not None:
            st.session_state[key] = linked.province
    provinces = wards.provinces()
    return picker(t("Tỉnh, thành phố", "Province"), [(p, p) for p in provinces], key, url_key="province",
                  none_label=t("Cả nước", "Whole country") if nation else None,
                  default=ALL if start == "nation" or not provinces else provinces[0])


def scope_picker(store: Store, key: str, label: str, *, all_label: str | None = None, nation: bool = False,
                 url_key: str = "ward") -> Scope:
    """The ward a page is about. A few wards: one picker, with `all_label` as its "all" entry.
    Thousands: the province first (`nation` adds "the whole country", then the start), then
    one ward of it."""
    wards = data.directory(store)
    if not wards.large:
        value = picker(label, wards.options(), key, none_label=all_label, url_key=url_key)
        return Scope(None, wards.get(value))
    province = province_picker(store, f"{key}__province", nation=nation, start="nation" if nation else "province",
                               url_ward=url_key)
    if province is None:
        return Scope(None, None)
    value = picker(label, wards.options(province), key, url_key=url_key)
    return Scope(province, wards.get(value))


# --------------------------------------------------------------------------- pickers

def filter_options(options: Sequence[tuple[str, str]], text: str | None) -> list[tuple[str, str]]:
    """Options whose label (or value) holds every typed word, ignoring diacritics and case."""
    words = squash(fold(text or "")).split()
    if not words:
        return list(options)
    out = []
    for value, label in options:
        hay = _folded(f"{label} {value}")
        if all(w in hay for w in words):
            out.append((value, label))
    return out


@functools.lru_cache(maxsize=16384)
def _folded(text: str) -> str:
    """`text` folded for matching (the same labels are searched on every keystroke)."""
    return squash(fold(text))


# The "all / none" entry of a picker: a string, since a selectbox shows None as "no choice".
ALL = "*"


def picker(label: str, options: Sequence[tuple[str, str]], key: str, *, default: str | None = None,
           searchable: bool = False, none_label: str | None = None, url_key: str | None = None,
           help: str | None = None, example: str | None = None) -> str | None:
    """A selectbox over (value, label) pairs; `searchable` adds a diacritic-insensitive filter
    box ("nghi quyet 57" finds "Nghị quyết 57-NQ/TW"); `none_label` offers "all"."""
    labels = dict(options)
    from_url(key, url_key, options=list(labels))
    shown = list(options)
    if searchable:
        short = label.split(" (")[0]
        typed = st.text_input(t(f"Tìm {short[:1].lower() + short[1:]} (gõ không dấu cũng được)",
                                f"Find {short[:1].lower() + short[1:]} (accents optional)"),
                              key=f"{key}__filter", placeholder=(t("ví dụ: ", "e.g. ") + example) if example else None)
        shown = filter_options(options, typed)
        if typed and not shown:
            st.warning(t("Không có lựa chọn nào khớp với từ đã gõ.", "Nothing matches what you typed."))
        current = st.session_state.get(key)
        if typed and shown and current not in dict(shown):
            st.session_state[key] = shown[0][0]
    values: list[Any] = [v for v, _ in shown]
    if none_label is not None:
        values = [ALL] + values
        if st.session_state.get(key) is None:  # "all" unless a default is given (a first visit)
            st.session_state[key] = default if key not in st.session_state and default in values else ALL
    if not values:
        return None
    if key not in st.session_state or st.session_state[key] not in values:
        st.session_state[key] = default if default in values else values[0]
    fmt = (lambda v: none_label if v == ALL else labels.get(v, str(v)))
    value = st.selectbox(label, values, key=key, format_func=fmt, help=help)
    return None if value == ALL else value
