"""The grammar of document numbers."""

import pytest

from plangraph.docnumber import parse


@pytest.mark.parametrize(
    ("text", "canonical", "doc_type", "issuer", "family", "level"),
    [
        ("57-NQ/TW", "57-NQ/TW", "NQ", "TW", "party", "central"),
        ("118/2025/NĐ-CP", "118/2025/NĐ-CP", "NĐ", "CP", "state", "central"),
        ("31/CT-TTg", "31/CT-TTg", "CT", "TTg", "state", "central"),
        ("1356/QĐ-TTG", "1356/QĐ-TTg", "QĐ", "TTg", "state", "central"),
        ("72/2025/QH15", "72/2025/QH15", "Luật", "QH15", "state", "central"),
        ("16684/BTC-NSNN", "16684/BTC-NSNN", "CV", "BTC", "state", "central"),
        ("3068/QÐ-UBND", "3068/QĐ-UBND", "QĐ", "UBND", "state", None),
        ("12323/UBND-THĐT", "12323/UBND-THĐT", "CV", "UBND", "state", None),
        ("01-CTr/ĐU", "01-CTr/ĐU", "CTr", "ĐU", "party", "ward"),
        ("3566-KL/TU", "3566-KL/TU", "KL", "TU", "party", "provincial"),
        ("4748-CV/BTCTU", "4748-CV/BTCTU", "CV", "BTCTU", "party", "provincial"),
        ("91- KL/TW", "91-KL/TW", "KL", "TW", "party", "central"),
        ("31/NQ/HĐND", "31/NQ-HĐND", "NQ", "HĐND", "state", None),
    ],
)
def test_parse(text, canonical, doc_type, issuer, family, level):
    n = parse(text)
    assert n is not None
    assert (n.text, n.doc_type, n.issuer_code, n.family, n.level) == (canonical, doc_type, issuer, family, level)


@pytest.mark.parametrize("text", ["22/12/2024", "9/16", "2026-2030", "5G", "NQ/TW", ""])
def test_not_a_number(text):
    assert parse(text) is None


def test_year_in_number():
    assert parse("118/2025/NĐ-CP").year == 2025
    assert parse("57-NQ/TW").year is None
