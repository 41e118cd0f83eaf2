"""What every write shares: the fund lock, the reserve guard and its e-mail, postings."""

import logging
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction

from cases.models import Case
from funds import selectors
from funds.models import (
    BAND_RANK,
    Account,
    AccountBalance,
    ExchangeRate,
    Fund,
    FundCode,
    JournalEntry,
    Posting,
    ReadinessAlert,
)
from funds.money import MINOR_UNITS, Currency, is_exact, round_money
from rescue.roles import ANSWERS_FOR_RESERVE, Cap, can

if TYPE_CHECKING:
    from rescue.roles import User

logger = logging.getLogger(__name__)


class ReserveBelowMinimum(ValidationError):
    """The write would take the available reserve below the minimum without an override."""


@dataclass(frozen=True)
class Line:
    account: Account
    amount: Decimal
    amount_usd: Decimal


# ---------------------------------------------------------------- locking and guards


def lock_funds(*codes: str) -> dict[str, Fund]:
    """Lock the rescue reserve and the named funds, always in id order (no deadlocks)."""
    wanted = {FundCode.RESCUE, *codes}
    unknown = wanted - set(FundCode.values)
    if unknown:
        raise ValidationError({"fund": f"Unknown fund {sorted(unknown)[0]}."})
    funds = list(Fund.objects.select_for_update().filter(code__in=wanted).order_by("id"))
    if len(funds) != len(wanted):
        # Migration 0002 creates both funds; this only matters after a database flush.
        for code in wanted:
            Fund.objects.get_or_create(
                code=code,
                defaults={"name": FundCode(code).label, "restricted": code == FundCode.RESCUE},
            )
        funds = list(Fund.objects.select_for_update().filter(code__in=wanted).order_by("id"))
    return {fund.code: fund for fund in funds}


def _treasurer_emails() -> list[str]:
    """Those who answer for the reserve (the treasurer role), by capability."""
    users = (
        get_user_model()
        .objects.filter(ANSWERS_FOR_RESERVE.holders(), is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def _send_crossing_email(alert: ReadinessAlert, after: selectors.Readiness) -> None:
    # Amounts and band only: no case, reference or person ever goes in this e-mail.
    body = (
        f"The rescue reserve has fallen from {alert.from_band} to {alert.to_band}.\n\n"
        f"Available: {after.available} USD\n"
        f"Cash: {after.cash} USD\n"
        f"Committed: {after.committed} USD\n"
        f"Minimum: {after.minimum} USD\n"
        f"Target: {after.target} USD\n"
        f"Shortfall to target: {after.shortfall_to_target} USD\n"
    )
    recipients = _treasurer_emails()
    if recipients:
        send_mail(
            f"Rescue reserve is now {after.band}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
    else:
        logger.warning("Rescue reserve fell to %s and no treasurer has an e-mail", after.band)


def alert_if_crossed_down(before: selectors.Readiness, after: selectors.Readiness) -> None:
    if BAND_RANK[after.band] >= BAND_RANK[before.band]:
        return
    alert = ReadinessAlert.objects.create(
        from_band=before.band, to_band=after.band, available_usd=after.available
    )
    transaction.on_commit(lambda: _send_crossing_email(alert, after))


@contextmanager
def reserve_guard(
    *, by: "User", override_reason: str, check_minimum: bool = True
) -> Iterator[None]:
    """Around a write made under the fund lock: refuse it if it takes the reserve below the
    minimum without a treasurer's reason, and alert on a downward crossing."""
    before = selectors.readiness()
    yield
    after = selectors.readiness()
    if check_minimum and after.available < after.minimum and after.available < before.available:
        if not override_reason.strip():
            raise ReserveBelowMinimum(
                {
                    "override_reason": (
                        f"This would leave {after.available} USD available, below the "
                        f"minimum of {after.minimum} USD. A treasurer may go ahead by "
                        "writing the reason here."
                    )
                }
            )
        if not can(by, Cap.OVERRIDE_RESERVE_MINIMUM):
            raise ReserveBelowMinimum(
                {"override_reason": "Only a treasurer may take the reserve below the minimum."}
            )
    alert_if_crossed_down(before, after)


# ---------------------------------------------------------------- postings


def account_for(fund: Fund, kind: str, currency: str, category: str = "") -> Account:
    # Called under the fund's row lock, so two writers never race to create the same account.
    account, created = Account.objects.get_or_create(
        fund=fund, kind=kind, currency=currency, category=category
    )
    if created:
        AccountBalance.objects.create(account=account)
    return account


def check_amount(amount: Decimal, currency: str, field: str = "amount") -> Decimal:
    if currency not in MINOR_UNITS:
        raise ValidationError({"currency": f"Unknown currency {currency}."})
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise ValidationError({field: "Enter an amount greater than zero."})
    if not is_exact(amount, currency):
        places = MINOR_UNITS[currency]
        raise ValidationError({field: f"{currency} amounts have {places or 'no'} decimal places."})
    return round_money(amount, currency)


def resolve_rate(currency: str, day: date, usd_rate: Decimal | None) -> Decimal:
    if currency == Currency.USD:
        return Decimal(1)
    if usd_rate is not None:
        if usd_rate <= 0:
            raise ValidationError({"usd_rate": "A rate must be greater than zero."})
        return usd_rate
    rate = selectors.rate_for(currency, day)
    if rate is None:
        raise ValidationError(
            {"usd_rate": f"No {currency} rate on or before {day}: enter the rate used."}
        )
    return rate


def remember_rate(currency: str, day: date, rate: Decimal, by: "User") -> None:
    """A rate typed into a form is a rate the treasurer entered: keep it as that day's row,
    unless one is there already, so that cash in the currency can be valued."""
    if (
        currency != Currency.USD
        and not ExchangeRate.objects.filter(currency=currency, on=day).exists()
    ):
        ExchangeRate.objects.create(currency=currency, on=day, usd_per_unit=rate, entered_by=by)


def post_entry(*, entry_fields: dict, lines: list[Line]) -> JournalEntry:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        totals[line.account.currency] += line.amount
    if any(total != 0 for total in totals.values()) or len(lines) < 2:
        raise ValidationError("The postings of an entry must sum to zero in each currency.")
    entry = JournalEntry.objects.create(**entry_fields)
    for line in lines:
        balance = AccountBalance.objects.select_for_update().get(account=line.account)
        balance.balance += line.amount
        balance.save(update_fields=["balance"])
        Posting.objects.create(
            entry=entry,
            account=line.account,
            currency=line.account.currency,
            amount=line.amount,
            amount_usd=line.amount_usd,
            occurred_on=entry.occurred_on,
            balance_after=balance.balance,
        )
    return entry


def check_referable(case: Case | None, by: "User") -> Case | None:
    if case is not None and not Case.objects.referable_by(by).filter(pk=case.pk).exists():
        raise PermissionDenied
    return case
