"""The reserve over twelve month ends: cash and what is available of it, and its chart."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funds import selectors, services
from funds.models import Commitment

pytestmark = pytest.mark.django_db


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def books(ledger, treasurer, approved_case):
    """A commitment made mid-year, drawn down, released; another still open and drawn.

    Returns the twelve month ends and the expected (cash, available) at each.
    """
    today = timezone.localdate()
    days = [point.day for point in selectors.reserve_series(today=today)]
    ledger.donate("20000.00", on=days[0])
    # Case A: 2500 set aside at the very end of month 3, 1000 spent in month 5, released
    # (the case closed) at noon on month 8's last day.
    first = approved_case()
    services.commitment_create(case=first, by=treasurer, amount_usd=Decimal("2500.00"))
    Commitment.objects.filter(case=first).update(created_at=_at(days[3], 23, 59))
    ledger.spend("1000.00", case=first, on=days[5])
    services.commitment_release(case=first, by=treasurer)
    Commitment.objects.filter(case=first).update(released_at=_at(days[8], 12))
    # Case B: 2500 set aside on the day after month 8 ends (so from month 9), 500 spent in
    # month 10, still open; 700 spent on it before it was funded counts as drawn, as in
    # readiness().
    second = approved_case()
    services.commitment_create(case=second, by=treasurer, amount_usd=Decimal("2500.00"))
    Commitment.objects.filter(case=second).update(created_at=_at(days[8] + timedelta(days=1), 0, 1))
    ledger.spend("700.00", case=second, on=days[1])
    ledger.spend("500.00", case=second, on=days[10])
    # Month 0: 20000, nothing committed. Month 1: cash 19300 (the 700), B not yet funded.
    # Months 3-4: A's 2500 open. Months 5-7: cash 18300, A's remaining 1500. Month 8: A
    # released. Month 9: B's 2500 less 700 drawn. Months 10-11: cash 17800, B's 1300 left.
    expected = (
        [("20000.00", "20000.00")]
        + [("19300.00", "19300.00")] * 2
        + [("19300.00", "16800.00")] * 2  # 19300 - 2500
        + [("18300.00", "16800.00")] * 3  # 18300 - (2500 - 1000)
        + [("18300.00", "18300.00")]  # A released
        + [("18300.00", "16500.00")]  # 18300 - (2500 - 700)
        + [("17800.00", "16500.00")] * 2  # 17800 - (2500 - 1200)
    )
    return days, [(Decimal(cash), Decimal(available)) for cash, available in expected]


def test_the_series_counts_commitments_open_at_each_month_end_less_what_was_drawn(books):
    days, expected = books
    series = selectors.reserve_series(today=days[-1])
    assert [point.day for point in series] == days
    assert [(point.cash, point.available) for point in series] == expected


def test_the_last_point_is_todays_readiness(books):
    series = selectors.reserve_series()
    state = selectors.readiness()
    assert series[-1].day == timezone.localdate()
    assert series[-1].available == state.available
    assert series[-1].cash == state.cash
    assert state.committed == Decimal("1300.00")


def test_a_commitment_drawn_beyond_its_amount_sets_nothing_aside(ledger, treasurer, approved_case):
    ledger.donate("20000.00")
    case = approved_case()
    services.commitment_create(case=case, by=treasurer, amount_usd=Decimal("1000.00"))
    ledger.spend("1500.00", case=case, on=timezone.localdate())
    last = selectors.reserve_series(months=1)[-1]
    assert last.available == last.cash == selectors.readiness().available


def test_the_series_takes_three_queries_however_many_commitments_and_months(
    ledger, treasurer, approved_case, django_assert_num_queries
):
    today = timezone.localdate()
    ledger.donate("90000.00", on=today - timedelta(days=400))
    ledger.donate("1000000", "KRW", usd_rate="0.0007", on=today - timedelta(days=200))
    for number in range(8):
        case = approved_case()
        services.commitment_create(case=case, by=treasurer, amount_usd=Decimal("2000.00"))
        ledger.spend("100.00", case=case, on=today - timedelta(days=30 * number))
        if number % 2:
            services.commitment_release(case=case, by=treasurer)
    # 1 rescue-reserve cash postings summed per currency for every month end, 2 the exchange
    # rates up to the last day, 3 open commitments' remainders summed for every month end.
    with django_assert_num_queries(3):
        series = selectors.reserve_series(months=12, today=today)
    with django_assert_num_queries(3):
        selectors.reserve_series(months=24, today=today)
    assert series[-1].available == selectors.readiness().available
    assert series[-1].cash - series[-1].available == 4 * Decimal("1900.00")


def _chart(page: str) -> str:
    return page[page.index('<svg class="reserve-chart') : page.index("</svg>")]


def _assert_both_lines(page: str, days, expected) -> None:
    chart = _chart(page)
    assert chart.count('<polyline points="') == 2
    assert 'class="reserve-available"' in chart
    assert 'class="reserve-cash"' in chart
    assert 'class="reserve-minimum"' in chart
    assert 'class="reserve-target"' in chart
    assert chart.count("<circle") == 12
    desc = chart[chart.index("<desc") : chart.index("</desc>")]
    for day, (cash, available) in zip(days, expected, strict=True):
        assert f"{day:%Y-%m}: available {available} USD, cash {cash} USD." in desc
    # The two lines differ where something was committed.
    lines = {
        name: points
        for points, name in re.findall(
            r'<polyline points="([^"]+)"[^>]*class="reserve-(\w+)"', chart
        )
    }
    assert lines["available"] != lines["cash"]
    caption = page[page.index("<figcaption") : page.index("</figcaption>")]
    assert "available" in caption
    assert "Cash only" not in page
    assert "style=" not in page
    assert "<script>" not in page


def test_the_readiness_page_draws_available_and_cash(client_for, treasurer, books):
    days, expected = books
    page = client_for(treasurer).get(reverse("funds:readiness")).content.decode()
    _assert_both_lines(page, days, expected)


def test_the_treasurers_dashboard_draws_available_and_cash(client_for, treasurer, books):
    days, expected = books
    page = client_for(treasurer).get(reverse("home")).content.decode()
    _assert_both_lines(page, days, expected)
