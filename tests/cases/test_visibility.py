"""Who may see which case: the queryset rules every view and service goes through."""

import pytest

from cases.models import Case
from tests.factories import CaseFactory, UserFactory


@pytest.fixture
def cases(intake, coordinator):
    other_intake = UserFactory(username="other-intake", roles=["intake"])
    return {
        "logged_by_intake": CaseFactory(created_by=intake),
        "logged_by_other": CaseFactory(created_by=other_intake),
        "restricted": CaseFactory(created_by=intake, restricted=True),
        "restricted_assigned_to_coordinator": CaseFactory(
            created_by=other_intake, restricted=True, assignees=[coordinator]
        ),
        "assigned_to_intake": CaseFactory(created_by=other_intake, assignees=[intake]),
    }


def _visible(user, method="visible_to") -> set[str]:
    return set(getattr(Case.objects, method)(user).values_list("reference", flat=True))


def _refs(cases, *names) -> set[str]:
    return {cases[name].reference for name in names}


@pytest.mark.django_db
def test_intake_sees_what_they_logged_and_what_is_assigned_to_them(intake, cases):
    assert _visible(intake) == _refs(cases, "logged_by_intake", "assigned_to_intake")


@pytest.mark.django_db
def test_coordinators_see_every_unrestricted_case_and_restricted_ones_assigned_to_them(
    coordinator, cases
):
    assert _visible(coordinator) == _refs(
        cases,
        "logged_by_intake",
        "logged_by_other",
        "assigned_to_intake",
        "restricted_assigned_to_coordinator",
    )


@pytest.mark.django_db
def test_admins_see_every_case(admin_user, cases):
    assert _visible(admin_user) == _refs(cases, *cases)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["treasurer", "board", "outsider"])
def test_others_see_no_case_details(personas, cases, persona):
    assert _visible(personas[persona]) == set()


@pytest.mark.django_db
def test_the_treasurer_may_refer_to_unrestricted_cases_by_reference(treasurer, cases):
    assert _visible(treasurer, "referable_by") == _refs(
        cases, "logged_by_intake", "logged_by_other", "assigned_to_intake"
    )


@pytest.mark.django_db
def test_an_inactive_user_sees_nothing(cases, coordinator):
    coordinator.is_active = False
    coordinator.save()
    assert _visible(coordinator) == set()


@pytest.mark.django_db
def test_a_case_with_several_assignees_is_listed_once(coordinator, intake):
    case = CaseFactory(assignees=[coordinator, intake])
    assert list(Case.objects.visible_to(coordinator)) == [case]
