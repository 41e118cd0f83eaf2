"""The home page's panels, one per kind of work; a user with several roles gets several.

Each panel runs a fixed number of queries however many cases and ledger entries there
are (pinned in tests/reports/test_dashboard.py).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case, Stage
from cases.selectors import with_referable
from funds import selectors as funds
from rescue.charts import BarChart, LineChart, grouped_monthly, reserve_chart
from rescue.models import SiteSettings
from rescue.reports.disclosure import (
    FEWER,
    MIN_PEOPLE,
    for_display,
    may_see_any_range,
    suppress_small_numbers,
)
from rescue.reports.money import MoneyFlows, money_flows
from rescue.reports.periods import Period, fiscal_year, fiscal_year_of
from rescue.reports.report import CaseFigures, case_figures
from rescue.reports.selectors import monthly_activity
from rescue.roles import DOES_INTAKE, Cap, can

if TYPE_CHECKING:
    from rescue.roles import Actor

AWAITING_SCREENING = (Stage.RECEIVED, Stage.SCREENING)
NEWEST = 10
CHART_MONTHS = 24
LATEST_ENTRIES = 10
RESERVE_MONTHS = 12


@dataclass(frozen=True)
class OpenCase:
    id: object
    reference: str
    stage: str
    stage_label: str
    received_on: date
    days_in_stage: int
    stuck: bool


class IntakePanel(TypedDict):
    awaiting_count: int
    newest: list[Case]


class CoordinatorPanel(TypedDict):
    stages: list[tuple[str, list[OpenCase]]]
    open_count: int
    stuck_count: int
    stuck_after_days: int
    waiting: list[OpenCase]


class BoardPanel(TypedDict):
    period: Period
    figures: CaseFigures
    money: MoneyFlows


class TreasurerPanel(TypedDict):
    readiness: funds.Readiness
    commitments: list[Any]
    entries: list[Any]
    chart: LineChart


class Panels(TypedDict, total=False):
    """What the home page shows: one panel per kind of work the user does."""

    intake: IntakePanel
    coordinator: CoordinatorPanel
    board: BoardPanel
    treasurer: TreasurerPanel
    activity: BarChart


def intake_panel(user: "Actor") -> IntakePanel:
    """Requests waiting for screening that the user may see, and the newest. Two queries."""
    waiting = Case.objects.visible_to(user).filter(stage__in=AWAITING_SCREENING, closed_at=None)
    return {
        "awaiting_count": waiting.count(),
        "newest": list(
            waiting.order_by("-received_on", "-created_at").only(
                "reference", "received_on", "stage", "urgency", "household"
            )[:NEWEST]
        ),
    }


def coordinator_panel(user: "Actor", *, now: datetime, stuck_after_days: int) -> CoordinatorPanel:
    """Open cases by stage with days in the stage, stuck ones flagged. One query."""
    rows = (
        Case.objects.visible_to(user)
        .filter(closed_at=None)
        .order_by("stage_changed_at")
        .values_list("pk", "reference", "stage", "received_on", "stage_changed_at")
    )
    labels = dict(Stage.choices)
    by_stage: dict[str, list[OpenCase]] = {stage: [] for stage in Stage.values}
    for pk, reference, stage, received_on, changed_at in rows:
        days = (now - changed_at).days
        by_stage[stage].append(
            OpenCase(
                pk, reference, stage, labels[stage], received_on, days, days > stuck_after_days
            )
        )
    stages = [(labels[stage], cases) for stage, cases in by_stage.items() if cases]
    return {
        "stages": stages,
        "open_count": sum(len(cases) for cases in by_stage.values()),
        "stuck_count": sum(case.stuck for cases in by_stage.values() for case in cases),
        "stuck_after_days": stuck_after_days,
        "waiting": by_stage[Stage.WAITING],
    }


def activity_chart(*, today: date) -> BarChart:
    """Requests received and people rescued per month over two years. Two queries."""
    activity = monthly_activity(months=CHART_MONTHS, today=today)
    return grouped_monthly(
        "Requests and rescues per month",
        activity.months,
        [
            ("requests", "Requests", activity.requests),
            ("rescued", "People rescued", activity.rescued),
        ],
    )


def board_panel(*, today: date, start_month: int, withhold_small: bool = False) -> BoardPanel:
    """The current fiscal year's headline figures, from its first day to today.

    Three queries for the cases, two for the money: what came in and went out, counted as
    in the annual report. Not the reserve's cash: that is for those who may see readiness.
    `withhold_small`: for a reader who may not see cases, figures about fewer than five
    people say "fewer than 5", as in the annual report (rescue/reports/disclosure.py).
    """
    so_far = Period(fiscal_year(fiscal_year_of(today, start_month), start_month).start, today)
    figures = case_figures(so_far)
    people_rescued = figures["rescued_by_us"]["people"]
    money = money_flows(so_far, people_rescued=people_rescued)
    if withhold_small:
        # The panel shows no age figure, so none is counted (ages_known=0 withholds them).
        shown = for_display(suppress_small_numbers(dict(figures), ages_known=0))
        figures = cast(CaseFigures, shown)
        if people_rescued < MIN_PEOPLE:
            money = cast(MoneyFlows, {**money, "cost_per_person_rescued": FEWER})
    return {"period": so_far, "figures": figures, "money": money}


def _with_referable(rows: QuerySet, user: "Actor") -> QuerySet:
    """Each row's `referable` (cases.selectors.with_referable), in the same query.

    Of the case only the reference is read: its identifying fields are never loaded, so
    never decrypted, for a panel that shows none of them.
    """
    rows = rows.defer(*(f"case__{name}" for name in Case.IDENTIFYING_FIELDS))
    return with_referable(rows, user)


def treasurer_panel(user: "Actor", *, today: date) -> TreasurerPanel:
    """Readiness, open commitments, the latest entries and the reserve over twelve months.

    Nine queries: readiness (policy, reserve balances, rates, commitments: 4), the open
    commitments (1), the latest entries (1), the reserve at each month end (cash postings,
    rates, what open commitments still set aside: 3). Cases appear by reference only, and
    only those the user may refer to.
    """
    readiness = funds.readiness(today=today)
    series = funds.reserve_series(months=RESERVE_MONTHS, today=today)
    return {
        "readiness": readiness,
        "commitments": list(_with_referable(funds.open_commitments(), user)),
        "entries": list(_with_referable(funds.latest_entries(LATEST_ENTRIES), user)),
        "chart": reserve_chart(series, minimum=readiness.minimum, target=readiness.target),
    }


def panels(user: "Actor") -> Panels:
    """Everything the home page shows this user; one settings query, then each panel's."""
    context: Panels = {}
    intake = can(user, DOES_INTAKE)
    coordinator = can(user, Cap.COORDINATE_CASE)
    board = can(user, Cap.VIEW_REPORTS)
    treasurer = can(user, Cap.MANAGE_LEDGER)
    if not (intake or coordinator or board or treasurer):
        return context
    settings_row = SiteSettings.load()
    now = timezone.now()
    today = timezone.localdate(now)
    if intake:
        context["intake"] = intake_panel(user)
    if coordinator:
        context["coordinator"] = coordinator_panel(
            user, now=now, stuck_after_days=settings_row.stuck_case_days
        )
    sees_cases = may_see_any_range(user)
    if board:
        context["board"] = board_panel(
            today=today,
            start_month=settings_row.fiscal_year_start_month,
            withhold_small=not sees_cases,
        )
    if treasurer:
        context["treasurer"] = treasurer_panel(user, today=today)
    # Requests and rescues per month: a month of one rescue is a person, so only for
    # those who may see the cases themselves.
    if coordinator or (board and sees_cases):
        context["activity"] = activity_chart(today=today)
    return context
