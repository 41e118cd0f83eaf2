"""Every persona on every case page, including ids tampered in URLs: who gets what status."""

import pytest
from django.urls import reverse

from cases.models import Case, CaseEvent, Person
from tests.cases.helpers import new_case
from tests.factories import UserFactory

PERSONAS = ["intake", "coordinator", "treasurer", "admin", "board", "outsider"]
CASE_PAGES = [
    "detail",
    "screen",
    "transition",
    "outcome",
    "assign",
    "refer",
    "reopen",
    "restrict",
    "person_add",
    "person_edit",
]
WHICH = ["logged_by_intake", "logged_by_other", "restricted"]
COORDINATOR_ONLY = {"transition", "outcome", "assign", "refer", "reopen", "restrict"}


def _expected_on_visible_case(persona: str, page: str) -> int:
    if persona in ("coordinator", "admin"):
        return 200
    return 403 if page in COORDINATOR_ONLY else 200  # intake: may see, may not coordinate


def _expected(persona: str, page: str, which: str) -> int:
    visible = {
        "logged_by_intake": {"intake", "coordinator", "admin"},
        "logged_by_other": {"coordinator", "admin"},
        "restricted": {"admin"},
    }[which]
    return _expected_on_visible_case(persona, page) if persona in visible else 404


@pytest.fixture
def cases(intake):
    other_intake = UserFactory(username="other-intake", roles=["intake"])
    restricted = new_case(by=other_intake)
    Case.objects.filter(pk=restricted.pk).update(restricted=True)
    return {
        "logged_by_intake": new_case(by=intake),
        "logged_by_other": new_case(by=other_intake),
        "restricted": restricted,
    }


def _url(page: str, case: Case) -> str:
    kwargs = {"case_id": case.pk}
    if page == "person_edit":
        kwargs["person_id"] = case.people.get().pk
    return reverse(f"cases:{page}", kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("page", CASE_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_right_answer_on_each_case_page(
    client_for, personas, cases, persona, page, which
):
    response = client_for(personas[persona]).get(_url(page, cases[which]))
    assert response.status_code == _expected(persona, page, which)


# Every (persona, page, case) whose POST must be refused; allowed posts have tests per page.
REFUSED = [
    (persona, page, which)
    for persona in PERSONAS
    for page in CASE_PAGES[1:]
    for which in WHICH
    if _expected(persona, page, which) != 200
]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "page", "which"), REFUSED)
def test_a_refused_post_changes_nothing(client_for, personas, cases, persona, page, which):
    expected = _expected(persona, page, which)
    case = cases[which]
    events_before = CaseEvent.objects.count()
    people_before = Person.objects.count()
    payload = {
        "to": "screening",
        "note": "tampered",
        "reason": "tampered",
        "restricted": "on",
        "alias": "Tampered",
        "role": "child",
        "sex": "M",
        "reason_for_leaving": "x",
        "dialect": "fits",
        "verdict": "verified",
        "outcome": "decoy",
        "on": "2026-01-01",
        "people": [str(p.pk) for p in case.people.all()],
    }
    response = client_for(personas[persona]).post(_url(page, case), payload)
    assert response.status_code == expected
    case.refresh_from_db()
    assert (case.stage, case.verdict, case.restricted) == (
        "received",
        "",
        which == "restricted",
    )
    assert CaseEvent.objects.count() == events_before
    assert Person.objects.count() == people_before
    assert not Person.objects.exclude(outcome="").exists()


LIST_PAGES = {
    # page: personas who get 200; everyone else gets 403
    "list": {"intake", "coordinator", "treasurer", "admin"},
    "create": {"intake", "coordinator", "admin"},
    "import": {"coordinator", "admin"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(LIST_PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_right_answer_on_each_page_without_a_case(
    client_for, personas, persona, page
):
    response = client_for(personas[persona]).get(reverse(f"cases:{page}"))
    assert response.status_code == (200 if persona in LIST_PAGES[page] else 403)


@pytest.mark.django_db
def test_a_person_of_another_case_cannot_be_reached_through_a_visible_case(
    client_for, intake, cases
):
    own, other = cases["logged_by_intake"], cases["logged_by_other"]
    url = reverse(
        "cases:person_edit",
        kwargs={"case_id": own.pk, "person_id": other.people.get().pk},
    )
    client = client_for(intake)
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"role": "principal", "alias": "Renamed", "sex": "F"}).status_code == 404
    )
    assert other.people.get().alias == "Fictional Mother"


@pytest.mark.django_db
def test_the_list_shows_each_persona_only_the_cases_it_may_see(client_for, personas, cases):
    expected = {
        "intake": {"logged_by_intake"},
        "coordinator": {"logged_by_intake", "logged_by_other"},
        "treasurer": {"logged_by_intake", "logged_by_other"},
        "admin": {"logged_by_intake", "logged_by_other", "restricted"},
    }
    for persona, names in expected.items():
        page = client_for(personas[persona]).get(reverse("cases:list")).context["page"]
        assert {case.reference for case in page} == {cases[n].reference for n in names}, persona


@pytest.mark.django_db
def test_the_treasurer_list_shows_references_and_stages_but_no_names_or_notes(
    client_for, treasurer, intake
):
    case = new_case(
        by=intake,
        principal_alias="Fictional Hyesun",
        notes="fictional secret note",
        current_region="Fictional County",
    )
    response = client_for(treasurer).get(reverse("cases:list"))
    body = response.content.decode()
    assert case.reference in body
    assert "Request received" in body
    for secret in ("Fictional Hyesun", "fictional secret note", "Fictional County"):
        assert secret not in body
    assert reverse("cases:detail", kwargs={"case_id": case.pk}) not in body


@pytest.mark.django_db
def test_the_navigation_offers_cases_only_to_those_who_may_open_them(client_for, personas):
    for persona, user in personas.items():
        body = client_for(user).get(reverse("home")).content.decode()
        assert (reverse("cases:list") in body) == (persona in LIST_PAGES["list"]), persona
