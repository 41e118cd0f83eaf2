"""Retention: identifying data of cases closed longer than the set period is erased."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cases.models import Case, CaseEvent, EventKind, Outcome, Person, Screening, Stage, Verdict
from cases.retention import months_before
from rescue.models import AccessLog, SiteSettings
from tests.factories import CaseFactory, PersonFactory

MARK = "ERASE-ME-41c7"


def _case_with_everything(user, *, closed_days_ago: int | None, reference: str) -> Case:
    closed = None if closed_days_ago is None else timezone.now() - timedelta(days=closed_days_ago)
    case = CaseFactory(
        reference=reference,
        created_by=user,
        notes=f"{MARK} notes",
        current_region=f"{MARK} region",
        contact_handle=f"wechat:{MARK}",
        contact_handle_hash="ab" * 32,
        stage=Stage.RESETTLING,
    )
    case.notes = f"{MARK} notes, changed"
    case.save()
    person = PersonFactory(
        case=case,
        alias=f"{MARK} alias",
        legal_name=f"{MARK} name",
        birth_date=date(1990, 7, 1),
        outcome=Outcome.RESCUED,
        outcome_on=date(2023, 5, 1),
    )
    person.legal_name = f"{MARK} name, corrected"
    person.save()
    Screening.objects.create(
        case=case,
        reason_for_leaving=MARK,
        birthplace_knowledge=MARK,
        address_knowledge=MARK,
        daily_life_knowledge=MARK,
        vouched_by=MARK,
        dialect="fits",
        verdict=Verdict.VERIFIED,
        decided_by=user,
    )
    CaseEvent.objects.create(case=case, by=user, kind=EventKind.CLOSED, note=f"{MARK} event")
    Case.objects.filter(pk=case.pk).update(closed_at=closed)
    return case


def _decrypted_values(case) -> list[str]:
    values = []
    for model, rows in [
        (Case, Case.objects.filter(pk=case.pk)),
        (Case, Case.history.filter(id=case.pk)),
        (Person, Person.objects.filter(case=case)),
        (Person, Person.history.filter(case_id=case.pk)),
        (Screening, Screening.objects.filter(case=case)),
        (CaseEvent, CaseEvent.objects.filter(case=case)),
    ]:
        for row in rows:
            values.extend(str(getattr(row, field)) for field in model.IDENTIFYING_FIELDS)
    return values


@pytest.fixture
def cases(intake):
    return {
        "old": _case_with_everything(intake, closed_days_ago=800, reference="2023-001"),
        "recent": _case_with_everything(intake, closed_days_ago=300, reference="2025-001"),
        "open": _case_with_everything(intake, closed_days_ago=None, reference="2022-001"),
    }


@pytest.mark.django_db
def test_the_purge_erases_every_identifying_field_of_expired_cases_history_included(cases):
    call_command("purge_expired", stdout=io.StringIO())
    assert not any(MARK in value for value in _decrypted_values(cases["old"]))
    for kept in ("recent", "open"):
        assert any(MARK in value for value in _decrypted_values(cases[kept]))


@pytest.mark.django_db
def test_the_purge_keeps_what_reports_need(cases):
    call_command("purge_expired", stdout=io.StringIO())
    case = Case.objects.get(pk=cases["old"].pk)
    person = case.people.get()
    assert case.reference == "2023-001"
    assert case.stage == Stage.RESETTLING
    assert case.closed_at is not None
    assert case.identifying_data_erased_at is not None
    assert (person.outcome, person.outcome_on, person.birth_date) == (
        Outcome.RESCUED,
        date(2023, 5, 1),
        date(1990, 7, 1),
    )
    assert case.events.get().kind == EventKind.CLOSED


@pytest.mark.django_db
def test_the_purge_adds_no_history_row(cases):
    before = Case.history.count(), Person.history.count()
    call_command("purge_expired", stdout=io.StringIO())
    assert (Case.history.count(), Person.history.count()) == before


@pytest.mark.django_db
def test_a_dry_run_lists_references_and_changes_nothing(cases):
    out = io.StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert "1 case(s) would be erased" in out.getvalue()
    assert "2023-001" in out.getvalue()
    assert "2025-001" not in out.getvalue()
    assert MARK not in out.getvalue()
    assert any(MARK in value for value in _decrypted_values(cases["old"]))
    assert not AccessLog.objects.filter(action=AccessLog.Action.ADMIN_ACTION).exists()


@pytest.mark.django_db
def test_the_real_run_is_recorded_in_the_access_log(cases):
    call_command("purge_expired", stdout=io.StringIO())
    row = AccessLog.objects.get(action=AccessLog.Action.ADMIN_ACTION)
    assert row.target == "2023-001"
    assert "retention" in row.detail


@pytest.mark.django_db
def test_the_period_is_an_administrators_setting(cases):
    settings_row = SiteSettings.load()
    settings_row.retention_months = 6
    settings_row.save()
    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    assert "2 case(s) erased" in out.getvalue()
    assert any(MARK in value for value in _decrypted_values(cases["open"]))


@pytest.mark.django_db
def test_a_second_run_finds_nothing_more(cases):
    call_command("purge_expired", stdout=io.StringIO())
    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    assert "0 case(s) erased" in out.getvalue()


@pytest.mark.django_db
def test_no_ciphertext_of_erased_fields_is_left_in_the_database(cases):
    call_command("purge_expired", stdout=io.StringIO())
    pk = cases["old"].pk.hex if connection.vendor == "sqlite" else cases["old"].pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT notes, contact_handle, current_region FROM cases_historicalcase WHERE id = %s",
            [pk],
        )
        assert all(value == "" for row in cursor.fetchall() for value in row)


def test_months_are_counted_by_the_calendar():
    assert months_before(datetime(2026, 3, 31, 12), 1) == datetime(2026, 2, 28, 12)
    assert months_before(datetime(2026, 1, 15), 24) == datetime(2024, 1, 15)
    assert months_before(datetime(2026, 1, 15), 13) == datetime(2024, 12, 15)


def test_the_purge_covers_every_identifying_model_and_its_history():
    from cases.retention import erasable_tables

    covered = {table for table, _source, _lookup in erasable_tables()}
    assert {Case, Person, Screening, CaseEvent} <= covered
    assert {Case.history.model, Person.history.model} <= covered
    assert [table for table, *_ in erasable_tables()][-1] is Case
