"""Văn bản / Documents."""

import streamlit as st

from plangraph.query.catalog import run
from plangraph.query.choices import choices
from plangraph_app import documents, graphs, tables, trace, ui
from plangraph_app.tables import iso
from plangraph_app.wards import names as ward_names

t = ui.t
MODES = ("plan", "cited")


def body(store) -> None:
    lang = ui.lang()
    index = ui.index(store)
    ui.from_url("doc_mode", "mode", options=MODES)
    mode = st.radio(t("Xem", "Show"), MODES, key="doc_mode", horizontal=True,
                    format_func=lambda m: t("Kế hoạch của một phường", "A ward's plan") if m == "plan"
                    else t("Một văn bản được viện dẫn (lược đồ)", "A cited document (relation view)"))
    if mode == "plan":
        _plan(store, index, lang)
    else:
        _cited(store, index, lang)


def _plan(store, index, lang) -> None:
    wards = choices(store, "ward")
    ward_iri = ui.picker(t("Phường", "Ward"), wards, "doc_ward", url_key="ward")
    if ward_iri is None:
        return
    ward = ward_names(store).get(ward_iri, "")
    plan = index.plan_of(ward)
    records = documents.plan_records(index, ward)
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

    _records(index, records, list(c), ward_iri, lang)


@ui.fragment
def _records(index, records, kinds_all, ward_iri, lang) -> None:
    """The plan's records by kind and section, in document order, each with its line and quote."""
    kinds = st.multiselect(t("Loại bản ghi", "Record kinds"), kinds_all,
                           default=[k for k in ("Chỉ tiêu", "Nhiệm vụ", "Trích dẫn") if k in kinds_all],
                           format_func=lambda k: documents.kind_name(k, lang), key="doc_kinds")
    shown = [s for s in records if s.kind in kinds]
    sections = documents.outline(shown, lang)
    options = [(p, f"{p} — " + ", ".join(f"{n} {documents.kind_name(k, lang).lower()}" for k, n in v["counts"].items()))
               for p, v in sections.items()]
    section = ui.picker(t("Mục", "Section"), options, "doc_section", none_label=t("— toàn văn bản —", "— whole document —"),
                        url_key="section")
    ui.to_url({"mode": "plan", "ward": ward_iri, "section": section})
    rows = documents.record_rows(shown, lang, section)
    st.caption(t(f"{len(rows)} bản ghi theo thứ tự trong văn bản, mỗi bản ghi kèm dòng và câu trích nguyên văn.",
                 f"{len(rows)} records in document order, each with its line and quote."))
    picked = ui.table(tables.frame(rows, ["line", "kind", "label", "section", "quote"], lang), f"doc_records_{ward_iri}_{section}_{len(rows)}", height=460)
    ui.hint_select()
    if picked is not None:
        r = rows[picked]
        ui.source_card(index.get(r["record_iri"]), f"{r['kind']} · {r['label']}")


def _cited(store, index, lang) -> None:
    docs = choices(store, "document")
    iri = ui.picker(t("Văn bản", "Document"), docs, "doc_cited", default=trace.DEFAULT_DOCUMENT, searchable=True,
                    url_key="doc", example="quyet dinh 3068")
    ui.to_url({"mode": "cited", "doc": iri})
    if iri is None:
        return
    name, level = trace.split_document_label(dict(docs).get(iri, iri))
    info = documents.document_info(ui.export_rows(store, "documents"), iri)
    down = trace.down(store, iri)
    conflicts = run(store, "citation-conflicts", {"document": iri}).values()
    cites = documents.citations_of(down, conflicts)
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
        st.info(t("Không kế hoạch nào trong đồ thị viện dẫn văn bản này.", "No plan in the graph cites this document."))
        return
    st.markdown(f"**{t('Lược đồ', 'Relation view')}**")
    g = graphs.relation_view(iri, name, level, cites, documents.implementing(down), lang)
    ui.graph(g.to_dot())
    st.markdown(f"**{t('Các lần viện dẫn', 'Citations')}**")
    for c in cites:
        src = documents.citation_source(index, c["ward"], c["source_line"], info.get("number") if info else None)
        c["quote"] = src.quote if src else None
    columns = ["ward", "plan", "role", "section", "source_line", "stated_date", "stated_issuer", "quote"]
    picked = ui.table(tables.frame(cites, columns, lang), f"doc_citations_{iri}", height=360)
    ui.hint_select()
    if picked is not None:
        r = cites[picked]
        ui.source_card(documents.citation_source(index, r["ward"], r["source_line"], info.get("number") if info else None),
                       f"{r.get('plan')} – {r.get('role')}")


ui.run_page("Văn bản", "Documents", body,
            "Kế hoạch của từng phường với các mục, trích dẫn, chỉ tiêu và nhiệm vụ (kèm dòng nguồn); và lược đồ của một văn bản: những kế hoạch nào viện dẫn nó.",
            "Each ward's plan with its sections, citations, indicators and tasks (with source lines); and a document's relation view: which plans cite it.")
