"""The reads the dashboard and reports call: cash on a day, the series, donations, spending."""

from datetime import date
from decimal import Decimal

import pytest

from funds import selectors, services

pytestmark = pytest.mark.django_db


def test_reserve_cash_on_a_day_counts_postings_up_to_its_end_at_that_days_rate(ledger):
    ledger.donate("1000.00", on=date(2026, 1, 10))
    ledger.donate("1000000", "KRW", usd_rate="0.00072", on=date(2026, 1, 20))
    ledger.rate("KRW", "0.00070", on=date(2026, 2, 15))
    ledger.donate("500.00", on=date(2026, 2, 1))
    ledger.donate("999.00", fund="general", on=date(2026, 1, 5))
    assert selectors.reserve_cash_usd_on(date(2026, 1, 9)) == 0
    assert selectors.reserve_cash_usd_on(date(2026, 1, 10)) == Decimal("1000.00")
    assert selectors.reserve_cash_usd_on(date(2026, 1, 31)) == Decimal("1720.00")
    assert selectors.reserve_cash_usd_on(date(2026, 2, 14)) == Decimal("2220.00")
    assert selectors.reserve_cash_usd_on(date(2026, 2, 15)) == Decimal("2200.00")


def test_the_series_has_one_point_per_month_end_ending_today(ledger):
    ledger.donate("100.00", on=date(2025, 12, 31))
    ledger.donate("50.00", on=date(2026, 1, 1))
    series = selectors.reserve_series(months=3, today=date(2026, 2, 10))
    assert [(point.day, point.cash) for point in series] == [
        (date(2025, 12, 31), Decimal("100.00")),
        (date(2026, 1, 31), Decimal("150.00")),
        (date(2026, 2, 10), Decimal("150.00")),
    ]
    assert len(selectors.reserve_series(today=date(2026, 2, 10))) == 12


def test_donations_in_a_period_are_net_of_reversals_and_inclusive(ledger, treasurer):
    ledger.donate("100.00", on=date(2026, 1, 1))
    ledger.donate("10000", "JPY", usd_rate="0.0066", fund="general", on=date(2026, 1, 31))
    wrong = ledger.donate("40.00", on=date(2026, 1, 15))
    ledger.donate("7.00", on=date(2026, 2, 1))
    services.entry_reverse(
        entry=wrong, by=treasurer, reason="Bank error", occurred_on=date(2026, 1, 20)
    )
    assert selectors.donations_usd(date(2026, 1, 1), date(2026, 1, 31)) == Decimal("166.00")


def test_rescue_spending_is_by_category_net_of_reversals(ledger, treasurer):
    ledger.donate("20000.00")
    ledger.spend("300.00", category="shelter", on=date(2026, 3, 1))
    ledger.spend("2000", "CNY", usd_rate="0.14", category="transport", on=date(2026, 3, 2))
    mistake = ledger.spend("50.00", category="shelter", on=date(2026, 3, 3))
    services.entry_reverse(
        entry=mistake, by=treasurer, reason="Duplicate", occurred_on=date(2026, 3, 4)
    )
    ledger.spend("75.00", category="medical", fund="general", on=date(2026, 3, 5))
    spent = selectors.rescue_spending_usd_by_category(date(2026, 3, 1), date(2026, 3, 31))
    assert spent["shelter"] == Decimal("300.00")
    assert spent["transport"] == Decimal("280.00")
    assert spent["medical"] == Decimal("0.00")
    assert set(spent) == {
        "broker_fee", "transport", "river_crossing", "shelter", "medical",
        "documents_flights", "surveillance_evasion", "other",
    }  # fmt: skip


def test_open_commitments_and_latest_entries(ledger, treasurer, approved_case):
    ledger.donate("20000.00")
    case = approved_case()
    services.commitment_create(case=case, by=treasurer)
    ledger.spend("600.00", case=case)
    (commitment,) = selectors.open_commitments()
    assert commitment.drawn_usd == Decimal("600.00")
    assert commitment.remaining_usd == Decimal("1900.00")
    latest = list(selectors.latest_entries(1))
    assert len(latest) == 1
    assert latest[0].amount == Decimal("600.00")
