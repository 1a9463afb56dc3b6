"""Words of the app: Vietnamese first, English on the sidebar toggle.

Pure data and functions (no Streamlit), so tables and charts can be shaped and tested
without a running app. `ui.t(vi, en)` picks the session's language.
"""

from __future__ import annotations

LANGS = ("vi", "en")
LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}

# Result columns of the canned queries and the exports, as staff read them.
COLUMNS: dict[str, tuple[str, str]] = {
    "ward": ("Phường", "Ward"),
    "province": ("Tỉnh/thành phố", "Province"),
    "plan": ("Kế hoạch", "Plan"),
    "no": ("Số TT", "No."),
    "number": ("Số hiệu", "Number"),
    "group": ("Nhóm", "Group"),
    "name": ("Tên", "Name"),
    "label": ("Tên", "Name"),
    "item": ("Nội dung", "Item"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "indicators": ("Chỉ tiêu", "Indicators"),
    "tasks": ("Nhiệm vụ", "Tasks"),
    "concept": ("Khái niệm chuẩn", "Concept"),
    "concept_label": ("Khái niệm", "Concept"),
    "comparator": ("So sánh", "Comparator"),
    "value": ("Giá trị", "Value"),
    "value_max": ("Giá trị tối đa", "Max value"),
    "unit": ("Đơn vị", "Unit"),
    "unit_check": ("Đơn vị tính", "Unit check"),
    "uom": ("Đơn vị tính", "Unit of measure"),
    "periodicity": ("Chu kỳ", "Periodicity"),
    "target_year": ("Năm", "Year"),
    "qualitative": ("Mục tiêu định tính", "Qualitative target"),
    "status": ("Tình trạng", "Status"),
    "target": ("Mục tiêu", "Target"),
    "responsible_units": ("Đơn vị chịu trách nhiệm", "Responsible units"),
    "leader": ("Lãnh đạo chỉ đạo", "Directing leader"),
    "source_file": ("Tệp nguồn", "Source file"),
    "source_line": ("Dòng", "Line"),
    "source": ("Nguồn", "Source"),
    "line": ("Dòng", "Line"),
    "line_start": ("Từ dòng", "From line"),
    "line_end": ("Đến dòng", "To line"),
    "quote": ("Trích nguyên văn", "Quote"),
    "snippet": ("Trích đoạn", "Snippet"),
    "file": ("Tệp", "File"),
    "section": ("Mục", "Section"),
    "document": ("Văn bản", "Document"),
    "doc_type": ("Loại văn bản", "Type"),
    "issuer": ("Cơ quan ban hành", "Issuer"),
    "scope": ("Cấp", "Level"),
    "level": ("Cấp", "Level"),
    "date": ("Ngày", "Date"),
    "dates_seen": ("Các ngày được ghi", "Dates stated"),
    "cited_by": ("Phường viện dẫn", "Cited by"),
    "citation_count": ("Số lần viện dẫn", "Citations"),
    "citations": ("Số lần viện dẫn", "Citations"),
    "citing_wards": ("Các phường viện dẫn", "Citing wards"),
    "wards": ("Phường", "Wards"),
    "ward_count": ("Số phường, xã", "Wards"),
    "role": ("Vai trò", "Role"),
    "stated_date": ("Ngày được ghi", "Stated date"),
    "stated_issuer": ("Cơ quan được ghi", "Stated issuer"),
    "stated_number": ("Số hiệu được ghi", "Stated number"),
    "conflict": ("Mâu thuẫn về", "Conflict in"),
    "kind": ("Loại", "Kind"),
    "start_year": ("Năm bắt đầu", "Start year"),
    "due_year": ("Năm đến hạn", "Due year"),
    "due_date": ("Hạn chót", "Deadline"),
    "due_text": ("Thời hạn ghi trong văn bản", "Stated timing"),
    "units": ("Đơn vị chịu trách nhiệm", "Responsible units"),
    "former_unit": ("Đơn vị cũ", "Former unit"),
    "former_count": ("Số đơn vị cũ", "Former units"),
    "relation": ("Quan hệ", "Relation"),
    "directs": ("Số việc chỉ đạo", "Items directed"),
    "domain": ("Lĩnh vực", "Domain"),
    "sdg_goal": ("Mục tiêu SDG", "SDG goal"),
    "sdg_indicator": ("Chỉ số SDG", "SDG indicator"),
    "sdg_title": ("Tên chỉ số SDG", "SDG indicator title"),
    "targets": ("Mục tiêu của phường", "Ward targets"),
    "mapped_indicators": ("Chỉ tiêu gắn SDG", "Mapped indicators"),
    "ward_indicators": ("Tổng số chỉ tiêu", "Ward indicators"),
    "coverage_pct": ("Độ bao phủ (%)", "Coverage (%)"),
    "sdg_indicators_covered": ("Số chỉ số SDG có chỉ tiêu", "SDG indicators covered"),
    "origin": ("Nguồn giao", "Origin"),
    "origin_count": ("Số chỉ tiêu cùng nguồn", "Count"),
    "link": ("Liên kết", "Link"),
    "reason": ("Lý do", "Reason"),
    "via_number": ("Qua văn bản", "Via document"),
    "step": ("Bậc", "Step"),
    "from": ("Từ", "From"),
    "to": ("Đến", "To"),
    "missing": ("Số thiếu", "Missing"),
    "of": ("Trên tổng số", "Of"),
    "indicators_lead": ("Chỉ tiêu chủ trì", "Indicators led"),
    "indicators_advise": ("Chỉ tiêu tham mưu", "Indicators advised"),
    "tasks_lead": ("Nhiệm vụ chủ trì", "Tasks led"),
    "tasks_coordinate": ("Nhiệm vụ phối hợp", "Tasks coordinated"),
    "total": ("Tổng số việc", "Total"),
    "leads_nothing": ("Không chủ trì việc nào", "Leads nothing"),
    "measure": ("Đo bằng", "Measure"),
    "timeframe": ("Thời gian thực hiện", "Timeframe"),
    "deadline": ("Hạn chót", "Deadline"),
    "output": ("Sản phẩm", "Output"),
    "implements": ("Thực hiện văn bản", "Implements"),
    "lead_unit": ("Đơn vị chủ trì", "Lead unit"),
    "coordinating_units": ("Đơn vị phối hợp", "Coordinating units"),
    "aliases": ("Cách viết khác", "Other spellings"),
    "tasks_total": ("Nhiệm vụ", "Tasks"),
    "completeness": ("Mức đầy đủ (%)", "Completeness (%)"),
    "documents_cited": ("Văn bản viện dẫn", "Documents cited"),
    "units_count": ("Đơn vị, chức danh", "Units and roles"),
    "former_units": ("Hình thành từ (sáp nhập 2025)", "Formed from (2025 merger)"),
    "plan_document": ("Văn bản kế hoạch", "Plan document"),
    "severity": ("Mức độ", "Severity"),
    "rule": ("Quy tắc", "Rule"),
    "count": ("Số kết quả", "Count"),
    "message": ("Nội dung", "Message"),
    "fix": ("Cách sửa", "How to fix"),
    "record": ("Bản ghi", "Record"),
    "path": ("Thuộc tính", "Property"),
    "score": ("Điểm đầy đủ (%)", "Completeness (%)"),
    "checked": ("Số phép kiểm", "Checks"),
    "passed": ("Số phép đạt", "Passed"),
    "category": ("Nhóm quy tắc", "Category"),
}

# Columns that carry identifiers or codes: used for lookups, never shown.
HIDDEN_SUFFIXES = ("_iri", "_code", "_key")
HIDDEN = {"iri", "record_iri", "document_iri", "item_iri"}


def pick(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def column_label(column: str, lang: str = "vi") -> str:
    """A column's header; unknown columns read as their name with spaces."""
    if column in COLUMNS:
        vi, en = COLUMNS[column]
        return pick(lang, vi, en)
    return column.replace("_", " ")


def is_hidden(column: str) -> bool:
    return column in HIDDEN or column.endswith(HIDDEN_SUFFIXES)


def bilingual(text: str, lang: str) -> str:
    """Query results often say "có chỉ tiêu / target": keep the side of the chosen language."""
    if " / " not in text:
        return text
    opened = text.startswith("(") and text.endswith(")")  # "(chưa giao / unassigned)"
    vi, _, en = (text[1:-1] if opened else text).partition(" / ")
    chosen = pick(lang, vi.strip(), en.strip())
    return f"({chosen})" if opened else chosen
