"""Report periods: a fiscal year (starting in the month an administrator set) or any range."""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """An inclusive range of days."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts.")

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def fiscal_year(year: int, start_month: int = 1) -> Period:
    """Fiscal year `year` is the twelve months starting on the 1st of `start_month` of `year`.

    With the default start month (January) it is the calendar year; with April,
    fiscal year 2025 runs from 2025-04-01 to 2026-03-31.
    """
    if not 1 <= start_month <= 12:
        raise ValueError("The fiscal year's start month must be 1-12.")
    start = date(year, start_month, 1)
    return Period(start, _add_months(start, 12) - timedelta(days=1))


# Parts of a fiscal year a report may be asked for: (label, first month offset, months).
FISCAL_PARTS = {
    "": ("Whole year", 0, 12),
    "h1": ("First half", 0, 6),
    "h2": ("Second half", 6, 6),
    "q1": ("First quarter", 0, 3),
    "q2": ("Second quarter", 3, 3),
    "q3": ("Third quarter", 6, 3),
    "q4": ("Fourth quarter", 9, 3),
}


def fiscal_part(year: int, part: str, start_month: int = 1) -> Period:
    """A half or a quarter of fiscal year `year` ("h1", "q3", ...); "" is the whole year."""
    _, offset, months = FISCAL_PARTS[part]
    start = _add_months(fiscal_year(year, start_month).start, offset)
    return Period(start, _add_months(start, months) - timedelta(days=1))


def fiscal_year_of(day: date, start_month: int = 1) -> int:
    """The fiscal year (by its starting calendar year) that `day` falls in."""
    return day.year if day.month >= start_month else day.year - 1


def month_starts(*, months: int, today: date) -> list[date]:
    """The first days of the last `months` months, oldest first, ending with today's month."""
    this_month = today.replace(day=1)
    return [_add_months(this_month, -offset) for offset in range(months - 1, -1, -1)]
