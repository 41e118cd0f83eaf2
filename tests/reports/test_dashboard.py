"""The home page: each role's panels, what they show, and their fixed number of queries."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Household, Outcome, PersonRole, Stage
from funds import services
from funds.models import Commitment, JournalEntry
from rescue.models import SiteSettings
from tests.factories import CaseFactory, PersonFactory, UserFactory
from tests.reports.conftest import Ledger


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
    # Each reference links to its case.
    shown = re.findall(r'<td><a href="/cases/[0-9a-f-]{36}/">(2026-\w+)</a></td>', page)
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
    ref = r'<td><a href="/cases/[0-9a-f-]{36}/">%s</a></td>'
    assert re.search(ref % "2026-W01" + r"<td>[\d-]+</td><td>20 <span[^>]*>stuck</span>", page)
    assert re.search(ref % "2026-T01" + r"<td>[\d-]+</td><td>3</td>", page)
    waiting = r'Waiting for money or a safe moment: 1 \(<a href="[^"]+">2026-W01</a>\)'
    assert re.search(waiting, page)
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
def test_the_board_panel_shows_this_years_headline_figures_and_no_references(
    admin_user, client_for, intake, partner
):
    """As an administrator sees it (every figure); the board: the next test."""
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
    page = _home(client_for(admin_user))
    assert f"This year so far ({start:%Y-%m-%d} to {today:%Y-%m-%d})" in page
    assert re.search(r"Requests received</div><div class=\"fs-4\">3<", page)
    assert "1 mothers with children, 2 unaccompanied women" in page
    assert re.search(r"Rescued by the NGO</div><div class=\"fs-4\">4<", page)
    assert "2 adults, 2 children" in page
    assert re.search(r"Rescued by partner NGOs</div><div class=\"fs-4\">1<", page)
    assert "<svg" in page


def _figure(page: str, label: str) -> str:
    match = re.search(rf'muted">{label}</div><div class="fs-4">([^<]*)<', page)
    assert match, label
    return match.group(1)


@pytest.mark.django_db
def test_the_board_panel_shows_this_years_money_so_far(admin_user, client_for, ledger, intake):
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    ledger.donate("8000.00", on=start - timedelta(days=1))  # last year: the reserve's start
    ledger.donate("500000", "JPY", on=start, usd_rate="0.0067")  # 3350.00
    ledger.donate("1000.00", on=start, fund="general")
    ledger.spend("2500.00", category="broker_fee", on=start)
    ledger.spend("333.33", category="transport", on=start)
    case = CaseFactory(received_on=start, created_by=intake)
    for _ in range(2):
        PersonFactory(case=case, outcome=Outcome.RESCUED, outcome_on=start)
    page = _home(client_for(admin_user))
    assert _figure(page, "Donations received") == "4350.00"  # 3350.00 + 1000.00
    assert _figure(page, "Rescue spending") == "2833.33"  # 2500.00 + 333.33
    assert _figure(page, "Cost per person rescued") == "1416.67"  # 2833.33 / 2, half up


@pytest.mark.django_db
def test_the_board_sees_small_figures_as_fewer_than_five_and_no_monthly_chart(
    board, client_for, ledger, intake, partner
):
    """A month, or a year so far, of one rescue is a person (issue: the board's report)."""
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    ledger.donate("18000.00", on=start - timedelta(days=1))  # last year: the reserve's start
    ledger.spend("2500.00", category="broker_fee", on=start)
    for _ in range(6):
        case = CaseFactory(
            household=Household.UNACCOMPANIED_WOMAN, received_on=start, created_by=intake
        )
        PersonFactory(case=case, birth_date=None, outcome=Outcome.RESCUED, outcome_on=start)
    case = CaseFactory(household=Household.MOTHER_WITH_CHILDREN, received_on=start)
    PersonFactory(case=case, birth_date=None, outcome=Outcome.RESCUED, outcome_on=start)
    page = _home(client_for(board))
    assert _figure(page, "Requests received") == "7"
    assert "fewer than 5 mothers with children" in page
    assert _figure(page, "Rescued by the NGO") == "7"
    assert _figure(page, "Rescued by partner NGOs") == "fewer than 5"
    assert "<svg" not in page  # requests and rescues per month: not for the board
    assert "None" not in page
    assert _figure(page, "Cost per person rescued") == "357.14"  # 2500.00 / 7
    # The reserve's cash (18000.00 - 2500.00) is for those who see readiness.
    assert "15500.00" not in page
    assert "18000.00" not in page
    for reference in Case.objects.values_list("reference", flat=True):
        assert reference not in page


@pytest.mark.django_db
def test_the_board_sees_the_cost_per_person_withheld_when_fewer_than_five_were_rescued(
    board, client_for, ledger, intake
):
    start = timezone.localdate().replace(month=1, day=1)
    ledger.donate("18000.00", on=start - timedelta(days=1))
    ledger.spend("2500.00", category="broker_fee", on=start)
    case = CaseFactory(received_on=start, created_by=intake)
    for _ in range(2):
        PersonFactory(case=case, outcome=Outcome.RESCUED, outcome_on=start)
    page = _home(client_for(board))
    assert _figure(page, "Cost per person rescued") == "fewer than 5"
    assert _figure(page, "Rescue spending") == "2500.00"


@pytest.fixture
def treasurer_books(ledger, admin_user, intake):
    """A reserve in amber with two open commitments, one of them on a restricted case."""
    today = timezone.localdate()
    approved = CaseFactory(reference="2026-A01", stage=Stage.APPROVED, created_by=intake)
    hidden = CaseFactory(
        reference="2026-H01", stage=Stage.APPROVED, created_by=intake, restricted=True
    )
    ledger.donate("12000.00", on=today)
    services.commitment_create(case=approved, by=ledger.user)
    services.commitment_create(case=hidden, by=admin_user, amount_usd=Decimal("3000.00"))
    ledger.spend("1000.00", category="broker_fee", on=today, case=approved, payee="broker, Yanji")
    wrong = ledger.donate("10000", "JPY", on=today, usd_rate="0.0068")  # 68.00
    ledger.reverse(wrong, today)
    return {"approved": approved, "hidden": hidden}


@pytest.mark.django_db
def test_the_treasurer_sees_readiness_commitments_entries_and_the_reserve_chart(
    treasurer, client_for, treasurer_books
):
    page = _home(client_for(treasurer))
    # Cash 12000.00 + 68.00 - 68.00 - 1000.00 = 11000.00; still committed 1500.00 (2500.00
    # less the 1000.00 drawn) + 3000.00 = 4500.00; available 6500.00: amber (6000-10000).
    assert 'data-band="amber">AMBER<' in page
    assert 'data-figure="available">6500.00 USD<' in page
    assert 'data-figure="shortfall">3500.00 USD<' in page  # 10000.00 - 6500.00
    assert re.search(r'data-figure="rescues">0 ', page)  # (6500 - 6000) // 2500
    rows = re.findall(r"<tr data-commitment>(.*?)</tr>", page)
    assert rows == [
        '<td>2026-A01</td><td class="text-end font-monospace">2500.00</td>'
        '<td class="text-end font-monospace">1000.00</td>'
        '<td class="text-end font-monospace">1500.00</td>',
        '<td><span class="text-muted">restricted case</span></td>'
        '<td class="text-end font-monospace">3000.00</td>'
        '<td class="text-end font-monospace">0.00</td>'
        '<td class="text-end font-monospace">3000.00</td>',
    ]
    assert "2026-H01" not in page
    entries = re.findall(r"<tr data-entry>(.*?)</tr>", page)
    assert len(entries) == 4  # newest first: the reversal, the yen, the expense, the dollars
    assert re.match(r"<td>[\d-]+</td><td>Reversal of #\d+: Donation</td>", entries[0])
    assert "-10000.0000 JPY" in entries[0]
    assert "Broker fee" in entries[2]
    assert "<td>2026-A01</td>" in entries[2]
    assert "broker, Yanji" not in page  # payees and memos stay on the ledger page
    for case in treasurer_books.values():
        assert case.notes not in page
    # The chart: twelve month ends, with the minimum and target lines, drawn on the server.
    chart = page[page.index('<svg class="reserve-chart') : page.index("</svg>")]
    assert chart.count("<circle") == 12
    assert 'class="reserve-minimum"' in chart
    assert 'class="reserve-target"' in chart
    assert f"{timezone.localdate():%Y-%m-%d}: available 6500.00 USD, cash 11000.00 USD" in chart
    assert "http" not in chart


@pytest.mark.django_db
def test_the_treasurer_panel_never_reads_a_cases_identifying_fields(
    treasurer, client_for, treasurer_books
):
    client = client_for(treasurer)
    with CaptureQueriesContext(connection) as queries:
        _home(client)
    case_queries = [q["sql"] for q in queries.captured_queries if '"cases_case"' in q["sql"]]
    assert case_queries  # the commitments and entries name their cases
    for sql in case_queries:
        for field in Case.IDENTIFYING_FIELDS:
            assert f'"cases_case"."{field}"' not in sql


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["intake", "coordinator", "board", "outsider"])
def test_only_those_who_keep_the_ledger_get_the_treasurer_panel(
    personas, client_for, treasurer_books, persona
):
    page = _home(client_for(personas[persona]))
    assert 'id="treasurer-heading"' not in page
    assert "2026-A01" not in page or persona == "coordinator"
    assert "Latest ledger entries" not in page


@pytest.mark.django_db
def test_the_treasurer_sees_no_case_panel(treasurer, client_for, desk):
    page = _home(client_for(treasurer))
    assert "Open cases" not in page
    assert "waiting for screening" not in page
    assert "This year so far" not in page
    assert 'id="treasurer-heading"' in page


@pytest.mark.django_db
def test_an_administrator_holding_every_capability_sees_every_panel(admin_user, client_for, desk):
    page = _home(client_for(admin_user))
    for heading in (
        "waiting for screening",
        "Open cases",
        "This year so far",
        "Latest ledger entries",
        "<svg",
    ):
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


def _many_rows(personas, count: int) -> None:
    """`count` more cases with a rescued person each, and ledger rows for every case: a
    donation in yen, an expense on the case, and for every fourth an approved operation
    with money committed (on a restricted case for one in eight)."""
    today = timezone.localdate()
    admin = Ledger(personas["admin"])
    stages = [Stage.RECEIVED, Stage.SCREENING, Stage.WAITING, Stage.APPROVED]
    for n in range(count):
        day = today - timedelta(days=n * 20)
        case = CaseFactory(
            created_by=personas["intake"],
            stage=stages[n % 4],
            received_on=day,
            restricted=n % 8 == 3,
        )
        PersonFactory(case=case, outcome=Outcome.RESCUED, outcome_on=day)
        admin.donate("1000000", "JPY", on=day, usd_rate="0.0067")
        admin.spend("100.00", category="transport", on=day, case=case)
        if case.stage == Stage.APPROVED:
            services.commitment_create(case=case, by=admin.user, amount_usd=Decimal("500.00"))


# Every page: session, user, the user's verified TOTP device (two-factor middleware),
# the user's own and group permissions (2), the user's groups (navigation), the session's
# idle-timeout save (savepoint, update, release: 3).
PAGE = 9
# The readiness banner's context processor, for those who may see the reserve or its band
# (not the board): fund policy, reserve cash balances, latest rates, open commitments.
BANNER = 4
SETTINGS = 1  # SiteSettings.load()
INTAKE = 2  # requests waiting for screening: the count, the newest ten
COORDINATOR = 1  # open cases the coordinator may see
# The year so far: requests (aggregate), outcomes (people), rescued by the NGO; then the
# money: donations, rescue spending by category.
BOARD = 3 + 2
# Readiness (policy, balances, rates, commitments: 4, as the banner's), open commitments
# with drawn, remaining and whether the case is referable (1), the latest entries with
# the same (1), the reserve at twelve month ends (cash postings, rates, what open
# commitments still set aside: 3).
TREASURER = 9
CHART = 2  # requests per month, people rescued per month


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        ("intake", PAGE + BANNER + SETTINGS + INTAKE),
        ("coordinator", PAGE + BANNER + SETTINGS + INTAKE + COORDINATOR + CHART),
        ("board", PAGE + SETTINGS + BOARD),
        ("admin", PAGE + BANNER + SETTINGS + INTAKE + COORDINATOR + BOARD + TREASURER + CHART),
        ("treasurer", PAGE + BANNER + SETTINGS + TREASURER),
    ],
)
def test_each_dashboard_runs_a_fixed_number_of_queries_however_many_rows(
    personas, client_for, django_assert_num_queries, persona, queries
):
    SiteSettings.load()
    client = client_for(personas[persona])
    for count in (3, 40):
        _many_rows(personas, count)
        with django_assert_num_queries(queries):
            _home(client)
    assert JournalEntry.objects.count() == 2 * (3 + 40)
    assert Commitment.objects.count() >= 10
