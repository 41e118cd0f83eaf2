"""Case exports: who may make them, what they hold, that they are recorded and stream."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Case, Household, Outcome, Person, PersonRole, Stage
from rescue.models import AccessLog
from rescue.reauth import REAUTH_SESSION_KEY
from tests.conftest import PASSWORD
from tests.factories import CaseFactory, PersonFactory, UserFactory
from tests.security.helpers import totp_code
from tests.signin import verified_device

DOWNLOADS = ["reports:cases_csv", "reports:cases_xlsx"]
# Who may export: anyone whose work is with cases; the board and the treasurer may not.
MAY_EXPORT = {"intake", "coordinator", "admin"}
PERSONAS = ["intake", "coordinator", "treasurer", "admin", "board", "outsider"]


REAUTH = "/accounts/reauthenticate/"
BACK_TO_THE_FORM = f"{REAUTH}?next=%2Freports%2Fcases%2F"


def _reauthenticate(client, user):
    """Password and a code again, through the real page, as the redirect asks."""
    response = client.post(
        REAUTH,
        {
            "password": PASSWORD,
            "code": totp_code(verified_device(user)),
            "next": reverse("reports:case_export"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:case_export")
    return client


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in sheet.values]


@pytest.fixture
def cases(intake, coordinator, partner):
    other = UserFactory(username="other-intake", roles=["intake"])
    mine = CaseFactory(
        reference="2025-001",
        created_by=intake,
        received_on=date(2025, 2, 1),
        household=Household.MOTHER_WITH_CHILDREN,
        stage=Stage.RESETTLING,
    )
    PersonFactory(
        case=mine,
        alias="Spring Blossom",
        legal_name="Kim Fictional",
        outcome=Outcome.RESCUED,
        outcome_on=date(2025, 5, 1),
    )
    PersonFactory(
        case=mine,
        role=PersonRole.CHILD,
        alias="Little One",
        outcome=Outcome.RESCUED,
        outcome_on=date(2025, 5, 1),
    )
    PersonFactory(case=mine, role=PersonRole.CHILD, alias="")
    theirs = CaseFactory(
        reference="2025-002", created_by=other, received_on=date(2025, 3, 1), stage=Stage.WAITING
    )
    PersonFactory(
        case=theirs,
        alias="Autumn Moon",
        outcome=Outcome.REFERRED,
        outcome_partner=partner,
        outcome_on=date(2025, 4, 1),
    )
    hidden = CaseFactory(
        reference="2025-003", created_by=other, restricted=True, received_on=date(2025, 4, 1)
    )
    PersonFactory(case=hidden, alias="Hidden Plum")
    return {"mine": mine, "theirs": theirs, "hidden": hidden}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_export_page_is_for_those_who_work_with_cases(personas, client_for, persona):
    response = client_for(personas[persona]).get(reverse("reports:case_export"))
    assert response.status_code == (200 if persona in MAY_EXPORT else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", DOWNLOADS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_downloads_are_for_those_who_work_with_cases(personas, client_for, persona, url_name):
    client = client_for(personas[persona])
    for send in (client.get, client.post):
        response = send(reverse(url_name))
        assert response.status_code == (200 if persona in MAY_EXPORT else 403)
        if response.streaming:
            b"".join(response.streaming_content)  # logged once the file is made in full
    made = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count()
    assert made == (2 if persona in MAY_EXPORT else 0)


@pytest.mark.django_db
def test_each_role_gets_only_the_cases_it_may_see(personas, client_for, cases):
    expected = {
        "intake": ["2025-001"],
        "coordinator": ["2025-001", "2025-002"],
        "admin": ["2025-001", "2025-002", "2025-003"],
    }
    for persona, references in expected.items():
        rows = _csv(client_for(personas[persona]).get(reverse("reports:cases_csv")))
        assert [row[0] for row in rows[1:]] == references, persona


@pytest.mark.django_db
def test_the_rows_hold_references_stages_dates_and_outcomes_without_names(
    coordinator, client_for, cases
):
    rows = _csv(client_for(coordinator).get(reverse("reports:cases_csv")))
    assert rows == [
        [
            "reference",
            "received_on",
            "household",
            "stage",
            "verdict",
            "closed_at",
            "people",
            "outcomes",
        ],
        [
            "2025-001",
            "2025-02-01",
            "mother_with_children",
            "resettling",
            "",
            "",
            "3",
            "rescued_by_us 2; open 1",
        ],
        ["2025-002", "2025-03-01", "unaccompanied_woman", "waiting", "", "", "1", "referred 1"],
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_names_come_only_on_an_explicit_post_by_a_role_that_may_export_them(
    personas, client_for, cases, persona
):
    client = _reauthenticate(client_for(personas[persona]), personas[persona])
    rows = _csv(client.post(reverse("reports:cases_csv"), {"include_identifying": "on"}))
    assert rows[0][-2:] == ["aliases", "legal_names"]
    assert rows[1][-2:] == ["Spring Blossom; Little One", "Kim Fictional"]
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (entry.user, entry.target) == (personas[persona], "cases.csv")
    assert entry.detail == "all visible cases with identifying fields"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", DOWNLOADS)
@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_names_without_a_recent_reauthentication_go_to_the_reauth_page_and_export_nothing(
    personas, client_for, cases, persona, url_name
):
    response = client_for(personas[persona]).post(
        reverse(url_name), {"include_identifying": "on", "stage": "resettling"}
    )
    assert response.status_code == 302
    # Back to the form afterwards, not to the download: a GET there would export.
    assert response["Location"] == BACK_TO_THE_FORM
    assert not getattr(response, "streaming", False)
    assert b"Spring Blossom" not in response.content
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


@pytest.mark.django_db
def test_a_reauthentication_older_than_the_limit_is_asked_for_again(
    coordinator, client_for, cases, settings
):
    client = _reauthenticate(client_for(coordinator), coordinator)
    session = client.session
    session[REAUTH_SESSION_KEY] -= settings.REAUTH_MAX_AGE + 1
    session.save()
    response = client.post(reverse("reports:cases_csv"), {"include_identifying": "on"})
    assert response["Location"] == BACK_TO_THE_FORM
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", DOWNLOADS)
def test_an_export_without_names_needs_no_reauthentication(
    coordinator, client_for, cases, url_name
):
    response = client_for(coordinator).post(reverse(url_name), {"stage": "resettling"})
    assert response.status_code == 200
    assert response.streaming
    rows = _csv(response) if url_name.endswith("csv") else _xlsx(response)
    assert [row[0] for row in rows[1:]] == ["2025-001"]
    assert "aliases" not in rows[0]
    assert AccessLog.objects.get(action=AccessLog.Action.EXPORT).detail == "stage=resettling"


@pytest.mark.django_db
def test_asking_for_names_in_the_url_gets_no_names(coordinator, client_for, cases):
    response = client_for(coordinator).get(
        reverse("reports:cases_csv"), {"include_identifying": "on"}
    )
    body = b"".join(response.streaming_content).decode()
    assert "aliases" not in body
    assert "Spring Blossom" not in body
    assert AccessLog.objects.get(action=AccessLog.Action.EXPORT).detail == "all visible cases"


@pytest.mark.django_db
def test_intake_staff_asking_for_names_are_refused_and_nothing_is_recorded(
    intake, client_for, cases
):
    response = client_for(intake).post(reverse("reports:cases_csv"), {"include_identifying": "on"})
    assert response.status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


@pytest.mark.django_db
def test_the_page_offers_the_names_box_only_to_those_who_may_tick_it(
    intake, coordinator, client_for
):
    box = 'name="include_identifying"'
    assert box in client_for(coordinator).get(reverse("reports:case_export")).content.decode()
    assert box not in client_for(intake).get(reverse("reports:case_export")).content.decode()


@pytest.mark.django_db
def test_the_filter_narrows_the_rows_and_is_recorded_without_names(coordinator, client_for, cases):
    response = client_for(coordinator).post(
        reverse("reports:cases_csv"),
        {
            "stage": "waiting",
            "household": "unaccompanied_woman",
            "received_from": "2025-01-01",
            "received_to": "2025-12-31",
        },
    )
    assert [row[0] for row in _csv(response)[1:]] == ["2025-002"]
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (entry.user, entry.target) == (coordinator, "cases.csv")
    assert entry.detail == (
        "stage=waiting household=unaccompanied_woman from=2025-01-01 to=2025-12-31"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"stage": "nowhere"},
        {"received_from": "2025-02-01", "received_to": "2025-01-01"},
        {"received_from": "yesterday"},
    ],
)
def test_a_bad_filter_is_a_400_and_exports_nothing(coordinator, client_for, cases, query):
    response = client_for(coordinator).get(reverse("reports:cases_csv"), query)
    assert response.status_code == 400
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


@pytest.mark.django_db
def test_the_xlsx_holds_the_same_rows_as_the_csv(coordinator, client_for, cases):
    client = _reauthenticate(client_for(coordinator), coordinator)
    as_csv = _csv(client.post(reverse("reports:cases_csv"), {"include_identifying": "on"}))
    as_xlsx = _xlsx(client.post(reverse("reports:cases_xlsx"), {"include_identifying": "on"}))
    assert [[str(cell) if cell is not None else "" for cell in row] for row in as_xlsx] == as_csv
    assert AccessLog.objects.filter(target="cases.xlsx").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", DOWNLOADS)
def test_a_large_export_streams_with_a_bounded_number_of_queries(
    admin_user, client_for, django_assert_num_queries, url_name
):
    client = client_for(admin_user)
    creator = UserFactory(username="bulk-intake", roles=["intake"])
    # More than two chunks of 500 cases, each with two people.
    many = Case.objects.bulk_create(CaseFactory.build(created_by=creator) for _ in range(1100))
    Person.objects.bulk_create(
        person
        for case in many
        for person in (
            PersonFactory.build(case=case, outcome=Outcome.CALLED_OFF, outcome_on=date(2025, 6, 1)),
            PersonFactory.build(case=case, role=PersonRole.CHILD),
        )
    )
    # Session, user, the user's verified TOTP device (two-factor middleware), the user's
    # own and group permissions (2): 5; the access log insert: 1; the session's
    # idle-timeout save (savepoint, update, release): 3; the cases, read through one
    # cursor in chunks of 500: 1; the people of each chunk (3 chunks): 3.
    with django_assert_num_queries(5 + 1 + 3 + 1 + 3):
        response = client.get(reverse(url_name))
        assert response.streaming
        rows = _csv(response) if url_name.endswith("csv") else _xlsx(response)
    assert len(rows) == 1 + 1100
    assert {row[-1] for row in rows[1:]} == {"called_off 1; open 1"}
