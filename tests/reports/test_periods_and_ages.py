"""Period maths: fiscal years, ranges and month starts (ages are tested in tests/cases)."""

from datetime import date

import pytest

from rescue.reports.periods import Period, fiscal_year, fiscal_year_of, month_starts


def test_a_fiscal_year_starting_in_january_is_the_calendar_year():
    assert fiscal_year(2025) == Period(date(2025, 1, 1), date(2025, 12, 31))


def test_a_fiscal_year_starting_in_april_runs_into_the_next_calendar_year():
    assert fiscal_year(2025, 4) == Period(date(2025, 4, 1), date(2026, 3, 31))


def test_a_fiscal_year_starting_in_march_ends_on_the_last_day_of_a_leap_february():
    assert fiscal_year(2023, 3).end == date(2024, 2, 29)


def test_a_day_belongs_to_the_fiscal_year_named_after_its_starting_year():
    assert fiscal_year_of(date(2026, 3, 31), 4) == 2025
    assert fiscal_year_of(date(2026, 4, 1), 4) == 2026
    assert fiscal_year_of(date(2026, 1, 1), 1) == 2026


def test_it_refuses_a_start_month_outside_the_year():
    with pytest.raises(ValueError, match="1-12"):
        fiscal_year(2025, 13)


def test_it_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="cannot end before"):
        Period(date(2025, 2, 1), date(2025, 1, 31))


def test_a_period_includes_both_ends():
    period = Period(date(2025, 1, 1), date(2025, 1, 31))
    assert date(2025, 1, 1) in period
    assert date(2025, 1, 31) in period
    assert date(2025, 2, 1) not in period


def test_month_starts_run_oldest_first_across_a_year_end():
    assert month_starts(months=3, today=date(2026, 1, 20)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]
