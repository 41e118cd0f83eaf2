"""Ages at a date from an approximate date of birth.

A person's `birth_date` carries a precision: with "year" only the year is known and
the date is stored as 1 July, with "month" the year and month are known and the date
is stored as the 15th. The stored date is the middle of what is known, so ages are
computed from it as if it were exact: the error is at most six months (year) or half
a month (month). This should be unified with `cases/ages.py` once both are merged.
"""

from datetime import date


def age_in_months(birth_date: date, on: date) -> int:
    """Completed months of age on `on` (0 for a birth date after `on`)."""
    months = (on.year - birth_date.year) * 12 + (on.month - birth_date.month)
    if on.day < birth_date.day:
        months -= 1
    return max(months, 0)


def age_in_years(birth_date: date, on: date) -> int:
    """Completed years of age on `on`."""
    return age_in_months(birth_date, on) // 12


def describe_age(months: int) -> str:
    """An age as people say it: in months under two years, in years from then on."""
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    years = months // 12
    return f"{years} years"
