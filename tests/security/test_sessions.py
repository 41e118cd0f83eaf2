"""Sessions: new key at sign-in, ended at sign-out and when a user is disabled, and timeouts."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from rescue.middleware import SIGNED_IN_AT_SESSION_KEY
from tests.factories import UserFactory
from tests.security.helpers import totp_code
from tests.signin import sign_in_verified, verified_device


@pytest.mark.django_db
def test_sign_out_tells_the_browser_to_clear_everything(client_for, intake):
    response = client_for(intake).post("/accounts/logout/")
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'


@pytest.mark.django_db
def test_sign_out_deletes_the_session_on_the_server(client_for, intake):
    client = client_for(intake)
    key = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.django_db
def test_disabling_a_user_ends_their_sessions_at_once(client_for, intake, coordinator):
    client = client_for(intake)
    other = sign_in_verified(type(client)(), coordinator)
    assert client.get("/").status_code == 200
    intake.is_active = False
    intake.save()
    assert client.get("/").status_code == 302
    assert other.get("/").status_code == 200


@pytest.mark.django_db
def test_an_idle_session_expires_after_thirty_minutes(client_for, intake):
    client = client_for(intake)
    key = client.cookies["sessionid"].value
    session = Session.objects.get(session_key=key)
    assert session.expire_date - timezone.now() <= timedelta(minutes=30)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_busy_session_still_ends_twelve_hours_after_sign_in(client_for, intake):
    client = client_for(intake)
    assert settings.SESSION_ABSOLUTE_AGE == 12 * 60 * 60
    session = client.session
    session[SIGNED_IN_AT_SESSION_KEY] = time.time() - 12 * 60 * 60 + 60
    session.save()
    assert client.get("/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT_SESSION_KEY] = time.time() - 12 * 60 * 60 - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_the_breach_drill_ends_every_session_and_disables_everyone_but_the_named_account(
    client_for, admin_user, intake, coordinator, capsys
):
    client = client_for(intake)
    other = sign_in_verified(type(client)(), coordinator)
    call_command("breach_drill", "--keep", admin_user.username, "--yes")
    out = capsys.readouterr().out
    assert Session.objects.count() == 0
    assert client.get("/").status_code == 302
    assert other.get("/").status_code == 302
    intake.refresh_from_db()
    coordinator.refresh_from_db()
    admin_user.refresh_from_db()
    assert not intake.is_active
    assert not coordinator.is_active
    assert admin_user.is_active
    for step in [
        "generate_field_key",
        "FIELD_ENCRYPTION_KEYS",
        "reencrypt_fields",
        "SECRET_KEY",
        "FIELD_HASH_KEY",
    ]:
        assert step in out


@pytest.mark.django_db
def test_the_breach_drill_refuses_an_unknown_account_and_changes_nothing(client_for, intake):
    from django.core.management import CommandError

    client = client_for(intake)
    UserFactory(username="someone")
    with pytest.raises(CommandError):
        call_command("breach_drill", "--keep", "nobody", "--yes")
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_password_change_signs_out_the_users_other_sessions(client_for, intake):
    other = sign_in_verified(type(client_for(intake))(), intake)
    client = client_for(intake)
    new = "another-long-passphrase-2026"
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "correct-horse-battery",
            "code": totp_code(verified_device(intake)),
            "new_password1": new,
            "new_password2": new,
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
