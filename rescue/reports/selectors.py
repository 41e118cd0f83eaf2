"""The case parts of the annual report and the dashboard: reads only, no money.

Counting rules (README, "Annual report"):
- requests: cases received in the period; people: the people of those cases.
- outcomes by person: people whose outcome date is in the period, keyed by outcome
  (a rescue with no partner is the NGO's own, with a partner the partner's); `open`:
  people of cases received in the period with no outcome dated on or before its end.
- outcomes by case: each case with an outcome in the period, once, by the outcome most
  of those people share (ties: the principal's outcome if it is among the tied, else the
  first in OUTCOME_KEYS order); a case received in the period with no outcome in it and
  someone still open at its end counts as `open`.
- rescued by the NGO: people rescued with no partner in the period, ages at the rescue.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict, cast

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from cases.ages import age_in_months
from cases.models import Case, Household, Outcome, Person, PersonRole, Sex
from rescue.reports.periods import Period, month_starts

OUTCOME_KEYS = (
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
)
OUTCOME_LABELS = {
    "rescued_by_us": "Rescued by the NGO",
    "rescued_by_partner": "Rescued by partner NGOs",
    "referred": "Referred, pending with a partner",
    "called_off": "Called off",
    "arrested": "Arrested or repatriated",
    "died": "Died",
    "lost_contact": "Lost contact",
    "withdrawn": "Withdrawn",
    "decoy": "Decoys",
    "open": "Still open",
}
UNKNOWN_PROVINCE = "Unknown"
ADULT_MONTHS = 18 * 12
UNDER_30_MONTHS = 30 * 12


def outcome_key(outcome: str, partner_id) -> str:
    if outcome == Outcome.RESCUED:
        return "rescued_by_partner" if partner_id else "rescued_by_us"
    return outcome


def requests_received(period: Period) -> dict[str, int]:
    """Cases received in the period by household, and the people in them. One query."""
    in_period = {"received_on__range": (period.start, period.end)}
    figures = Case.objects.filter(**in_period).aggregate(
        cases=Count("id", distinct=True),
        **{
            household: Count("id", distinct=True, filter=Q(household=household))
            for household in Household.values
        },
        people=Count("people"),
    )
    return {
        "cases": figures["cases"],
        "mother_with_children": figures[Household.MOTHER_WITH_CHILDREN],
        "unaccompanied_woman": figures[Household.UNACCOMPANIED_WOMAN],
        "other": figures[Household.OTHER],
        "people": figures["people"],
    }


def _case_outcome(keys: list[str], principal_key: str | None) -> str:
    tally = Counter(keys)
    most = max(tally.values())
    tied = [key for key in OUTCOME_KEYS if tally.get(key) == most]
    if principal_key in tied:
        return principal_key
    return tied[0]


def outcomes(period: Period) -> tuple[dict[str, int], dict[str, int]]:
    """Outcomes in the period, by person and by case. One query."""
    people = Person.objects.filter(
        Q(outcome_on__range=(period.start, period.end))
        | (
            Q(case__received_on__range=(period.start, period.end))
            & (Q(outcome="") | Q(outcome_on__gt=period.end))
        )
    ).values_list("case_id", "role", "outcome", "outcome_on", "outcome_partner_id")

    by_person = dict.fromkeys(OUTCOME_KEYS, 0)
    decided: dict = defaultdict(list)  # case id -> [(key, is principal)] with outcomes in period
    open_cases: set = set()
    for case_id, role, outcome, outcome_on, partner_id in people:
        if outcome and outcome_on in period:
            key = outcome_key(outcome, partner_id)
            decided[case_id].append((key, role == PersonRole.PRINCIPAL))
        else:
            key = "open"
            open_cases.add(case_id)
        by_person[key] += 1

    by_case = dict.fromkeys(OUTCOME_KEYS, 0)
    for entries in decided.values():
        principal = next((key for key, is_principal in entries if is_principal), None)
        by_case[_case_outcome([key for key, _ in entries], principal)] += 1
    by_case["open"] = len(open_cases - decided.keys())
    return by_person, by_case


class RescuedSummary(TypedDict):
    """The report's `rescued_by_us` section."""

    people: int
    adults: int
    children: int
    women: int
    youngest_months: int | None
    oldest_years: int | None
    share_under_30: Decimal | None
    origin_provinces: dict[str, int]


@dataclass(frozen=True)
class RescuedProfile:
    people: int
    adults: int
    children: int
    women: int
    ages_known: int
    youngest_months: int | None
    oldest_months: int | None
    share_under_30: Decimal | None
    origin_provinces: dict[str, int]

    @property
    def oldest_years(self) -> int | None:
        return None if self.oldest_months is None else self.oldest_months // 12

    def as_dict(self) -> RescuedSummary:
        return {
            "people": self.people,
            "adults": self.adults,
            "children": self.children,
            "women": self.women,
            "youngest_months": self.youngest_months,
            "oldest_years": self.oldest_years,
            "share_under_30": self.share_under_30,
            "origin_provinces": self.origin_provinces,
        }


def share(part: int, whole: int) -> Decimal | None:
    """part/whole as a fraction rounded half up to two places; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rescued_by_us(period: Period) -> RescuedProfile:
    """Who the NGO itself rescued in the period, with ages at the date of rescue. One query.

    Adults are 18 or older at the rescue; a person without a birth date counts as a
    child if recorded as one, else as an adult, and is left out of the age figures
    (youngest, oldest, share under 30).
    """
    rows = (
        Person.objects.filter(
            outcome=Outcome.RESCUED,
            outcome_partner__isnull=True,
            outcome_on__range=(period.start, period.end),
        )
        .order_by("origin_province__sort_order", "origin_province__name")
        .values_list("sex", "role", "birth_date", "outcome_on", "origin_province__name")
    )
    people = adults = women = under_30 = 0
    ages: list[int] = []
    provinces: Counter = Counter()
    for sex, role, birth_date, rescued_on, province in rows:
        people += 1
        women += sex == Sex.FEMALE
        provinces[province or UNKNOWN_PROVINCE] += 1
        if birth_date is None:
            adults += role != PersonRole.CHILD
            continue
        # Rows are filtered on a rescue dated in the period: never None here.
        months = age_in_months(birth_date, cast(date, rescued_on))
        ages.append(months)
        adults += months >= ADULT_MONTHS
        under_30 += months < UNDER_30_MONTHS
    # Most common first; Counter keeps the province list order among equals.
    ordered = dict(
        sorted(provinces.items(), key=lambda item: (item[0] == UNKNOWN_PROVINCE, -item[1]))
    )
    return RescuedProfile(
        people=people,
        adults=adults,
        children=people - adults,
        women=women,
        ages_known=len(ages),
        youngest_months=min(ages) if ages else None,
        oldest_months=max(ages) if ages else None,
        share_under_30=share(under_30, len(ages)),
        origin_provinces=ordered,
    )


@dataclass(frozen=True)
class MonthlyActivity:
    months: list[date]
    requests: list[int]
    rescued: list[int]


def monthly_activity(*, months: int, today: date) -> MonthlyActivity:
    """Requests received and people rescued (by the NGO or partners) per month. Two queries."""
    starts = month_starts(months=months, today=today)
    requests = dict(
        Case.objects.filter(received_on__gte=starts[0], received_on__lte=today)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    rescued = dict(
        Person.objects.filter(
            outcome=Outcome.RESCUED, outcome_on__gte=starts[0], outcome_on__lte=today
        )
        .annotate(month=TruncMonth("outcome_on"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    return MonthlyActivity(
        months=starts,
        requests=[requests.get(month, 0) for month in starts],
        rescued=[rescued.get(month, 0) for month in starts],
    )
