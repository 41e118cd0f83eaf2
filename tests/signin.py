"""Signing a test client in as a user with a verified second factor, as the real flow leaves it."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def verified_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test app", confirmed=True)


def sign_in_verified(client, user):
    """`client.force_login(user)` plus a confirmed TOTP device verified in the session."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
    session.save()
    return client


def sign_in_password_only(client, user):
    """A session that passed the password step but not the second one."""
    client.force_login(user)
    return client


def reauthenticate(client, user, password: str = "correct-horse-battery"):
    """Re-authenticate through the real page (password and a current code), as before a
    sensitive action."""
    from tests.security.helpers import totp_code

    response = client.post(
        "/accounts/reauthenticate/",
        {"password": password, "code": totp_code(verified_device(user)), "next": "/"},
    )
    assert response.status_code == 302, "re-authentication was refused"
    return client
