"""Server-drawn bar charts: heights in proportion, one bar per series per month."""

from datetime import date

import pytest

from rescue.charts import BOTTOM, HEIGHT, TOP, grouped_monthly

MONTHS = [date(2025, 1, 1), date(2025, 2, 1), date(2025, 7, 1)]


def test_bars_are_in_proportion_to_the_largest_value():
    chart = grouped_monthly("t", MONTHS, [("requests", "Requests", [0, 5, 10])])
    assert [bar.height for bar in chart.bars] == [
        0,
        (HEIGHT - BOTTOM - TOP) / 2,
        HEIGHT - BOTTOM - TOP,
    ]
    assert all(bar.y + bar.height == HEIGHT - BOTTOM for bar in chart.bars)
    assert [tick.label for tick in chart.y_labels] == ["0", "10"]


def test_series_sit_side_by_side_within_each_month():
    chart = grouped_monthly(
        "t", MONTHS, [("requests", "Requests", [1, 2, 3]), ("rescued", "People rescued", [3, 2, 1])]
    )
    assert [bar.series for bar in chart.bars] == ["requests", "rescued"] * 3
    first, second = chart.bars[0], chart.bars[1]
    assert second.x == pytest.approx(first.x + first.width, abs=0.1)
    assert chart.bars[1].title == "Jan 2025, people rescued: 3"
    # Months are labelled each January and July.
    assert [tick.label for tick in chart.x_labels] == ["Jan 25", "Jul 25"]


def test_an_empty_chart_draws_flat_bars_not_a_division_by_zero():
    chart = grouped_monthly("t", MONTHS, [("requests", "Requests", [0, 0, 0])])
    assert {bar.height for bar in chart.bars} == {0}
