"""Steps the browser tests share: typing, submitting and signing in through the real pages."""

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.conftest import PASSWORD
from tests.security.helpers import totp_code
from tests.signin import verified_device

WAIT = 10


def find(browser, css: str):
    return browser.driver.find_element(By.CSS_SELECTOR, css)


def find_all(browser, css: str):
    return browser.driver.find_elements(By.CSS_SELECTOR, css)


def fill(browser, field_id: str, value: str) -> None:
    element = find(browser, f"#{field_id}")
    element.clear()
    element.send_keys(value)


def choose(browser, field_id: str, label: str) -> None:
    Select(find(browser, f"#{field_id}")).select_by_visible_text(label)


def _to_next_page(browser, act) -> None:
    """Do `act` and wait until a new document has loaded in place of this one.

    A marker on the old page's window, not Selenium's staleness check: during navigation
    chromedriver sometimes answers that check with an error of its own instead of "stale".
    """
    browser.driver.execute_script("window.__leaving = true;")
    act()
    WebDriverWait(browser.driver, WAIT, ignored_exceptions=(WebDriverException,)).until(
        lambda driver: driver.execute_script(
            "return !window.__leaving && document.readyState === 'complete';"
        )
    )
    browser.collect()


def submit(browser, button_text: str) -> None:
    """Click the submit button with this text and wait for the next page to load."""
    button = browser.driver.find_element(
        By.XPATH, f"//button[@type='submit'][normalize-space()='{button_text}']"
    )
    # Instant: Bootstrap makes scrolling smooth, and a click during the glide misses.
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", button
    )
    _to_next_page(browser, button.click)


def follow(browser, link_text: str) -> None:
    _to_next_page(browser, browser.driver.find_element(By.LINK_TEXT, link_text).click)


def heading(browser) -> str:
    return find(browser, "main h1").text


def password_step(browser, user, password: str = PASSWORD) -> None:
    browser.get("/accounts/login/")
    fill(browser, "id_username", user.username)
    fill(browser, "id_password", password)
    submit(browser, "Sign in")


def sign_in(browser, user) -> None:
    """Password, then a code from the user's authenticator app (made if they have none)."""
    device = verified_device(user)
    password_step(browser, user)
    assert heading(browser) == "Enter your code"
    fill(browser, "id_code", totp_code(device))
    submit(browser, "Continue")
    assert heading(browser) == "Dashboard"


def horizontal_overflow(browser) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return browser.driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"
    )


def screenshot(browser, path) -> None:
    """The whole page, not only the part in view, as a PNG."""
    import base64

    size = browser.driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight];"
    )
    shot = browser.driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))
