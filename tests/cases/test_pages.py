"""The case pages through the front door: what a POST does, and what bad input does not."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from cases.ages import age_at
from cases.models import (
    BirthPrecision,
    Case,
    CaseEvent,
    ContactChannel,
    EventKind,
    Outcome,
    PartnerOrganisation,
    Person,
    PersonRole,
    Province,
    Stage,
    Verdict,
)
from rescue.models import AccessLog
from tests.cases.helpers import new_case
from tests.factories import UserFactory


def _request_form(**overrides):
    data = {
        "household": "mother_with_children",
        "alias": "Fictional Sunhee",
        "urgency": "high",
        "channel": ContactChannel.objects.get(name="Messenger app").pk,
        "contact_handle": "fictional-handle-01",
        "current_country": "CN",
        "current_region": "Fictional Prefecture",
        "origin_province": Province.objects.get(name="North Hamgyong").pk,
        "years_in_china": "9",
        "situation": "forced_marriage",
        "surveillance": "strict",
        "born": "1994-03",
        "legal_name": "",
        "notes": "Fictional: husband's family watch her",
        "received_on": date.today().isoformat(),
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def _detail(case):
    return reverse("cases:detail", kwargs={"case_id": case.pk})


def _page(name, case):
    return reverse(f"cases:{name}", kwargs={"case_id": case.pk})


@pytest.mark.django_db
def test_intake_logs_a_request_and_lands_on_its_page(client_for, intake):
    response = client_for(intake).post(reverse("cases:create"), _request_form())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(case)
    assert (case.created_by, case.stage, case.surveillance) == (intake, Stage.RECEIVED, "strict")
    principal = case.people.get()
    assert (principal.alias, principal.birth_precision) == ("Fictional Sunhee", "month")
    assert principal.birth_date == date(1994, 3, 15)
    # Reference and URL carry no name; the URL's id is the UUID.
    assert str(case.pk) in response["Location"]
    assert "Sunhee" not in response["Location"]


@pytest.mark.django_db
def test_fields_the_form_does_not_offer_are_ignored(client_for, intake, coordinator):
    tampered = _request_form(
        stage="resettling",
        created_by=coordinator.pk,
        restricted="on",
        reference="1999-999",
        verdict="verified",
    )
    client_for(intake).post(reverse("cases:create"), tampered)
    case = Case.objects.get()
    assert (case.stage, case.created_by, case.restricted, case.verdict) == (
        Stage.RECEIVED,
        intake,
        False,
        "",
    )
    assert case.reference != "1999-999"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("household", "three_goats"),
        ("alias", ""),
        ("situation", ""),
        ("surveillance", ""),
        ("received_on", "2999-01-01"),
        ("born", "1994-13"),
        ("born", "next year"),
        ("years_in_china", "200"),
        ("origin_province", "999999"),
    ],
)
def test_bad_input_is_named_next_to_its_field_and_nothing_is_logged(
    client_for, intake, field, value
):
    response = client_for(intake).post(reverse("cases:create"), _request_form(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="invalid-feedback' in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_second_request_from_one_contact_names_the_first_when_visible(client_for, intake):
    first = new_case(by=intake, contact_handle="+86 138 0000 2222")
    response = client_for(intake).post(
        reverse("cases:create"), _request_form(contact_handle="+8613800002222"), follow=True
    )
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert first.reference in warnings[0]


@pytest.mark.django_db
def test_a_match_with_a_case_the_author_cannot_see_reveals_nothing_to_the_author(
    client_for, intake
):
    """Intake could otherwise test whether any handle is known (issue: duplicate warnings)."""
    other = UserFactory(username="other-intake", roles=["intake"])
    first = new_case(by=other, contact_handle="fictional-handle-01")
    with_match = client_for(intake).post(reverse("cases:create"), _request_form(), follow=True)
    new = Case.objects.exclude(pk=first.pk).get()
    without_match = client_for(intake).post(
        reverse("cases:create"), _request_form(contact_handle="fictional-handle-99"), follow=True
    )
    warnings = [m for m in with_match.context["messages"] if m.level_tag == "warning"]
    assert warnings == []
    html = with_match.content.decode()
    assert first.reference not in html
    assert "same contact" not in html.lower()
    assert "cannot see" not in html
    # The answer is the same page as for a handle nobody has used.
    assert [m.level_tag for m in with_match.context["messages"]] == [
        m.level_tag for m in without_match.context["messages"]
    ]
    # The author's own view of the new case says nothing either.
    page = client_for(intake).get(_detail(new)).content.decode()
    assert first.reference not in page
    assert "same contact" not in page.lower()


@pytest.mark.django_db
def test_a_hidden_match_is_flagged_for_coordinators_and_administrators_and_logged(
    client_for, intake, coordinator, admin_user
):
    other = UserFactory(username="other-intake", roles=["intake"])
    first = new_case(by=other, contact_handle="fictional-handle-01")
    restricted = new_case(by=other, contact_handle="fictional-handle-01")
    restricted.restricted = True
    restricted.save(update_fields=["restricted"])
    client_for(intake).post(reverse("cases:create"), _request_form())
    new = Case.objects.exclude(pk__in=[first.pk, restricted.pk]).get()
    row = AccessLog.objects.get(action=AccessLog.Action.DUPLICATE_CONTACT)
    assert (row.user, row.target) == (intake, new.reference)
    assert first.reference in row.detail
    assert restricted.reference in row.detail
    assert "fictional-handle" not in row.detail
    # The coordinator sees the match with the case they may see, not the restricted one.
    page = client_for(coordinator).get(_detail(new)).content.decode()
    assert "Another request came from the same contact" in page
    assert first.reference in page
    assert restricted.reference not in page
    # An administrator, who may see both, sees both.
    page = client_for(admin_user).get(_detail(new)).content.decode()
    assert first.reference in page
    assert restricted.reference in page


@pytest.mark.django_db
def test_the_case_page_shows_people_with_computed_ages_and_logs_the_look(
    client_for, coordinator, intake
):
    case = new_case(by=intake)
    today = date.today()
    year, month = divmod(today.year * 12 + today.month - 1 - 10, 12)
    baby_born = date(year, month + 1, 1)  # ten months ago
    client = client_for(coordinator)
    client.post(
        _page("person_add", case),
        {"role": "child", "alias": "Fictional Baby", "sex": "M", "born": baby_born.isoformat()},
    )
    response = client.get(_detail(case))
    body = response.content.decode()
    assert "Fictional Baby" in body
    age = age_at(baby_born, BirthPrecision.DAY, today)
    assert age.is_infant
    assert f"<td>{age}<br>" in body
    log = AccessLog.objects.get(action=AccessLog.Action.VIEW_CASE, detail="")
    assert (log.user, log.target) == (coordinator, case.reference)


@pytest.mark.django_db
def test_the_case_page_offers_only_the_allowed_next_stages(client_for, coordinator, intake):
    case = new_case(by=intake)
    form = client_for(coordinator).get(_detail(case)).context["transition_form"]
    assert [value for value, _ in form.fields["to"].choices] == [Stage.SCREENING]


@pytest.mark.django_db
def test_a_coordinator_moves_a_stage_and_an_illegal_move_is_refused(
    client_for, coordinator, intake
):
    case = new_case(by=intake)
    client = client_for(coordinator)
    refused = client.post(_page("transition", case), {"to": Stage.RESETTLING})
    assert refused.status_code == 200
    assert "to" in refused.context["form"].errors
    assert client.post(_page("transition", case), {"to": Stage.SCREENING}).status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.SCREENING


@pytest.mark.django_db
def test_moving_back_without_a_note_is_refused_next_to_the_note(client_for, coordinator, intake):
    case = new_case(by=intake)
    Case.objects.filter(pk=case.pk).update(stage=Stage.IN_TRANSIT)
    response = client_for(coordinator).post(_page("transition", case), {"to": Stage.WAITING})
    assert "note" in response.context["form"].errors
    case.refresh_from_db()
    assert case.stage == Stage.IN_TRANSIT


@pytest.mark.django_db
def test_screening_through_the_page_ignores_a_tampered_decider(client_for, intake, coordinator):
    case = new_case(by=intake)
    response = client_for(intake).post(
        _page("screen", case),
        {
            "reason_for_leaving": "Fictional: to find her mother",
            "dialect": "fits",
            "verdict": Verdict.INCONCLUSIVE,
            "decided_by": coordinator.pk,
            "case": new_case(by=intake).pk,
        },
    )
    assert response.status_code == 302
    screening = case.screenings.get()
    assert (screening.decided_by, screening.verdict) == (intake, Verdict.INCONCLUSIVE)


@pytest.mark.django_db
def test_an_outcome_for_one_person_through_the_page(client_for, coordinator, intake):
    case = new_case(by=intake)
    client = client_for(coordinator)
    client.post(_page("person_add", case), {"role": "child", "alias": "Fictional Son", "sex": "M"})
    child = case.people.get(role=PersonRole.CHILD)
    partner = PartnerOrganisation.objects.create(name="Fictional Partner")
    response = client.post(
        _page("outcome", case),
        {
            "people": [str(child.pk)],
            "outcome": Outcome.RESCUED,
            "on": date.today().isoformat(),
            "partner": partner.pk,
        },
    )
    assert response.status_code == 302
    assert dict(case.people.values_list("role", "outcome")) == {
        PersonRole.PRINCIPAL: "",
        PersonRole.CHILD: Outcome.RESCUED,
    }
    case.refresh_from_db()
    assert not case.is_closed


@pytest.mark.django_db
def test_a_referral_outcome_without_a_partner_is_refused_next_to_the_field(
    client_for, coordinator, intake
):
    case = new_case(by=intake)
    response = client_for(coordinator).post(
        _page("outcome", case),
        {
            "people": [str(p.pk) for p in case.people.all()],
            "outcome": Outcome.REFERRED,
            "on": date.today().isoformat(),
        },
    )
    assert "partner" in response.context["form"].errors
    assert case.people.get().outcome == ""


@pytest.mark.django_db
def test_closing_and_reopening_through_the_pages(client_for, coordinator, intake):
    case = new_case(by=intake)
    client = client_for(coordinator)
    people = [str(p.pk) for p in case.people.all()]
    client.post(
        _page("outcome", case),
        {"people": people, "outcome": Outcome.CALLED_OFF, "on": date.today().isoformat()},
    )
    case.refresh_from_db()
    assert case.is_closed
    assert client.post(_page("reopen", case), {"people": people}).status_code == 200
    assert (
        client.post(_page("reopen", case), {"people": people, "reason": "Money found"}).status_code
        == 302
    )
    case.refresh_from_db()
    assert not case.is_closed
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-3:] == [EventKind.CLOSED, EventKind.REOPENED, EventKind.OUTCOME]


@pytest.mark.django_db
def test_assign_refer_and_restrict_through_the_pages(client_for, coordinator, intake):
    case = new_case(by=intake)
    partner = PartnerOrganisation.objects.create(name="Fictional Partner")
    client = client_for(coordinator)
    assert client.post(_page("assign", case), {"assignees": [coordinator.pk]}).status_code == 302
    assert client.post(_page("refer", case), {"partner": partner.pk}).status_code == 302
    assert client.post(_page("restrict", case), {"restricted": "on"}).status_code == 302
    case.refresh_from_db()
    assert (list(case.assignees.all()), case.referred_to, case.restricted) == (
        [coordinator],
        partner,
        True,
    )
    # Restricted and not assigned: the intake who logged it no longer reaches it.
    assert client_for(intake).get(_detail(case)).status_code == 404


@pytest.mark.django_db
def test_correcting_a_person_keeps_the_outcome_out_of_reach(client_for, coordinator, intake):
    case = new_case(by=intake)
    person = case.people.get()
    url = reverse("cases:person_edit", kwargs={"case_id": case.pk, "person_id": person.pk})
    client = client_for(intake)
    assert client.get(url).context["form"].initial["alias"] == "Fictional Mother"
    response = client.post(
        url,
        {
            "role": "principal",
            "alias": "Fictional Mother B",
            "sex": "F",
            "born": "1990",
            "outcome": Outcome.RESCUED,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.alias, person.outcome, person.birth_date) == (
        "Fictional Mother B",
        "",
        date(1990, 7, 1),
    )


@pytest.mark.django_db
def test_identifying_fields_are_stored_encrypted(client_for, intake):
    client_for(intake).post(reverse("cases:create"), _request_form())
    case = Case.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_handle, current_region, notes FROM cases_case WHERE id = %s",
            [case.pk.hex if connection.vendor == "sqlite" else case.pk],
        )
        raw = " ".join(cursor.fetchone())
        cursor.execute("SELECT alias FROM cases_person")
        raw += " ".join(row[0] for row in cursor.fetchall())
    for secret in ("fictional-handle-01", "Fictional Prefecture", "husband", "Sunhee"):
        assert secret not in raw
    assert CaseEvent.objects.filter(case=case).count() == 1
    assert Person.objects.get().alias == "Fictional Sunhee"
