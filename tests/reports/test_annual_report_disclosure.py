"""The board cannot slice the annual report into individuals.

For a reader who may not see cases the report is for a fiscal year, half or quarter
only, and every figure resting on fewer than 5 people is "fewer than 5" (JSON: null,
named in `suppressed`), in the page, CSV, XLSX and JSON alike. Coordinators and
administrators keep any range, and the management command prints the report as it is.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from rescue.reports.disclosure import FEWER, MIN_PEOPLE, suppress_small_numbers
from rescue.reports.periods import fiscal_part
from rescue.reports.report import annual_report

pytestmark = pytest.mark.django_db

DOWNLOADS = ["reports:annual_csv", "reports:annual_xlsx", "reports:annual_json"]
ONE_DAY = {"start": "2025-03-16", "end": "2025-03-16"}


@pytest.mark.parametrize("url_name", ["reports:annual", *DOWNLOADS])
def test_the_board_cannot_ask_for_a_date_range(board, client_for, domain_year, url_name):
    response = client_for(board).get(reverse(url_name), ONE_DAY)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a fiscal year, half or quarter" in html
    assert "Requests received" not in html


def test_the_board_cannot_sneak_a_range_in_beside_a_year(board, client_for, domain_year):
    response = client_for(board).get(reverse("reports:annual_json"), {"year": 2025, **ONE_DAY})
    assert response.status_code == 400


@pytest.mark.parametrize("persona", ["admin"])
def test_administrators_keep_any_range(personas, client_for, domain_year, persona):
    response = client_for(personas[persona]).get(reverse("reports:annual_json"), ONE_DAY)
    assert response.status_code == 200
    assert "suppressed" not in json.loads(response.content)


@pytest.mark.parametrize(
    ("part", "start", "end"),
    [
        ("q2", "2025-04-01", "2025-06-30"),
        ("h2", "2025-07-01", "2025-12-31"),
        ("", "2025-01-01", "2025-12-31"),
    ],
)
def test_the_board_gets_a_half_or_a_quarter(board, client_for, domain_year, part, start, end):
    response = client_for(board).get(reverse("reports:annual_json"), {"year": 2025, "part": part})
    assert response.status_code == 200
    assert json.loads(response.content)["period"] == {"from": start, "to": end}


def _counts(report: dict):
    """Every count and age figure of the report's case sections: (dotted path, value)."""
    for section in ("requests", "outcomes_by_person", "outcomes_by_case", "rescued_by_us"):
        for key, value in report[section].items():
            if isinstance(value, dict):
                for inner, count in value.items():
                    yield f"{section}.{key}.{inner}", count
            elif key != "share_under_30":
                yield f"{section}.{key}", value


@pytest.mark.parametrize("part", ["", "q1", "q2", "q3", "q4", "h1", "h2"])
def test_no_figure_the_board_gets_rests_on_fewer_than_five_people(
    board, client_for, domain_year, part
):
    response = client_for(board).get(reverse("reports:annual_json"), {"year": 2025, "part": part})
    report = json.loads(response.content)
    suppressed = set(report["suppressed"])
    for path, value in _counts(report):
        if path in suppressed:
            assert value is None, path
        elif path.endswith(("youngest_months", "oldest_years")):
            assert value is None or report["rescued_by_us"]["people"] is not None
        else:
            assert value is None or value >= MIN_PEOPLE, (path, value)
    # Each figure not withheld is the administrator's own.
    full = annual_report(fiscal_part(2025, part))
    for path, value in _counts(report):
        if path not in suppressed and value is not None:
            section, *keys = path.split(".")
            expected = full[section]
            for key in keys:
                expected = expected[key]
            assert value == expected, path


def test_the_years_small_figures_are_withheld_and_named(board, client_for, domain_year):
    report = json.loads(
        client_for(board).get(reverse("reports:annual_json"), {"year": 2025}).content
    )
    full = annual_report(fiscal_part(2025, ""))
    assert full["rescued_by_us"]["origin_provinces"]["Unknown"] == 2
    assert report["rescued_by_us"]["origin_provinces"]["Unknown"] is None
    assert "rescued_by_us.origin_provinces.Unknown" in report["suppressed"]
    assert report["requests"]["cases"] == full["requests"]["cases"] == 27
    # Zero is fewer than five too: "nobody died" would say as much as "one died".
    assert full["outcomes_by_person"]["died"] < MIN_PEOPLE
    assert report["outcomes_by_person"]["died"] is None


def test_the_page_csv_and_xlsx_say_fewer_than_five(board, client_for, domain_year):
    client = client_for(board)
    page = client.get(reverse("reports:annual"), {"year": 2025}).content.decode()
    assert FEWER in page
    assert '<th scope="row">Unknown</th><td class="text-end">fewer than 5</td>' in page
    assert 'name="start"' not in page  # no date range offered
    csv_text = client.get(reverse("reports:annual_csv"), {"year": 2025}).content.decode()
    assert "rescued_by_us,origin_provinces: Unknown,fewer than 5\r\n" in csv_text
    assert "requests,cases,27\r\n" in csv_text
    xlsx = client.get(reverse("reports:annual_xlsx"), {"year": 2025})
    rows = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.values)
    assert ("rescued_by_us", "origin_provinces: Unknown", FEWER) in rows


def test_cost_per_person_is_withheld_when_fewer_than_five_were_rescued(board, client_for, books):
    report = json.loads(
        client_for(board).get(reverse("reports:annual_json"), {"year": 2025}).content
    )
    assert report["money_usd"]["cost_per_person_rescued"] is None
    assert "money_usd.cost_per_person_rescued" in report["suppressed"]
    assert report["money_usd"]["donations"] == "6252.47"


def test_one_withheld_part_of_a_total_takes_another_with_it():
    report = {
        "requests": {
            "cases": 12,
            "mother_with_children": 5,
            "unaccompanied_woman": 6,
            "other": 1,
            "people": 20,
        },
        "outcomes_by_person": {},
        "outcomes_by_case": {},
        "rescued_by_us": {
            "people": 9,
            "adults": 7,
            "children": 2,
            "women": 8,
            "youngest_months": 30,
            "oldest_years": 40,
            "share_under_30": None,
            "origin_provinces": {"A": 6, "B": 3},
        },
    }
    out = suppress_small_numbers(report, ages_known=9)
    assert out["requests"]["other"] is None
    assert out["requests"]["mother_with_children"] is None  # else 12 - 5 - 6 gives it back
    assert out["requests"]["unaccompanied_woman"] == 6
    assert out["rescued_by_us"]["children"] is None
    assert out["rescued_by_us"]["adults"] is None
    assert out["rescued_by_us"]["women"] is None  # one man: 9 - 8
    assert out["rescued_by_us"]["origin_provinces"] == {"A": None, "B": None}
    assert out["rescued_by_us"]["youngest_months"] == 30
    assert report["requests"]["other"] == 1  # the original is left alone


def test_the_command_prints_the_full_year_unchanged(domain_year):
    out = io.StringIO()
    call_command("annual_report", "--year", "2025", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert "suppressed" not in printed
    assert printed["rescued_by_us"]["origin_provinces"]["Unknown"] == 2
