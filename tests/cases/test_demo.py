"""The demo cases reproduce the domain's 2025 and cover every stage and outcome in 2026."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from cases import demo
from cases.ages import age_at
from cases.models import Case, CaseEvent, Household, Outcome, Person, PersonRole, Stage


@pytest.fixture
def loaded(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    return Case.objects.all()


def _year(year):
    return Case.objects.filter(received_on__year=year)


@pytest.mark.django_db
def test_2025_has_the_domains_27_requests(loaded):
    households = Counter(_year(2025).values_list("household", flat=True))
    assert households == {Household.MOTHER_WITH_CHILDREN: 12, Household.UNACCOMPANIED_WOMAN: 15}
    assert all(case.is_closed for case in _year(2025))


@pytest.mark.django_db
def test_2025_eight_adults_rescued_by_the_ngo_and_nineteen_by_partners(loaded):
    principals = Person.objects.filter(case__received_on__year=2025, role=PersonRole.PRINCIPAL)
    assert set(principals.values_list("outcome", flat=True)) == {Outcome.RESCUED}
    ours = principals.filter(outcome_partner__isnull=True)
    assert ours.count() == 8
    assert ours.filter(case__household=Household.MOTHER_WITH_CHILDREN).count() == 5
    assert principals.filter(outcome_partner__isnull=False).count() == 19
    for mother in ours.filter(case__household=Household.MOTHER_WITH_CHILDREN):
        children = mother.case.people.filter(role=PersonRole.CHILD)
        assert children.exists()
        assert set(children.values_list("outcome", "outcome_partner")) == {(Outcome.RESCUED, None)}
    for person in Person.objects.filter(case__received_on__year=2025):
        assert person.case.received_on < person.outcome_on <= date(2025, 12, 31)


@pytest.mark.django_db
def test_2025_ages_run_from_ten_months_to_fifty_mostly_under_thirty(loaded):
    people = Person.objects.filter(case__received_on__year=2025).select_related("case")
    ages = [age_at(p.birth_date, p.birth_precision, p.case.received_on) for p in people]
    assert min(age.months for age in ages) == 10
    assert max(age.years for age in ages) == 50
    assert sum(age.years < 30 for age in ages) > len(ages) / 2


@pytest.mark.django_db
def test_home_provinces_are_mostly_north_hamgyong_and_ryanggang(loaded):
    provinces = Counter(
        Person.objects.filter(role=PersonRole.PRINCIPAL).values_list(
            "origin_province__name", flat=True
        )
    )
    top_two = [name for name, _ in provinces.most_common(2)]
    assert set(top_two) == {"North Hamgyong", "Ryanggang"}
    assert provinces["North Hamgyong"] + provinces["Ryanggang"] > sum(provinces.values()) / 2


@pytest.mark.django_db
def test_2026_covers_every_stage_and_every_outcome(loaded):
    open_cases = _year(2026).filter(closed_at__isnull=True)
    assert set(open_cases.values_list("stage", flat=True)) == set(Stage.values)
    outcomes = set(
        Person.objects.filter(case__received_on__year=2026).values_list("outcome", flat=True)
    )
    assert outcomes - {""} == set(Outcome.values)
    died = Person.objects.filter(outcome=Outcome.DIED, role=PersonRole.PRINCIPAL)
    assert died.count() == 2
    assert len(set(died.values_list("outcome_on", flat=True))) == 1
    assert _year(2026).filter(restricted=True).exists()
    assert _year(2026).filter(assignees__isnull=False).exists()


@pytest.mark.django_db
def test_every_demo_name_says_it_is_fictional(loaded):
    assert all(person.alias.startswith("Demo ") for person in Person.objects.all())


@pytest.mark.django_db
def test_loading_twice_changes_nothing(loaded, settings):
    before = (Case.objects.count(), Person.objects.count(), CaseEvent.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Case.objects.count(), Person.objects.count(), CaseEvent.objects.count()) == before
    assert before[0] == len(demo.YEAR_2025) + len(demo.YEAR_2026)
