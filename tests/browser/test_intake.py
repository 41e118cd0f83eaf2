"""Intake logs a new rescue request on a phone, at any hour: the form must fit and work there."""

import re

import pytest

from cases.models import Case, Person, Stage
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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _open_the_form(phone, user):
    sign_in(phone, user)
    phone.get("/cases/new/")
    assert heading(phone) == "New request"


def test_intake_logs_a_request_on_a_phone_and_lands_on_its_page(
    phone, intake, traffic, screenshot_dir
):
    _open_the_form(phone, intake)
    assert phone.driver.execute_script("return window.innerWidth;") == 390
    assert horizontal_overflow(phone) == 0
    for control in find_all(phone, "main input, main select, main textarea, main button"):
        box = control.rect
        if control.is_displayed():
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= 390, control.get_attribute("name")
    screenshot(phone, screenshot_dir / "phone-new-request.png")

    find(phone, "input[name=household][value=mother_with_children]").click()
    fill(phone, "id_alias", "Fictional Sunhee")
    choose(phone, "id_urgency", "High")
    choose(phone, "id_channel", "Messenger app")
    fill(phone, "id_contact_handle", "fictional-handle-01")
    fill(phone, "id_current_region", "Fictional Prefecture")
    choose(phone, "id_origin_province", "North Hamgyong")
    fill(phone, "id_years_in_china", "9")
    choose(phone, "id_situation", "Trafficked into a forced marriage")
    choose(phone, "id_surveillance", "Strict: must first be helped to slip it")
    fill(phone, "id_born", "1994-03")
    fill(phone, "id_notes", "Fictional: husband's family watch her")
    submit(phone, "Log the request")

    case = Case.objects.get()
    assert re.fullmatch(r"/cases/[0-9a-f-]{36}/", phone.path)
    assert phone.path == f"/cases/{case.pk}/"
    assert heading(phone) == f"Case {case.reference}"
    assert f"Request {case.reference} logged." in find(phone, "main .alert-success").text
    assert case.stage == Stage.RECEIVED
    assert case.created_by == intake
    principal = Person.objects.get(case=case)
    assert principal.alias == "Fictional Sunhee"
    assert principal.origin_province.name == "North Hamgyong"
    assert horizontal_overflow(phone) == 0
    assert traffic.csp_violations == []


def test_a_bad_request_shows_each_error_next_to_its_field(phone, intake):
    _open_the_form(phone, intake)

    find(phone, "input[name=household][value=unaccompanied_woman]").click()
    choose(phone, "id_situation", "Working in hiding")
    fill(phone, "id_born", "someday")
    fill(phone, "id_contact_handle", "fictional-handle-02")
    submit(phone, "Log the request")

    assert phone.path == "/cases/new/"
    assert heading(phone) == "New request"
    assert not Case.objects.exists()
    for field, message in [
        ("alias", "This field is required."),
        ("born", ""),
    ]:
        wrapper = find(phone, f"#div_id_{field}")
        error = wrapper.find_element("css selector", ".invalid-feedback")
        assert error.is_displayed()
        assert message in error.text
        assert "is-invalid" in find(phone, f"#id_{field}").get_attribute("class")
        # Next to the field: the message sits right under its input, not at the top of the page.
        field_box, error_box = find(phone, f"#id_{field}").rect, error.rect
        assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 40
    # What she typed is still there, so intake does not have to ask again.
    assert find(phone, "#id_contact_handle").get_attribute("value") == "fictional-handle-02"
    assert horizontal_overflow(phone) == 0
