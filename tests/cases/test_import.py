"""Importing cases from CSV: all or nothing, every bad row named, re-import duplicates nothing."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from cases.models import Case, CaseEvent, EventKind, PartnerOrganisation, Person
from cases.services import reference_allocate

HEADER = [
    "case_ref",
    "received_on",
    "household",
    "person_role",
    "alias",
    "sex",
    "born",
    "origin_province",
    "outcome",
    "outcome_on",
    "rescued_by",
    "legal_name",
    "contact_handle",
    "current_location",
    "notes",
    "stage",
]

ROWS = [
    # A mother and her baby rescued by a partner NGO, and a woman still open.
    ["2025-101", "2025-02-03", "mother_with_children", "principal", "Fictional Mother A", "F",
     "1993", "north hamgyong", "rescued", "2025-06-10", "Fictional Partner One",
     "Fictional Legal Name", "fictional-handle-a", "Fictional Town", "Fictional note A",
     "resettling"],
    ["2025-101", "2025-02-03", "mother_with_children", "child", "Fictional Baby A", "M",
     "2024-04", "Ryanggang", "rescued", "2025-06-10", "Fictional Partner One",
     "", "fictional-handle-a", "Fictional Town", "Fictional note A", "resettling"],
    ["2025-102", "2025-03-09", "unaccompanied_woman", "principal", "Fictional Woman B", "F",
     "1999-11-02", "Ryanggang", "", "", "", "", "", "", "", ""],
]  # fmt: skip


def _csv(rows, header=HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(_csv(ROWS))
    return path


@pytest.mark.django_db
def test_the_command_imports_one_case_per_reference_with_its_people(coordinator, good_file, capsys):
    call_command("import_cases", str(good_file), user=coordinator.username)
    assert sorted(Case.objects.values_list("reference", flat=True)) == ["2025-101", "2025-102"]
    mother_case = Case.objects.get(reference="2025-101")
    assert mother_case.people.count() == 2
    assert mother_case.is_closed
    # Closed when its last outcome happened, so retention counts from then, not the import.
    assert mother_case.closed_at.date() == date(2025, 6, 10)
    assert mother_case.stage == "resettling"
    baby = mother_case.people.get(role="child")
    assert (baby.birth_date, baby.birth_precision) == (date(2024, 4, 15), "month")
    assert baby.outcome_partner == PartnerOrganisation.objects.get(name="Fictional Partner One")
    assert not Case.objects.get(reference="2025-102").is_closed
    kinds = list(mother_case.events.values_list("kind", flat=True))
    assert kinds == [EventKind.IMPORTED, EventKind.OUTCOME, EventKind.OUTCOME, EventKind.CLOSED]


@pytest.mark.django_db
def test_re_importing_the_same_file_duplicates_nothing(coordinator, good_file):
    call_command("import_cases", str(good_file), user=coordinator.username)
    counts = (Case.objects.count(), Person.objects.count(), CaseEvent.objects.count())
    call_command("import_cases", str(good_file), user=coordinator.username)
    assert (Case.objects.count(), Person.objects.count(), CaseEvent.objects.count()) == counts
    assert PartnerOrganisation.objects.filter(name="Fictional Partner One").count() == 1


@pytest.mark.django_db
def test_a_new_reference_after_an_import_steps_over_imported_ones(coordinator, tmp_path):
    path = tmp_path / "one.csv"
    row = ["2025-001", *ROWS[2][1:]]
    path.write_text(_csv([row]))
    call_command("import_cases", str(path), user=coordinator.username)
    assert reference_allocate(year=2025) == "2025-002"


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_every_bad_row_and_column_is_named(coordinator, tmp_path):
    bad = [list(row) for row in ROWS]
    bad[0][6] = "1993-13"  # born: no such month
    bad[1][2] = "family"  # household
    bad[1][7] = "Atlantis"  # origin_province
    bad[2][8] = "vanished"  # outcome
    bad[2][5] = "X"  # sex
    bad[1][9] = "2025-01-01"  # outcome_on: before the request was received
    path = tmp_path / "bad.csv"
    path.write_text(_csv(bad))
    with pytest.raises(CommandError) as refused:
        call_command("import_cases", str(path), user=coordinator.username)
    message = str(refused.value)
    for expected in (
        "Row 2, born",
        "Row 3, household",
        "Row 3, origin_province",
        "Row 3, outcome_on",
        "Row 4, outcome",
        "Row 4, sex",
    ):
        assert expected in message
    assert not Case.objects.exists()
    assert not PartnerOrganisation.objects.exists()


@pytest.mark.django_db
def test_rows_of_one_case_must_agree_on_the_case(coordinator, tmp_path):
    bad = [list(row) for row in ROWS]
    bad[1][1] = "2025-02-04"
    path = tmp_path / "bad.csv"
    path.write_text(_csv(bad))
    with pytest.raises(CommandError, match="Row 3, received_on: differs from row 2"):
        call_command("import_cases", str(path), user=coordinator.username)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_missing_column_is_named(coordinator, tmp_path):
    path = tmp_path / "short.csv"
    path.write_text(_csv([row[:10] for row in ROWS], header=HEADER[:10]))
    with pytest.raises(CommandError, match="Missing columns: rescued_by"):
        call_command("import_cases", str(path), user=coordinator.username)


@pytest.mark.django_db
def test_the_command_refuses_someone_who_may_not_import(intake, good_file):
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_cases", str(good_file), user=intake.username)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_optional_identifying_columns_are_stored_encrypted(coordinator, good_file):
    call_command("import_cases", str(good_file), user=coordinator.username)
    case = Case.objects.get(reference="2025-101")
    principal = case.people.get(role="principal")
    assert (case.contact_handle, case.current_region, case.notes, principal.legal_name) == (
        "fictional-handle-a",
        "Fictional Town",
        "Fictional note A",
        "Fictional Legal Name",
    )
    assert case.contact_handle_hash
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_handle, current_region, notes FROM cases_case")
        raw = " ".join(value for row in cursor.fetchall() for value in row)
        cursor.execute("SELECT alias, legal_name FROM cases_person")
        raw += " ".join(value for row in cursor.fetchall() for value in row)
    for secret in ("fictional-handle-a", "Fictional Town", "Fictional note", "Fictional"):
        assert secret not in raw


@pytest.mark.django_db
def test_the_upload_page_imports_and_reports(client_for, coordinator):
    upload = SimpleUploadedFile("cases.csv", _csv(ROWS).encode(), content_type="text/csv")
    response = client_for(coordinator).post(reverse("cases:import"), {"file": upload})
    assert response.status_code == 302
    assert Case.objects.count() == len({row[0] for row in ROWS})


@pytest.mark.django_db
def test_the_upload_page_lists_every_bad_row_and_imports_nothing(client_for, coordinator):
    bad = [list(row) for row in ROWS]
    bad[0][9] = ""  # outcome without its date
    bad[2][0] = "B/12"  # a reference that is not one (a slash would end up in a URL)
    upload = SimpleUploadedFile("cases.csv", _csv(bad).encode(), content_type="text/csv")
    response = client_for(coordinator).post(reverse("cases:import"), {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Row 2, outcome_on" in body
    assert "Row 4, case_ref" in body
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_upload_page_refuses_intake(client_for, intake):
    upload = SimpleUploadedFile("cases.csv", _csv(ROWS).encode(), content_type="text/csv")
    assert client_for(intake).post(reverse("cases:import"), {"file": upload}).status_code == 403
    assert not Case.objects.exists()
