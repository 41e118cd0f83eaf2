"""Every page each role uses, signed in through the browser, talks to this server only.

A request to any other host (a font, a script from a CDN, an analytics beacon) would tell
that host who uses the app and when. The Content-Security-Policy should refuse one, and the
browser then reports a violation: both are checked, along with console errors.
"""

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.helpers import find, heading, sign_in
from tests.cases.helpers import new_case
from tests.funds.conftest import Ledger

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CASE = "{case}"
# The main pages of each role, with the heading each must show (not an error page).
PAGES = {
    "intake": [
        ("/", "Dashboard"),
        ("/cases/", "Cases"),
        (f"/cases/{CASE}/", "Case "),
        ("/cases/new/", "New request"),
    ],
    "coordinator": [
        ("/", "Dashboard"),
        ("/cases/", "Cases"),
        (f"/cases/{CASE}/", "Case "),
        ("/funds/", "Rescue-fund ledger"),
        ("/funds/readiness/", "Rescue reserve readiness"),
    ],
    "treasurer": [
        ("/", "Dashboard"),
        ("/cases/", "Case references"),
        ("/funds/", "Rescue-fund ledger"),
        ("/funds/readiness/", "Rescue reserve readiness"),
    ],
    "admin": [
        ("/", "Dashboard"),
        ("/cases/", "Cases"),
        (f"/cases/{CASE}/", "Case "),
        ("/funds/", "Rescue-fund ledger"),
        ("/funds/readiness/", "Rescue reserve readiness"),
        ("/reports/annual/", "Annual report"),
        ("/audit/access-log/", "Access log"),
    ],
    "board": [
        ("/", "Dashboard"),
        ("/reports/annual/", "Annual report"),
    ],
}


@pytest.fixture
def some_work(intake, treasurer):
    """A case and a few ledger entries, so that the pages show rows, not empty states."""
    ledger = Ledger(treasurer)
    ledger.donate("7000")
    ledger.rate("JPY", "0.0067")
    ledger.donate("300000", "JPY")
    ledger.spend("1200")
    return new_case(by=intake, principal_alias="Fictional Okhee")


@pytest.mark.parametrize("role", PAGES)
def test_each_role_s_pages_make_no_request_to_another_host(
    role, personas, some_work, browser, live_server, traffic
):
    sign_in(browser, personas[role])
    for path, title in PAGES[role]:
        browser.get(path.replace(CASE, str(some_work.pk)))
        assert heading(browser).startswith(title), path
        assert find(browser, "link[rel=stylesheet]")
    browser.collect()

    assert len(traffic.requests) > 2 * len(PAGES[role])
    assert traffic.other_hosts(live_server.url) == []
    assert traffic.csp_violations == []
    # Not even a missing /favicon.ico: the pages name their own icon.
    assert traffic.console_errors == []


def test_the_record_catches_another_host_and_a_csp_violation(browser, live_server, traffic):
    """The checks above can fail: a refused image and a page on another host both show."""
    browser.get("/accounts/login/")
    browser.driver.execute_script(
        "const img = document.createElement('img');"
        "img.src = 'http://tracker.example.invalid/pixel.png';"
        "document.body.append(img);"
    )
    WebDriverWait(browser.driver, 5).until(
        lambda driver: driver.execute_script("return window.__cspViolations.length;")
    )
    browser.collect()
    # The same server under another name counts as another host, as a CDN would.
    other = live_server.url.replace("localhost", "127.0.0.1")
    browser.driver.get(other + "/accounts/login/")
    browser.collect()

    assert other + "/accounts/login/" in traffic.other_hosts(live_server.url)
    refused = "img-src refused http://tracker.example.invalid"
    assert any(refused in violation for violation in traffic.csp_violations)
    assert any("Content Security Policy" in error for error in traffic.console_errors)
