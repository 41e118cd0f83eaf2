"""The access log: sign-ins, sign-outs, case views; a page to read it; rows never change."""

import pytest
from django.db import DatabaseError, connection, transaction

from rescue.audit import access_record
from rescue.crypto import username_hash
from rescue.models import AccessLog
from tests.security.helpers import password_step

PAGE = "/audit/access-log/"


@pytest.mark.django_db
def test_a_successful_sign_in_is_recorded_with_who_and_from_where(client, intake):
    password_step(client, intake)
    row = AccessLog.objects.get(action=AccessLog.Action.SIGN_IN)
    assert row.user == intake
    assert row.ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_a_failed_sign_in_records_the_username_tried_and_never_the_password(client, intake):
    client.post("/accounts/login/", {"username": "hana-typo", "password": "secret-guess-123"})
    row = AccessLog.objects.get(action=AccessLog.Action.SIGN_IN_FAILED)
    assert row.user is None
    # The keyed hash of what was typed (tests/security/test_smaller_holes.py), never the text.
    assert row.username_tried == username_hash("hana-typo")
    assert "hana-typo" not in row.username_tried
    assert row.ip_address == "127.0.0.1"
    stored = " ".join(str(v) for v in AccessLog.objects.values_list().get())
    assert "secret-guess-123" not in stored


@pytest.mark.django_db
def test_sign_out_is_recorded(client_for, intake):
    client_for(intake).post("/accounts/logout/")
    assert AccessLog.objects.filter(action=AccessLog.Action.SIGN_OUT, user=intake).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("coordinator", 403),
        ("intake", 403),
        ("treasurer", 403),
        ("board", 403),
        ("outsider", 403),
    ],
)
def test_only_holders_of_view_access_log_read_the_log(personas, client_for, persona, status):
    assert client_for(personas[persona]).get(PAGE).status_code == status


@pytest.mark.django_db
def test_it_answers_who_looked_at_a_case(client_for, admin_user, coordinator, intake):
    access_record(request=None, user=coordinator, action="view_case", target="2026-014")
    access_record(request=None, user=intake, action="view_case", target="2026-015")
    page = client_for(admin_user).get(PAGE, {"reference": "2026-014"}).content.decode()
    assert coordinator.username in page
    assert "2026-015" not in page


@pytest.mark.django_db
def test_it_filters_by_user_and_action(client_for, admin_user, coordinator, intake):
    access_record(request=None, user=coordinator, action="export", target="people-2026")
    access_record(request=None, user=intake, action="view_case", target="2026-099")
    client = client_for(admin_user)
    page = client.get(PAGE, {"username": intake.username}).content.decode()
    assert "2026-099" in page
    assert "people-2026" not in page
    page = client.get(PAGE, {"action": "export"}).content.decode()
    assert "people-2026" in page
    assert "2026-099" not in page


@pytest.mark.django_db
def test_the_page_is_paginated_with_a_fixed_number_of_queries(
    client_for, admin_user, coordinator, intake, django_assert_num_queries
):
    client = client_for(admin_user)
    for n in range(120):
        access_record(
            request=None,
            user=coordinator if n % 2 else intake,
            action="view_case",
            target=f"2026-{n:03d}",
        )
    # 1 session, 2 user, 3 OTP device of the session, 4-5 the user's own and group
    # permissions (capability check), 6 count for the paginator, 7 the user's roles for the
    # menu, 8-11 the readiness banner (fund policy, reserve balances, latest rates, open
    # commitments), 12 the page's rows with their users, 13-15 the session save in a
    # savepoint (the idle timeout pushed on). 120 rows over 3 users: a query per row would show.
    with django_assert_num_queries(15):
        response = client.get(PAGE, {"page": 2})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50


@pytest.mark.django_db
def test_a_row_cannot_be_changed_or_deleted_through_the_orm(intake):
    row = access_record(request=None, user=intake, action="view_case", target="2026-001")
    row.detail = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        row.save()
    with pytest.raises(ValueError, match="append-only"):
        row.delete()


@pytest.mark.postgresql
@pytest.mark.django_db
@pytest.mark.usefixtures("as_table_owner")  # the trigger refuses even the tables' owner
def test_postgresql_refuses_update_and_delete_written_around_the_orm(intake):
    row = access_record(request=None, user=intake, action="view_case", target="2026-001")
    for sql in (
        "UPDATE rescue_accesslog SET target = 'forged' WHERE id = %s",
        "DELETE FROM rescue_accesslog WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [row.pk])
    row.refresh_from_db()
    assert row.target == "2026-001"
