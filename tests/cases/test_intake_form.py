"""The new-request form: one submit logs the principal and her children, dated and undecided
choices left to the staff member; a failed submit lists every error at the top."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases.models import Case, CaseEvent, Person, PersonRole
from tests.cases.test_pages import _request_form

URL = "/cases/new/"


def _with_members(*members, **overrides):
    data = _request_form(**overrides)
    data["people-TOTAL_FORMS"] = str(len(members))
    for index, member in enumerate(members):
        for key, value in member.items():
            data[f"people-{index}-{key}"] = value
    return data


CHILD_A = {"role": "child", "alias": "Fictional Child A", "sex": "F", "born": "2019"}
CHILD_B = {"role": "child", "alias": "Fictional Child B", "sex": "M", "born": "2024-06"}


def test_the_url_is_the_one_the_pages_link_to():
    assert reverse("cases:create") == URL


@pytest.mark.django_db
def test_one_submit_logs_a_mother_with_two_children(client_for, intake):
    response = client_for(intake).post(URL, _with_members(CHILD_A, CHILD_B))
    case = Case.objects.get()
    assert response.status_code == 302
    people = {p.alias: p for p in case.people.all()}
    assert set(people) == {"Fictional Sunhee", "Fictional Child A", "Fictional Child B"}
    assert people["Fictional Sunhee"].role == PersonRole.PRINCIPAL
    assert people["Fictional Child B"].role == PersonRole.CHILD
    assert people["Fictional Child B"].sex == "M"
    assert people["Fictional Child B"].birth_date == date(2024, 6, 15)
    # One "request logged" event, not one per person.
    assert CaseEvent.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_a_row_added_and_left_blank_is_skipped(client_for, intake):
    blank = {"role": "child", "alias": "", "sex": "", "born": ""}
    response = client_for(intake).post(URL, _with_members(CHILD_A, blank))
    assert response.status_code == 302
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_a_bad_child_refuses_the_whole_request_and_names_the_row(client_for, intake):
    bad = {"role": "child", "alias": "Fictional Child C", "sex": "", "born": "someday"}
    response = client_for(intake).post(URL, _with_members(CHILD_A, bad))
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert not Person.objects.exists()
    body = response.content.decode()
    assert 'href="#id_people-1-sex"' in body
    assert "Person with her 2, Sex: This field is required." in body
    assert 'href="#id_people-1-born"' in body
    # What was typed is still there.
    assert 'value="Fictional Child C"' in body


@pytest.mark.django_db
def test_a_failed_submit_lists_each_error_as_a_link_to_its_field_at_the_top(client_for, intake):
    response = client_for(intake).post(
        URL, _request_form(alias="", household="", received_on="2999-01-01")
    )
    body = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger" id="error-summary".*?</div>', body, re.S)
    assert summary, "no error summary"
    # Above the first field of the form.
    assert body.index('id="error-summary"') < body.index('name="household"')
    links = re.findall(r'href="#([^"]+)"', summary.group(0))
    assert links == ["id_household_0", "id_received_on", "id_alias"]
    assert "Received on: The date is in the future." in summary.group(0)
    assert 'tabindex="-1"' in summary.group(0)


@pytest.mark.django_db
def test_a_first_visit_shows_no_error_summary(client_for, intake):
    assert "error-summary" not in client_for(intake).get(URL).content.decode()


@pytest.mark.django_db
def test_received_on_is_today_by_default_and_may_be_in_the_past(client_for, intake):
    page = client_for(intake).get(URL).content.decode()
    assert f'value="{date.today().isoformat()}"' in page
    yesterday = date.today() - timedelta(days=1)
    client_for(intake).post(URL, _request_form(received_on=yesterday.isoformat()))
    assert Case.objects.get().received_on == yesterday


@pytest.mark.django_db
def test_received_on_in_the_future_is_refused(client_for, intake):
    tomorrow = date.today() + timedelta(days=1)
    response = client_for(intake).post(URL, _request_form(received_on=tomorrow.isoformat()))
    assert response.context["form"].errors["received_on"] == ["The date is in the future."]
    assert not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["situation", "surveillance", "household"])
def test_choices_the_staff_member_must_make_are_not_preselected(client_for, intake, field):
    form = client_for(intake).get(URL).context["form"]
    bound = form[field]
    assert bound.value() in (None, "")
    if field != "household":
        assert next(iter(form.fields[field].choices))[0] == ""


@pytest.mark.django_db
def test_add_a_child_without_script_keeps_what_was_typed_and_logs_nothing(client_for, intake):
    data = _with_members(CHILD_A, alias="Fictional Typed Alias")
    data["add_person"] = "1"
    response = client_for(intake).post(URL, data)
    assert response.status_code == 200
    assert not Case.objects.exists()
    body = response.content.decode()
    assert 'name="people-TOTAL_FORMS" value="2"' in body
    assert 'value="Fictional Typed Alias"' in body
    assert 'value="Fictional Child A"' in body
    assert 'name="people-1-alias"' in body
    assert "error-summary" not in body
