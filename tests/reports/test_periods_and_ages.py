"""Period maths (fiscal years) and ages at a date from approximate birth dates."""

from datetime import date

import pytest

from rescue.reports.ages import age_in_months, age_in_years, describe_age
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


@pytest.mark.parametrize(
    ("birth", "on", "months"),
    [
        (date(2024, 7, 15), date(2025, 5, 20), 10),  # month precision: the 15th
        (date(2024, 7, 15), date(2025, 5, 14), 9),  # the day before the 15th
        (date(1996, 7, 1), date(2025, 6, 30), 347),  # year precision: 1 July
        (date(1996, 7, 1), date(2025, 7, 1), 348),
        (date(2000, 2, 29), date(2025, 2, 28), 299),  # born on a leap day
        (date(2025, 6, 1), date(2025, 5, 1), 0),  # born after the date: never negative
    ],
)
def test_age_in_months_counts_completed_months(birth, on, months):
    assert age_in_months(birth, on) == months


def test_age_in_years_counts_completed_years():
    assert age_in_years(date(1975, 2, 1), date(2025, 1, 31)) == 49
    assert age_in_years(date(1975, 2, 1), date(2025, 2, 1)) == 50


@pytest.mark.parametrize(
    ("months", "said"),
    [(1, "1 month"), (10, "10 months"), (23, "23 months"), (24, "2 years"), (611, "50 years")],
)
def test_ages_are_said_in_months_under_two_years_and_in_years_after(months, said):
    assert describe_age(months) == said
