"""The home page: each role's panels, what they show, and their fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Household, Outcome, PersonRole, Stage
from rescue.models import SiteSettings
from tests.factories import CaseFactory, PersonFactory, UserFactory


def _home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _age(case, days: int) -> None:
    Case.objects.filter(pk=case.pk).update(
        stage_changed_at=timezone.now() - timedelta(days=days, hours=1)
    )


@pytest.fixture
def desk(intake, coordinator):
    """Cases on the desk today: some waiting for screening, some further on, some closed."""
    other = UserFactory(username="other-intake", roles=["intake"])
    today = timezone.localdate()
    received = [
        CaseFactory(
            reference=f"2026-R{n:02d}",
            created_by=intake,
            stage=Stage.RECEIVED,
            received_on=today - timedelta(days=n),
        )
        for n in range(12)
    ]
    screening = CaseFactory(
        reference="2026-S01",
        created_by=intake,
        stage=Stage.SCREENING,
        received_on=today - timedelta(days=30),
    )
    not_mine = CaseFactory(reference="2026-X01", created_by=other, stage=Stage.RECEIVED)
    waiting = CaseFactory(
        reference="2026-W01",
        created_by=other,
        stage=Stage.WAITING,
        received_on=today - timedelta(days=40),
    )
    _age(waiting, 20)
    transit = CaseFactory(reference="2026-T01", created_by=other, stage=Stage.IN_TRANSIT)
    _age(transit, 3)
    closed = CaseFactory(
        reference="2026-C01", created_by=intake, stage=Stage.SCREENING, closed_at=timezone.now()
    )
    return {
        "received": received,
        "screening": screening,
        "not_mine": not_mine,
        "waiting": waiting,
        "transit": transit,
        "closed": closed,
    }


@pytest.mark.django_db
def test_an_outsider_is_told_to_ask_for_a_role_and_sees_no_panel(outsider, client_for, desk):
    page = _home(client_for(outsider))
    assert "Ask an administrator" in page
    assert "2026-" not in page
    assert "<svg" not in page


@pytest.mark.django_db
def test_intake_sees_their_requests_waiting_for_screening_newest_first(intake, client_for, desk):
    page = _home(client_for(intake))
    # 12 received and 1 in screening are theirs and open; the closed one and others' are not.
    assert re.search(r"waiting for screening <span[^>]*>13</span>", page)
    shown = re.findall(r"<td>(2026-\w+)</td>", page)
    assert shown == [f"2026-R{n:02d}" for n in range(10)]
    assert "<td>Unaccompanied woman</td><td>Request received</td><td>Normal</td>" in page
    assert "2026-X01" not in page
    assert "Open cases" not in page
    assert "<svg" not in page


@pytest.mark.django_db
def test_coordinators_see_open_cases_by_stage_with_days_and_stuck_ones_flagged(
    coordinator, client_for, desk
):
    page = _home(client_for(coordinator))
    assert re.search(r"Open cases <span[^>]*>16</span>", page)  # 12 + 1 + 1 + 1 + 1
    assert "1 stuck over 14 days" in page
    assert re.search(r"<td>2026-W01</td><td>[\d-]+</td><td>20 <span[^>]*>stuck</span>", page)
    assert re.search(r"<td>2026-T01</td><td>[\d-]+</td><td>3</td>", page)
    assert "Waiting for money or a safe moment: 1 (2026-W01)" in page
    assert "2026-C01" not in page
    # Stages appear in the order a rescue goes through them.
    assert page.index("Request received") < page.index("Waiting (money") < page.index("Extraction")


@pytest.mark.django_db
def test_the_stuck_flag_follows_the_setting(coordinator, client_for, desk):
    settings_row = SiteSettings.load()
    settings_row.stuck_case_days = 2
    settings_row.save()
    page = _home(client_for(coordinator))
    assert "2 stuck over 2 days" in page


@pytest.mark.django_db
def test_the_board_sees_this_years_headline_figures_and_no_references(
    board, client_for, intake, partner
):
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    for household, people, by_partner in [
        (Household.MOTHER_WITH_CHILDREN, 3, False),
        (Household.UNACCOMPANIED_WOMAN, 1, True),
        (Household.UNACCOMPANIED_WOMAN, 1, False),
    ]:
        case = CaseFactory(household=household, received_on=start, created_by=intake)
        for index in range(people):
            PersonFactory(
                case=case,
                role=PersonRole.PRINCIPAL if index == 0 else PersonRole.CHILD,
                birth_date=None,
                outcome=Outcome.RESCUED,
                outcome_on=start,
                outcome_partner=partner if by_partner else None,
            )
    CaseFactory(received_on=start - timedelta(days=1), created_by=intake)
    page = _home(client_for(board))
    assert f"This year so far ({start:%Y-%m-%d} to {today.year}-12-31)" in page
    assert re.search(r"Requests received</div><div class=\"fs-4\">3<", page)
    assert "1 mothers with children, 2 unaccompanied women" in page
    assert re.search(r"Rescued by the NGO</div><div class=\"fs-4\">4<", page)
    assert "2 adults, 2 children" in page
    assert re.search(r"Rescued by partner NGOs</div><div class=\"fs-4\">1<", page)
    for reference in Case.objects.values_list("reference", flat=True):
        assert reference not in page
    assert "<svg" in page


@pytest.mark.django_db
def test_the_treasurer_has_no_panel_until_the_ledger_is_installed(treasurer, client_for, desk):
    page = _home(client_for(treasurer))
    assert "Open cases" not in page
    assert "waiting for screening" not in page
    assert "<svg" not in page


@pytest.mark.django_db
def test_an_administrator_holding_every_capability_sees_every_panel(admin_user, client_for, desk):
    page = _home(client_for(admin_user))
    for heading in ("waiting for screening", "Open cases", "This year so far", "<svg"):
        assert heading in page


@pytest.mark.django_db
def test_the_chart_has_two_bars_a_month_for_two_years(coordinator, client_for, desk):
    today = timezone.localdate()
    PersonFactory(case=desk["transit"], outcome=Outcome.RESCUED, outcome_on=today)
    page = _home(client_for(coordinator))
    assert page.count('class="chart-bar chart-bar-requests"') == 24
    assert page.count('class="chart-bar chart-bar-rescued"') == 24
    requests_this_month = Case.objects.filter(
        received_on__year=today.year, received_on__month=today.month
    ).count()
    assert f"<title>{today:%b %Y}, requests: {requests_this_month}</title>" in page
    assert f"<title>{today:%b %Y}, people rescued: 1</title>" in page


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["intake", "coordinator", "treasurer", "admin", "board"])
def test_no_page_carries_inline_script_or_style(personas, client_for, desk, persona):
    page = _home(client_for(personas[persona]))
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\son\w+=", page)  # no inline event handlers


def _many_cases(intake, count: int) -> None:
    today = timezone.localdate()
    stages = [Stage.RECEIVED, Stage.SCREENING, Stage.WAITING, Stage.CROSSING]
    for n in range(count):
        case = CaseFactory(
            created_by=intake, stage=stages[n % 4], received_on=today - timedelta(days=n * 20)
        )
        PersonFactory(case=case, outcome=Outcome.RESCUED, outcome_on=today - timedelta(days=n * 20))


# Every page: session, user, the user's own and group permissions (2), the user's groups
# (navigation), the session's idle-timeout save (savepoint, update, release: 3).
PAGE = 8
SETTINGS = 1  # SiteSettings.load()
INTAKE = 2  # requests waiting for screening: the count, the newest ten
COORDINATOR = 1  # open cases the coordinator may see
BOARD = 3  # the year's requests (aggregate), outcomes (people), rescued by the NGO
CHART = 2  # requests per month, people rescued per month


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        ("intake", PAGE + SETTINGS + INTAKE),
        ("coordinator", PAGE + SETTINGS + INTAKE + COORDINATOR + CHART),
        ("board", PAGE + SETTINGS + BOARD + CHART),
        ("admin", PAGE + SETTINGS + INTAKE + COORDINATOR + BOARD + CHART),
        ("treasurer", PAGE),
    ],
)
def test_each_dashboard_runs_a_fixed_number_of_queries_however_many_cases(
    personas, client_for, django_assert_num_queries, persona, queries
):
    SiteSettings.load()
    client = client_for(personas[persona])
    for count in (3, 40):
        _many_cases(personas["intake"], count)
        with django_assert_num_queries(queries):
            _home(client)
