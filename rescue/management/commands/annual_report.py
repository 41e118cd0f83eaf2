"""Print the annual report for a fiscal year or a date range, e.g. for the board's papers."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from rescue.models import SiteSettings
from rescue.reports.periods import Period, fiscal_year
from rescue.reports.report import annual_report, report_rows, to_json


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} must be a date as YYYY-MM-DD, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Print the annual report: --year YYYY (the fiscal year starting in the month set "
        "in the site settings) or --from YYYY-MM-DD --to YYYY-MM-DD; --json for JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)
        parser.add_argument("--from", dest="start")
        parser.add_argument("--to", dest="end")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, year, start, end, json, **options):
        if year is not None and (start or end):
            raise CommandError("Give --year or --from/--to, not both.")
        if year is not None:
            if not 1 <= year <= 9998:
                raise CommandError(f"--year must be a year such as 2025, not {year}.")
            period = fiscal_year(year, SiteSettings.load().fiscal_year_start_month)
        elif start and end:
            first, last = _day(start, "--from"), _day(end, "--to")
            if last < first:
                raise CommandError("--to is before --from.")
            period = Period(first, last)
        else:
            raise CommandError("Give --year YYYY, or both --from and --to.")
        report = annual_report(period)
        if json:
            self.stdout.write(to_json(report))
            return
        for section, item, value in report_rows(report):
            self.stdout.write(f"{section:<20} {item:<40} {value}")
