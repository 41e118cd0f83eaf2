"""Changing one's password asks for the current password and a code; wrong tries count.

A stolen, verified session could otherwise guess the current password as often as it
liked (the review made 12 wrong tries, nothing logged or counted). Sign-in guessing
from one address: tests/security/test_lockout.py.
"""

import pytest
from django.conf import settings

from rescue.models import AccessLog
from tests.conftest import PASSWORD
from tests.security.helpers import totp_code
from tests.signin import verified_device

pytestmark = pytest.mark.django_db

URL = "/accounts/password/"
NEW = "a-much-longer-passphrase-2026"


def _form(old=PASSWORD, code="", new=NEW):
    return {"old_password": old, "code": code, "new_password1": new, "new_password2": new}


def test_the_page_asks_for_a_code(client_for, intake):
    html = client_for(intake).get(URL).content.decode()
    assert 'name="code"' in html
    assert 'name="old_password"' in html


def test_a_wrong_current_password_is_logged_and_counted(client_for, intake):
    client = client_for(intake)
    response = client.post(URL, _form(old="not-my-password"))
    assert response.status_code == 200
    assert "The current password or the code is not right." in response.content.decode()
    row = AccessLog.objects.get(action=AccessLog.Action.REAUTH_FAILED)
    assert row.user == intake
    assert "password change" in row.detail
    intake.refresh_from_db()
    assert intake.check_password(PASSWORD)


def test_the_right_password_without_the_right_code_changes_nothing(client_for, intake):
    client = client_for(intake)
    device = verified_device(intake)
    wrong = f"{(int(totp_code(device)) + 3) % 1_000_000:06d}"
    response = client.post(URL, _form(code=wrong))
    assert response.status_code == 200
    assert AccessLog.objects.filter(action=AccessLog.Action.REAUTH_FAILED).count() == 1
    intake.refresh_from_db()
    assert intake.check_password(PASSWORD)


def test_wrong_tries_end_the_session_like_re_authentication(client_for, intake):
    client = client_for(intake)
    for _ in range(settings.OTP_SESSION_FAILURE_LIMIT - 1):
        assert client.post(URL, _form(old="guess-guess-guess")).status_code == 200
    response = client.post(URL, _form(old="guess-guess-guess"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert (
        AccessLog.objects.filter(action=AccessLog.Action.REAUTH_FAILED, user=intake).count()
        == settings.OTP_SESSION_FAILURE_LIMIT
    )


def test_password_and_code_change_the_password_and_are_logged(client_for, intake):
    client = client_for(intake)
    response = client.post(URL, _form(code=totp_code(verified_device(intake))))
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.check_password(NEW)
    assert AccessLog.objects.filter(
        action=AccessLog.Action.ADMIN_ACTION, user=intake, target="password"
    ).exists()


def test_a_new_password_refused_does_not_use_up_the_code(client_for, intake):
    client = client_for(intake)
    code = totp_code(verified_device(intake))
    response = client.post(URL, _form(code=code, new="short-pw-1"))
    assert response.status_code == 200
    assert not AccessLog.objects.filter(action=AccessLog.Action.REAUTH_FAILED).exists()
    assert client.post(URL, _form(code=code)).status_code == 302
