"""The change history of a case and its people: old and new values, who, when; need-to-know."""

import pytest

from rescue.models import AccessLog
from tests.factories import CaseFactory, PersonFactory


def _url(case) -> str:
    return f"/audit/cases/{case.pk}/history/"


@pytest.fixture
def changed_case(intake, coordinator):
    case = CaseFactory(created_by=intake, notes="first note")
    person = PersonFactory(case=case, alias="Old alias")
    case.notes = "second note"
    case._history_user = coordinator
    case.save()
    person.alias = "New alias"
    person._history_user = coordinator
    person.save()
    return case


@pytest.mark.django_db
def test_a_coordinator_reads_old_and_new_values_with_who_changed_them(
    client_for, coordinator, changed_case
):
    response = client_for(coordinator).get(_url(changed_case))
    assert response.status_code == 200
    changes = [
        (entry.subject, change.field, change.old, change.new, entry.by)
        for entry in response.context["entries"]
        for change in entry.changes
    ]
    assert ("Case", "notes", "first note", "second note", coordinator.username) in changes
    assert ("Person 1 (principal)", "alias", "Old alias", "New alias", coordinator.username) in (
        changes
    )


@pytest.mark.django_db
def test_reading_the_history_is_recorded_in_the_access_log(client_for, admin_user, changed_case):
    client_for(admin_user).get(_url(changed_case))
    row = AccessLog.objects.get(action=AccessLog.Action.VIEW_CASE)
    assert (row.user, row.target) == (admin_user, changed_case.reference)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["intake", "treasurer", "board", "outsider"])
def test_roles_without_the_history_capability_are_refused(
    personas, client_for, changed_case, persona
):
    assert client_for(personas[persona]).get(_url(changed_case)).status_code == 403


@pytest.mark.django_db
def test_a_coordinator_does_not_learn_that_a_restricted_case_exists(
    client_for, coordinator, intake
):
    restricted = CaseFactory(created_by=intake, restricted=True)
    assert client_for(coordinator).get(_url(restricted)).status_code == 404


@pytest.mark.django_db
def test_an_administrator_reads_the_history_of_a_restricted_case(client_for, admin_user, intake):
    restricted = CaseFactory(created_by=intake, restricted=True)
    assert client_for(admin_user).get(_url(restricted)).status_code == 200
