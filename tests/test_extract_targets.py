"""Comparator, value, range, unit and timing of a target clause."""

import pytest

from plangraph.extract.targets import cell_target, find_values, number, qualitative


def one(clause):
    hits = find_values(clause)
    assert len(hits) == 1, hits
    t = hits[0].target
    return (t.comparator, t.value, t.value_max, t.unit, t.periodicity, t.target_year)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Tổng sản lượng lương thực có hạt đến năm 2030 đạt 6.800 tấn.", ("eq", 6800, None, "tấn", "by-year", 2030)),
        ("Thu ngân sách trên địa bàn tăng bình quân 10%/năm.", ("growth", 10, None, "%", "yearly-average", None)),
        ("Tổng giá trị sản phẩm trên địa bàn tăng bình quân 14-15%/năm", ("growth", 14, 15, "%", "yearly-average", None)),
        ("tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng giảm xuống dưới 11,1%", ("lt", 11.1, None, "%", None, None)),
        ("Tỷ lệ lao động qua đào tạo trên 83%", ("gt", 83, None, "%", None, None)),
        ("Tỷ lệ tham gia bảo hiểm y tế đạt 95,5% trở lên", ("ge", 95.5, None, "%", None, None)),
        ("Tỷ lệ giải ngân vốn đầu tư công đạt tối thiểu 99,5%/năm", ("ge", 99.5, None, "%", "every-year", None)),
        ("số lao động được giải quyết việc làm 600 người/năm", ("eq", 600, None, "người", "every-year", None)),
        ("Kết nạp đảng viên mới giai đoạn 2026 – 2030 đạt: 575 đảng viên trở lên", ("ge", 575, None, "đảng viên", "period-total", 2030)),
        ("Tổng đàn gia súc gia cầm năm 2030 đạt: 5 nghìn con.", ("eq", 5000, None, "con", "by-year", 2030)),
        ("Thu nhập bình quân đầu người đạt 88 triệu đồng/người", ("eq", 88, None, "triệu đồng/người/năm", None, None)),
        ("Duy trì tỷ lệ hộ được sử dụng điện lưới quốc gia đạt 100%", ("maintain", 100, None, "%", None, None)),
        ("Tỷ lệ hoả táng: 30%", ("eq", 30, None, "%", None, None)),
        ("tăng 1,8 lần so với đầu nhiệm kỳ", ("multiple", 1.8, None, "lần", None, None)),
        ("Phát triển ít nhất 3-5 sản phẩm du lịch", ("range", 3, 5, "sản phẩm", None, None)),
    ],
)
def test_clause(clause, expected):
    assert one(clause) == expected


def test_ages_levels_years_and_denominators_are_not_targets():
    assert find_values("phổ cập giáo dục mầm non cho trẻ 5 tuổi; giai đoạn 2021 - 2025; mức độ 3") == []
    assert [h.target.value for h in find_values("Giá trị sản phẩm trên 1 ha đất trồng trọt đạt 120 triệu đồng/ha")] == [120]


def test_of_total_counts():
    t = find_values("tỷ lệ trường chuẩn quốc gia mức độ 2 là 9/16 trường")[0].target
    assert (t.value, t.of_total, t.unit) == (9, 16, "trường")


def test_several_targets_in_one_clause_keep_their_own_comparators():
    hits = find_values("Tỷ lệ gia đình văn hóa: 98% và Tỷ lệ tổ dân phố văn hóa: 100%")
    assert [(h.target.comparator, h.target.value) for h in hits] == [("eq", 98), ("eq", 100)]


@pytest.mark.parametrize(
    ("clause", "comparator"),
    [("Phường đạt chuẩn đô thị văn minh", "achieve"), ("Giữ vững chất lượng phổ cập giáo dục", "maintain"),
     ("không còn hộ nghèo", "zero"), ("Giảm hàng năm", "reduce")],
)
def test_qualitative(clause, comparator):
    assert qualitative(clause).comparator == comparator


def test_vietnamese_numbers():
    assert number("2.800") == 2800 and number("2,6") == 2.6 and number("30.000") == 30000 and number("0,03") == 0.03


def test_table_cells_take_the_unit_column():
    t = cell_target("Tối thiểu 99,5", "%", "average")
    assert (t.comparator, t.value, t.unit) == ("ge", 99.5, "%")
    t = cell_target("14 - 15", "%", "average")
    assert (t.comparator, t.value, t.value_max, t.periodicity) == ("growth", 14, 15, "yearly-average")
    assert cell_target("Đạt", "Danh hiệu", "average").comparator == "achieve"
