"""Approximate dates of birth and the ages computed from them."""

from datetime import date

import pytest

from cases.ages import Age, age_at, age_in_months, format_born, parse_born
from cases.models import BirthPrecision

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "stored", "precision"),
    [
        ("1990", date(1990, 7, 1), BirthPrecision.YEAR),
        ("2026-01", date(2026, 1, 15), BirthPrecision.MONTH),
        ("2026-1", date(2026, 1, 15), BirthPrecision.MONTH),
        ("2025-12-31", date(2025, 12, 31), BirthPrecision.DAY),
    ],
)
def test_it_parses_each_precision_and_writes_it_back(text, stored, precision):
    born = parse_born(text, today=TODAY)
    assert (born.date, born.precision) == (stored, precision)
    assert parse_born(format_born(born.date, born.precision), today=TODAY) == born


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "Write the year"),
        ("90", "Write the year"),
        ("1990-13", "No such date"),
        ("1990-02-30", "No such date"),
        ("2027", "in the future"),
        ("2026-11-24", "in the future"),
        ("1890", "too long ago"),
    ],
)
def test_it_refuses_what_is_not_a_plausible_date_of_birth(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_born(text, today=TODAY)


def test_a_ten_month_old_baby_is_shown_in_months():
    age = age_at(date(2026, 1, 23), BirthPrecision.DAY, TODAY)
    assert (age.months, age.is_infant, str(age)) == (10, True, "10 months")


def test_the_day_before_a_monthly_birthday_counts_the_month_not_yet():
    assert age_at(date(2026, 1, 24), BirthPrecision.DAY, TODAY).months == 9


def test_an_age_from_the_year_only_is_approximate_and_in_years():
    age = age_at(date(1976, 7, 1), BirthPrecision.YEAR, TODAY)
    assert (age.years, age.approximate, str(age)) == (50, True, "about 50")


def test_two_years_is_shown_in_years():
    age = age_at(date(2024, 11, 23), BirthPrecision.DAY, TODAY)
    assert (age.months, age.is_infant, str(age)) == (24, False, "2")


def test_no_date_of_birth_gives_no_age():
    assert age_at(None, BirthPrecision.YEAR, TODAY) is None


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


def test_whole_years_are_completed_years():
    assert age_at(date(1975, 2, 1), BirthPrecision.DAY, date(2025, 1, 31)).years == 49
    assert age_at(date(1975, 2, 1), BirthPrecision.DAY, date(2025, 2, 1)).years == 50


@pytest.mark.parametrize(
    ("months", "approximate", "said"),
    [
        (1, False, "1 month"),
        (10, False, "10 months"),
        (23, False, "23 months"),
        (24, False, "2 years"),
        (611, False, "50 years"),
        (611, True, "about 50 years"),
    ],
)
def test_an_age_said_with_its_unit_is_in_months_under_two_years_and_in_years_after(
    months, approximate, said
):
    assert Age(months=months, approximate=approximate).said(with_years=True) == said
