"""Reserve money set aside for approved operations, and released when a case closes."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case, Stage, Surveillance
from funds.models import (
    Commitment,
    CommitmentStatus,
    FundPolicy,
)
from funds.money import CENT, Currency, is_exact
from funds.services._core import check_referable, lock_funds, reserve_guard
from rescue.roles import Cap, require

if TYPE_CHECKING:
    from rescue.roles import User


def commitment_estimate(case: Case, policy: FundPolicy | None = None) -> Decimal:
    """The standard estimate, plus the extra when she must first slip strict surveillance."""
    policy = policy or FundPolicy.load()
    estimate = policy.standard_estimate_usd
    if case.surveillance == Surveillance.STRICT:
        estimate += policy.surveillance_extra_usd
    return min(estimate, policy.ceiling_usd).quantize(CENT)


def commitment_create(
    *, case: Case, by: "User", amount_usd: Decimal | None = None, override_reason: str = ""
) -> Commitment:
    """Set reserve money aside for an approved operation (at most one open per case)."""
    require(by, Cap.COMMIT_FUNDS)
    check_referable(case, by)
    policy = FundPolicy.load()
    amount = commitment_estimate(case, policy) if amount_usd is None else amount_usd
    if amount <= 0 or not is_exact(amount, Currency.USD):
        raise ValidationError({"amount_usd": "Enter a dollar amount greater than zero."})
    if amount > policy.ceiling_usd:
        raise ValidationError(
            {"amount_usd": f"The most that may be committed to one case is {policy.ceiling_usd}."}
        )
    with transaction.atomic():
        lock_funds()
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.stage != Stage.APPROVED or case.closed_at is not None:
            raise ValidationError(
                {"case": "Only a case whose operation is approved can be funded."}
            )
        if Commitment.objects.filter(case=case, status=CommitmentStatus.OPEN).exists():
            raise ValidationError({"case": "This case already has money committed."})
        with reserve_guard(by=by, override_reason=override_reason):
            return Commitment.objects.create(
                case=case,
                amount_usd=amount,
                override_reason=override_reason.strip(),
                created_by=by,
            )


def commitment_release(*, case: Case, by: "User") -> Commitment | None:
    """The case is closed: what is left of its open commitment goes back to the reserve."""
    with transaction.atomic():
        lock_funds()
        commitment = (
            Commitment.objects.select_for_update()
            .filter(case=case, status=CommitmentStatus.OPEN)
            .first()
        )
        if commitment is None:
            return None
        with reserve_guard(by=by, override_reason="", check_minimum=False):
            commitment.status = CommitmentStatus.RELEASED
            commitment.released_at = timezone.now()
            commitment.save(update_fields=["status", "released_at"])
        return commitment


def commitment_restore(*, case: Case, by: "User") -> Commitment | None:
    """The case is reopened: its last released commitment is set aside again.

    Reopening is the coordinator's decision and cannot be refused here; if it takes the
    reserve down through a threshold, the treasurer is told as for any other crossing.
    """
    with transaction.atomic():
        lock_funds()
        if Commitment.objects.filter(case=case, status=CommitmentStatus.OPEN).exists():
            return None
        commitment = (
            Commitment.objects.select_for_update()
            .filter(case=case, status=CommitmentStatus.RELEASED)
            .order_by("-released_at", "-id")
            .first()
        )
        if commitment is None:
            return None
        with reserve_guard(by=by, override_reason="", check_minimum=False):
            commitment.status = CommitmentStatus.OPEN
            commitment.released_at = None
            commitment.save(update_fields=["status", "released_at"])
        return commitment
