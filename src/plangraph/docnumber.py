"""The grammar of Vietnamese document numbers and the facts the number alone tells.

State documents: N/TYPE-ISSUER, N/YYYY/TYPE-ISSUER, laws N/YYYY/QH15, official letters
N/ISSUER-DEPT (no type code). Party documents: N-TYPE/ISSUER. See DOMAIN.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import nfc

# Type codes as printed -> canonical code (the vocabulary's skos:notation).
TYPE_CODES = {
    "NQ": "NQ", "CT": "CT", "QĐ": "QĐ", "KL": "KL", "KH": "KH", "CTR": "CTr", "ĐA": "ĐA",
    "NĐ": "NĐ", "TT": "TT", "TTR": "TTr", "BC": "BC", "TB": "TB", "CV": "CV", "HD": "HD",
    "QC": "QC", "NQLT": "NQLT", "TTLT": "TT", "PA": "PA",
}
# Canonical type code -> the local name of its concept in vocab/doc-type.
TYPE_SLUGS = {
    "NQ": "nq", "CT": "ct", "QĐ": "qd", "KL": "kl", "KH": "kh", "CTr": "ctr", "ĐA": "da",
    "NĐ": "nd", "TT": "tt", "TTr": "ttr", "BC": "bc", "TB": "tb", "CV": "cv", "HD": "hd",
    "QC": "qc", "NQLT": "nqlt", "PA": "ptr", "Luật": "luat",
}
# Canonical type code -> (Vietnamese, English) name.
TYPE_NAMES = {
    "NQ": ("Nghị quyết", "Resolution"), "CT": ("Chỉ thị", "Directive"), "QĐ": ("Quyết định", "Decision"),
    "KL": ("Kết luận", "Conclusion"), "KH": ("Kế hoạch", "Plan"), "CTr": ("Chương trình", "Programme"),
    "ĐA": ("Đề án", "Scheme"), "NĐ": ("Nghị định", "Decree"), "TT": ("Thông tư", "Circular"),
    "TTr": ("Tờ trình", "Submission"), "BC": ("Báo cáo", "Report"), "TB": ("Thông báo", "Notice"),
    "CV": ("Công văn", "Official letter"), "HD": ("Hướng dẫn", "Guidance"), "QC": ("Quy chế", "Regulation"),
    "NQLT": ("Nghị quyết liên tịch", "Joint resolution"), "PA": ("Phương án", "Option plan"), "Luật": ("Luật", "Law"),
}
# Issuer codes that name one national body: a number under them is one national document.
CENTRAL_ISSUERS = {
    "TW", "BCT", "BBT", "BCHTW", "QH", "QH13", "QH14", "QH15", "QH16", "UBTVQH", "UBTVQH14",
    "UBTVQH15", "CP", "TTG", "VPCP", "BTC", "BNV", "BKHĐT", "BCT", "BGDĐT", "BYT", "BLĐTBXH",
    "BNNPTNT", "BNNMT", "BTNMT", "BXD", "BGTVT", "BTTTT", "BKHCN", "BCA", "BQP", "BTP",
    "BVHTTDL", "BNG", "NHNN", "TTCP", "KTNN", "TANDTC", "VKSNDTC", "BTCTW", "BTGTW", "BTGDVTW",
    "BDVTW", "UBKTTW", "ĐUCA", "ĐUQSTW", "BCĐTW", "MTTW", "BHXHVN",
}
# Local issuer codes whose level the number alone fixes.
PROVINCIAL_ISSUERS = {"TU", "THU", "BTCTU", "BTGTU", "BTGDVTU", "UBKTTU", "BDVTU", "VPTU", "BCSĐ"}
WARD_ISSUERS = {"ĐU", "ĐUP", "ĐUX"}
# Issuers whose level (province or ward) only the citation text or context tells.
CONTEXT_ISSUERS = {"HĐND", "UBND", "BCĐ", "MTTQ", "UBMTTQ", "BTT", "VP", "BQL"}

_PARTY = re.compile(r"^(?P<n>\d+)-\s?(?P<type>[A-ZĐa-zđ]+)/(?P<issuer>[A-ZĐa-zđ0-9]+(?:-[A-ZĐa-zđ0-9]+)*)$")
_STATE = re.compile(
    r"^(?P<n>\d+)/(?:(?P<year>(?:19|20)\d\d)/)?(?P<type>[A-ZĐa-zđ]+)[-/](?P<issuer>[A-ZĐa-zđ0-9&]+(?:-[A-ZĐa-zđ0-9&]+)*)$"
)
_LAW = re.compile(r"^(?P<n>\d+)/(?P<year>(?:19|20)\d\d)/(?P<issuer>QH\d*|UBTVQH\d*)$")
# Pattern for finding numbers inside running text (the extractor uses it).
NUMBER_IN_TEXT = re.compile(
    r"(?<![\w/])(\d{1,6}(?:/(?:19|20)\d\d)?(?:/[A-ZĐÐ][A-ZĐÐa-zđ]*(?:[-/][A-ZĐÐ0-9][A-ZĐÐa-zđ0-9&]*)+|/QH\d{0,2}|/UBTVQH\d{0,2})"
    r"|\d{1,6}-\s?[A-ZĐÐ][A-ZĐÐa-zđ]*/[A-ZĐÐ][A-ZĐÐa-zđ0-9]*(?:-[A-ZĐÐ0-9][A-ZĐÐa-zđ0-9]*)*)(?![\w/])"
)


@dataclass(frozen=True)
class DocNumber:
    """A parsed document number."""

    text: str  # canonical printed form, e.g. "57-NQ/TW"
    serial: str  # "57"
    doc_type: str  # canonical type code ("NQ", "QĐ", "Luật", "CV" for letters)
    issuer_code: str  # "TW", "HĐND", "BTC"
    family: str  # "party" | "state"
    year: int | None = None  # when the number itself carries it
    department: str | None = None  # letters: "NSNN" in 16684/BTC-NSNN

    @property
    def identity_text(self) -> str:
        """The number with its serial's leading zeros dropped ("01-CTr/ĐU" = "1-CTr/ĐU")."""
        serial = str(int(self.serial))
        return serial + self.text[len(self.serial):]

    @property
    def level(self) -> str | None:
        """central | provincial | ward when the number alone fixes it, else None."""
        code = self.issuer_code.upper()
        if code in CENTRAL_ISSUERS or self.doc_type == "Luật" or code.startswith("QH"):
            return "central"
        if code in PROVINCIAL_ISSUERS or code.endswith("TU"):
            return "provincial"
        if code in WARD_ISSUERS:
            return "ward"
        return None


def canonical(text: str) -> str:
    """Normalise a printed number: NFC, Ð -> Đ, no spaces, no trailing punctuation."""
    return re.sub(r"\s+", "", nfc(text)).strip(".,;:)(")


def parse(text: str) -> DocNumber | None:
    """Parse a document number; None when it is not one (a date, a ratio, a page number)."""
    t = canonical(text)
    if m := _LAW.match(t):
        issuer = m["issuer"].upper()
        return DocNumber(f"{m['n']}/{m['year']}/{issuer}", m["n"], "Luật", issuer, "state", int(m["year"]))
    if m := _PARTY.match(t):
        code = TYPE_CODES.get(m["type"].upper())
        if code is None:
            return None
        issuer = _issuer(m["issuer"])
        return DocNumber(f"{m['n']}-{code}/{issuer}", m["n"], code, issuer, "party")
    if m := _STATE.match(t):
        year = int(m["year"]) if m["year"] else None
        prefix = f"{m['n']}/{year}/" if year else f"{m['n']}/"
        code = TYPE_CODES.get(m["type"].upper())
        if code is not None:
            issuer = _issuer(m["issuer"])
            return DocNumber(f"{prefix}{code}-{issuer}", m["n"], code, issuer, "state", year)
        # No type code: an official letter, N/ISSUER-DEPT.
        issuer, dept = _issuer(m["type"]), m["issuer"].upper()
        return DocNumber(f"{prefix}{issuer}-{dept}", m["n"], "CV", issuer, "state", year, department=dept)
    return None


def _issuer(code: str) -> str:
    # "TTg" is printed mixed-case; every other issuer code is upper-case ("QH15", "HĐND").
    return "TTg" if code.upper() == "TTG" else code.upper()
