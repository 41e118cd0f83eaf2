"""On a 390 x 844 phone: intake logs a mother and her children in one submit, a failed submit
takes the user to its errors, and no page any role reaches scrolls sideways."""

import pytest
from django.test import Client

from cases.models import Case, Person, PersonRole
from tests.browser.helpers import (
    choose,
    fill,
    find,
    find_all,
    heading,
    horizontal_overflow,
    screenshot,
    sign_in,
    submit,
)
from tests.cases.helpers import new_case
from tests.funds.conftest import Ledger
from tests.security.canary import Canary, urls_for_case
from tests.signin import sign_in_verified

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _add_row(phone, alias: str, sex: str, born: str) -> None:
    rows_before = len(find_all(phone, "[data-formset-rows] [data-formset-row]"))
    button = find(phone, "[data-formset-add]")
    phone.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", button
    )
    button.click()
    index = rows_before
    # Added on the page itself: no new document, the focus in the new row's first field.
    assert len(find_all(phone, "[data-formset-rows] [data-formset-row]")) == rows_before + 1
    assert phone.driver.switch_to.active_element.get_attribute("id") == f"id_people-{index}-role"
    fill(phone, f"id_people-{index}-alias", alias)
    choose(phone, f"id_people-{index}-sex", sex)
    fill(phone, f"id_people-{index}-born", born)


def test_intake_logs_a_mother_with_two_children_in_one_submit(phone, intake, screenshot_dir):
    sign_in(phone, intake)
    phone.get("/cases/new/")
    assert heading(phone) == "New request"
    phone.driver.execute_script("window.__samePage = true;")

    find(phone, "input[name=household][value=mother_with_children]").click()
    fill(phone, "id_alias", "Fictional Sunhee")
    choose(phone, "id_situation", "Trafficked into a forced marriage")
    choose(phone, "id_surveillance", "Watched")
    choose(phone, "id_origin_province", "Ryanggang")
    _add_row(phone, "Fictional Child One", "Female", "2016")
    _add_row(phone, "Fictional Child Two", "Male", "2023-05")
    # Both rows were added without leaving the page.
    assert phone.driver.execute_script("return window.__samePage === true;")
    assert horizontal_overflow(phone) == 0
    screenshot(phone, screenshot_dir / "phone-new-request-with-children.png")
    submit(phone, "Log the request")

    case = Case.objects.get()
    assert phone.path == f"/cases/{case.pk}/"
    people = {p.alias: p for p in Person.objects.filter(case=case)}
    assert set(people) == {"Fictional Sunhee", "Fictional Child One", "Fictional Child Two"}
    assert people["Fictional Child Two"].role == PersonRole.CHILD
    assert people["Fictional Child Two"].sex == "M"
    assert "Fictional Child Two" in find(phone, "main").text
    assert horizontal_overflow(phone) == 0
    screenshot(phone, screenshot_dir / "phone-case-with-children.png")


def test_a_failed_submit_puts_focus_on_the_error_summary(phone, intake, screenshot_dir):
    sign_in(phone, intake)
    phone.get("/cases/new/")
    fill(phone, "id_years_in_china", "200")
    submit(phone, "Log the request")

    assert not Case.objects.exists()
    summary = find(phone, "#error-summary")
    active = phone.driver.switch_to.active_element
    assert active.get_attribute("id") == "error-summary"
    # In view at the top of the screen, not 1.3 screens down.
    top, bottom = phone.driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom];", summary
    )
    assert top >= 0
    assert bottom <= 844
    links = summary.find_elements("css selector", "a")
    assert [a.get_attribute("href").split("#")[1] for a in links][:2] == [
        "id_household_0",
        "id_alias",
    ]
    screenshot(phone, screenshot_dir / "phone-error-summary.png")
    # A link puts the cursor in its field.
    alias_link = next(a for a in links if a.get_attribute("href").endswith("#id_alias"))
    alias_link.click()
    assert phone.driver.switch_to.active_element.get_attribute("id") == "id_alias"


@pytest.fixture
def a_busy_office(intake, coordinator, treasurer):
    """A case with two people and a screening, and some money, so pages show rows."""
    ledger = Ledger(treasurer)
    ledger.donate("9000")
    ledger.spend("1200")
    case = new_case(by=intake, principal_alias="Fictional Okhee Verylongaliaswithoutanyspaces")
    from cases import services

    services.person_add(case=case, by=intake, role=PersonRole.CHILD, alias="Fictional Child")
    for number in range(3):
        new_case(by=intake, principal_alias=f"Fictional Other {number}")
    return case


def _pages_for(user, case) -> list[str]:
    """Every URL with this case's ids that answers this user with an HTML page."""
    canary = Canary(case=case, person_ids=list(case.people.values_list("pk", flat=True)))
    client = sign_in_verified(Client(), user)
    pages = []
    for url in urls_for_case(canary):
        if url.rstrip("/").endswith("logout"):
            continue
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
    return pages


@pytest.mark.parametrize("role", ["intake", "coordinator", "treasurer", "admin", "board"])
def test_no_page_any_role_reaches_scrolls_sideways_on_a_phone(
    role, personas, a_busy_office, phone, screenshot_dir
):
    user = personas[role]
    pages = _pages_for(user, a_busy_office)
    assert "/" in pages
    sign_in(phone, user)
    too_wide = {}
    for url in pages:
        phone.get(url)
        width = phone.driver.execute_script("return document.documentElement.scrollWidth;")
        if width > 390:
            too_wide[url] = width
            name = url.strip("/").replace("/", "_") or "home"
            screenshot(phone, screenshot_dir / f"too-wide-{role}-{name}.png")
    assert too_wide == {}
    phone.get("/")
    screenshot(phone, screenshot_dir / f"phone-dashboard-{role}.png")
