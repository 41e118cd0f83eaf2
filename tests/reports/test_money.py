"""The report's money section: its arithmetic now, its wiring to the ledger after the merge."""

import importlib.util
from datetime import date
from decimal import Decimal

import pytest

from rescue.reports import money
from rescue.reports.periods import Period

LEDGER_INSTALLED = importlib.util.find_spec("funds.selectors") is not None


def test_it_adds_up_spending_and_divides_it_by_the_people_rescued_to_the_cent():
    section = money.assemble(
        donations=Decimal("25000.5"),
        spending_by_category={
            "transport": Decimal("12000.00"),
            "brokers": Decimal("8000.00"),
            "shelter": Decimal("1000.01"),
        },
        people_rescued=15,
        reserve_start=Decimal("9000"),
        reserve_end=Decimal("6000.00"),
    )
    assert section == {
        "donations": "25000.50",
        "rescue_spending": "21000.01",
        "spending_by_category": {
            "brokers": "8000.00",
            "shelter": "1000.01",
            "transport": "12000.00",
        },
        # 21000.01 / 15 = 1400.000666...: rounded half up to the cent.
        "cost_per_person_rescued": "1400.00",
        "reserve_start": "9000.00",
        "reserve_end": "6000.00",
    }


def test_the_cost_per_person_rounds_half_up():
    section = money.assemble(
        donations=Decimal("0"),
        spending_by_category={"transport": Decimal("0.05")},
        people_rescued=2,
        reserve_start=Decimal("0"),
        reserve_end=Decimal("0"),
    )
    assert section["cost_per_person_rescued"] == "0.03"


def test_with_nobody_rescued_there_is_no_cost_per_person():
    section = money.assemble(
        donations=Decimal("100"),
        spending_by_category={},
        people_rescued=0,
        reserve_start=Decimal("0"),
        reserve_end=Decimal("100"),
    )
    assert section["rescue_spending"] == "0.00"
    assert section["cost_per_person_rescued"] is None


@pytest.mark.skipif(LEDGER_INSTALLED, reason="the ledger is installed: see the funds tests")
def test_without_the_ledger_the_money_section_is_absent_not_invented():
    assert money.available() is False
    period = Period(date(2025, 1, 1), date(2025, 12, 31))
    assert money.money_section(period, people_rescued=3) is None
