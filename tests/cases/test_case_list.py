"""The case list: filters, reference search, sorting, paging, and a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, Household, Province, Stage, Verdict
from cases.views import PAGE_SIZE
from tests.cases.helpers import new_case


def _refs(response) -> list[str]:
    return [case.reference for case in response.context["page"]]


@pytest.fixture
def spread(intake, coordinator):
    """A handful of cases that differ in one filtered field each."""
    base = date(2026, 3, 1)
    made = {
        "mother": new_case(by=intake, received_on=base),
        "woman": new_case(
            by=intake, household=Household.UNACCOMPANIED_WOMAN, received_on=base + timedelta(1)
        ),
        "later": new_case(by=intake, received_on=base + timedelta(30)),
    }
    Case.objects.filter(pk=made["woman"].pk).update(
        stage=Stage.SCREENING, verdict=Verdict.SUSPECTED_DECOY
    )
    services.case_assign(case=made["later"], assignees=[coordinator], by=coordinator)
    person = made["later"].people.get()
    person.origin_province = Province.objects.get(name="Chagang")
    person.save()
    return made


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"stage": "screening"}, {"woman"}),
        ({"household": "mother_with_children"}, {"mother", "later"}),
        ({"verdict": "suspected_decoy"}, {"woman"}),
        ({"received_after": "2026-03-02", "received_before": "2026-03-31"}, {"woman", "later"}),
        ({"status": "open"}, {"mother", "woman", "later"}),
        ({"status": "closed"}, set()),
    ],
)
def test_each_filter_narrows_the_list(client_for, coordinator, spread, query, expected):
    response = client_for(coordinator).get(reverse("cases:list"), query)
    assert set(_refs(response)) == {spread[name].reference for name in expected}


@pytest.mark.django_db
def test_filters_by_assignee_and_home_province(client_for, coordinator, spread):
    client = client_for(coordinator)
    chagang = Province.objects.get(name="Chagang")
    assert _refs(client.get(reverse("cases:list"), {"assignee": coordinator.pk})) == [
        spread["later"].reference
    ]
    assert _refs(client.get(reverse("cases:list"), {"province": chagang.pk})) == [
        spread["later"].reference
    ]


@pytest.mark.django_db
def test_search_takes_references_only(client_for, coordinator, spread):
    client = client_for(coordinator)
    reference = spread["woman"].reference
    assert _refs(client.get(reverse("cases:list"), {"reference": reference})) == [reference]
    named = client.get(reverse("cases:list"), {"reference": "Fictional Mother"})
    assert _refs(named) == []
    assert "reference" in named.context["filter"].form.errors


@pytest.mark.django_db
def test_sorting_by_received_date_both_ways(client_for, coordinator, spread):
    client = client_for(coordinator)
    oldest_first = _refs(client.get(reverse("cases:list"), {"sort": "received"}))
    newest_first = _refs(client.get(reverse("cases:list"), {"sort": "-received"}))
    by_date = sorted(spread.values(), key=lambda case: case.received_on)
    assert oldest_first == [case.reference for case in by_date]
    assert newest_first == oldest_first[::-1]


@pytest.mark.django_db
def test_the_list_is_paginated(client_for, coordinator, intake):
    total = PAGE_SIZE + 3
    for _ in range(total):
        new_case(by=intake)
    client = client_for(coordinator)
    first = client.get(reverse("cases:list"))
    second = client.get(reverse("cases:list"), {"page": 2})
    assert len(_refs(first)) == PAGE_SIZE
    assert len(_refs(second)) == total - PAGE_SIZE
    assert not set(_refs(first)) & set(_refs(second))


@pytest.mark.django_db
def test_the_list_takes_a_fixed_number_of_queries(
    client_for, coordinator, intake, django_assert_num_queries
):
    # More rows than a page, each with people and two assignees: a query per row would show.
    for _ in range(PAGE_SIZE + 5):
        case = new_case(by=intake)
        services.case_assign(case=case, assignees=[coordinator, intake], by=coordinator)
    client = client_for(coordinator)
    # 1 session, 2 user, 3 the user's verified two-factor device,
    # 4 user permissions, 5 group permissions (role checks),
    # 6 count for the paginator, 7 the user's groups (navigation's role names),
    # 8-11 the readiness banner: fund policy, reserve balances, latest rates, commitments,
    # 12 assignable staff and 13 provinces (the filter form's choices),
    # 14 the page of cases with people counts, 15 their assignees (prefetch),
    # 16-18 savepoint, session save and release (the session is saved on every request).
    with django_assert_num_queries(18):
        response = client.get(reverse("cases:list"))
    assert len(_refs(response)) == PAGE_SIZE


@pytest.mark.django_db
def test_the_treasurer_filters_references_by_stage(client_for, treasurer, spread):
    response = client_for(treasurer).get(reverse("cases:list"), {"stage": "screening"})
    assert _refs(response) == [spread["woman"].reference]
    assert set(response.context["filter"].form.fields) == {"reference", "stage"}
