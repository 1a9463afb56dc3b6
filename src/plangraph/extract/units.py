"""Ward units and leader roles: one canonical name per unit, whatever the spelling.

"BCH Quân sự phường" = "Ban CHQS phường" = "Ban Chỉ huy quân sự". The patterns are the
generic ward structure after the 2025 reorganisation, not any one plan's list.
"""

from __future__ import annotations

import re

from ..text import fold, squash

# (canonical name, kind, folded patterns). Order matters: specific before general.
_CANON: list[tuple[str, str, tuple[str, ...]]] = [
    ("Phó Chủ tịch UBND phụ trách kinh tế", "leader", (r"pho chu tich (?:ubnd|uy ban nhan dan)[^;]*?phu trach (?:linh vuc )?kinh te",)),
    ("Phó Chủ tịch UBND phụ trách văn hóa - xã hội", "leader", (r"pho chu tich (?:ubnd|uy ban nhan dan)[^;]*?phu trach (?:linh vuc )?(?:van xa|van hoa)",)),
    ("Phó Chủ tịch UBND", "leader", (r"pho chu tich (?:ubnd|uy ban nhan dan)", r"^cac pct ubnd")),
    ("Chủ tịch UBND", "leader", (r"^chu tich (?:ubnd|uy ban nhan dan)",)),
    ("Văn phòng HĐND và UBND", "unit", (r"van phong (?:hdnd|hoi dong nhan dan|ubnd) va (?:ubnd|uy ban nhan dan)", r"van phong hdnd[ -]ubnd")),
    ("Phòng Kinh tế, Hạ tầng và Đô thị", "unit", (r"phong kinh te,? ha tang va do thi", r"phong kt,? ?ht ?& ?dt", r"phong kinh te - ha tang")),
    ("Phòng Kinh tế", "unit", (r"^phong kinh te\b",)),
    ("Phòng Văn hóa - Xã hội", "unit", (r"phong van hoa ?-? ?xa hoi", r"phong vh ?-? ?xh")),
    ("Trung tâm Phục vụ hành chính công", "unit", (r"trung tam phuc vu hanh chinh cong",)),
    ("Trung tâm Dịch vụ sự nghiệp công", "unit", (r"trung tam (?:dich vu|dv) su nghiep cong",)),
    ("Trung tâm Dịch vụ tổng hợp", "unit", (r"trung tam (?:dich vu|dv) tong hop",)),
    ("Ban Chỉ huy quân sự", "unit", (r"ban chi huy quan su", r"ban chqs", r"bch quan su", r"bchqs", r"ban chi huy quan su")),
    ("Công an", "unit", (r"^cong an (?:phuong|xa|dac khu)", r"^cong an$")),
    ("Trạm Y tế", "unit", (r"tram y te",)),
    ("Ban Quản lý dự án", "unit", (r"ban quan ly (?:cac )?du an", r"bql (?:cac )?du an")),
    ("Ủy ban MTTQ Việt Nam", "unit", (r"uy ban (?:mttq|mat tran to quoc)", r"ubmttq", r"^mttq")),
    ("Tổ dân phố", "unit", (r"^(?:cac )?(?:to dan pho|tdp)\b",)),
    ("Các trường học", "unit", (r"^(?:cac )?truong hoc",)),
    ("Chi cục Thuế", "unit", (r"chi cuc thue", r"thue co so")),
    ("Các tổ chức chính trị - xã hội", "unit", (r"(?:cac )?(?:to chuc chinh tri - xa hoi|doan the)",)),
    ("Thường trực HĐND", "unit", (r"thuong truc (?:hdnd|hoi dong nhan dan)",)),
    ("Các Ban của HĐND", "unit", (r"cac ban (?:cua )?(?:hdnd|hoi dong nhan dan)",)),
    ("Tổ công nghệ số cộng đồng", "unit", (r"to cong nghe so cong dong",)),
    ("Ủy ban Kiểm tra Đảng ủy", "unit", (r"uy ban kiem tra dang uy",)),
    ("Đảng ủy", "unit", (r"^dang uy(?: phuong| xa)?$", r"(?<!thuong truc )(?<!uy ban kiem tra )\bdang uy (?:phuong|xa)\b")),
    ("HĐND", "unit", (r"^(?:hdnd|hoi dong nhan dan)(?: phuong| xa)?$",)),
    ("UBND", "unit", (r"^(?:ubnd|uy ban nhan dan)(?: phuong| xa)?$",)),
]
_GENERIC = re.compile(r"^(?:cac |va )?(?:co quan|don vi|phong|ban|nganh)(?:, (?:don vi|co quan))*(?: lien quan| co lien quan| chuyen mon)?$")


def canonical_unit(name: str) -> tuple[str, str] | None:
    """(canonical name, kind) of a unit or leader role; None for generic phrases
    ("các đơn vị liên quan") that name no unit."""
    s = squash(name).strip(" .;:,()")
    f = fold(s)
    f = re.sub(r"\s+", " ", f)
    if not f or _GENERIC.match(f):
        return None
    for canon, kind, patterns in _CANON:
        if any(re.search(p, f) for p in patterns):
            return canon, kind
    return None


def unit_key(name: str) -> str:
    """A comparison key for a unit name: canonical when known, else folded without locality words."""
    c = canonical_unit(name)
    if c:
        return fold(c[0])
    f = fold(name)
    return re.sub(r"\b(phuong|xa|dac khu)\b.*$", "", f).strip(" ,")


def split_units(cell: str) -> list[str]:
    """A cell naming several bodies: "Công an phường; các Tổ dân phố"."""
    parts = re.split(r"\s*;\s*|\s+và\s+(?=(?:Phòng|Ban|Công an|Trung tâm|Văn phòng|Trạm|Ủy ban|các|Các)\b)", cell)
    return [p.strip(" .,") for p in parts if p.strip(" .,")]


def find_units(text: str) -> list[tuple[str, str]]:
    """Every unit or leader role a running text names, in order, without splitting names
    that contain commas ("Phòng Kinh tế, Hạ tầng và Đô thị")."""
    f = re.sub(r"\s+", " ", fold(text))
    hits: list[tuple[int, int, str, str]] = []
    for canon, kind, patterns in _CANON:
        for p in patterns:
            for m in re.finditer(p.lstrip("^"), f):
                hits.append((m.start(), m.end(), canon, kind))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[str, str]] = []
    end = -1
    for start, stop, canon, kind in hits:
        if start < end:
            continue
        end = stop
        if (canon, kind) not in out:
            out.append((canon, kind))
    return out


def unit_mentions(text: str) -> list[tuple[str, str, str]]:
    """(canonical, kind, printed spelling) for every unit a text names. `text` must be NFC:
    folding then keeps positions, so the printed spelling is cut from the original."""
    f = fold(text)
    if len(f) != len(text):
        return []
    out = []
    for canon, kind, patterns in _CANON:
        for p in patterns:
            for m in re.finditer(p.lstrip("^"), f):
                end = m.end()
                tail = re.match(r" (phuong|xa|dac khu)\b", f[end:])
                if tail:
                    end += tail.end()
                out.append((canon, kind, text[m.start() : end]))
    return out
