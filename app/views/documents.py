"""Văn bản / Documents."""

import streamlit as st

from plangraph.query.catalog import run
from plangraph_app import data, documents, graphs, pickers, tables, trace, ui
from plangraph_app.tables import iso

t = ui.t
MODES = ("plan", "cited")


def body(store) -> None:
    lang = ui.lang()
    ui.from_url("doc_mode", "mode", options=MODES)
    mode = st.radio(t("Xem", "Show"), MODES, key="doc_mode", horizontal=True,
                    format_func=lambda m: t("Kế hoạch của một phường", "A ward's plan") if m == "plan"
                    else t("Một văn bản được viện dẫn (lược đồ)", "A cited document (relation view)"))
    if mode == "plan":
        _plan(store, lang)
    else:
        _cited(store, lang)


def _plan(store, lang) -> None:
    scope = pickers.scope_picker(store, "doc_ward", t("Phường", "Ward"))
    if scope.ward is None:
        return
    ward_iri, ward = scope.ward.iri, scope.ward.name
    index = data.ward_sources(store, scope.ward)
    plan = index.plan_of(ward, ward_iri)
    records = documents.plan_records(index, ward, ward_iri=ward_iri)
    if plan is None and not records:
        st.info(t("Phường này chưa có kế hoạch trong đồ thị.", "This ward has no plan in the graph."))
        return
    if plan is not None:
        st.subheader(plan.label)
        st.caption(t(f"Tệp nguồn {plan.file} · {len(records)} bản ghi có dòng nguồn",
                     f"Source file {plan.file} · {len(records)} records with a source line"))
        with st.expander(t("Phần đầu văn bản (dòng 1–30)", "Opening of the document (lines 1–30)")):
            st.markdown("> " + ui.md(" ".join((plan.quote or "").split())))
    c = documents.counts(records)
    cols = st.columns(max(1, min(5, len(c))))
    for i, (k, n) in enumerate(list(c.items())[:5]):
        cols[i].metric(documents.kind_name(k, lang), n)

    _records(index, records, list(c), scope, lang)


@ui.fragment
def _records(index, records, kinds_all, scope, lang) -> None:
    """The plan's records by kind and section, in document order, each with its line and quote."""
    kinds = st.multiselect(t("Loại bản ghi", "Record kinds"), kinds_all,
                           default=[k for k in ("Chỉ tiêu", "Nhiệm vụ", "Trích dẫn") if k in kinds_all],
                           format_func=lambda k: documents.kind_name(k, lang), key="doc_kinds")
    shown = [s for s in records if s.kind in kinds]
    sections = documents.outline(shown, lang)
    options = [(p, f"{p} — " + ", ".join(f"{n} {documents.kind_name(k, lang).lower()}" for k, n in v["counts"].items()))
               for p, v in sections.items()]
    section = pickers.picker(t("Mục", "Section"), options, "doc_section", none_label=t("— toàn văn bản —", "— whole document —"),
                        url_key="section")
    ui.to_url({"mode": "plan", **scope.url(), "section": section})
    rows = documents.record_rows(shown, lang, section)
    st.caption(t(f"{len(rows)} bản ghi theo thứ tự trong văn bản, mỗi bản ghi kèm dòng và câu trích nguyên văn.",
                 f"{len(rows)} records in document order, each with its line and quote."))
    picked = ui.table(tables.frame(rows, ["line", "kind", "label", "section", "quote"], lang), f"doc_records_{scope.ward_iri}_{section}_{len(rows)}", height=460)
    ui.hint_select()
    if picked is not None:
        r = rows[picked]
        ui.source_card(index.get(r["record_iri"]), f"{r['kind']} · {r['label']}")


def _cited(store, lang) -> None:
    large = data.directory(store).large
    c1, c2 = st.columns([3, 2]) if large else (st.container(), None)
    scope = pickers.Scope()
    if c2 is not None:
        with c2:  # thousands of wards: the citations of one ward's plan (the counts stay national)
            scope = pickers.scope_picker(store, "doc_cited_ward", t("Phường", "Ward"))
    with c1:
        docs = ui.choices_of(store, "document")
        if docs is None:
            return
        iri = pickers.picker(t("Văn bản", "Document"), docs, "doc_cited", default=trace.DEFAULT_DOCUMENT, searchable=True,
                        url_key="doc", example="quyet dinh 3068")
    ui.to_url({"mode": "cited", "doc": iri, **scope.url()})
    if iri is None:
        return
    name, level = trace.split_document_label(dict(docs).get(iri, iri))
    details = ui.document_rows(store)
    info = documents.document_info(details, iri) if details else None
    down = data.cached(store, trace.down, iri, scope.ward_iri)
    params = {"document": iri, **({"ward": scope.ward_iri} if scope.ward_iri else {})}
    conflicts = data.cached(store, _conflicts, tuple(sorted(params.items())))
    # two wards of one name: the province follows the name in the relation view and the table
    cites = data.directory(store).named(documents.citations_of(down, conflicts))
    st.subheader(name)
    if info:
        m = st.columns(4)
        m[0].metric(t("Cơ quan ban hành", "Issuer"), info.get("issuer") or "—")
        m[1].metric(t("Cấp", "Level"), info.get("scope") or level or "—")
        m[2].metric(t("Ngày ban hành", "Date"), iso(info.get("date")) or "—")
        m[3].metric(t("Số lần viện dẫn", "Citations"), info.get("citation_count") or 0)
        dates = documents.dates_disagree(info)
        if dates:
            st.warning(t("Các kế hoạch ghi ngày ban hành khác nhau: ", "Plans state different dates: ") + ", ".join(dates)
                       + t(" — xem từng lần viện dẫn bên dưới.", " — see each citation below."))
    if not cites:
        if scope.ward is not None:
            st.info(t(f"Kế hoạch của {scope.ward.label} không viện dẫn văn bản này.",
                      f"The plan of {scope.ward.label} does not cite this document."))
        else:
            st.info(t("Không kế hoạch nào trong đồ thị viện dẫn văn bản này.", "No plan in the graph cites this document."))
        return
    st.markdown(f"**{t('Lược đồ', 'Relation view')}**")
    g = graphs.relation_view(iri, name, level, cites, documents.implementing(down), lang)
    ui.graph(g.to_dot())
    st.markdown(f"**{t('Các lần viện dẫn', 'Citations')}**")
    index = data.index(store) if scope.ward is None else data.ward_sources(store, scope.ward)
    for c in cites:
        src = documents.citation_source(index, c["ward"], c["source_line"], info.get("number") if info else None,
                                        c.get("ward_iri"))
        c["quote"] = src.quote if src else None
    columns = ["ward", "plan", "role", "section", "source_line", "stated_date", "stated_issuer", "quote"]
    picked = ui.table(tables.frame(cites, columns, lang), f"doc_citations_{iri}", height=360)
    ui.hint_select()
    if picked is not None:
        r = cites[picked]
        ui.source_card(documents.citation_source(index, r["ward"], r["source_line"], info.get("number") if info else None,
                                                 r.get("ward_iri")),
                       f"{r.get('plan')} – {r.get('role')}")


def _conflicts(store, params):
    return run(store, "citation-conflicts", dict(params)).values()


ui.run_page("Văn bản", "Documents", body,
            "Kế hoạch của từng phường với các mục, trích dẫn, chỉ tiêu và nhiệm vụ (kèm dòng nguồn); và lược đồ của một văn bản: những kế hoạch nào viện dẫn nó.",
            "Each ward's plan with its sections, citations, indicators and tasks (with source lines); and a document's relation view: which plans cite it.")
