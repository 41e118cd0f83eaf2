"""Two-factor sign-in in a real browser: the flow the Django test client cannot see.

A browser sends Origin and Referer as the page's Referrer-Policy allows: under `no-referrer`
Chromium sent `Origin: null` with every form and CSRF refused the sign-in.
"""

import base64
from types import SimpleNamespace

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.helpers import fill, find, find_all, follow, heading, password_step, submit
from tests.security.helpers import totp_code
from tests.signin import verified_device

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the flush after each test would otherwise take away the roles
    # the migrations created.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def app_set_up_by_hand(secret: str) -> SimpleNamespace:
    """An authenticator app given the key the page shows (RFC 6238 defaults)."""
    key = base64.b32decode(secret.replace(" ", ""))
    return SimpleNamespace(bin_key=key, step=30, t0=0, digits=6, drift=0)


def test_a_new_user_enrols_an_app_and_reaches_the_dashboard(settings, browser, intake, traffic):
    assert settings.OTP_REQUIRED

    password_step(browser, intake)
    assert heading(browser) == "Set up two-factor sign-in"
    assert find(browser, ".qr-code svg").is_displayed()
    app = app_set_up_by_hand(find(browser, "code.user-select-all").text)
    assert app.bin_key == TOTPDevice.objects.get(user=intake, confirmed=False).bin_key

    fill(browser, "id_code", totp_code(app))
    submit(browser, "Confirm")

    assert heading(browser) == "Your recovery codes"
    assert len(find_all(browser, ".recovery-code")) == 10
    follow(browser, "I have kept them safe, continue")

    assert heading(browser) == "Dashboard"
    assert "You are signed in as alice-intake with the role intake" in find(browser, "main").text
    assert TOTPDevice.objects.get(user=intake).confirmed
    assert traffic.csp_violations == []


def test_an_enrolled_user_signs_in_with_a_code(browser, coordinator, traffic):
    device = verified_device(coordinator)

    password_step(browser, coordinator)
    assert browser.path == "/accounts/two-factor/"
    fill(browser, "id_code", totp_code(device))
    submit(browser, "Continue")

    assert heading(browser) == "Dashboard"
    assert "with the role coordinator" in find(browser, "main").text
    assert traffic.csp_violations == []


def test_a_wrong_code_keeps_the_user_out(browser, coordinator):
    device = verified_device(coordinator)
    wrong = f"{(int(totp_code(device)) + 500_000) % 1_000_000:06d}"

    password_step(browser, coordinator)
    fill(browser, "id_code", wrong)
    submit(browser, "Continue")

    assert "That code is not right, or was already used." in find(browser, "main").text
    browser.get("/cases/")
    assert heading(browser) == "Enter your code"
