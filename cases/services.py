"""Every write to cases: keyword-only functions taking the acting user (`by`).

Each checks the capability (`rescue.roles.require`) and that the case is visible to
`by` (Http404 otherwise), whatever the view already checked. Domain rules that the
user can fix (an illegal stage, a missing note) raise ValidationError. Events on the
timeline are written here and nowhere else.
"""

import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from cases import signals
from cases.models import (
    BirthPrecision,
    Case,
    CaseEvent,
    ContactChannel,
    Country,
    DialectFit,
    EventKind,
    Outcome,
    PartnerOrganisation,
    Person,
    PersonRole,
    Province,
    ReferenceCounter,
    Screening,
    Sex,
    Stage,
    Surveillance,
    Urgency,
    Verdict,
)
from cases.selectors import assignable_users
from cases.transitions import allowed_next, is_backward
from rescue.crypto import keyed_hash
from rescue.roles import WORKS_CASES, Cap, can, require

if TYPE_CHECKING:
    from rescue.roles import User

# A reference the NGO already uses (imports keep theirs: `2025-014`, `LF-18-M1`): letters
# and digits in groups joined by single dashes. Never a name: it appears in URLs and logs.
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
REFERENCE_MAX_LENGTH = 32
REFERENCE_HELP = "Letters, digits and dashes, such as 2026-014 or LF-18-M1 (at most 32)."


def reference_is_valid(reference: str) -> bool:
    return len(reference) <= REFERENCE_MAX_LENGTH and bool(REFERENCE_PATTERN.match(reference))


def _visible(case: Case, by: "User", *, lock: bool = False) -> Case:
    """The case as visible to `by`, re-read (and locked when asked); Http404 otherwise."""
    queryset = Case.objects.visible_to(by)
    try:
        if lock:
            # Lock only the case row: visible_to's subquery must not be locked with it.
            visible = queryset.filter(pk=case.pk).exists()
            if not visible:
                raise Case.DoesNotExist
            return Case.objects.select_for_update().get(pk=case.pk)
        return queryset.get(pk=case.pk)
    except Case.DoesNotExist:
        raise Http404 from None


def _event(*, case: Case, by: "User", kind: str, from_value="", to_value="", note="", person=None):
    return CaseEvent.objects.create(
        case=case,
        by=by,
        kind=kind,
        from_value=str(from_value)[:128],
        to_value=str(to_value)[:128],
        note=note,
        person=person,
    )


def _set(
    case: Case, *, by: "User", kind: str, field: str, value, from_value, to_value, note=""
) -> None:
    """Change one field of the case and record it on the timeline, in one go."""
    _event(case=case, by=by, kind=kind, from_value=from_value, to_value=to_value, note=note)
    setattr(case, field, value)
    case.save(update_fields=[field, "updated_at"])


def _refuse_if_closed(case: Case) -> None:
    if case.is_closed:
        raise ValidationError("This case is closed. A coordinator can reopen it with a reason.")


def reference_allocate(*, year: int) -> str:
    """The next free `YYYY-NNN` for the year; the counter row is locked until commit."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReferenceCounter.objects.get_or_create(year=year)
        except IntegrityError:
            pass  # a concurrent creator made the row first; lock theirs below
        counter = ReferenceCounter.objects.select_for_update().get(year=year)
        number = counter.last_number
        while True:
            number += 1
            reference = f"{year:04d}-{number:03d}"
            # Imported cases keep their own references: step over any already taken.
            if not Case.objects.filter(reference=reference).exists():
                break
        counter.last_number = number
        counter.save(update_fields=["last_number"])
        return reference


def case_create(
    *,
    by: "User",
    household: str,
    situation: str,
    received_on: date | None = None,
    channel: ContactChannel | None = None,
    current_country: str = Country.CHINA,
    current_region: str = "",
    years_in_china: int | None = None,
    surveillance: str = Surveillance.NONE,
    urgency: str = Urgency.NORMAL,
    contact_handle: str = "",
    notes: str = "",
    principal_alias: str,
    principal_legal_name: str = "",
    principal_sex: str = Sex.FEMALE,
    principal_birth_date: date | None = None,
    principal_birth_precision: str = BirthPrecision.YEAR,
    principal_origin_province: Province | None = None,
    members: Iterable[dict] = (),
    reference: str = "",
) -> Case:
    """Log a new request with its principal and the children or companions with her
    (`members`: `person_add` keywords each), all or nothing. `reference` is for imports
    and demo data only."""
    require(by, Cap.LOG_REQUEST)
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date is in the future."})
    members = list(members)
    for member in members:
        unknown = set(member) - {*PERSON_EDITABLE, "origin_province"}
        if unknown:
            raise TypeError(f"case_create cannot set {', '.join(sorted(unknown))} of a person")
        if member.get("role") not in (PersonRole.CHILD, PersonRole.COMPANION):
            raise ValidationError("A person added with the request is a child or a companion.")
    with transaction.atomic():
        if reference:
            if not reference_is_valid(reference):
                raise ValidationError(f"Not a usable reference. {REFERENCE_HELP}")
            if Case.objects.filter(reference=reference).exists():
                raise ValidationError(f"The reference {reference} is taken.")
        else:
            reference = reference_allocate(year=received_on.year)
        case = Case.objects.create(
            reference=reference,
            received_on=received_on,
            household=household,
            situation=situation,
            channel=channel,
            current_country=current_country,
            current_region=current_region,
            years_in_china=years_in_china,
            surveillance=surveillance,
            urgency=urgency,
            contact_handle=contact_handle,
            contact_handle_hash=keyed_hash(contact_handle),
            notes=notes,
            created_by=by,
        )
        principal = Person.objects.create(
            case=case,
            role=PersonRole.PRINCIPAL,
            alias=principal_alias,
            legal_name=principal_legal_name,
            sex=principal_sex,
            birth_date=principal_birth_date,
            birth_precision=principal_birth_precision,
            origin_province=principal_origin_province,
        )
        for member in members:
            Person.objects.create(case=case, **member)
        _event(case=case, by=by, kind=EventKind.CREATED, to_value=Stage.RECEIVED, person=principal)
    return case


def person_add(
    *,
    case: Case,
    by: "User",
    role: str,
    alias: str,
    legal_name: str = "",
    sex: str = Sex.FEMALE,
    birth_date: date | None = None,
    birth_precision: str = BirthPrecision.YEAR,
    origin_province: Province | None = None,
) -> Person:
    """Add a child or companion (or a missing principal) to an open case."""
    require(by, WORKS_CASES)
    with transaction.atomic():
        case = _visible(case, by, lock=True)
        _refuse_if_closed(case)
        if role == PersonRole.PRINCIPAL and case.people.filter(role=PersonRole.PRINCIPAL).exists():
            raise ValidationError({"role": "This case already has a principal."})
        return Person.objects.create(
            case=case,
            role=role,
            alias=alias,
            legal_name=legal_name,
            sex=sex,
            birth_date=birth_date,
            birth_precision=birth_precision,
            origin_province=origin_province,
        )


PERSON_EDITABLE = ("role", "alias", "legal_name", "sex", "birth_date", "birth_precision")


def person_update(*, person: Person, by: "User", **changes) -> Person:
    """Correct a person's details (never the outcome: that is `outcome_record`)."""
    require(by, WORKS_CASES)
    unknown = set(changes) - {*PERSON_EDITABLE, "origin_province"}
    if unknown:
        raise TypeError(f"person_update cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        case = _visible(person.case, by, lock=True)
        # A closed case's people are in past reports; they change only once it is reopened.
        _refuse_if_closed(case)
        person = Person.objects.get(pk=person.pk, case=case)
        if (
            changes.get("role") == PersonRole.PRINCIPAL
            and case.people.filter(role=PersonRole.PRINCIPAL).exclude(pk=person.pk).exists()
        ):
            raise ValidationError({"role": "This case already has a principal."})
        for field, value in changes.items():
            setattr(person, field, value)
        person.save()
    return person


def case_screen(
    *,
    case: Case,
    by: "User",
    reason_for_leaving: str,
    dialect: str,
    birthplace_knowledge: str,
    address_knowledge: str,
    daily_life_knowledge: str,
    vouched_by: str,
    verdict: str,
) -> Screening:
    """Record a screening against the decoy checks; its verdict becomes the case's."""
    require(by, Cap.SCREEN_CASE)
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": "Choose a verdict."})
    if dialect not in DialectFit.values:
        raise ValidationError({"dialect": "Choose how the dialect fits."})
    with transaction.atomic():
        case = _visible(case, by, lock=True)
        _refuse_if_closed(case)
        screening = Screening.objects.create(
            case=case,
            reason_for_leaving=reason_for_leaving,
            dialect=dialect,
            birthplace_knowledge=birthplace_knowledge,
            address_knowledge=address_knowledge,
            daily_life_knowledge=daily_life_knowledge,
            vouched_by=vouched_by,
            verdict=verdict,
            decided_by=by,
        )
        _set(
            case,
            by=by,
            kind=EventKind.SCREENED,
            field="verdict",
            value=verdict,
            from_value=case.verdict,
            to_value=verdict,
        )
    return screening


def case_transition(*, case: Case, to: str, by: "User", note: str = "") -> Case:
    """Move the case to another stage; only moves in `cases.transitions` are allowed."""
    require(by, Cap.COORDINATE_CASE)
    with transaction.atomic():
        case = _visible(case, by, lock=True)
        _refuse_if_closed(case)
        if to not in allowed_next(case.stage):
            raise ValidationError(
                {"to": f"A case cannot move from {case.get_stage_display()} to that stage."}
            )
        if is_backward(case.stage, to) and not note.strip():
            raise ValidationError({"note": "Say why the case moves back."})
        if to == Stage.VERIFIED and case.verdict != Verdict.VERIFIED:
            raise ValidationError({"to": "Only a request screened as verified can be verified."})
        _event(
            case=case, by=by, kind=EventKind.STAGE, from_value=case.stage, to_value=to, note=note
        )
        case.stage = to
        case.stage_changed_at = timezone.now()
        case.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    return case


def case_assign(*, case: Case, assignees: Iterable, by: "User", note: str = "") -> Case:
    """Set who the case is assigned to (any number of staff, or nobody)."""
    require(by, Cap.COORDINATE_CASE)
    assignees = list(assignees)
    allowed = set(assignable_users().values_list("pk", flat=True))
    if any(user.pk not in allowed for user in assignees):
        raise ValidationError({"assignees": "Cases can be assigned only to active case staff."})
    with transaction.atomic():
        case = _visible(case, by, lock=True)
        before = sorted(case.assignees.values_list("username", flat=True))
        after = sorted(user.username for user in assignees)
        if before == after:
            return case
        case.assignees.set(assignees)
        _event(
            case=case,
            by=by,
            kind=EventKind.ASSIGNED,
            from_value=", ".join(before),
            to_value=", ".join(after),
            note=note,
        )
    return case


def case_refer(*, case: Case, partner: PartnerOrganisation, by: "User", note: str = "") -> Case:
    """Hand the case to a partner NGO (record the people's outcome `referred` separately)."""
    require(by, Cap.COORDINATE_CASE)
    with transaction.atomic():
        case = _visible(case, by, lock=True)
        _refuse_if_closed(case)
        _set(
            case,
            by=by,
            kind=EventKind.REFERRED,
            field="referred_to",
            value=partner,
            from_value=case.referred_to.name if case.referred_to else "",
            to_value=partner.name,
            note=note,
        )
    return case


def case_set_restricted(*, case: Case, restricted: bool, by: "User", note: str = "") -> Case:
    """Restrict a case to its assignees and administrators, or lift the restriction."""
    require(by, Cap.COORDINATE_CASE)
    with transaction.atomic():
        case = _visible(case, by, lock=True)
        if case.restricted == restricted:
            return case
        if (
            restricted
            and not can(by, Cap.VIEW_RESTRICTED_CASES)
            and not case.assignees.filter(pk=by.pk).exists()
        ):
            raise ValidationError(
                "Assign yourself to the case before restricting it, or you would lose sight of it."
            )
        _set(
            case,
            by=by,
            kind=EventKind.RESTRICTED,
            field="restricted",
            value=restricted,
            from_value="restricted" if case.restricted else "open",
            to_value="restricted" if restricted else "open",
            note=note,
        )
    return case


def _close_if_complete(case: Case, by: "User") -> None:
    if case.is_closed or case.people.filter(outcome="").exists() or not case.people.exists():
        return
    case.closed_at = timezone.now()
    case.save(update_fields=["closed_at", "updated_at"])
    _event(case=case, by=by, kind=EventKind.CLOSED)
    transaction.on_commit(lambda: signals.case_closed.send(sender=Case, case=case, by=by))


def _set_outcome(
    case: Case, person: Person, *, by: "User", outcome: str, on, partner, note: str
) -> None:
    """Set (or clear, with an empty outcome) one person's outcome, as an event."""
    _event(
        case=case,
        by=by,
        kind=EventKind.OUTCOME,
        person=person,
        from_value=person.outcome,
        to_value=f"{outcome}:{partner.name}" if partner else outcome,
        note=note,
    )
    person.outcome, person.outcome_on, person.outcome_partner = outcome, on, partner
    person.save(update_fields=["outcome", "outcome_on", "outcome_partner"])


def outcome_record(
    *,
    case: Case,
    people: Iterable[Person] | None,
    outcome: str,
    on: date,
    partner: PartnerOrganisation | None = None,
    by: "User",
    note: str = "",
) -> Case:
    """Record how it ended for some people (all of them when `people` is None).

    `partner` names the partner NGO for `rescued` (empty: the NGO itself) and is required
    for `referred`. The case closes when every person has an outcome.
    """
    require(by, Cap.COORDINATE_CASE)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Choose an outcome."})
    if outcome == Outcome.REFERRED and partner is None:
        raise ValidationError({"partner": "Name the partner NGO the case is referred to."})
    if partner is not None and outcome not in (Outcome.RESCUED, Outcome.REFERRED):
        raise ValidationError({"partner": "A partner NGO goes only with rescued or referred."})
    if on > timezone.localdate():
        raise ValidationError({"on": "The date is in the future."})
    with transaction.atomic():
        case = _visible(case, by, lock=True)
        _refuse_if_closed(case)
        in_case = list(case.people.all())
        if people is None:
            chosen = in_case
        else:
            wanted = {person.pk for person in people}
            chosen = [person for person in in_case if person.pk in wanted]
            if len(chosen) != len(wanted):
                raise ValidationError({"people": "Choose people in this case."})
        if not chosen:
            raise ValidationError({"people": "Choose at least one person."})
        if on < case.received_on:
            raise ValidationError({"on": "The date is before the request was received."})
        for person in chosen:
            _set_outcome(case, person, by=by, outcome=outcome, on=on, partner=partner, note=note)
        _close_if_complete(case, by)
    return case


def case_reopen(
    *, case: Case, by: "User", reason: str, people: Iterable[Person] | None = None
) -> Case:
    """Reopen a closed case, clearing the outcome of the people it is reopened for (all
    by default), so it closes again once they have a new one."""
    require(by, Cap.COORDINATE_CASE)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case is reopened."})
    with transaction.atomic():
        case = _visible(case, by, lock=True)
        if not case.is_closed:
            raise ValidationError("This case is open.")
        in_case = list(case.people.all())
        wanted = {person.pk for person in people} if people is not None else None
        chosen = [p for p in in_case if wanted is None or p.pk in wanted]
        if not chosen or (wanted is not None and len(chosen) != len(wanted)):
            raise ValidationError({"people": "Choose people in this case."})
        case.closed_at = None
        case.save(update_fields=["closed_at", "updated_at"])
        _event(case=case, by=by, kind=EventKind.REOPENED, note=reason)
        for person in chosen:
            _set_outcome(case, person, by=by, outcome="", on=None, partner=None, note=reason)
        transaction.on_commit(lambda: signals.case_reopened.send(sender=Case, case=case, by=by))
    return case


__all__ = [
    "case_assign",
    "case_create",
    "case_refer",
    "case_reopen",
    "case_screen",
    "case_set_restricted",
    "case_transition",
    "outcome_record",
    "person_add",
    "person_update",
    "reference_allocate",
]
