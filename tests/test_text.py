"""Vietnamese folding and slugs on hard cases."""

import unicodedata

import pytest

from plangraph.text import fold, nfc, proper_name_at, slug


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đoàn Kết", "doan-ket"),
        ("đường Đống Đa", "duong-dong-da"),
        ("Hàm Rồng", "ham-rong"),
        ("Phan Đình Phùng", "phan-dinh-phung"),
        ("Thừa Thiên Huế", "thua-thien-hue"),
        ("57-NQ/TW", "57-nq-tw"),
        ("  Bảo hiểm  y tế ", "bao-hiem-y-te"),
        ("ỦY BAN NHÂN DÂN", "uy-ban-nhan-dan"),
    ],
)
def test_slug(text, expected):
    assert slug(text) == expected


def test_decomposed_input_slugs_like_composed():
    decomposed = unicodedata.normalize("NFD", "Trần Phú Đoàn Kết")
    assert decomposed != "Trần Phú Đoàn Kết"
    assert slug(decomposed) == "tran-phu-doan-ket"


def test_stacked_tones_and_old_tone_placement():
    # "hoá" (old placement) and "hóa" (new) fold alike; stacked circumflex + tone: "ộ", "ữ".
    assert fold("văn hoá") == fold("văn hóa") == "van hoa"
    assert fold("Hộ Độ") == "ho do"
    assert fold("giữ vững") == "giu vung"


def test_lookalike_eth_becomes_d_bar():
    assert nfc("QÐ-UBND") == "QĐ-UBND"
    assert slug("3068/QÐ-UBND") == "3068-qd-ubnd"


def test_proper_name_stops_at_lower_case_word():
    text = "của UBND phường Đoàn Kết đề nghị ban hành"
    assert proper_name_at(text, text.index("Đoàn")) == "Đoàn Kết"
