"""The pages of the app: file, URL path, titles and icon (the router builds st.Page from these)."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import pick


@dataclass(frozen=True)
class PageSpec:
    key: str
    title_vi: str
    title_en: str
    icon: str

    @property
    def file(self) -> str:
        return f"views/{self.key}.py"

    def title(self, lang: str) -> str:
        return pick(lang, self.title_vi, self.title_en)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "Tổng quan", "Overview", ":material/dashboard:"),
    PageSpec("trace", "Truy vết", "Trace", ":material/account_tree:"),
    PageSpec("compare", "So sánh", "Compare", ":material/bar_chart:"),
    PageSpec("units", "Đơn vị", "Units", ":material/groups:"),
    PageSpec("quality", "Chất lượng dữ liệu", "Data quality", ":material/fact_check:"),
    PageSpec("queries", "Thư viện truy vấn", "Query library", ":material/library_books:"),
    PageSpec("documents", "Văn bản", "Documents", ":material/description:"),
    PageSpec("search", "Tìm kiếm", "Search", ":material/search:"),
)


def spec(key: str) -> PageSpec:
    for p in PAGES:
        if p.key == key:
            return p
    raise KeyError(key)
