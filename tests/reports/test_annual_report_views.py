"""The annual report's page and downloads: who may see them, and what they hold."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Case, Person
from rescue.models import AccessLog, SiteSettings
from tests.reports.conftest import YEAR_2025

URL_NAMES = ["reports:annual", "reports:annual_csv", "reports:annual_xlsx", "reports:annual_json"]
ALLOWED = {"board", "admin"}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", URL_NAMES)
@pytest.mark.parametrize(
    "persona", ["intake", "coordinator", "treasurer", "admin", "board", "outsider"]
)
def test_only_board_members_and_admins_may_see_or_download_it(
    personas, client_for, persona, url_name
):
    response = client_for(personas[persona]).get(reverse(url_name), {"year": 2025})
    assert response.status_code == (200 if persona in ALLOWED else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", URL_NAMES)
def test_it_refuses_other_methods(board, client_for, url_name):
    assert client_for(board).post(reverse(url_name), {"year": 2025}).status_code == 405


def _identifying_values(domain_year_cases) -> list[str]:
    values = list(Person.objects.values_list("alias", flat=True))
    values += [case.notes for case in Case.objects.all()]
    return [value for value in values if value]


@pytest.mark.django_db
def test_the_page_shows_the_years_figures_and_no_names(admin_user, client_for, domain_year):
    response = client_for(admin_user).get(reverse("reports:annual"), {"year": 2025})
    page = response.content.decode()
    assert "2025-01-01 to 2025-12-31" in page
    assert ">27<" in page  # requests received
    assert "10 months" in page  # the youngest, said in months
    assert "50 years" in page
    assert "73%" in page
    assert "Money (USD)" in page
    for value in _identifying_values(domain_year):
        assert value not in page


@pytest.mark.django_db
def test_the_page_shows_the_money_from_the_ledger_with_category_names(
    admin_user, client_for, books
):
    page = client_for(admin_user).get(reverse("reports:annual"), {"year": 2025}).content.decode()
    # Figures worked out by hand in tests/reports/test_money.py from the same books.
    for label, amount in [
        ("Donations received", "6252.47"),
        ("Rescue spending", "3669.99"),
        ("Cost per person rescued by the NGO", "917.50"),
        ("Rescue reserve at the start (2025-01-01)", "20420.00"),
        ("Rescue reserve at the end (2025-12-31)", "21063.48"),
    ]:
        assert f'<th scope="row">{label}</th><td class="text-end">{amount}</td>' in page
    assert '<td class="ps-4">Broker fee</td><td class="text-end">2500.00</td>' in page
    assert '<td class="ps-4">Transport in China</td><td class="text-end">1020.00</td>' in page
    assert "ledger is not installed" not in page


@pytest.mark.django_db
def test_the_page_defaults_to_the_current_fiscal_year(board, client_for):
    response = client_for(board).get(reverse("reports:annual"))
    assert response.status_code == 200
    assert f"{timezone.localdate().year}-01-01 to" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{"start": "2025-03-01"}, {"start": "2025-03-01", "end": "2025-02-01"}, {"year": "x"}],
)
def test_a_bad_period_is_a_400_with_the_form_and_no_figures(board, client_for, query):
    response = client_for(board).get(reverse("reports:annual"), query)
    assert response.status_code == 400
    assert "Requests received" not in response.content.decode()
    assert client_for(board).get(reverse("reports:annual_csv"), query).status_code == 400


@pytest.mark.django_db
def test_the_json_download_is_the_commands_json(admin_user, client_for, domain_year):
    response = client_for(admin_user).get(
        reverse("reports:annual_json"), {"start": "2025-01-01", "end": "2025-12-31"}
    )
    report = json.loads(response.content)
    assert response["Content-Disposition"] == (
        'attachment; filename="annual-report-20250101-20251231.json"'
    )
    assert report["requests"]["cases"] == len(YEAR_2025)
    out = io.StringIO()
    call_command(
        "annual_report", "--from", "2025-01-01", "--to", "2025-12-31", "--json", stdout=out
    )
    assert report == json.loads(out.getvalue())


@pytest.mark.django_db
def test_the_csv_download_has_a_row_per_figure_and_no_names(admin_user, client_for, domain_year):
    response = client_for(admin_user).get(reverse("reports:annual_csv"), {"year": 2025})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "requests,cases,27\r\n" in text
    assert "rescued_by_us,origin_provinces: Unknown,2\r\n" in text
    for value in _identifying_values(domain_year):
        assert value not in text


@pytest.mark.django_db
def test_the_csv_download_holds_the_money_as_plain_amounts(admin_user, client_for, books):
    response = client_for(admin_user).get(reverse("reports:annual_csv"), {"year": 2025})
    text = response.content.decode("utf-8-sig")
    assert "money_usd,donations,6252.47\r\n" in text
    assert "money_usd,spending_by_category: transport,1020.00\r\n" in text
    assert "money_usd,reserve_end,21063.48\r\n" in text
    assert "not installed" not in text


def _xlsx_rows(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)


def _same_value(cell, text: str) -> bool:
    """An XLSX cell against its CSV text: numbers as numbers, the rest as text."""
    if isinstance(cell, int | float):
        return Decimal(text) == Decimal(str(cell))
    return ("" if cell is None else cell) == text


@pytest.mark.django_db
@pytest.mark.parametrize("with_books", [False, True])
def test_the_xlsx_download_has_the_same_rows_as_the_csv(
    admin_user, client_for, domain_year, request, with_books
):
    if with_books:
        request.getfixturevalue("books")
    csv_text = client_for(admin_user).get(reverse("reports:annual_csv"), {"year": 2025})
    xlsx = client_for(admin_user).get(reverse("reports:annual_xlsx"), {"year": 2025})
    cells = _xlsx_rows(xlsx)
    csv_rows = [line.split(",") for line in csv_text.content.decode("utf-8-sig").splitlines()]
    assert len(cells) == len(csv_rows)
    for cell_row, csv_row in zip(cells, csv_rows, strict=True):
        assert all(map(_same_value, cell_row, csv_row)), (cell_row, csv_row)


@pytest.mark.django_db
def test_the_xlsx_holds_every_amount_as_a_number(admin_user, client_for, books):
    xlsx = client_for(admin_user).get(reverse("reports:annual_xlsx"), {"year": 2025})
    money = {item: value for section, item, value in _xlsx_rows(xlsx) if section == "money_usd"}
    assert len(money) == 5 + 8  # five figures and eight categories
    assert all(isinstance(value, int | float) for value in money.values()), money
    assert money["donations"] == pytest.approx(6252.47)
    assert money["reserve_start"] == pytest.approx(20420.00)
    assert money["spending_by_category: medical"] == pytest.approx(99.99)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx", "json"])
def test_every_download_is_recorded_with_its_period(board, client_for, kind):
    client_for(board).get(reverse(f"reports:annual_{kind}"), {"year": 2024})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (entry.user, entry.target) == (board, f"annual_report.{kind}")
    assert entry.detail == "2024-01-01 to 2024-12-31"


@pytest.mark.django_db
def test_viewing_the_page_is_not_recorded_as_an_export(board, client_for):
    client_for(board).get(reverse("reports:annual"), {"year": 2024})
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


@pytest.mark.django_db
def test_the_page_starts_the_fiscal_year_in_the_month_an_administrator_set(board, client_for):
    settings_row = SiteSettings.load()
    settings_row.fiscal_year_start_month = 4
    settings_row.save()
    page = client_for(board).get(reverse("reports:annual"), {"year": 2025}).content.decode()
    assert "2025-04-01 to 2026-03-31" in page
