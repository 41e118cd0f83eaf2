"""Whatever the treasurer records, in whatever order, the ledger stays exact and balanced."""

import contextlib
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funds import selectors, services
from funds.models import AccountBalance, JournalEntry
from funds.money import MINOR_UNITS, to_usd
from tests.funds.conftest import DAY

pytestmark = pytest.mark.django_db

RATES = {"USD": None, "JPY": "0.0067", "KRW": "0.0007", "EUR": "1.1", "THB": "0.029"}
currencies = st.sampled_from(sorted(RATES))
funds = st.sampled_from(["rescue", "general"])
minor_units = st.integers(min_value=1, max_value=5_000_000)


def _amount(units: int, currency: str) -> Decimal:
    return Decimal(units).scaleb(-MINOR_UNITS[currency])


def _rate(currency: str) -> Decimal | None:
    return None if RATES[currency] is None else Decimal(RATES[currency])


operations = st.one_of(
    st.tuples(st.just("donate"), funds, currencies, minor_units),
    st.tuples(st.just("spend"), funds, currencies, minor_units),
    st.tuples(st.just("transfer"), funds, currencies, minor_units),
    st.tuples(st.just("exchange"), funds, currencies, minor_units, currencies, minor_units),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50)),
)


def _apply(op, by) -> None:
    kind = op[0]
    if kind == "donate":
        _, fund, currency, units = op
        services.donation_record(
            by=by, fund=fund, occurred_on=DAY, currency=currency,
            amount=_amount(units, currency), usd_rate=_rate(currency),
        )  # fmt: skip
    elif kind == "spend":
        _, fund, currency, units = op
        services.expense_record(
            by=by, fund=fund, occurred_on=DAY, currency=currency, category="other",
            amount=_amount(units, currency), usd_rate=_rate(currency),
        )  # fmt: skip
    elif kind == "transfer":
        _, fund, currency, units = op
        other = "general" if fund == "rescue" else "rescue"
        services.transfer_record(
            by=by, from_fund=fund, to_fund=other, occurred_on=DAY, currency=currency,
            amount=_amount(units, currency), usd_rate=_rate(currency),
        )  # fmt: skip
    elif kind == "exchange":
        _, fund, sell, sell_units, buy, buy_units = op
        services.exchange_record(
            by=by, fund=fund, occurred_on=DAY, sell_currency=sell,
            sell_amount=_amount(sell_units, sell), buy_currency=buy,
            buy_amount=_amount(buy_units, buy), usd_rate=_rate(sell),
        )  # fmt: skip
    else:
        entries = list(JournalEntry.objects.filter(reverses__isnull=True).order_by("id"))
        if entries:
            services.entry_reverse(entry=entries[op[1] % len(entries)], by=by, reason="Test")


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=st.lists(operations, min_size=1, max_size=12))
def test_any_sequence_of_entries_keeps_the_ledger_balanced_and_exact(treasurer, ops):
    savepoint = transaction.savepoint()
    try:
        for op in ops:
            # Some are refused (the minimum, a same-currency exchange); they leave no trace.
            with contextlib.suppress(ValidationError):
                _apply(op, treasurer)
        for entry in JournalEntry.objects.prefetch_related("postings"):
            per_currency = defaultdict(Decimal)
            for posting in entry.postings.all():
                per_currency[posting.currency] += posting.amount
                assert (
                    posting.amount
                    == _amount(1, posting.currency)
                    * (posting.amount / _amount(1, posting.currency)).to_integral_value()
                )
            assert len(entry.postings.all()) >= 2
            assert set(per_currency.values()) == {Decimal(0)}
        assert services.balances_recompute() == []
        cash = defaultdict(Decimal)
        for balance in AccountBalance.objects.filter(
            account__fund__code="rescue", account__kind="cash"
        ).select_related("account"):
            cash[balance.account.currency] += balance.balance
        rates = {currency: selectors.rate_for(currency, DAY) for currency in cash}
        # Cash in a currency with no rate yet (bought for less than a cent) is not counted.
        expected = sum(
            (to_usd(amount, rates[c]) for c, amount in cash.items() if rates[c] is not None),
            Decimal("0.00"),
        )
        assert selectors.readiness(today=DAY).cash == expected
    finally:
        transaction.savepoint_rollback(savepoint)
