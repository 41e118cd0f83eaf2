"""Amounts on pages: to the currency's minor unit, thousands separated."""

from decimal import Decimal

import pytest

from funds.templatetags.money import money


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("-2500.0000"), "USD", "-2,500.00"),
        (Decimal("1200000.0000"), "JPY", "1,200,000"),
        (Decimal("350000"), "KRW", "350,000"),
        (Decimal("0.005"), "USD", "0.01"),
        (Decimal("9910.73"), "USD", "9,910.73"),
        (Decimal("12.5"), "CNY", "12.50"),
    ],
)
def test_it_shows_each_currency_to_its_minor_unit(amount, currency, shown):
    assert money(amount, currency) == shown


def test_it_defaults_to_dollars_and_leaves_blanks_blank():
    assert money(Decimal("6000")) == "6,000.00"
    assert money(None) == ""
