"""Approximate dates of birth and the ages computed from them; used by pages and reports."""

import re
from dataclasses import dataclass
from datetime import date

from cases.models import BirthPrecision

# What the stored date means for each precision: only the year (1 July), or the year and
# month (the 15th), so an age computed from it is never off by more than half the range.
YEAR_ONLY_MONTH, YEAR_ONLY_DAY = 7, 1
MONTH_ONLY_DAY = 15
INFANT_MONTHS = 24

_BORN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$")


@dataclass(frozen=True)
class Born:
    """A parsed approximate date of birth."""

    date: date
    precision: str


def parse_born(text: str, *, today: date | None = None) -> Born:
    """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError with a readable reason."""
    match = _BORN.match(text.strip())
    if not match:
        raise ValueError("Write the year (1990), year and month (1990-04) or full date.")
    year = int(match["year"])
    month, day = (int(g) if g else None for g in match.group("month", "day"))
    try:
        if month is None:
            born = Born(date(year, YEAR_ONLY_MONTH, YEAR_ONLY_DAY), BirthPrecision.YEAR)
        elif day is None:
            born = Born(date(year, month, MONTH_ONLY_DAY), BirthPrecision.MONTH)
        else:
            born = Born(date(year, month, day), BirthPrecision.DAY)
    except ValueError:
        raise ValueError("No such date.") from None
    today = today or date.today()
    if year > today.year or (born.precision == BirthPrecision.DAY and born.date > today):
        raise ValueError("The date of birth is in the future.")
    if today.year - year > 120:
        raise ValueError("The year of birth is too long ago.")
    return born


def format_born(birth_date: date | None, precision: str) -> str:
    """The approximate date of birth as it was given: `1990`, `1990-04` or `1990-04-12`."""
    if birth_date is None:
        return ""
    if precision == BirthPrecision.YEAR:
        return f"{birth_date.year:04d}"
    if precision == BirthPrecision.MONTH:
        return f"{birth_date.year:04d}-{birth_date.month:02d}"
    return birth_date.isoformat()


def age_in_months(birth_date: date, at: date) -> int:
    """Whole months from birth to `at` (never negative)."""
    months = (at.year - birth_date.year) * 12 + at.month - birth_date.month
    if at.day < birth_date.day:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class Age:
    """An age at a date: whole months, shown in months under two years, else in years."""

    months: int
    approximate: bool

    @property
    def years(self) -> int:
        return self.months // 12

    @property
    def is_infant(self) -> bool:
        return self.months < INFANT_MONTHS

    def said(self, *, with_years: bool = False) -> str:
        """`10 months` under two years, else the years: `50`, or `50 years` with_years.

        Prefixed `about ` when the date of birth was approximate.
        """
        prefix = "about " if self.approximate else ""
        if self.is_infant:
            return f"{prefix}{self.months} month{'s' if self.months != 1 else ''}"
        return f"{prefix}{self.years}{' years' if with_years else ''}"

    def __str__(self) -> str:
        return self.said()


def age_at(birth_date: date | None, precision: str, at: date | None = None) -> Age | None:
    """The age at `at` (today by default), or None when the date of birth is unknown."""
    if birth_date is None:
        return None
    return Age(
        months=age_in_months(birth_date, at or date.today()),
        approximate=precision != BirthPrecision.DAY,
    )
