"""Committing reserve money to approved operations, drawing it down, releasing it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Stage, Surveillance
from cases.signals import case_closed, case_reopened
from funds import selectors, services
from funds.models import Commitment, CommitmentStatus

pytestmark = pytest.mark.django_db


def test_the_estimate_is_the_standard_for_a_woman_who_can_slip_surveillance_herself(
    treasurer, ledger, approved_case, policy
):
    ledger.donate("20000")
    commitment = services.commitment_create(case=approved_case(), by=treasurer)
    assert commitment.amount_usd == policy.standard_estimate_usd


def test_strict_surveillance_adds_the_extra(treasurer, ledger, approved_case, policy):
    ledger.donate("20000")
    case = approved_case(surveillance=Surveillance.STRICT)
    commitment = services.commitment_create(case=case, by=treasurer)
    assert commitment.amount_usd == policy.standard_estimate_usd + policy.surveillance_extra_usd
    assert commitment.amount_usd == Decimal("3500.00")


def test_the_estimates_follow_the_policy_an_admin_sets(treasurer, ledger, approved_case, policy):
    policy.standard_estimate_usd = Decimal("3000.00")
    policy.surveillance_extra_usd = Decimal("1500.00")
    policy.save()
    ledger.donate("20000")
    case = approved_case(surveillance=Surveillance.STRICT)
    assert services.commitment_create(case=case, by=treasurer).amount_usd == Decimal("4500.00")


def test_an_amount_may_be_adjusted_up_to_the_ceiling(treasurer, ledger, approved_case, policy):
    ledger.donate("20000")
    commitment = services.commitment_create(
        case=approved_case(), by=treasurer, amount_usd=policy.ceiling_usd
    )
    assert commitment.amount_usd == policy.ceiling_usd
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            case=approved_case(), by=treasurer, amount_usd=policy.ceiling_usd + Decimal("0.01")
        )
    assert "amount_usd" in error.value.error_dict
    assert Commitment.objects.count() == 1


def test_only_an_approved_case_can_be_funded(treasurer, ledger, approved_case):
    ledger.donate("20000")
    with pytest.raises(ValidationError):
        services.commitment_create(case=approved_case(stage=Stage.SCREENING), by=treasurer)
    assert not Commitment.objects.exists()


def test_a_case_has_at_most_one_open_commitment(treasurer, ledger, approved_case):
    ledger.donate("20000")
    case = approved_case()
    services.commitment_create(case=case, by=treasurer)
    with pytest.raises(ValidationError):
        services.commitment_create(case=case, by=treasurer)
    assert Commitment.objects.filter(case=case).count() == 1


def test_expenses_on_the_case_draw_the_commitment_down(treasurer, ledger, approved_case):
    ledger.donate("20000")
    case = approved_case()
    services.commitment_create(case=case, by=treasurer)
    before = selectors.readiness()
    ledger.spend("1000.00", case=case)
    after = selectors.readiness()
    assert after.committed == before.committed - Decimal("1000.00")
    assert after.cash == before.cash - Decimal("1000.00")
    assert after.available == before.available
    # Spending more than was committed comes out of the available reserve.
    ledger.spend("2000.00", case=case)
    final = selectors.readiness()
    assert final.committed == 0
    assert final.available == before.available - Decimal("500.00")


def test_closing_the_case_releases_what_is_left(treasurer, coordinator, ledger, approved_case):
    ledger.donate("20000")
    case = approved_case()
    services.commitment_create(case=case, by=treasurer)
    ledger.spend("400.00", case=case)
    assert selectors.readiness().committed == Decimal("2100.00")
    case_closed.send(sender=type(case), case=case, by=coordinator)
    assert selectors.readiness().committed == 0
    assert Commitment.objects.get(case=case).status == CommitmentStatus.RELEASED
    case_reopened.send(sender=type(case), case=case, by=coordinator)
    assert selectors.readiness().committed == Decimal("2100.00")
    assert Commitment.objects.get(case=case).status == CommitmentStatus.OPEN


def test_a_commitment_below_the_minimum_is_refused(treasurer, ledger, approved_case, policy):
    ledger.donate(policy.minimum_usd + Decimal("2499.99"))
    with pytest.raises(ValidationError) as error:
        services.commitment_create(case=approved_case(), by=treasurer)
    assert "override_reason" in error.value.error_dict
    assert not Commitment.objects.exists()


def test_a_commitment_down_to_exactly_the_minimum_is_allowed(
    treasurer, ledger, approved_case, policy
):
    ledger.donate(policy.minimum_usd + policy.standard_estimate_usd)
    services.commitment_create(case=approved_case(), by=treasurer)
    assert selectors.readiness().available == policy.minimum_usd


def test_a_treasurer_may_override_the_minimum_with_a_reason_that_is_recorded(
    treasurer, ledger, approved_case, policy
):
    ledger.donate("7000")
    reason = "Critical: she is in danger tonight; board chair agreed by phone"
    commitment = services.commitment_create(
        case=approved_case(), by=treasurer, override_reason=reason
    )
    assert commitment.override_reason == reason
    assert selectors.readiness().available == Decimal("4500.00")


def test_an_admin_cannot_override_the_minimum(admin_user, ledger, approved_case):
    ledger.donate("7000")
    with pytest.raises(ValidationError) as error:
        services.commitment_create(case=approved_case(), by=admin_user, override_reason="Urgent")
    assert "Only a treasurer" in str(error.value)
    assert not Commitment.objects.exists()


def test_a_coordinator_cannot_commit_or_override(coordinator, ledger, approved_case):
    ledger.donate("20000")
    with pytest.raises(PermissionDenied):
        services.commitment_create(case=approved_case(), by=coordinator, override_reason="x")
    assert not Commitment.objects.exists()


def test_an_expense_not_covered_by_a_commitment_is_held_to_the_minimum(ledger, policy):
    ledger.donate(policy.minimum_usd + Decimal("100"))
    with pytest.raises(ValidationError):
        ledger.spend("100.01")
    entry = ledger.spend("100.01", override_reason="Medical emergency in the safe house")
    assert entry.override_reason == "Medical emergency in the safe house"
