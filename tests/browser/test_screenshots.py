"""Screenshots for a person to look at (pytest prints where): the dashboard on a desktop and on
a phone. The phone's new-request form is taken by test_intake.py."""

import pytest

from tests.browser.helpers import find, heading, horizontal_overflow, screenshot, sign_in
from tests.cases.helpers import new_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def intake_and_coordinator(intake, coordinator):
    """A user with two roles, who sees both their panels."""
    coordinator.groups.add(*intake.groups.all())
    for alias in ("Fictional Sunhee", "Fictional Mihyang"):
        new_case(by=coordinator, principal_alias=alias)
    return coordinator


def test_the_dashboard_renders_on_a_desktop_and_a_phone(
    open_browser, intake_and_coordinator, intake, screenshot_dir
):
    # Two users: a code is accepted once, so one user cannot sign in twice in 30 seconds.
    for name, size, user in [
        ("desktop", {"width": 1280, "height": 900}, intake_and_coordinator),
        ("phone", {"width": 390, "height": 844, "mobile": True}, intake),
    ]:
        browser = open_browser(**size)
        sign_in(browser, user)
        assert heading(browser) == "Dashboard"
        assert "Requests waiting for screening" in find(browser, "main").text
        screenshot(browser, screenshot_dir / f"{name}-dashboard.png")
        if name == "phone":
            assert horizontal_overflow(browser) == 0
