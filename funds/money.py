"""Currencies, their minor units, and exact rounding: money is `Decimal`, never a float."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models


class Currency(models.TextChoices):
    USD = "USD", "US dollar"
    JPY = "JPY", "Japanese yen"
    KRW = "KRW", "South Korean won"
    EUR = "EUR", "Euro"
    THB = "THB", "Thai baht"
    CNY = "CNY", "Chinese yuan"


# ISO 4217 minor units: no fractions of a yen or a won.
MINOR_UNITS: dict[str, int] = {
    Currency.USD: 2,
    Currency.JPY: 0,
    Currency.KRW: 0,
    Currency.EUR: 2,
    Currency.THB: 2,
    Currency.CNY: 2,
}

CENT = Decimal("0.01")


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-MINOR_UNITS[currency])


def round_money(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded half-up to the currency's minor unit."""
    if not isinstance(amount, Decimal):
        raise TypeError("Money must be a Decimal")
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def is_exact(amount: Decimal, currency: str) -> bool:
    """Whether `amount` has no digits below the currency's minor unit."""
    return round_money(amount, currency) == amount


def to_usd(amount: Decimal, usd_per_unit: Decimal) -> Decimal:
    """The USD value of `amount` at `usd_per_unit`, to the cent."""
    return (amount * usd_per_unit).quantize(CENT, rounding=ROUND_HALF_UP)
