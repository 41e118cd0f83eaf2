"""The case services refuse what the role or the case's visibility does not allow, and keep
the timeline: one module-level rule per test."""

import threading
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from cases import services, signals
from cases.models import (
    Case,
    CaseEvent,
    EventKind,
    Outcome,
    PartnerOrganisation,
    PersonRole,
    Stage,
    Verdict,
)
from cases.transitions import BACKWARD, FORWARD, allowed_next
from rescue.crypto import keyed_hash
from tests.cases.helpers import new_case
from tests.factories import UserFactory


def _screen(case, by, verdict=Verdict.VERIFIED):
    return services.case_screen(
        case=case,
        by=by,
        reason_for_leaving="fictional reason",
        dialect="fits",
        birthplace_knowledge="",
        address_knowledge="",
        daily_life_knowledge="",
        vouched_by="",
        verdict=verdict,
    )


def _walk(case, by, *stages):
    for stage in stages:
        case = services.case_transition(case=case, to=stage, by=by)
    return case


def _with_child(case, by):
    services.person_add(case=case, by=by, role=PersonRole.CHILD, alias="Fictional Child")
    return case


@pytest.fixture
def partner(db):
    return PartnerOrganisation.objects.create(name="Fictional Partner NGO")


@pytest.fixture
def receivers():
    heard = []

    def closed(sender, case, by, **kwargs):
        heard.append(("closed", case.reference, by.username))

    def reopened(sender, case, by, **kwargs):
        heard.append(("reopened", case.reference, by.username))

    signals.case_closed.connect(closed)
    signals.case_reopened.connect(reopened)
    yield heard
    signals.case_closed.disconnect(closed)
    signals.case_reopened.disconnect(reopened)


# Creating


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["treasurer", "board", "outsider"])
def test_case_create_refuses_those_who_do_not_log_requests(personas, persona):
    with pytest.raises(PermissionDenied):
        new_case(by=personas[persona])
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_references_are_numbered_per_year_of_receipt(intake):
    first = new_case(by=intake, received_on=date(2025, 12, 30))
    second = new_case(by=intake, received_on=date(2025, 12, 31))
    third = new_case(by=intake, received_on=date(2026, 1, 2))
    assert [first.reference, second.reference, third.reference] == [
        "2025-001",
        "2025-002",
        "2026-001",
    ]


@pytest.mark.django_db
def test_a_reference_taken_by_an_imported_case_is_stepped_over(intake):
    new_case(by=intake, received_on=date(2025, 3, 1), reference="2025-002")
    assert new_case(by=intake, received_on=date(2025, 3, 2)).reference == "2025-001"
    assert new_case(by=intake, received_on=date(2025, 3, 3)).reference == "2025-003"


@pytest.mark.django_db
def test_case_create_logs_the_principal_the_contact_hash_and_a_created_event(intake):
    case = new_case(by=intake, contact_handle="+86 138-0000-1111")
    assert case.people.get().role == PersonRole.PRINCIPAL
    assert case.contact_handle_hash == keyed_hash("+8613800001111")
    assert list(case.events.values_list("kind", "by")) == [(EventKind.CREATED, intake.pk)]


@pytest.mark.postgresql
# serialized_rollback: the flush after a transactional test would otherwise take the roles
# and lookups the migrations made away from the transactional tests after it, and re-made
# content types would clash with theirs when they restore the database.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_creators_get_different_references(intake):
    other = UserFactory(username="second-intake", roles=["intake"])
    barrier = threading.Barrier(2)
    made, failed = [], []

    def create(user):
        try:
            barrier.wait()
            made.append(new_case(by=user, received_on=date(2026, 5, 1)).reference)
        except Exception as exc:  # reported through the assertion below
            failed.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(user,)) for user in (intake, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == []
    assert sorted(made) == ["2026-001", "2026-002"]


# Screening and stages


@pytest.mark.django_db
def test_intake_screens_the_case_they_logged_and_the_verdict_is_an_event(intake):
    case = new_case(by=intake)
    screening = _screen(case, intake, Verdict.SUSPECTED_DECOY)
    case.refresh_from_db()
    assert (case.verdict, screening.decided_by) == (Verdict.SUSPECTED_DECOY, intake)
    event = case.events.get(kind=EventKind.SCREENED)
    assert (event.from_value, event.to_value, event.by) == ("", Verdict.SUSPECTED_DECOY, intake)


@pytest.mark.django_db
def test_screening_refuses_the_treasurer_and_a_case_intake_cannot_see(intake, treasurer):
    other = UserFactory(username="other-intake", roles=["intake"])
    case = new_case(by=other)
    with pytest.raises(PermissionDenied):
        _screen(case, treasurer)
    with pytest.raises(Http404):
        _screen(case, intake)
    assert not case.screenings.exists()


@pytest.mark.django_db
def test_intake_cannot_move_a_stage(intake):
    case = new_case(by=intake)
    with pytest.raises(PermissionDenied):
        services.case_transition(case=case, to=Stage.SCREENING, by=intake)


@pytest.mark.django_db
def test_a_coordinator_cannot_move_a_restricted_case_not_assigned_to_them(intake, coordinator):
    case = new_case(by=intake)
    Case.objects.filter(pk=case.pk).update(restricted=True)
    with pytest.raises(Http404):
        services.case_transition(case=case, to=Stage.SCREENING, by=coordinator)


@pytest.mark.django_db
@pytest.mark.parametrize("to", [s for s in Stage.values if s not in allowed_next(Stage.RECEIVED)])
def test_every_illegal_move_from_received_is_refused(intake, coordinator, to):
    case = new_case(by=intake)
    with pytest.raises(ValidationError):
        services.case_transition(case=case, to=to, by=coordinator)
    case.refresh_from_db()
    assert case.stage == Stage.RECEIVED
    assert not case.events.filter(kind=EventKind.STAGE).exists()


@pytest.mark.django_db
def test_only_a_request_screened_as_verified_becomes_verified(intake, coordinator):
    case = _walk(new_case(by=intake), coordinator, Stage.SCREENING)
    _screen(case, intake, Verdict.INCONCLUSIVE)
    with pytest.raises(ValidationError):
        services.case_transition(case=case, to=Stage.VERIFIED, by=coordinator)
    _screen(case, coordinator, Verdict.VERIFIED)
    assert services.case_transition(case=case, to=Stage.VERIFIED, by=coordinator).stage == (
        Stage.VERIFIED
    )


@pytest.mark.django_db
def test_the_whole_rescue_can_be_walked_forward_and_each_step_is_an_event(intake, coordinator):
    case = _walk(new_case(by=intake), coordinator, Stage.SCREENING)
    _screen(case, coordinator)
    path = [Stage.VERIFIED, Stage.WAITING, Stage.APPROVED, Stage.IN_TRANSIT, Stage.CROSSING]
    path += [Stage.THIRD_COUNTRY, Stage.FLIGHT, Stage.RESETTLING]
    case = _walk(case, coordinator, *path)
    moves = list(case.events.filter(kind=EventKind.STAGE).values_list("from_value", "to_value"))
    stages = [Stage.RECEIVED, Stage.SCREENING, *path]
    assert moves == list(pairwise(stages))
    assert FORWARD[case.stage] == ()


@pytest.mark.django_db
def test_moving_back_after_a_crackdown_needs_a_note(intake, coordinator):
    case = _walk(new_case(by=intake), coordinator, Stage.SCREENING)
    _screen(case, coordinator)
    case = _walk(case, coordinator, Stage.VERIFIED, Stage.APPROVED, Stage.IN_TRANSIT)
    assert Stage.WAITING in BACKWARD[Stage.IN_TRANSIT]
    with pytest.raises(ValidationError):
        services.case_transition(case=case, to=Stage.WAITING, by=coordinator, note="  ")
    case = services.case_transition(
        case=case, to=Stage.WAITING, by=coordinator, note="Crackdown in the county"
    )
    event = case.events.filter(kind=EventKind.STAGE).last()
    assert (event.from_value, event.to_value, event.note) == (
        Stage.IN_TRANSIT,
        Stage.WAITING,
        "Crackdown in the county",
    )


# Outcomes, closing and reopening


@pytest.mark.django_db
def test_an_outcome_for_the_whole_household_closes_the_case_and_tells_funds(
    intake, coordinator, receivers, django_capture_on_commit_callbacks
):
    case = _with_child(new_case(by=intake), intake)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.outcome_record(
            case=case, people=None, outcome=Outcome.RESCUED, on=date.today(), by=coordinator
        )
    assert case.is_closed
    assert set(case.people.values_list("outcome", flat=True)) == {Outcome.RESCUED}
    assert case.events.filter(kind=EventKind.OUTCOME).count() == case.people.count()
    assert case.events.filter(kind=EventKind.CLOSED).count() == 1
    assert receivers == [("closed", case.reference, coordinator.username)]


@pytest.mark.django_db
def test_an_outcome_for_one_person_leaves_the_case_open(intake, coordinator, receivers):
    case = _with_child(new_case(by=intake), intake)
    mother = case.people.get(role=PersonRole.PRINCIPAL)
    services.outcome_record(
        case=case, people=[mother], outcome=Outcome.DIED, on=date.today(), by=coordinator
    )
    case.refresh_from_db()
    assert not case.is_closed
    assert case.people.get(role=PersonRole.CHILD).outcome == ""
    assert receivers == []


@pytest.mark.django_db
def test_a_rescue_by_a_partner_names_the_partner(intake, coordinator, partner):
    case = new_case(by=intake)
    services.outcome_record(
        case=case,
        people=None,
        outcome=Outcome.RESCUED,
        on=date.today(),
        partner=partner,
        by=coordinator,
    )
    person = case.people.get()
    assert (person.outcome, person.outcome_partner) == (Outcome.RESCUED, partner)
    assert case.events.get(kind=EventKind.OUTCOME).to_value == f"rescued:{partner.name}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "with_partner", "on_offset"),
    [
        (Outcome.REFERRED, False, 0),  # a referral names the partner
        (Outcome.DECOY, True, 0),  # only rescued or referred go with a partner
        (Outcome.RESCUED, False, 1),  # not in the future
        ("eaten_by_bears", False, 0),
    ],
)
def test_a_wrong_outcome_is_refused_and_changes_nothing(
    intake, coordinator, partner, outcome, with_partner, on_offset
):
    case = new_case(by=intake)
    with pytest.raises(ValidationError):
        services.outcome_record(
            case=case,
            people=None,
            outcome=outcome,
            on=date.today() + timedelta(days=on_offset),
            partner=partner if with_partner else None,
            by=coordinator,
        )
    assert case.people.get().outcome == ""
    assert not case.events.filter(kind=EventKind.OUTCOME).exists()


@pytest.mark.django_db
def test_an_outcome_for_a_person_of_another_case_is_refused(intake, coordinator):
    case, other = new_case(by=intake), new_case(by=intake)
    with pytest.raises(ValidationError):
        services.outcome_record(
            case=case,
            people=list(other.people.all()),
            outcome=Outcome.WITHDRAWN,
            on=date.today(),
            by=coordinator,
        )
    assert other.people.get().outcome == ""


@pytest.mark.django_db
def test_a_closed_case_refuses_stage_moves_until_reopened(
    intake, coordinator, receivers, django_capture_on_commit_callbacks
):
    case = _with_child(new_case(by=intake), intake)
    services.outcome_record(
        case=case, people=None, outcome=Outcome.LOST_CONTACT, on=date.today(), by=coordinator
    )
    with pytest.raises(ValidationError):
        services.case_transition(case=case, to=Stage.SCREENING, by=coordinator)
    with pytest.raises(ValidationError):
        services.case_reopen(case=case, by=coordinator, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_reopen(case=case, by=coordinator, reason="She called again")
    assert not case.is_closed
    assert set(case.people.values_list("outcome", flat=True)) == {""}
    assert case.events.filter(kind=EventKind.REOPENED).get().note == "She called again"
    assert receivers == [("reopened", case.reference, coordinator.username)]
    assert services.case_transition(case=case, to=Stage.SCREENING, by=coordinator).stage == (
        Stage.SCREENING
    )


@pytest.mark.django_db
def test_reopening_for_one_person_keeps_the_others_outcome(intake, coordinator):
    case = _with_child(new_case(by=intake), intake)
    services.outcome_record(
        case=case, people=None, outcome=Outcome.ARRESTED, on=date.today(), by=coordinator
    )
    child = case.people.get(role=PersonRole.CHILD)
    services.case_reopen(case=case, by=coordinator, reason="The child escaped", people=[child])
    assert dict(case.people.values_list("role", "outcome")) == {
        PersonRole.PRINCIPAL: Outcome.ARRESTED,
        PersonRole.CHILD: "",
    }


@pytest.mark.django_db
def test_intake_cannot_record_outcomes_or_reopen(intake, coordinator):
    case = new_case(by=intake)
    with pytest.raises(PermissionDenied):
        services.outcome_record(
            case=case, people=None, outcome=Outcome.RESCUED, on=date.today(), by=intake
        )
    services.outcome_record(
        case=case, people=None, outcome=Outcome.RESCUED, on=date.today(), by=coordinator
    )
    with pytest.raises(PermissionDenied):
        services.case_reopen(case=case, by=intake, reason="x")


@pytest.mark.django_db
def test_a_reopen_of_an_open_case_is_refused(intake, coordinator):
    with pytest.raises(ValidationError):
        services.case_reopen(case=new_case(by=intake), by=coordinator, reason="why not")


# Assignment, referral, restriction


@pytest.mark.django_db
def test_assigning_records_who_before_and_who_after(intake, coordinator):
    case = new_case(by=intake)
    services.case_assign(case=case, assignees=[coordinator, intake], by=coordinator)
    services.case_assign(case=case, assignees=[intake], by=coordinator, note="handover")
    events = list(case.events.filter(kind=EventKind.ASSIGNED).values_list("from_value", "to_value"))
    names = sorted([coordinator.username, intake.username])
    assert events == [("", ", ".join(names)), (", ".join(names), intake.username)]
    assert list(case.assignees.all()) == [intake]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["board", "treasurer", "outsider"])
def test_a_case_is_assigned_only_to_case_staff(intake, coordinator, personas, persona):
    case = new_case(by=intake)
    with pytest.raises(ValidationError):
        services.case_assign(case=case, assignees=[personas[persona]], by=coordinator)
    assert not case.assignees.exists()


@pytest.mark.django_db
def test_referring_to_a_partner_is_an_event(intake, coordinator, partner):
    case = services.case_refer(
        case=new_case(by=intake), partner=partner, by=coordinator, note="no money left"
    )
    assert case.referred_to == partner
    assert case.events.get(kind=EventKind.REFERRED).to_value == partner.name


@pytest.mark.django_db
def test_a_coordinator_must_be_assigned_before_restricting(intake, coordinator):
    case = new_case(by=intake)
    with pytest.raises(ValidationError):
        services.case_set_restricted(case=case, restricted=True, by=coordinator)
    services.case_assign(case=case, assignees=[coordinator], by=coordinator)
    case = services.case_set_restricted(case=case, restricted=True, by=coordinator)
    assert case.restricted
    assert not Case.objects.visible_to(intake).filter(pk=case.pk).exists()
    assert case.events.get(kind=EventKind.RESTRICTED).to_value == "restricted"


# People


@pytest.mark.django_db
def test_a_case_has_one_principal(intake):
    case = new_case(by=intake)
    with pytest.raises(ValidationError):
        services.person_add(case=case, by=intake, role=PersonRole.PRINCIPAL, alias="Second")
    child = services.person_add(case=case, by=intake, role=PersonRole.CHILD, alias="Kid")
    with pytest.raises(ValidationError):
        services.person_update(person=child, by=intake, role=PersonRole.PRINCIPAL)
    assert case.people.filter(role=PersonRole.PRINCIPAL).count() == 1


@pytest.mark.django_db
def test_person_update_cannot_touch_the_outcome(intake):
    person = new_case(by=intake).people.get()
    with pytest.raises(TypeError):
        services.person_update(person=person, by=intake, outcome=Outcome.RESCUED)


# The timeline


@pytest.mark.django_db
def test_the_timeline_is_append_only(intake):
    event = new_case(by=intake).events.get()
    event.note = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert CaseEvent.objects.get(pk=event.pk).note == ""
