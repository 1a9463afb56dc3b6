"""Streamlit building blocks shared by the pages: language, sidebar, guarded page runs,
tables with row details, source cards, downloads, URL state (the pickers: pickers.py)."""

from __future__ import annotations

import functools
import logging
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import pandas as pd
import streamlit as st

from plangraph.errors import PlangraphError
from plangraph.store import Store

from . import data, permalink, state
from .i18n import LANG_NAMES, LANGS, column_label, pick
from .sources import Source

log = logging.getLogger("plangraph.app")


# --------------------------------------------------------------------------- language

def lang() -> str:
    value = st.session_state.get("lang", "vi")
    return value if value in LANGS else "vi"


def t(vi: str, en: str) -> str:
    return pick(lang(), vi, en)


def n(value: int) -> str:
    """A count as the reader writes it: 3.321 (Vietnamese), 3,321 (English)."""
    text = f"{int(value):,}"
    return text.replace(",", ".") if lang() == "vi" else text


# --------------------------------------------------------------------------- URL state

def from_url(key: str, url_key: str | None = None, options: Sequence[Any] | None = None,
             convert: Callable[[str], Any] = str) -> None:
    """Seed a widget's session value from the query string on a session's first visit."""
    if key in st.session_state:
        return
    raw = st.query_params.get(url_key or key)
    if raw in (None, ""):
        return
    try:
        value = convert(raw)
    except (TypeError, ValueError):
        return
    if options is not None and value not in options:
        return
    st.session_state[key] = value


def to_url(page_state: Mapping[str, Any]) -> None:
    """Write the page's state into the query string (the permalink of what is on screen)."""
    state_now = {k: st.query_params.get(k) for k in st.query_params.keys()}
    wanted = permalink.merged(state_now, page_state)
    if lang() != "vi":
        wanted["lang"] = lang()
    else:
        wanted.pop("lang", None)
    if {k: v for k, v in state_now.items()} != wanted:
        st.query_params.from_dict(wanted)


def permalink_url(page_state: Mapping[str, Any]) -> str:
    return link_maker()(page_state)


def link_maker() -> Callable[[Mapping[str, Any]], str]:
    """A function giving the permalink of a page state (the page URL read once: graphs
    link every node)."""
    base = st.context.url
    extra = {"lang": lang()} if lang() != "vi" else {}
    if st.session_state.get("endpoint"):
        extra["endpoint"] = st.session_state["endpoint"]
    return lambda page_state: permalink.url(base, {**page_state, **extra})


# --------------------------------------------------------------------------- sidebar

def sidebar() -> state.ActiveStore:
    """Language toggle and data source; returns the store the pages use."""
    from_url("lang", options=LANGS)
    from_url("endpoint")
    with st.sidebar:
        if st.session_state.get("lang") not in LANGS:
            st.session_state["lang"] = "vi"
        st.radio("Ngôn ngữ / Language", LANGS, format_func=LANG_NAMES.get, key="lang", horizontal=True)
        active = state.active_store(st.session_state.get("endpoint"))
        with st.expander(t("Nguồn dữ liệu", "Data source"), expanded=bool(active.problem)):
            st.text_input(
                t("SPARQL endpoint (để trống = dữ liệu có sẵn)", "SPARQL endpoint (empty = built-in data)"),
                key="endpoint", placeholder="http://localhost:7878/query",
                help=t("Địa chỉ một SPARQL endpoint đã nạp đồ thị (plangraph load --endpoint URL).",
                       "URL of a SPARQL endpoint holding the graph (plangraph load --endpoint URL)."))
            if active.problem:
                st.error(t("Không dùng được endpoint, đang dùng dữ liệu có sẵn: ",
                           "Cannot use the endpoint, showing the built-in data: ") + active.problem + ". "
                         + t("Kiểm tra địa chỉ và máy chủ SPARQL, hoặc để trống ô này.",
                             "Check the URL and the SPARQL server, or leave this box empty."))
            st.caption(active.store.describe())
    return active


# --------------------------------------------------------------------------- page frame

def run_page(title_vi: str, title_en: str, body: Callable[[Store], None], intro_vi: str = "", intro_en: str = "") -> None:
    """Title, intro, then the page body with the session's store; any failure becomes a
    clear message with the next step, never a traceback.

    The body is a fragment: a control of the page reruns the body only, not the router, the
    sidebar and the title (a page interaction has 300 ms; the language and the data source,
    in the sidebar, still rerun everything)."""
    st.title(t(title_vi, title_en))
    if intro_vi:
        st.caption(t(intro_vi, intro_en))
    active = st.session_state.get("_active_store")
    store = active.store if active is not None else state.get_store("")
    fragment(body)(store)


def after_page(store: Store) -> None:
    """What waits until the page has been drawn (data.after_page: the warm-up of a big graph).
    Its failure is logged, never shown: the page is already there."""
    try:
        data.after_page(store)
    except Exception:  # noqa: BLE001 - a store that failed here fails on the page itself too
        log.exception("starting the background work failed")


def guarded(fn: Callable[..., None]) -> Callable[..., None]:
    """`fn` with its failures shown as messages (a PlangraphError with its hint)."""
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            fn(*args, **kwargs)
        except PlangraphError as exc:
            st.error(t("Không thực hiện được: ", "Could not do it: ") + exc.message)
            if exc.hint:
                st.info(t("Cách xử lý: ", "What to do: ") + exc.hint)
        except Exception as exc:  # noqa: BLE001 - the last line of defence of a page
            log.exception("page part %s failed", getattr(fn, "__name__", "?"))
            st.error(t("Đã xảy ra lỗi khi hiển thị trang này: ", "Something went wrong on this page: ")
                     + f"{type(exc).__name__}: {str(exc)[:300]}")
            st.info(t("Thử chọn giá trị khác hoặc tải lại trang; nếu lỗi lặp lại, báo cho quản trị viên kèm đường dẫn trang.",
                      "Try another value or reload; if it persists, send the page link to the administrator."))
    return run


def fragment(fn: Callable[..., None]) -> Callable[..., None]:
    """A part of a page that reruns on its own when its widgets change (st.fragment), guarded."""
    return st.fragment(guarded(fn))


def document_rows(store: Store) -> tuple[dict, ...] | None:
    """Every cited document with issuer, level, date, dates seen and citations (the documents
    export); on a big graph None, with a note, until the background read is done."""
    if not data.directory(store).large:
        return data.export_rows(store, "documents")
    return awaited(data.documents_job(store), "nạp thông tin các văn bản (lần đầu sau khi khởi động)",
                   "loading the documents' details (once after start-up)")


def choices_of(store: Store, param_type: str) -> list[tuple[str, str]] | None:
    """Picker values of a type over the whole graph (documents, concepts). On a big graph the
    list is read once in the background: None (with a note) until it is ready."""
    from plangraph.query.choices import choices

    if not data.directory(store).large:
        return choices(store, param_type)
    what = {"document": ("nạp danh sách văn bản", "loading the documents"),
            "concept": ("nạp danh sách khái niệm chỉ tiêu", "loading the indicator concepts")}.get(
        param_type, ("nạp danh sách lựa chọn", "loading the choices"))
    return awaited(data.choices_job(store, param_type), *what)


# --------------------------------------------------------------------------- background work

def awaited(work: state.Job, what_vi: str, what_en: str, wait: float = 0.3) -> Any | None:
    """The result of a background job; until it is done, None and a note that follows its
    progress (the page reruns by itself when the job ends). A failed job is an error with the
    next step, and is started again on the next visit."""
    if not work.done:
        if wait > 1:  # a short job: wait here, saying what for (each update lets a click interrupt)
            note = st.empty()
            deadline = time.monotonic() + wait
            while not work.wait(0.5) and time.monotonic() < deadline:
                note.caption(t(f":material/hourglass_top: Đang {what_vi}… ({work.elapsed:.0f} giây)",
                               f":material/hourglass_top: {what_en[:1].upper() + what_en[1:]}… ({work.elapsed:.0f} s)"))
            note.empty()
        elif work.elapsed < wait:  # only a job just started may end within a moment
            work.wait(wait - work.elapsed)
    if work.done:
        if work.error is not None:
            state.forget(work.name)
            raise PlangraphError(work.error, work.hint or t("Tải lại trang để thử lại.", "Reload the page to try again."))
        return work.result
    _progress(work, what_vi, what_en)
    return None


def _progress(work: state.Job, what_vi: str, what_en: str) -> None:
    @st.fragment(run_every=1.0)
    def poll() -> None:
        if work.done:
            st.rerun()  # the whole page again, now with the result
        text = t(f"Đang {what_vi}… ({work.elapsed:.0f} giây; các trang khác vẫn dùng được)",
                 f"{what_en[:1].upper() + what_en[1:]}… ({work.elapsed:.0f} s; other pages keep working)")
        if work.total:
            st.progress(min(1.0, work.done_count / work.total), text=f"{text} · {work.done_count:,}/{work.total:,}")
        else:
            st.info(text, icon=":material/hourglass_top:")

    poll()


# --------------------------------------------------------------------------- widgets

def table(df: pd.DataFrame, key: str, *, select: bool = True, height: int | str = "auto",
          column_config: Mapping[str, Any] | None = None) -> int | None:
    """A dataframe; with `select`, clicking a row returns its position (for a details card)."""
    if df.empty:
        st.info(t("Không có dòng nào.", "No rows."))
        return None
    config = dict(column_config or {})
    wide = {column_label(c, lg) for c in ("quote", "snippet", "message", "fix") for lg in LANGS}
    for col in df.columns:
        if col in config:
            continue
        if col in wide:
            config[col] = st.column_config.TextColumn(col, width="large")
        elif pd.api.types.is_float_dtype(df[col]):
            # Decimals as the reader's browser writes them (97,5 in Vietnamese).
            config[col] = st.column_config.NumberColumn(col, format="localized")
    if isinstance(height, int) and 38 + 35 * len(df) < height:
        height = "auto"  # a short table without empty rows under it
    if not select:
        st.dataframe(df, hide_index=True, width="stretch", height=height, column_config=config)
        return None
    event = st.dataframe(df, hide_index=True, width="stretch", height=height, column_config=config,
                         on_select="rerun", selection_mode="single-row", key=key)
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    return rows[0] if rows else None


def source_card(src: Source | None, title: str | None = None, details: Mapping[str, Any] | None = None) -> None:
    """Where a record comes from: document, section, lines, file, and the quote as printed."""
    with st.container(border=True):
        if title:
            st.markdown(f"**{_md(title)}**")
        lines = [f"{_md(k)}: **{_md(str(v))}**" for k, v in (details or {}).items() if v not in (None, "")]
        if lines:
            st.markdown("  \n".join(lines))
        if src is None:
            st.caption(t("Bản ghi này không có đoạn nguồn riêng trong văn bản.",
                         "This record has no source excerpt of its own."))
            return
        st.markdown(f":material/description: **{t('Nguồn', 'Source')}:** {_md(src.citation(lang()))}")
        if src.quote:
            st.markdown("> " + _md(" ".join(src.quote.split())))


def hint_select() -> None:
    st.caption(t(":material/touch_app: Bấm vào một dòng để xem nguồn (văn bản, mục, dòng, trích nguyên văn).",
                 ":material/touch_app: Click a row to see its source (document, section, line, quote)."))


def _md(text: str) -> str:
    """Text shown literally in markdown (no emphasis, links or HTML from the data)."""
    out = str(text)
    for ch in "\\`*_{}[]<>#|~$":
        out = out.replace(ch, "\\" + ch)
    return out


md = _md


def downloads(name: str, columns: Sequence[str], rows: Sequence[Mapping[str, Any]], key: str) -> None:
    """CSV and Excel downloads of a result (the export writers: same columns as the CLI).

    The files are written when a button is clicked, not on every run: an Excel workbook
    costs 30 ms or more to write, and a click on a button needs no rerun of the page."""
    from plangraph.exports import Table, to_csv, to_xlsx

    columns, rows = list(columns), list(rows)

    def table_() -> Table:
        return Table(name[:31] or "query", columns, [{c: r.get(c) for c in columns} for r in rows])

    def csv_bytes() -> bytes:
        return to_csv(table_()).encode("utf-8-sig")

    def xlsx_bytes() -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{name}.xlsx"
            to_xlsx(table_(), path)
            return path.read_bytes()

    c1, c2 = st.columns(2)
    c1.download_button(t("⬇ Tải CSV", "⬇ Download CSV"), csv_bytes, file_name=f"{name}.csv", mime="text/csv",
                       key=f"{key}__csv", width="stretch", on_click="ignore")
    c2.download_button(t("⬇ Tải Excel", "⬇ Download Excel"), xlsx_bytes, file_name=f"{name}.xlsx", key=f"{key}__xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch",
                       on_click="ignore")


def graph(dot: str, stretch: bool = False) -> None:
    """A Graphviz graph at its natural size (small graphs stay small), or the page's width."""
    st.graphviz_chart(dot, width="stretch" if stretch else "content")


def chart(spec: dict) -> None:
    """A Vega-Lite chart (charts.py) with its own styling: legends beside, heights as designed."""
    st.vega_lite_chart(spec, width="stretch", theme=None)


def legend(items: Sequence[tuple[str, str]]) -> None:
    """A one-line colour legend: [(colour, text)]."""
    spans = " ".join(
        f'<span style="display:inline-block;margin-right:14px"><span style="display:inline-block;width:12px;height:12px;'
        f'background:{c};border-radius:2px;margin-right:5px;vertical-align:-1px"></span>{_html(txt)}</span>'
        for c, txt in items)
    st.markdown(f'<div style="font-size:0.85rem;color:#444">{spans}</div>', unsafe_allow_html=True)


def _html(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))
