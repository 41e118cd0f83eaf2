"""Re-authentication before sensitive actions: password and a code, good for a few minutes."""

import time

import pytest
from django.conf import settings

from rescue.models import AccessLog
from rescue.reauth import REAUTH_SESSION_KEY
from tests.conftest import PASSWORD
from tests.security.helpers import totp_code
from tests.signin import verified_device

REAUTH = "/accounts/reauthenticate/"
GUARDED = "/" + settings.ADMIN_URL + "auth/user/"


def _guarded_change_url(user) -> str:
    return f"{GUARDED}{user.pk}/change/"


@pytest.mark.django_db
def test_password_and_code_lead_back_to_where_the_user_was_going(client_for, admin_user):
    client = client_for(admin_user)
    url = _guarded_change_url(admin_user)
    code = totp_code(verified_device(admin_user))
    response = client.post(REAUTH, {"password": PASSWORD, "code": code, "next": url})
    assert response["Location"] == url
    assert AccessLog.objects.filter(user=admin_user, action=AccessLog.Action.REAUTH).exists()


@pytest.mark.django_db
def test_a_right_password_with_a_wrong_code_is_refused(client_for, admin_user):
    client = client_for(admin_user)
    device = verified_device(admin_user)
    wrong = f"{(int(totp_code(device)) + 3) % 1_000_000:06d}"
    response = client.post(REAUTH, {"password": PASSWORD, "code": wrong})
    assert response.status_code == 200
    assert REAUTH_SESSION_KEY not in client.session
    assert AccessLog.objects.filter(action=AccessLog.Action.REAUTH_FAILED).count() == 1


@pytest.mark.django_db
def test_a_wrong_password_with_a_right_code_is_refused(client_for, admin_user):
    client = client_for(admin_user)
    code = totp_code(verified_device(admin_user))
    response = client.post(REAUTH, {"password": "not-it", "code": code})
    assert response.status_code == 200
    assert client.get(_guarded_change_url(admin_user)).status_code == 302


@pytest.mark.django_db
def test_five_failed_reauthentications_end_the_session(client_for, admin_user):
    client = client_for(admin_user)
    for _ in range(5):
        response = client.post(REAUTH, {"password": "not-it", "code": "000000"})
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_reauthentication_expires(client_for, admin_user):
    client = client_for(admin_user)
    session = client.session
    session[REAUTH_SESSION_KEY] = time.time() - settings.REAUTH_MAX_AGE + 30
    session.save()
    assert client.get(_guarded_change_url(admin_user)).status_code == 200
    session = client.session
    session[REAUTH_SESSION_KEY] = time.time() - settings.REAUTH_MAX_AGE - 1
    session.save()
    assert client.get(_guarded_change_url(admin_user)).status_code == 302


@pytest.mark.django_db
def test_it_never_sends_the_user_to_another_host(client_for, admin_user):
    client = client_for(admin_user)
    code = totp_code(verified_device(admin_user))
    response = client.post(
        REAUTH, {"password": PASSWORD, "code": code, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
