"""Showing money: to the currency's minor unit, with thousands separated, never a float."""

from decimal import Decimal, InvalidOperation

from django import template

from funds.money import MINOR_UNITS, round_money

register = template.Library()


@register.filter
def money(amount, currency: str = "USD") -> str:
    """`{{ posting.amount|money:posting.currency }}` → "-2,500.00" (USD) or "1,200,000" (JPY)."""
    if amount is None or amount == "":
        return ""
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    if currency not in MINOR_UNITS:
        return f"{value:,}"
    return f"{round_money(value, currency):,.{MINOR_UNITS[currency]}f}"
