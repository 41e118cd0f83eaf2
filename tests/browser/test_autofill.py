"""Nothing typed into the new-request form stays in Chromium's autofill store.

Chromium keeps what is typed into a submitted form's text fields in the profile's
`Default/Web Data` (SQLite, table `autofill`), in plain text, unless the field itself
says `autocomplete="off"`; sign-out and Clear-Site-Data do not touch it. This test uses
a Chromium of its own, so that it knows the profile's folder and can quit the browser
(which writes the store to disk) before reading it.
"""

import sqlite3

import pytest

from cases.models import Case
from tests.browser.conftest import DESKTOP, Browser, _start_chromium
from tests.browser.helpers import _to_next_page, choose, fill, find, heading, sign_in, submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TYPED = {
    "id_alias": "Fictional Autofill Alias",
    "id_legal_name": "Fictional Autofill Legal Name",
    "id_contact_handle": "fictional-autofill-handle-77",
    "id_current_region": "Fictional Autofill Prefecture",
    "id_notes": "Fictional autofill note about her",
}


def _autofill_values(profile) -> list[str]:
    database = profile / "Default" / "Web Data"
    if not database.exists():
        return []
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if "autofill" not in tables:
            return []
        return [str(value) for (value,) in connection.execute("SELECT value FROM autofill")]


def _sign_out(browser) -> None:
    """Open the account menu and press Sign out, as a person would."""
    find(browser, "a.dropdown-toggle").click()
    button = find(browser, "form[action='/accounts/logout/'] button[type=submit]")
    _to_next_page(browser, button.click)


def test_the_new_request_form_leaves_nothing_in_the_autofill_store(
    browser_available, live_server, traffic, tmp_path, intake
):
    profile = tmp_path / "profile"
    driver = _start_chromium(**DESKTOP, mobile=False, profile=profile)
    try:
        browser = Browser(driver, live_server.url, traffic)
        sign_in(browser, intake)
        browser.get("/cases/new/")
        assert heading(browser) == "New request"
        find(browser, "input[name=household][value=unaccompanied_woman]").click()
        for field_id, value in TYPED.items():
            fill(browser, field_id, value)
        choose(browser, "id_situation", "Trafficked into a forced marriage")
        choose(browser, "id_surveillance", "Not watched")
        submit(browser, "Log the request")
        assert Case.objects.count() == 1
        _sign_out(browser)
        assert browser.path == "/accounts/login/"
    finally:
        driver.quit()  # Chromium writes its stores when it closes
    stored = _autofill_values(profile)
    for value in TYPED.values():
        assert not any(value in kept for kept in stored), value
