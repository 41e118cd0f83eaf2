"""Debian's headless Chromium, driven by Selenium through Debian's chromedriver, against
pytest-django's live server.

One Chromium per screen size serves the whole folder (a fresh profile each, cleared between
tests); each test gets a `Traffic` record of what its pages did: every request, console error
and Content-Security-Policy violation.
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
# Without the background-networking flags Chromium calls Google hosts on its own (updates,
# field trials, sync).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
# An ordinary phone held upright (390 x 844 CSS pixels, as an iPhone 12 to 15).
PHONE = {"width": 390, "height": 844}

# Each page keeps the CSP violations it sees; added before any of the page's own scripts run.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} on ${event.documentURI}`
  );
});
"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for program in (CHROMIUM, CHROMEDRIVER):
        if not os.access(program, os.X_OK):
            return f"{program} is missing: run `make browser-deps` (chromium, chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is missing: run `make install`"
    return None


@pytest.fixture(scope="session")
def browser_available():
    """Skip without a browser on a developer's machine; in CI, fail: a suite that cannot
    run its browser tests must not pass."""
    reason = _missing()
    if reason and _in_ci():
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="package", autouse=True)
def _leave_the_database_as_the_migrations_left_it(django_db_setup, django_db_blocker):
    """Put back the rows the migrations made (roles, provinces, fund policy) after the last
    browser test: each one's flush (serialized_rollback) leaves the tables empty, and a
    transactional test that runs next without serialized_rollback would find no roles."""
    yield
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents and not ContentType.objects.using(connection.alias).exists():
                connection.creation.deserialize_db_from_string(contents)


@dataclass
class Traffic:
    """What the browsers of one test did."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def other_hosts(self, origin: str) -> list[str]:
        """Requests that went anywhere but `origin` (scheme, host and port).

        `data:` URLs (Bootstrap's CSS icons) are read from the page itself, not fetched.
        """
        want = urlsplit(origin)
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme != "data"
            and (urlsplit(url).scheme, urlsplit(url).netloc) != (want.scheme, want.netloc)
        ]


class Browser:
    """One Chromium with one tab, its traffic collected into a shared `Traffic`."""

    def __init__(self, driver, base_url: str, traffic: Traffic):
        self.driver = driver
        self.base_url = base_url
        self.traffic = traffic
        # Leave Chromium's own new-tab page, and drop what it (or an earlier test) logged.
        driver.get("about:blank")
        driver.get_log("performance")
        driver.get_log("browser")

    def get(self, path: str) -> None:
        self.collect()
        self.driver.get(self.base_url + path)
        self.collect()

    def collect(self) -> None:
        """Move the requests, console errors and CSP violations seen so far into `traffic`."""
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                self.traffic.requests.append(message["params"]["request"]["url"])
        for entry in self.driver.get_log("browser"):
            if entry["level"] == "SEVERE":
                self.traffic.console_errors.append(entry["message"])
        seen = self.driver.execute_script(
            "const v = window.__cspViolations || []; window.__cspViolations = []; return v;"
        )
        self.traffic.csp_violations.extend(seen or [])

    @property
    def path(self) -> str:
        return urlsplit(self.driver.current_url).path


@pytest.fixture
def traffic():
    return Traffic()


def _start_chromium(*, width: int, height: int, mobile: bool, profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={profile}")
    if mobile:
        # chromedriver's own emulation, so that it scrolls and taps in the phone's viewport.
        metrics = {"width": width, "height": height, "pixelRatio": 2.0, "touch": True}
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": metrics})
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    # Given both paths, Selenium never looks for (or downloads) a driver of its own.
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_LISTENER})
    return driver


@pytest.fixture(scope="package")
def _chromiums(browser_available, tmp_path_factory):
    """One Chromium per screen size, each with a fresh profile, kept for the whole folder:
    starting one takes longer than most tests."""
    drivers = {}

    def get(*, width: int, height: int, mobile: bool):
        key = (width, height, mobile)
        if key not in drivers:
            profile = tmp_path_factory.mktemp("chromium-profile")
            drivers[key] = _start_chromium(
                width=width, height=height, mobile=mobile, profile=profile
            )
        return drivers[key]

    yield get
    for driver in drivers.values():
        driver.quit()


@pytest.fixture
def open_browser(_chromiums, live_server, traffic):
    """`open_browser(width=, height=, mobile=False)`: Chromium on the live server, signed out,
    with nothing kept from an earlier test (cookies, storage, cache)."""
    used = []

    def start(*, width: int, height: int, mobile: bool = False) -> Browser:
        driver = _chromiums(width=width, height=height, mobile=mobile)
        assert driver not in used, "one browser of each size per test"
        used.append(driver)
        return Browser(driver, live_server.url, traffic)

    yield start
    for driver in used:
        driver.get("about:blank")
        driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        driver.execute_cdp_cmd(
            "Storage.clearDataForOrigin", {"origin": live_server.url, "storageTypes": "all"}
        )


@pytest.fixture
def browser(open_browser):
    """A desktop-sized Chromium."""
    return open_browser(**DESKTOP)


@pytest.fixture
def phone(open_browser):
    """A phone-sized Chromium, 390 x 844, touch, with the mobile viewport rules applied."""
    return open_browser(**PHONE, mobile=True)


SCREENSHOTS = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory, pytestconfig):
    """Screenshots for a person to look at; under pytest's temp dir, never in the repository."""
    path = tmp_path_factory.mktemp("browser-screenshots", numbered=False)
    pytestconfig.stash[SCREENSHOTS] = path
    return path


def pytest_terminal_summary(terminalreporter, config):
    path = config.stash.get(SCREENSHOTS, None)
    if path is not None and any(path.iterdir()):
        terminalreporter.write_line(f"browser screenshots: {path}")
