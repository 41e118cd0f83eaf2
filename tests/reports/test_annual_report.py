"""The annual report's case figures: the domain's year, and each counting rule on its own."""

import io
import json
from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import CommandError, call_command

from cases.models import Household, Outcome, PersonRole
from rescue.models import SiteSettings
from rescue.reports.selectors import share
from tests.factories import CaseFactory, PersonFactory
from tests.reports.conftest import YEAR_2025

KEYS = [
    "rescued_by_us",
    "rescued_by_partner",
    "referred",
    "called_off",
    "arrested",
    "died",
    "lost_contact",
    "withdrawn",
    "decoy",
    "open",
]


def _report(*args) -> dict:
    out = io.StringIO()
    call_command("annual_report", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def _expected_rescued_by_us(households) -> dict:
    people = [person for h in households if not h.by_partner for person in h.people]
    ages = [person.age_months for person in people]
    under_30 = sum(age < 360 for age in ages)
    share = (Decimal(under_30) / len(ages)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    provinces = Counter(person.province or "Unknown" for person in people)
    return {
        "people": len(people),
        "adults": sum(age >= 18 * 12 for age in ages),
        "children": sum(age < 18 * 12 for age in ages),
        "women": sum(person.sex == "F" for person in people),
        "youngest_months": min(ages),
        "oldest_years": max(ages) // 12,
        "share_under_30": float(share),
        "origin_provinces": dict(provinces),
    }


@pytest.mark.django_db
def test_the_json_has_the_published_shape_and_key_order(domain_year):
    report = _report("--year", "2025")
    assert list(report) == [
        "period",
        "requests",
        "outcomes_by_person",
        "outcomes_by_case",
        "rescued_by_us",
        "money_usd",
    ]
    assert list(report["requests"]) == [
        "cases",
        "mother_with_children",
        "unaccompanied_woman",
        "other",
        "people",
    ]
    assert list(report["outcomes_by_person"]) == KEYS
    assert list(report["outcomes_by_case"]) == KEYS
    assert list(report["rescued_by_us"]) == [
        "people",
        "adults",
        "children",
        "women",
        "youngest_months",
        "oldest_years",
        "share_under_30",
        "origin_provinces",
    ]


@pytest.mark.django_db
def test_the_domains_year_comes_out_exactly(domain_year):
    report = _report("--year", "2025")
    assert report["period"] == {"from": "2025-01-01", "to": "2025-12-31"}
    # The domain's figures for the year.
    assert report["requests"]["cases"] == 27
    assert report["requests"]["mother_with_children"] == 12
    assert report["requests"]["unaccompanied_woman"] == 15
    assert report["requests"]["other"] == 0
    assert report["outcomes_by_case"]["rescued_by_partner"] == 19
    assert report["rescued_by_us"]["adults"] == 8
    # Everything else, derived from the table the data was built from.
    assert report["requests"]["people"] == sum(len(h.people) for h in YEAR_2025)
    own = [h for h in YEAR_2025 if not h.by_partner]
    by_partner = [h for h in YEAR_2025 if h.by_partner]
    assert sum(h.household == Household.MOTHER_WITH_CHILDREN for h in own) == 5
    assert report["outcomes_by_person"] == {
        **dict.fromkeys(KEYS, 0),
        "rescued_by_us": sum(len(h.people) for h in own),
        "rescued_by_partner": sum(len(h.people) for h in by_partner),
    }
    assert report["outcomes_by_case"] == {
        **dict.fromkeys(KEYS, 0),
        "rescued_by_us": len(own),
        "rescued_by_partner": len(by_partner),
    }
    assert report["rescued_by_us"] == _expected_rescued_by_us(YEAR_2025)


@pytest.mark.django_db
def test_the_figures_that_say_the_most_are_the_ones_the_domain_expects(domain_year):
    rescued = _report("--year", "2025")["rescued_by_us"]
    assert rescued["youngest_months"] == 10  # a baby born July 2024, rescued May 2025
    assert rescued["oldest_years"] == 50
    assert rescued["share_under_30"] == 0.73  # 11 of 15, rounded half up
    # Most common first, unknown last.
    assert list(rescued["origin_provinces"]) == [
        "North Hamgyong",
        "Ryanggang",
        "South Hamgyong",
        "Unknown",
    ]


@pytest.mark.django_db
def test_a_fiscal_year_starting_in_april_takes_its_months_from_two_calendar_years(domain_year):
    settings_row = SiteSettings.load()
    settings_row.fiscal_year_start_month = 4
    settings_row.save()
    report = _report("--year", "2025")
    assert report["period"] == {"from": "2025-04-01", "to": "2026-03-31"}
    received = [h for h in YEAR_2025 if h.received_on >= date(2025, 4, 1)]
    # The 2026 case is inside fiscal 2025 when it starts in April.
    assert report["requests"]["cases"] == len(received) + 1
    assert report["outcomes_by_person"]["died"] == 1


@pytest.mark.django_db
def test_a_date_range_counts_requests_by_receipt_and_outcomes_by_their_date(domain_year):
    report = _report("--from", "2025-01-01", "--to", "2025-03-31")
    received = [h for h in YEAR_2025 if h.received_on <= date(2025, 3, 31)]
    done = [h for h in YEAR_2025 if h.rescued_on <= date(2025, 3, 31)]
    pending = [h for h in received if h.rescued_on > date(2025, 3, 31)]
    assert report["requests"]["cases"] == len(received)
    assert report["outcomes_by_person"]["rescued_by_partner"] == sum(len(h.people) for h in done)
    # Rescued after the range ended: still open at its end.
    assert report["outcomes_by_person"]["open"] == sum(len(h.people) for h in pending)
    assert report["outcomes_by_case"]["open"] == len(pending)
    assert report["rescued_by_us"]["people"] == 0
    assert report["rescued_by_us"]["youngest_months"] is None
    assert report["rescued_by_us"]["share_under_30"] is None


@pytest.mark.django_db
def test_a_case_counts_once_under_the_outcome_most_of_its_people_share(intake, partner):
    case = CaseFactory(household=Household.MOTHER_WITH_CHILDREN, received_on=date(2025, 3, 1))
    PersonFactory(case=case, outcome=Outcome.ARRESTED, outcome_on=date(2025, 4, 1))
    for _ in range(2):
        PersonFactory(
            case=case,
            role=PersonRole.CHILD,
            outcome=Outcome.LOST_CONTACT,
            outcome_on=date(2025, 4, 1),
        )
    report = _report("--year", "2025")
    assert report["outcomes_by_person"]["arrested"] == 1
    assert report["outcomes_by_person"]["lost_contact"] == 2
    assert report["outcomes_by_case"]["lost_contact"] == 1
    assert report["outcomes_by_case"]["arrested"] == 0


@pytest.mark.django_db
def test_a_tie_goes_to_the_principals_outcome(intake, partner):
    case = CaseFactory(household=Household.MOTHER_WITH_CHILDREN, received_on=date(2025, 3, 1))
    PersonFactory(
        case=case, role=PersonRole.CHILD, outcome=Outcome.DIED, outcome_on=date(2025, 4, 1)
    )
    PersonFactory(
        case=case, outcome=Outcome.REFERRED, outcome_partner=partner, outcome_on=date(2025, 4, 1)
    )
    report = _report("--year", "2025")
    assert report["outcomes_by_case"]["referred"] == 1
    assert report["outcomes_by_case"]["died"] == 0


@pytest.mark.django_db
def test_a_tie_without_the_principal_goes_to_the_first_outcome_in_the_published_order(intake):
    case = CaseFactory(household=Household.OTHER, received_on=date(2025, 3, 1))
    PersonFactory(
        case=case, role=PersonRole.COMPANION, outcome=Outcome.DECOY, outcome_on=date(2025, 4, 1)
    )
    PersonFactory(
        case=case,
        role=PersonRole.COMPANION,
        outcome=Outcome.CALLED_OFF,
        outcome_on=date(2025, 4, 1),
    )
    PersonFactory(case=case, outcome=Outcome.DECOY, outcome_on=date(2026, 1, 5))  # next year
    report = _report("--year", "2025")
    assert report["outcomes_by_case"]["called_off"] == 1
    assert report["outcomes_by_case"]["decoy"] == 0
    assert report["requests"]["other"] == 1


@pytest.mark.django_db
def test_a_case_with_people_open_and_people_decided_counts_by_the_decided(intake):
    case = CaseFactory(received_on=date(2025, 3, 1))
    PersonFactory(case=case, outcome=Outcome.WITHDRAWN, outcome_on=date(2025, 5, 1))
    PersonFactory(case=case, role=PersonRole.CHILD)
    report = _report("--year", "2025")
    assert report["outcomes_by_person"]["withdrawn"] == 1
    assert report["outcomes_by_person"]["open"] == 1
    assert report["outcomes_by_case"]["withdrawn"] == 1
    assert report["outcomes_by_case"]["open"] == 0


@pytest.mark.django_db
def test_an_adult_without_a_birth_date_counts_by_role_and_is_left_out_of_ages(intake):
    case = CaseFactory(received_on=date(2025, 3, 1))
    PersonFactory(case=case, birth_date=None, outcome=Outcome.RESCUED, outcome_on=date(2025, 5, 1))
    PersonFactory(
        case=case,
        role=PersonRole.CHILD,
        birth_date=None,
        sex="M",
        outcome=Outcome.RESCUED,
        outcome_on=date(2025, 5, 1),
    )
    PersonFactory(
        case=case,
        role=PersonRole.CHILD,
        birth_date=date(2023, 7, 1),
        outcome=Outcome.RESCUED,
        outcome_on=date(2025, 5, 1),
    )
    rescued = _report("--year", "2025")["rescued_by_us"]
    assert (rescued["people"], rescued["adults"], rescued["children"]) == (3, 1, 2)
    assert rescued["women"] == 2
    # The only known age: born mid-2023, rescued 2025-05-01: 1 year 10 months.
    assert (rescued["youngest_months"], rescued["oldest_years"]) == (22, 1)
    assert rescued["share_under_30"] == 1.0


@pytest.mark.django_db
def test_an_empty_period_reports_zeros_and_nulls_not_errors(db):
    report = _report("--from", "2020-01-01", "--to", "2020-01-31")
    assert report["requests"] == dict.fromkeys(list(report["requests"]), 0)
    assert set(report["outcomes_by_case"].values()) == {0}
    assert report["rescued_by_us"]["origin_provinces"] == {}


@pytest.mark.django_db
def test_the_text_report_prints_a_line_per_figure(domain_year):
    out = io.StringIO()
    call_command("annual_report", "--year", "2025", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.split() == ["requests", "cases", "27"] for line in lines)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-13-01", "--to", "2025-12-31"], "--from must be a date"),
        (["--from", "2025-01-01", "--to", "31/12/2025"], "--to must be a date"),
        (["--from", "2025-02-01", "--to", "2025-01-01"], "--to is before --from"),
        (["--from", "2025-02-01"], "both --from and --to"),
        ([], "Give --year"),
        (["--year", "2025", "--from", "2025-01-01"], "not both"),
        (["--year", "0"], "--year must be a year"),
    ],
)
def test_the_command_refuses_bad_periods_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("annual_report", *args, "--json", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 8, Decimal("0.13")), (3, 8, Decimal("0.38")), (11, 15, Decimal("0.73")), (0, 0, None)],
)
def test_shares_are_rounded_half_up_to_two_places(part, whole, expected):
    # 0.125 and 0.375 are exact halves: half-up rounds them away from zero, half-even would not.
    assert share(part, whole) == expected
