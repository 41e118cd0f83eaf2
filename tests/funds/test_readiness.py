"""Readiness: bands at their boundaries, valuation, the e-mail on a crossing, fund_status."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from funds import selectors, services
from funds.models import ReadinessAlert
from tests.funds.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("offset", "band"),
    [("-0.01", "red"), ("0", "amber"), ("3999.99", "amber"), ("4000", "green")],
)
def test_bands_at_the_boundaries(ledger, policy, offset, band):
    # Minimum + 4000 is the target with the default policy; computed, not assumed.
    assert policy.target_usd - policy.minimum_usd == Decimal(4000)
    if policy.minimum_usd + Decimal(offset) > 0:
        ledger.donate(policy.minimum_usd + Decimal(offset))
    assert selectors.readiness().band == band


def test_exactly_the_minimum_is_amber_and_exactly_the_target_is_green(ledger, policy):
    ledger.donate(policy.minimum_usd)
    assert selectors.readiness().band == "amber"
    ledger.donate(policy.target_usd - policy.minimum_usd)
    assert selectors.readiness().band == "green"
    assert selectors.readiness().shortfall_to_target == 0


def test_thresholds_follow_the_policy(ledger, policy):
    ledger.donate("7000")
    policy.minimum_usd = Decimal("7500")
    policy.save()
    assert selectors.readiness().band == "red"


def test_cash_is_valued_at_each_currencys_latest_rate(ledger):
    ledger.donate("1000000", "KRW", usd_rate="0.00072", on=date(2026, 1, 5))
    ledger.rate("KRW", "0.00070", on=date(2026, 2, 1))
    ledger.donate("500.00")
    state = selectors.readiness(today=date(2026, 3, 1))
    assert state.cash == Decimal("1200.00")  # 1,000,000 x 0.00070 + 500
    # The entry keeps the rate it was recorded with.
    assert selectors.donations_usd(date(2026, 1, 1), date(2026, 12, 31)) == Decimal("1220.00")


def test_cash_in_a_currency_without_a_rate_by_that_day_is_not_counted(ledger):
    ledger.donate("1000", "THB", usd_rate="0.029", on=DAY)
    day_before = date(DAY.year, DAY.month, DAY.day - 1)
    assert selectors.readiness(today=day_before).cash == 0
    assert selectors.unvalued_currencies(day_before) == ["THB"]
    # The rate typed with the donation became that day's rate.
    assert selectors.readiness(today=DAY).cash == Decimal("29.00")
    assert selectors.unvalued_currencies(DAY) == []


def test_the_general_fund_does_not_count_toward_readiness(ledger):
    ledger.donate("50000", fund="general")
    assert selectors.readiness().cash == 0


def test_rescues_fundable_now_stay_above_the_minimum(ledger, policy):
    ledger.donate(policy.minimum_usd + 2 * policy.standard_estimate_usd + Decimal("2499.99"))
    assert selectors.readiness().rescues_fundable_now == 2


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the block left for after commit (the e-mail), as a
    real commit would; the test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_downward_crossing_sends_one_email_without_case_data(
    ledger, treasurer, approved_case, policy, committed
):
    case = approved_case()
    with committed():
        ledger.donate(policy.target_usd + Decimal("100"))
    assert mail.outbox == []
    with pytest.raises(ValidationError), committed():
        services.commitment_create(case=case, by=treasurer, amount_usd=Decimal("5000"))
    assert mail.outbox == []
    with committed():
        services.commitment_create(case=case, by=treasurer)  # green -> amber
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [treasurer.email]
    assert "amber" in message.subject
    assert case.reference not in message.body
    assert case.reference not in message.subject
    assert str(selectors.readiness().available) in message.body
    # Staying in the band, or looking at the readiness, sends nothing more.
    with committed():
        ledger.spend("100.00", case=case)
        selectors.readiness()
    assert len(mail.outbox) == 1
    # Down through the minimum is a second crossing.
    with committed():
        ledger.spend("2000.00", override_reason="Boat had to be hired twice")
    assert len(mail.outbox) == 2
    assert "red" in mail.outbox[1].subject
    assert ReadinessAlert.objects.count() == 2


def test_going_back_up_and_down_again_mails_again(ledger, policy, treasurer, committed):
    with committed():
        ledger.donate(policy.target_usd)
        transfer = services.transfer_record(
            by=treasurer,
            from_fund="rescue",
            to_fund="general",
            occurred_on=DAY,
            currency="USD",
            amount=Decimal("1.00"),
        )
    assert len(mail.outbox) == 1
    with committed():
        services.entry_reverse(entry=transfer, by=treasurer, reason="Board changed its mind")
    assert len(mail.outbox) == 1
    with committed():
        ledger.spend("1.00")
    assert len(mail.outbox) == 2


def test_page_views_send_no_email(ledger, policy, treasurer, client_for, committed):
    with committed():
        ledger.donate(policy.minimum_usd)
    client = client_for(treasurer)
    with committed():
        for _ in range(3):
            assert client.get("/funds/readiness/").status_code == 200
    assert mail.outbox == []


def test_fund_status_json_prints_the_readiness_fields(ledger, treasurer, approved_case):
    ledger.donate("7000")
    ledger.donate("500000", "JPY", usd_rate="0.0067")
    services.commitment_create(case=approved_case(), by=treasurer, override_reason="Urgent")
    out = io.StringIO()
    call_command("fund_status", "--json", stdout=out)
    state = selectors.readiness()
    assert json.loads(out.getvalue()) == {
        "currency": "USD",
        "cash": str(state.cash),
        "committed": str(state.committed),
        "available": str(state.available),
        "minimum": str(state.minimum),
        "target": str(state.target),
        "band": state.band,
        "shortfall_to_target": str(state.shortfall_to_target),
        "rescues_fundable_now": state.rescues_fundable_now,
    }
    # And the figures themselves: 7000 + 500000 x 0.0067 - 2500.
    assert json.loads(out.getvalue())["available"] == "7850.00"
    assert json.loads(out.getvalue())["band"] == "amber"


def test_readiness_takes_four_queries_however_much_is_in_the_ledger(
    ledger, treasurer, approved_case, django_assert_num_queries
):
    ledger.donate("30000")
    for currency, rate in (("JPY", "0.0067"), ("KRW", "0.0007"), ("EUR", "1.1")):
        ledger.donate("1000", currency, usd_rate=rate)
    for _ in range(3):
        case = approved_case()
        services.commitment_create(case=case, by=treasurer)
        ledger.spend("100.00", case=case)
    # policy, reserve cash balances, latest rate per currency, open commitments' remainder
    with django_assert_num_queries(4):
        state = selectors.readiness()
    assert state.committed == 3 * Decimal("2400.00")


def test_fund_status_without_json_prints_one_line_per_figure(ledger):
    ledger.donate("6000")
    out = io.StringIO()
    call_command("fund_status", stdout=out)
    assert "band: amber" in out.getvalue()
    assert "available: 6000.00" in out.getvalue()
