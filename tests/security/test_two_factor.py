"""Two-factor sign-in: enrolment with an in-app QR code, TOTP codes, one-time recovery codes."""

import pytest
from django.db import connection
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from rescue.models import RecoveryCode, RecoveryCodeDevice
from tests.security.helpers import password_step, totp_code
from tests.signin import sign_in_password_only, verified_device
from tests.urlsweep import all_urls

ENROL = "/accounts/two-factor/enrol/"
VERIFY = "/accounts/two-factor/"


def _enrol(client, user) -> list[str]:
    password_step(client, user)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"code": totp_code(device), "next": "/"})
    assert response.status_code == 200
    return response.context["codes"]


@pytest.mark.django_db
def test_a_password_only_session_reaches_nothing_but_the_sign_in_steps_and_sign_out(client, intake):
    sign_in_password_only(client, intake)
    allowed = {"login", "logout", "two_factor_verify", "two_factor_enrol", "healthz"}
    for swept in all_urls():
        if swept.name in allowed:
            continue
        response = client.get(swept.url)
        assert response.status_code in {302, 404, 405}, swept
        if response.status_code == 302:
            assert response["Location"].startswith(ENROL), swept
    assert client.get(ENROL).status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


@pytest.mark.django_db
def test_the_enrolment_page_draws_its_qr_code_itself(client, intake):
    sign_in_password_only(client, intake)
    page = client.get(ENROL).content.decode()
    assert "<svg" in page
    assert "<img" not in page
    device = TOTPDevice.objects.get(user=intake, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/")


@pytest.mark.django_db
def test_enrolment_with_the_right_code_verifies_the_session_and_gives_ten_recovery_codes(
    client, intake
):
    codes = _enrol(client, intake)
    assert len(codes) == len(set(codes)) == 10
    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.get(user=intake).confirmed


@pytest.mark.django_db
def test_recovery_codes_are_stored_hashed(client, intake):
    codes = _enrol(client, intake)
    stored = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT salt, code_hash FROM rescue_recoverycode")
        raw = " ".join(" ".join(row) for row in cursor.fetchall())
    for code in codes:
        assert code not in raw
        assert code.replace("-", "") not in raw


@pytest.mark.django_db
def test_a_wrong_enrolment_code_confirms_nothing(client, intake):
    password_step(client, intake)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=intake)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"code": wrong})
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_sign_in_takes_a_password_then_a_code_from_the_app(client, intake):
    device = verified_device(intake)
    response = password_step(client, intake)
    assert response["Location"] == f"{VERIFY}?next=%2F"
    assert client.get("/").status_code == 302
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_second_step_gives_the_session_a_new_key(client, intake):
    device = verified_device(intake)
    password_step(client, intake)
    before = client.cookies["sessionid"].value
    client.post(VERIFY, {"code": totp_code(device)})
    assert client.cookies["sessionid"].value != before


@pytest.mark.django_db
def test_a_replayed_code_is_refused(client, intake):
    device = verified_device(intake)
    code = totp_code(device)
    password_step(client, intake)
    assert client.post(VERIFY, {"code": code})["Location"] == "/"
    client.post("/accounts/logout/")
    password_step(client, intake)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "already used" in response.content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once(client, intake):
    codes = _enrol(client, intake)
    client.post("/accounts/logout/")
    password_step(client, intake)
    assert client.post(VERIFY, {"code": codes[3].lower()})["Location"] == "/"
    assert RecoveryCode.objects.filter(device__user=intake).count() == 9
    client.post("/accounts/logout/")
    password_step(client, intake)
    response = client.post(VERIFY, {"code": codes[3]})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_five_wrong_codes_end_the_session(client, intake):
    device = verified_device(intake)
    password_step(client, intake)
    wrong = f"{(int(totp_code(device)) + 7) % 1_000_000:06d}"
    for _ in range(4):
        assert client.post(VERIFY, {"code": wrong}).status_code == 200
    response = client.post(VERIFY, {"code": wrong})
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_recovery_codes_can_be_made_anew_after_reauthentication(client_for, intake):
    client = client_for(intake)
    device = RecoveryCodeDevice.objects.create(user=intake, name="Recovery codes")
    old = device.regenerate()
    response = client.post("/accounts/two-factor/recovery-codes/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(
        "/accounts/reauthenticate/",
        {"password": "correct-horse-battery", "code": totp_code(verified_device(intake))},
    )
    response = client.post("/accounts/two-factor/recovery-codes/")
    new = response.context["codes"]
    assert len(new) == 10
    assert not set(new) & set(old)
    assert not device.verify_token(old[0])


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=False)
def test_when_relaxed_for_development_every_page_says_so(client, intake):
    password_step(client, intake)
    page = client.get("/").content.decode()
    assert "two-factor sign-in is OFF" in page


@pytest.mark.django_db
def test_when_required_no_banner_is_shown(client_for, intake):
    assert "two-factor sign-in is OFF" not in client_for(intake).get("/").content.decode()


@pytest.mark.django_db
def test_when_an_administrator_deletes_a_lost_app_the_user_enrols_again(client, intake):
    old_codes = _enrol(client, intake)
    client.post("/accounts/logout/")
    TOTPDevice.objects.filter(user=intake).delete()
    response = password_step(client, intake)
    assert response["Location"].startswith(ENROL)
    new_codes = _enrol(client, intake)
    assert not set(new_codes) & set(old_codes)
    assert RecoveryCode.objects.filter(device__user=intake).count() == 10
