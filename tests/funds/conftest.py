"""Fixtures for the fund tests: a ledger helper that writes through the services."""

from datetime import date
from decimal import Decimal

import pytest

from cases.models import Stage, Surveillance
from funds import services
from funds.models import FundPolicy
from tests.factories import CaseFactory

DAY = date(2026, 3, 2)


class Ledger:
    """Shortcuts that record through the real services as one user."""

    def __init__(self, user):
        self.user = user

    def donate(self, amount, currency="USD", *, fund="rescue", usd_rate=None, on=DAY):
        return services.donation_record(
            by=self.user,
            fund=fund,
            occurred_on=on,
            currency=currency,
            amount=Decimal(amount),
            usd_rate=None if usd_rate is None else Decimal(usd_rate),
        )

    def spend(self, amount, currency="USD", *, case=None, category="broker_fee", on=DAY, **kw):
        if kw.get("usd_rate") is not None:
            kw["usd_rate"] = Decimal(kw["usd_rate"])
        return services.expense_record(
            by=self.user,
            fund=kw.pop("fund", "rescue"),
            occurred_on=on,
            currency=currency,
            amount=Decimal(amount),
            category=category,
            case=case,
            **kw,
        )

    def rate(self, currency, usd_per_unit, on=DAY):
        return services.rate_record(
            by=self.user, currency=currency, on=on, usd_per_unit=Decimal(usd_per_unit)
        )


@pytest.fixture
def ledger(treasurer):
    return Ledger(treasurer)


@pytest.fixture
def policy(db):
    return FundPolicy.load()


@pytest.fixture
def approved_case(db):
    def make(**kwargs):
        kwargs.setdefault("stage", Stage.APPROVED)
        kwargs.setdefault("surveillance", Surveillance.NONE)
        return CaseFactory(**kwargs)

    return make
