"""The annual report for a period: the case figures, then the money, in the published shape."""

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import TypedDict, cast

from rescue.reports import money
from rescue.reports.disclosure import FEWER
from rescue.reports.periods import Period
from rescue.reports.selectors import RescuedSummary, outcomes, requests_received, rescued_by_us

MONEY = "money_usd"


class CaseFigures(TypedDict):
    """The report's figures from cases and people."""

    requests: dict[str, int]
    outcomes_by_person: dict[str, int]
    outcomes_by_case: dict[str, int]
    rescued_by_us: RescuedSummary


class AnnualReport(CaseFigures):
    """The annual report in its published shape (`to_json` writes it as is)."""

    period: dict[str, str]
    money_usd: money.MoneySection


def case_figures(period: Period) -> CaseFigures:
    """Everything in the report that comes from cases and people. Three queries."""
    by_person, by_case = outcomes(period)
    return {
        "requests": requests_received(period),
        "outcomes_by_person": by_person,
        "outcomes_by_case": by_case,
        "rescued_by_us": rescued_by_us(period).as_dict(),
    }


def annual_report(period: Period) -> AnnualReport:
    """The case figures (three queries), then the money (six)."""
    figures = case_figures(period)
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        **figures,
        "money_usd": money.money_section(period, people_rescued=figures["rescued_by_us"]["people"]),
    }


def _cell(section: str, value):
    """A value for CSV/XLSX: money back to a Decimal, so a spreadsheet gets a number."""
    if value is None:
        return ""
    if section == MONEY and value != FEWER:
        return Decimal(value)
    return value


def report_rows(report: AnnualReport) -> list[tuple[str, str, object]]:
    """The report as (section, item, value) rows for CSV and XLSX."""
    rows: list[tuple[str, str, object]] = []
    # Every section of the report is a mapping of items.
    sections = cast("Mapping[str, Mapping[str, object]]", report)
    for section, content in sections.items():
        for item, value in content.items():
            if isinstance(value, dict):
                rows.extend(
                    (section, f"{item}: {key}", _cell(section, inner))
                    for key, inner in value.items()
                )
            else:
                rows.append((section, item, _cell(section, value)))
    return rows


def _json_default(value):
    # Only the shares are Decimals here (amounts are strings already): a JSON number.
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"Cannot write {type(value).__name__} as JSON")


def to_json(report: AnnualReport, *, indent: int | None = 2) -> str:
    return json.dumps(report, default=_json_default, indent=indent, ensure_ascii=False)
