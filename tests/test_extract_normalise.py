"""PDF and markdown repairs keep a map back to original lines."""

from plangraph.extract.normalise import clean_line, normalise


def test_decomposed_and_misplaced_diacritics_are_repaired():
    text, _ = clean_line("Ban Thường vu ̣ Tỉnh uỷ")
    assert text == "Ban Thường vụ Tỉnh uỷ"


def test_footnote_marker_glued_to_word_is_removed_and_remembered():
    text, markers = clean_line("có 83 tổ chức đảng trực thuộc và 3.830 đảng viên1. Hệ")
    assert text == "có 83 tổ chức đảng trực thuộc và 3.830 đảng viên. Hệ"
    assert markers == ["1"]


def test_number_glued_to_a_word_is_not_a_footnote():
    text, markers = clean_line("đến năm 2030 đạt2,2 triệu USD.")
    assert "2,2 triệu USD" in text and markers == []


def test_square_metre_is_not_a_footnote():
    assert clean_line("diện tích 29,5 km<sup>2</sup>")[0] == "diện tích 29,5 km²"


def test_markdown_emphasis_and_headings_are_stripped():
    assert clean_line("### **\\* Về Kinh tế (07 chỉ tiêu)**")[0] == "* Về Kinh tế (07 chỉ tiêu)"


def test_hard_wrapped_lines_join_with_a_line_map(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text("Căn cứ Nghị quyết số 96/NQ-HĐND ngày 09 tháng 12 năm 2025 của HĐND \n\n"
                 "tỉnh Lai Châu về kế hoạch;\n\n(1) Tổng sản lượng đạt 6.800 tấn.\n", encoding="utf-8")
    doc = normalise(f)
    first = doc.paras[0]
    assert first.text.endswith("của HĐND tỉnh Lai Châu về kế hoạch;")
    assert (first.line_start, first.line_end) == (1, 3)
    assert first.line_at(first.text.index("Lai Châu")) == 3
    assert doc.paras[1].text.startswith("(1)")


def test_number_broken_after_its_hyphen_is_rejoined(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text("theo Kết luận số 21-\n\nKL/TW của Ban Chấp hành Trung ương\n", encoding="utf-8")
    assert "21-KL/TW" in normalise(f).paras[0].text


def test_page_numbers_are_dropped(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text("Dòng một tiếp tục\n\n12\n\nvà dòng hai.\n", encoding="utf-8")
    assert normalise(f).paras[0].text == "Dòng một tiếp tục và dòng hai."
