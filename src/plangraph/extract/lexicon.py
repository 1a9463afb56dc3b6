"""Generic Vietnamese planning vocabulary the extractor recognises (not tied to any plan)."""

from __future__ import annotations

from ..text import fold

# Domain keywords (folded) in order of precedence: the first domain whose keyword occurs
# in a heading wins. Culture-society comes before economy so "văn hóa - xã hội" is not economy.
DOMAIN_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("party-building", ("xay dung dang", "dang vien", "to chuc co so dang", "he thong chinh tri", "cong tac dang")),
    ("digital-transformation", ("chuyen doi so", "khoa hoc cong nghe", "khoa hoc, cong nghe", "cong nghe thong tin", "doi moi sang tao", "chinh quyen so", "kinh te so", "xa hoi so")),
    ("defence-security", ("quoc phong", "an ninh", "quan su", "trat tu an toan")),
    ("governance", ("cai cach hanh chinh", "chinh quyen", "hanh chinh", "dich vu cong")),
    ("environment", ("moi truong", "tai nguyen", "bien doi khi hau", "chat thai", "rac thai")),
    ("health", ("y te", "suc khoe", "bao hiem y te", "dan so")),
    ("education", ("giao duc", "dao tao", "truong hoc")),
    ("culture-society", ("van hoa", "xa hoi", "an sinh", "lao dong", "giam ngheo", "viec lam", "du lich, van hoa")),
    ("infrastructure", ("do thi", "ha tang", "xay dung co ban", "xay dung - cong nghiep", "giao thong", "quy hoach", "cong nghiep", "nuoc sach")),
    ("economy", ("kinh te", "ngan sach", "thuong mai", "dich vu", "nong nghiep", "dau tu", "du lich", "tai chinh", "doanh nghiep")),
]


def domains_of(text: str) -> list[str]:
    """Every domain a heading names, in order of appearance in the heading."""
    f = fold(text)
    hits: list[tuple[int, str]] = []
    for domain, keys in DOMAIN_KEYWORDS:
        positions = [f.find(k) for k in keys if k in f]
        if positions:
            hits.append((min(positions), domain))
    # "văn hóa - xã hội" names one domain, not culture + society + economy ("xã hội" has no economy key).
    return [d for _, d in sorted(hits)]


def domain_of(text: str) -> str | None:
    found = domains_of(text)
    return found[0] if found else None

# The 34 provincial-level units since 1 July 2025 and the 29 former provinces merged into
# them: citation texts of both eras name them ("Tỉnh ủy Hà Tĩnh", "UBND tỉnh Bắc Kạn").
PROVINCES = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)
FORMER_PROVINCES = (
    "Hà Giang", "Yên Bái", "Bắc Kạn", "Vĩnh Phúc", "Hòa Bình", "Bắc Giang", "Thái Bình", "Hải Dương", "Hà Nam",
    "Nam Định", "Quảng Bình", "Quảng Nam", "Kon Tum", "Bình Định", "Ninh Thuận", "Đắk Nông", "Bình Thuận",
    "Phú Yên", "Bà Rịa - Vũng Tàu", "Bình Dương", "Bình Phước", "Long An", "Sóc Trăng", "Hậu Giang", "Bến Tre",
    "Trà Vinh", "Tiền Giang", "Bạc Liêu", "Kiên Giang",
)
CENTRAL_CITIES = ("Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ")


def find_province(text: str) -> str | None:
    """The first province (current or former) a text names, by folded match."""
    f = fold(text)
    best: tuple[int, str] | None = None
    for name in (*PROVINCES, *FORMER_PROVINCES):
        pos = f.find(fold(name))
        if pos >= 0 and (best is None or pos < best[0]):
            best = (pos, name)
    return best[1] if best else None
