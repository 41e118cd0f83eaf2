"""The ledger's pages: thin views that parse, call a service or selector, and render.

Access: someone who may not read the ledger gets 404 (they need not know it exists);
someone who may read it but not write gets 403 on the forms.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.selectors import with_referable
from funds import selectors, services
from funds.forms import (
    CommitmentForm,
    DonationForm,
    ExchangeForm,
    ExpenseForm,
    LedgerFilterForm,
    RateForm,
    ReverseForm,
    TransferForm,
    UserBoundForm,
    initial_today,
)
from funds.models import ExchangeRate, JournalEntry
from rescue.audit import access_record
from rescue.charts import reserve_chart
from rescue.models import AccessLog
from rescue.pages import add_service_error, form_page
from rescue.paging import paginate
from rescue.roles import Cap, Need, can, require
from rescue.spreadsheets import csv_lines

if TYPE_CHECKING:
    pass

PAGE_SIZE = 100


@require_http_methods(["GET"])
def ledger(request):
    require(request.user, Cap.VIEW_LEDGER, not_found=True)
    # Always bound: no filters is a valid filter (everything).
    form = LedgerFilterForm(request.GET, user=request.user)
    postings = selectors.ledger_postings(
        user=request.user, filters=form.cleaned_data if form.is_valid() else None
    )
    page, query = paginate(request, postings, PAGE_SIZE)
    return render(
        request,
        "funds/ledger.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_manage": can(request.user, Cap.MANAGE_LEDGER),
        },
    )


@require_http_methods(["GET"])
def ledger_csv(request):
    require(request.user, Cap.VIEW_LEDGER, not_found=True)
    form = LedgerFilterForm(request.GET, user=request.user)
    postings = selectors.ledger_postings(
        user=request.user, filters=form.cleaned_data if form.is_valid() else None
    )
    access_record(
        request=request,
        user=request.user,
        action=AccessLog.Action.EXPORT,
        target="ledger.csv",
        detail=form.summary(),
    )

    # csv_lines quotes cells a spreadsheet would run as formulas (a memo starting with "=").
    response = StreamingHttpResponse(
        csv_lines(selectors.LEDGER_CSV_HEADER, selectors.ledger_csv_rows(postings)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ledger-{stamp}.csv"'
    return response


@require_http_methods(["GET"])
def entry_detail(request, pk: int):
    require(request.user, Cap.VIEW_LEDGER, not_found=True)
    entries = JournalEntry.objects.select_related(
        "fund", "to_fund", "case", "reverses", "created_by", "reversal"
    )
    entry = get_object_or_404(with_referable(entries, request.user), pk=pk)
    can_reverse = (
        can(request.user, Cap.MANAGE_LEDGER)
        and not entry.is_reversal
        and not hasattr(entry, "reversal")
    )
    return _render_entry(request, entry, ReverseForm() if can_reverse else None)


def _render_entry(request, entry: JournalEntry, reverse_form, status: int = 200):
    return render(
        request,
        "funds/entry_detail.html",
        {
            "entry": entry,
            "postings": entry.postings.select_related("account", "account__fund").order_by("id"),
            "reverse_form": reverse_form,
        },
        status=status,
    )


@require_POST
def entry_reverse(request, pk: int):
    require(request.user, Cap.VIEW_LEDGER, not_found=True)
    require(request.user, Cap.MANAGE_LEDGER)
    entries = JournalEntry.objects.select_related("fund", "to_fund", "case")
    entry = get_object_or_404(with_referable(entries, request.user), pk=pk)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            reversal = services.entry_reverse(
                entry=entry, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Entry #{entry.pk} reversed by entry #{reversal.pk}.")
            return redirect("funds:entry", pk=reversal.pk)
    return _render_entry(request, entry, form, status=400)


def _ledger_form_page(
    request,
    *,
    form_class,
    title: str,
    write: Callable,
    need: Need = Cap.MANAGE_LEDGER,
    initial=None,
):
    """One of the treasurer's forms (rescue.pages.form_page): 404 for those who may not
    read the ledger, 403 for readers who may not do this."""
    require(request.user, Cap.VIEW_LEDGER, not_found=True)
    require(request.user, need)
    kwargs = {"user": request.user} if issubclass(form_class, UserBoundForm) else {}
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
    else:
        form = form_class(initial=initial if initial is not None else initial_today(), **kwargs)
    return form_page(
        request,
        form=form,
        perform=write,
        title=title,
        context={"cancel_url": reverse("funds:ledger")},
        sensitive=_override,
    )


REAUTH_FOR_OVERRIDE = (
    "Taking the reserve below the minimum needs you to confirm your password and code "
    "first. Confirm, then submit the form again."
)


def _override(form) -> tuple[str, str] | None:
    """An override of the reserve minimum is a sensitive action: it needs a fresh re-auth."""
    if form.cleaned_data.get("override_reason", "").strip():
        return "override_reason", REAUTH_FOR_OVERRIDE
    return None


def _recorded(request, entry: JournalEntry):
    messages.success(request, f"Recorded as entry #{entry.pk}.")
    return redirect("funds:entry", pk=entry.pk)


def _entry_form(form_class, title: str, service: Callable):
    """A page with one of the treasurer's forms, written to the ledger by `service`."""

    @require_http_methods(["GET", "POST"])
    def view(request):
        return _ledger_form_page(
            request,
            form_class=form_class,
            title=title,
            write=lambda data: _recorded(request, service(by=request.user, **data)),
        )

    return view


donation_new = _entry_form(DonationForm, "Record a donation", services.donation_record)
expense_new = _entry_form(ExpenseForm, "Record an expense", services.expense_record)
transfer_new = _entry_form(TransferForm, "Move money between funds", services.transfer_record)
exchange_new = _entry_form(ExchangeForm, "Record an exchange", services.exchange_record)


@require_http_methods(["GET", "POST"])
def commitment_new(request):
    def write(data):
        commitment = services.commitment_create(by=request.user, **data)
        messages.success(
            request,
            f"{commitment.amount_usd} USD committed to case {commitment.case.reference}.",
        )
        return redirect("funds:readiness")

    return _ledger_form_page(
        request,
        form_class=CommitmentForm,
        title="Commit reserve money to an approved operation",
        write=write,
        need=Cap.COMMIT_FUNDS,
        initial={},
    )


@require_http_methods(["GET", "POST"])
def rates(request):
    require(request.user, Cap.VIEW_LEDGER, not_found=True)
    form = None
    status = 200
    if can(request.user, Cap.MANAGE_LEDGER):
        form = RateForm(request.POST or None, initial={"on": timezone.localdate()})
        if request.method == "POST":
            if form.is_valid():
                try:
                    rate = services.rate_record(by=request.user, **form.cleaned_data)
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, f"Rate recorded: {rate}.")
                    return redirect("funds:rates")
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    rows = ExchangeRate.objects.select_related("entered_by").order_by("-on", "currency")[:200]
    return render(request, "funds/rates.html", {"rates": rows, "form": form}, status=status)


@require_http_methods(["GET"])
def readiness(request):
    require(request.user, Cap.VIEW_READINESS, not_found=True)
    state = selectors.readiness()
    series = selectors.reserve_series(months=12)
    commitments = list(with_referable(selectors.open_commitments(), request.user))
    return render(
        request,
        "funds/readiness.html",
        {
            "readiness": state,
            "chart": reserve_chart(series, minimum=state.minimum, target=state.target),
            "commitments": commitments,
            "unvalued": selectors.unvalued_currencies(),
            "can_commit": can(request.user, Cap.COMMIT_FUNDS),
        },
    )
