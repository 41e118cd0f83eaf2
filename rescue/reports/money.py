"""Every figure of money that reports and dashboards show, read from `funds.selectors`.

This is the only module of the reports that reads the rescue-fund ledger; amounts are
US dollars to the cent, as the ledger keeps them.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict

from funds import selectors as funds
from rescue.reports.periods import Period

CENT = Decimal("0.01")


class MoneyFlows(TypedDict):
    """What came in and went out in a period, amounts as strings (US dollars, cents)."""

    donations: str
    rescue_spending: str
    spending_by_category: dict[str, str]
    cost_per_person_rescued: str | None


class MoneySection(MoneyFlows):
    """The report's `money_usd` section: the flows and the reserve at both ends."""

    reserve_start: str
    reserve_end: str


def _flows(
    *, donations: Decimal, spending_by_category: dict[str, Decimal], people_rescued: int
) -> MoneyFlows:
    spending = sum(spending_by_category.values(), Decimal("0.00")).quantize(CENT)
    per_person = (
        (spending / people_rescued).quantize(CENT, rounding=ROUND_HALF_UP)
        if people_rescued
        else None
    )
    return {
        "donations": str(donations.quantize(CENT)),
        "rescue_spending": str(spending),
        "spending_by_category": {
            category: str(amount.quantize(CENT))
            for category, amount in sorted(spending_by_category.items())
        },
        "cost_per_person_rescued": None if per_person is None else str(per_person),
    }


def assemble(
    *,
    donations: Decimal,
    spending_by_category: dict[str, Decimal],
    people_rescued: int,
    reserve_start: Decimal,
    reserve_end: Decimal,
) -> MoneySection:
    """The report's `money_usd` section from the ledger's figures, amounts as strings."""
    return {
        **_flows(
            donations=donations,
            spending_by_category=spending_by_category,
            people_rescued=people_rescued,
        ),
        "reserve_start": str(reserve_start.quantize(CENT)),
        "reserve_end": str(reserve_end.quantize(CENT)),
    }


def money_flows(period: Period, *, people_rescued: int) -> MoneyFlows:
    """Donations, rescue spending (by category) and cost per person rescued. Two queries.

    The figures of `money_section` without the reserve: for a reader who may see what
    came in and went out but not the reserve's cash (the board's dashboard).
    """
    return _flows(
        donations=funds.donations_usd(period.start, period.end),
        spending_by_category=funds.rescue_spending_usd_by_category(period.start, period.end),
        people_rescued=people_rescued,
    )


def money_section(period: Period, *, people_rescued: int) -> MoneySection:
    """Donations, rescue spending and the reserve for the period. Six queries.

    Donations and spending are counted on the day they were received or paid, net of
    reversals dated in the period. The reserve at the start is the rescue reserve's cash
    at the end of the day before the period starts; at the end, at the end of its last
    day; each currency valued at its latest rate by that day.
    """
    return assemble(
        donations=funds.donations_usd(period.start, period.end),
        spending_by_category=funds.rescue_spending_usd_by_category(period.start, period.end),
        people_rescued=people_rescued,
        reserve_start=funds.reserve_cash_usd_on(period.start - timedelta(days=1)),
        reserve_end=funds.reserve_cash_usd_on(period.end),
    )
