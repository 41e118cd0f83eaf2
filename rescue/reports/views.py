"""The annual report (page and downloads) and case exports."""

from collections.abc import Callable, Iterator
from datetime import date
from typing import cast

from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from cases.ages import Age
from funds.models import Category
from rescue.audit import access_record
from rescue.models import AccessLog, SiteSettings
from rescue.reauth import has_recent_reauth
from rescue.reports import exports
from rescue.reports.dashboard import panels
from rescue.reports.disclosure import FEWER, for_display, may_see_any_range, suppress_small_numbers
from rescue.reports.forms import CaseExportForm, PeriodForm
from rescue.reports.periods import Period, fiscal_year, fiscal_year_of
from rescue.reports.report import AnnualReport, annual_report, report_rows, to_json
from rescue.reports.selectors import OUTCOME_KEYS, OUTCOME_LABELS, rescued_by_us, share
from rescue.roles import IS_CASE_STAFF, Cap, can, require
from rescue.spreadsheets import csv_lines, xlsx_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period_form(request) -> tuple[PeriodForm, Period | None]:
    """The period asked for in the query string, or the current fiscal year; None if invalid.

    Readers who may not see cases get fiscal years, halves and quarters only.
    """
    start_month = SiteSettings.load().fiscal_year_start_month
    today = timezone.localdate()
    restricted = not may_see_any_range(request.user)
    if not request.GET:
        year = fiscal_year_of(today, start_month)
        form = PeriodForm(initial={"year": year}, restricted=restricted)
        return form, fiscal_year(year, start_month)
    form = PeriodForm(request.GET, restricted=restricted)
    if not form.is_valid():
        return form, None
    return form, form.period(start_month=start_month)


def _report_for(user, period: Period) -> AnnualReport:
    """The report as this reader may have it: small numbers withheld unless they may see
    cases (rescue/reports/disclosure.py)."""
    report = annual_report(period)
    if may_see_any_range(user):
        return report
    ages_known = rescued_by_us(period).ages_known
    return cast(AnnualReport, suppress_small_numbers(dict(report), ages_known=ages_known))


def _shown(report: AnnualReport) -> AnnualReport:
    """Withheld figures as the words "fewer than 5", for the page, CSV and XLSX."""
    return cast(AnnualReport, for_display(dict(report)))


def _percent(fraction) -> int | str | None:
    if fraction is None or fraction == FEWER:
        return fraction
    return int(fraction * 100)


def _share_shown(part, whole):
    if FEWER in (part, whole):
        return None
    return share(part, whole)


@require_GET
def annual(request):
    require(request.user, Cap.VIEW_REPORTS)
    form, period = _period_form(request)
    context: dict[str, object] = {"form": form, "period": period}
    if period is None:
        return render(request, "reports/annual.html", context, status=400)
    report = _shown(_report_for(request.user, period))
    rescued = report["rescued_by_us"]
    youngest_months = rescued["youngest_months"]
    # Ages in the report come from the dates as stored, so they are said without "about".
    youngest = (
        youngest_months
        if youngest_months in (None, FEWER)
        else Age(months=youngest_months, approximate=False).said(with_years=True)
    )
    context.update(
        report=report,
        fewer=FEWER,
        restricted=not may_see_any_range(request.user),
        query=request.GET.urlencode(),
        outcome_rows=[
            (
                OUTCOME_LABELS[key],
                report["outcomes_by_person"][key],
                report["outcomes_by_case"][key],
            )
            for key in OUTCOME_KEYS
        ],
        youngest=youngest,
        spending_rows=[
            (Category(code).label, amount)
            for code, amount in report["money_usd"]["spending_by_category"].items()
        ],
        share_under_30_percent=_percent(rescued["share_under_30"]),
        share_women_percent=_percent(_share_shown(rescued["women"], rescued["people"])),
    )
    return render(request, "reports/annual.html", context)


def _annual_download(request, kind: str):
    require(request.user, Cap.VIEW_REPORTS)
    form, period = _period_form(request)
    if period is None:
        return render(request, "reports/annual.html", {"form": form, "period": None}, status=400)
    report = _report_for(request.user, period)
    name = f"annual-report-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{kind}"
    header = ("section", "item", "value")
    # The file is made in full before the access log says it was exported.
    response: HttpResponseBase
    if kind == "json":
        response = HttpResponse(to_json(report), content_type="application/json")
    elif kind == "csv":
        response = HttpResponse(
            b"".join(csv_lines(header, report_rows(_shown(report)))),
            content_type="text/csv",
        )
    else:
        response = FileResponse(
            xlsx_file("Annual report", header, report_rows(_shown(report))),
            as_attachment=True,
            filename=name,
            content_type=XLSX,
        )
    if kind != "xlsx":
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    access_record(
        request=request,
        user=request.user,
        action=AccessLog.Action.EXPORT,
        target=f"annual_report.{kind}",
        detail=period.label,
    )
    return response


@require_GET
def annual_csv(request):
    return _annual_download(request, "csv")


@require_GET
def annual_xlsx(request):
    return _annual_download(request, "xlsx")


@require_GET
def annual_json(request):
    return _annual_download(request, "json")


@require_GET
def case_export(request):
    require(request.user, IS_CASE_STAFF)
    return render(
        request,
        "reports/case_export.html",
        {
            "form": CaseExportForm(),
            "may_include_identifying": can(request.user, Cap.EXPORT_IDENTIFYING),
        },
    )


def _reauth_then_export_page() -> HttpResponseRedirect:
    """To the re-authentication page, and back to the export form rather than to the
    download: a GET of the download URL would make an export without names nobody asked
    for (a POST body is never replayed)."""
    query = urlencode({"next": reverse("reports:case_export")})
    return HttpResponseRedirect(f"{reverse('reauthenticate')}?{query}")


def _cases_download(request, kind: str):
    require(request.user, IS_CASE_STAFF)
    # Identifying columns are only ever asked for in a POST body, never in a URL.
    form = CaseExportForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return render(
            request,
            "reports/case_export.html",
            {
                "form": form,
                "may_include_identifying": can(request.user, Cap.EXPORT_IDENTIFYING),
            },
            status=400,
        )
    data = form.cleaned_data
    identifying = request.method == "POST" and data["include_identifying"]
    if identifying:
        require(request.user, Cap.EXPORT_IDENTIFYING)
        if not has_recent_reauth(request):
            return _reauth_then_export_page()
    chosen = exports.CaseExportFilter(
        stage=data["stage"],
        household=data["household"],
        received_from=data["received_from"],
        received_to=data["received_to"],
    )
    cases = exports.case_export_queryset(request.user, chosen, identifying=identifying)
    header = exports.header(identifying=identifying)
    rows = exports.rows(cases, identifying=identifying)
    name = f"cases-{date.today():%Y%m%d}.{kind}"

    def record() -> None:
        access_record(
            request=request,
            user=request.user,
            action=AccessLog.Action.EXPORT,
            target=f"cases.{kind}",
            detail=chosen.summary() + (" with identifying fields" if identifying else ""),
        )

    # The access log says a file was exported only once it has been made in full: after
    # the last CSV line has been produced, or after the XLSX file has been written.
    if kind == "csv":
        response = StreamingHttpResponse(
            _then(csv_lines(header, rows), record), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    workbook = xlsx_file("Cases", header, rows)
    record()
    return FileResponse(workbook, as_attachment=True, filename=name, content_type=XLSX)


def _then(lines: Iterator[bytes], done: Callable[[], None]) -> Iterator[bytes]:
    yield from lines
    done()


@require_http_methods(["GET", "POST"])
def cases_csv(request):
    return _cases_download(request, "csv")


@require_http_methods(["GET", "POST"])
def cases_xlsx(request):
    return _cases_download(request, "xlsx")


def home(request):
    """Each role's day: the panels this user's capabilities call for."""
    return render(request, "rescue/home.html", panels(request.user))
