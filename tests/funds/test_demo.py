"""The demo ledger: several currencies, 2025 rescue costs, and an amber reserve."""

import io
from datetime import date
from decimal import Decimal

import pytest

from cases.models import Outcome, PartnerOrganisation, Stage, Surveillance
from funds import demo, selectors
from funds.models import Commitment, ExchangeRate, JournalEntry
from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(personas):
    return {
        "intake": personas["intake"],
        "coordinator": personas["coordinator"],
        "treasurer": personas["treasurer"],
        "admin": personas["admin"],
        "board": personas["board"],
    }


@pytest.fixture
def demo_cases(db):
    """Cases shaped like the cases app's demo: 8 own rescues in 2025, a partner's rescue,
    and 2026 operations under way."""
    return _build_cases(operations=3)


def _build_cases(*, operations: int):
    rescued = []
    for number in range(8):
        case = CaseFactory(
            reference=f"2025-{number + 1:03d}",
            received_on=date(2025, 1, 5),
            stage=Stage.RESETTLING,
        )
        PersonFactory(case=case, outcome=Outcome.RESCUED, outcome_on=date(2025, 3 + number, 1))
        rescued.append(case)
    partner = PartnerOrganisation.objects.create(name="Fictional Partner Mission")
    by_partner = CaseFactory(reference="2025-020", received_on=date(2025, 2, 1))
    PersonFactory(
        case=by_partner,
        outcome=Outcome.RESCUED,
        outcome_on=date(2025, 6, 1),
        outcome_partner=partner,
    )
    planned = [
        {"reference": "2026-001", "received_on": date(2026, 2, 1), "stage": Stage.APPROVED},
        {
            "reference": "2026-002",
            "received_on": date(2026, 4, 1),
            "stage": Stage.APPROVED,
            "surveillance": Surveillance.STRICT,
        },
        {"reference": "2026-003", "received_on": date(2026, 5, 1), "stage": Stage.IN_TRANSIT},
    ]
    return rescued, by_partner, [CaseFactory(**fields) for fields in planned[:operations]]


def test_the_demo_leaves_the_reserve_amber(demo_users, demo_cases):
    rescued, by_partner, _ = demo_cases
    demo.load(users=demo_users, stdout=io.StringIO())
    state = selectors.readiness()
    assert state.band == "amber"
    assert state.minimum <= state.available < state.target
    assert Commitment.objects.filter(status="open").exists()

    spent_2025 = selectors.rescue_spending_usd_by_category(date(2025, 1, 1), date(2025, 12, 31))
    assert sum(spent_2025.values()) > Decimal(20000)
    assert sum(1 for amount in spent_2025.values() if amount > 0) >= 5
    expensed = set(
        JournalEntry.objects.filter(occurred_on__year=2025, case__isnull=False).values_list(
            "case__reference", flat=True
        )
    )
    assert expensed == {case.reference for case in rescued}
    assert by_partner.reference not in expensed
    donated_in = set(
        JournalEntry.objects.filter(kind="donation").values_list("currency", flat=True)
    )
    assert {"JPY", "KRW", "USD", "EUR"} <= donated_in
    assert ExchangeRate.objects.exists()


def test_the_demo_can_be_loaded_twice(demo_users, demo_cases):
    demo.load(users=demo_users, stdout=io.StringIO())
    counts = (JournalEntry.objects.count(), Commitment.objects.count())
    before = selectors.readiness()
    demo.load(users=demo_users, stdout=io.StringIO())
    assert (JournalEntry.objects.count(), Commitment.objects.count()) == counts
    assert selectors.readiness() == before


def test_the_demo_without_cases_leaves_out_case_expenses(demo_users):
    demo.load(users=demo_users, stdout=io.StringIO())
    assert JournalEntry.objects.exists()
    assert not JournalEntry.objects.filter(case__isnull=False).exists()


@pytest.mark.parametrize("operations", [1, 2])
def test_the_demo_is_amber_with_fewer_operations_under_way(demo_users, operations):
    _build_cases(operations=operations)
    demo.load(users=demo_users, stdout=io.StringIO())
    assert selectors.readiness().band == "amber"
