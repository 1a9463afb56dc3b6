"""Deadlines and the years a task runs, as plans print them."""

import pytest

from plangraph.extract.dates import parse_deadline, task_years


@pytest.mark.parametrize("text, expected", [
    ("chậm nhất tháng 3/2026", "2026-03-31"),
    ("hoàn thành trong quý I/2027", "2027-03-31"),
    ("trong năm 2025", "2025-12-31"),
    ("Hằng năm", None),
])
def test_deadlines(text, expected):
    assert parse_deadline(text)[0] == expected


@pytest.mark.parametrize("timeframe, deadline, expected", [
    ("2026 - 2030", None, (2026, 2030)),
    ("Giai đoạn 2026-2028", None, (2026, 2028)),
    ("Năm 2027", None, (2027, 2027)),
    ("Từ năm 2026 đến năm 2030.", None, (2026, 2030)),
    ("2026 - 2030", "2027-03-31", (2027, 2027)),  # a dated deadline wins over the printed timeframe
    (None, "2025-12-31", (2025, 2025)),
    ("Hằng năm", None, (None, None)),
    (None, None, (None, None)),
    ("2026 - 2030 (giai đoạn 1)", None, (2026, None)),  # digits after the last year: no due year
    ("Đợt 1 năm 2026", None, (None, 2026)),  # digits before the first year: no start year
    ("20261 - 2030", None, (None, 2030)),  # "20261" is no year
    ("2026 - 20301", None, (2026, None)),
])
def test_task_years(timeframe, deadline, expected):
    assert task_years(timeframe, deadline) == expected
