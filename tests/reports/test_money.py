"""The report's money section: its arithmetic, and its figures from real ledger rows.

The expected figures are worked out by hand in the comments, from the amounts and rates
the `books` fixture (tests/reports/conftest.py) records, not from the code under test.
"""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from rescue.models import SiteSettings
from rescue.reports import money


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


def _money(*args) -> dict:
    out = io.StringIO()
    call_command("annual_report", *args, "--json", stdout=out)
    return json.loads(out.getvalue())["money_usd"]


ALL_CATEGORIES = [
    "broker_fee",
    "documents_flights",
    "medical",
    "other",
    "river_crossing",
    "shelter",
    "surveillance_evasion",
    "transport",
]


@pytest.mark.django_db
def test_the_years_money_is_read_from_the_ledger(books):
    assert _money("--year", "2025") == {
        # 3350.00 (JPY) + 2000.00 (general fund) + 902.47 (KRW)
        "donations": "6252.47",
        # 2500.00 + 1020.00 + (400.00 - 400.00) + 99.99 + 50.00 (reversed only in 2026)
        "rescue_spending": "3669.99",
        "spending_by_category": {
            **dict.fromkeys(ALL_CATEGORIES, "0.00"),
            "broker_fee": "2500.00",
            "medical": "99.99",
            "other": "50.00",
            "river_crossing": "0.00",
            "transport": "1020.00",
        },
        # 3669.99 / 4 people = 917.4975: half up to the cent.
        "cost_per_person_rescued": "917.50",
        # End of 2024-12-31: 20000.00 - 300.00 USD, 1,000,000 KRW at 0.00072 = 720.00.
        "reserve_start": "20420.00",
        # End of 2025-12-31: USD 19700.00 - 2500.00 - 400.00 + 400.00 - 99.99 - 50.00
        # = 17050.01; JPY 350,000 at 0.0068 = 2380.00; KRW 2,234,567 at 0.000731
        # (the 2026 rate is not yet known) = 1633.468477 -> 1633.47.
        "reserve_end": "21063.48",
    }


@pytest.mark.django_db
def test_a_range_values_the_reserve_at_the_rates_known_on_each_end(books):
    section = _money("--from", "2025-06-01", "--to", "2025-06-30")
    assert section["donations"] == "0.00"
    # The 400.00 river crossing and its reversal both fall in June.
    assert section["spending_by_category"]["river_crossing"] == "0.00"
    assert section["rescue_spending"] == "1020.00"
    assert section["cost_per_person_rescued"] is None  # nobody rescued by the NGO in June
    # End of 2025-05-31: USD 20000.00 - 300.00 - 2500.00 = 17200.00; JPY 500,000 at
    # 0.0067 = 3350.00 (0.0068 is only from June); KRW 2,234,567 at 0.000731 = 1633.47.
    assert section["reserve_start"] == "22183.47"
    # End of 2025-06-30: USD 17200.00; JPY 350,000 at 0.0068 = 2380.00; KRW 1633.47.
    assert section["reserve_end"] == "21213.47"


@pytest.mark.django_db
def test_a_fiscal_year_from_april_moves_every_money_boundary(books):
    settings_row = SiteSettings.load()
    settings_row.fiscal_year_start_month = 4
    settings_row.save()
    section = _money("--year", "2024")  # 2024-04-01 to 2025-03-31
    # 20000.00 + 720.00 (KRW) + 3350.00 (JPY) + 2000.00 (general)
    assert section["donations"] == "26070.00"
    assert section["rescue_spending"] == "300.00"
    assert section["reserve_start"] == "0.00"
    # End of 2025-03-31: USD 19700.00; JPY 500,000 at 0.0067 = 3350.00; KRW 1,000,000
    # at 0.00072 = 720.00.
    assert section["reserve_end"] == "23770.00"
    # Nobody rescued by the NGO before April 2025: no cost per person.
    assert section["cost_per_person_rescued"] is None
