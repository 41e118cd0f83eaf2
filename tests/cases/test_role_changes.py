"""Access follows the roles someone holds now, and every page that shows people is logged."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cases.models import Case
from rescue.models import AccessLog
from tests.cases.helpers import new_case
from tests.factories import UserFactory


@pytest.mark.django_db
def test_someone_moved_off_intake_no_longer_sees_the_cases_they_logged(client_for, intake):
    case = new_case(by=intake, principal_alias="Fictional Alias Moved")
    detail = reverse("cases:detail", args=[case.pk])
    assert client_for(intake).get(detail).status_code == 200
    intake.groups.set([Group.objects.get(name="board")])
    intake = type(intake).objects.get(pk=intake.pk)  # a fresh permission cache
    response = client_for(intake).get(detail)
    assert response.status_code == 404
    assert "Fictional Alias Moved" not in response.content.decode()
    assert not Case.objects.visible_to(intake).exists()


@pytest.mark.django_db
def test_an_assignee_without_a_case_role_sees_nothing(coordinator, intake):
    treasurer_assignee = UserFactory(username="assigned-treasurer", roles=["treasurer"])
    case = new_case(by=intake)
    case.assignees.add(treasurer_assignee)
    assert not Case.objects.visible_to(treasurer_assignee).exists()
    assert Case.objects.visible_to(coordinator).filter(pk=case.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["outcome", "person_add", "screen", "transition"])
def test_opening_an_action_page_of_a_case_is_logged(client_for, coordinator, intake, page):
    case = new_case(by=intake)
    response = client_for(coordinator).get(reverse(f"cases:{page}", args=[case.pk]))
    assert response.status_code == 200
    log = AccessLog.objects.get(action=AccessLog.Action.VIEW_CASE)
    assert (log.user, log.target) == (coordinator, case.reference)
    assert log.detail  # which page: the form's title, never a person's data


@pytest.mark.django_db
def test_opening_the_person_edit_page_is_logged(client_for, coordinator, intake):
    case = new_case(by=intake)
    person = case.people.get()
    url = reverse("cases:person_edit", args=[case.pk, person.pk])
    assert client_for(coordinator).get(url).status_code == 200
    assert AccessLog.objects.filter(
        action=AccessLog.Action.VIEW_CASE, target=case.reference, user=coordinator
    ).exists()
