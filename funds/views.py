"""The ledger's pages: thin views that parse, call a service or selector, and render.

Access: someone who may not read the ledger gets 404 (they need not know it exists);
someone who may read it but not write gets 403 on the forms.
"""

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Case
from funds import selectors, services
from funds.chart import reserve_chart
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
from funds.models import ExchangeRate, JournalEntry, Posting
from rescue.audit import access_record
from rescue.models import AccessLog
from rescue.reauth import has_recent_reauth, reauth_redirect
from rescue.roles import Cap, can
from rescue.spreadsheets import csv_lines

if TYPE_CHECKING:
    from rescue.roles import Actor

PAGE_SIZE = 100


def _referable_ids(user: "Actor", case_ids) -> set:
    """Of these cases, the ones whose reference the user may see (one query)."""
    wanted = {pk for pk in case_ids if pk is not None}
    if not wanted:
        return set()
    return set(Case.objects.referable_by(user).filter(pk__in=wanted).values_list("pk", flat=True))


def _require_reader(request) -> None:
    if not can(request.user, Cap.VIEW_LEDGER):
        raise Http404


def _require(request, cap: str) -> None:
    """404 unless the user may read the ledger; 403 if they may read but not do this."""
    _require_reader(request)
    if not can(request.user, cap):
        raise PermissionDenied


def _filtered_postings(form: LedgerFilterForm):
    postings = Posting.objects.select_related(
        "entry", "entry__case", "entry__reverses", "account", "account__fund"
    ).order_by("-entry_id", "id")
    if not form.is_valid():
        return postings.none()
    data = form.cleaned_data
    if data["fund"]:
        postings = postings.filter(account__fund__code=data["fund"])
    if data["account"]:
        postings = postings.filter(account=data["account"])
    if data["case"]:
        postings = postings.filter(entry__case=data["case"])
    if data["category"]:
        postings = postings.filter(entry__category=data["category"])
    if data["date_from"]:
        postings = postings.filter(occurred_on__gte=data["date_from"])
    if data["date_to"]:
        postings = postings.filter(occurred_on__lte=data["date_to"])
    return postings


@require_http_methods(["GET"])
def ledger(request):
    _require_reader(request)
    # Always bound: no filters is a valid filter (everything).
    form = LedgerFilterForm(request.GET, user=request.user)
    page = Paginator(_filtered_postings(form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "funds/ledger.html",
        {
            "form": form,
            "page": page,
            "referable": _referable_ids(request.user, [p.entry.case_id for p in page]),
            "query": query.urlencode(),
            "can_manage": can(request.user, Cap.MANAGE_LEDGER),
        },
    )


def _case_label(entry: JournalEntry, referable: set) -> str:
    if entry.case is None:
        return ""
    return entry.case.reference if entry.case_id in referable else "restricted"


@require_http_methods(["GET"])
def ledger_csv(request):
    _require_reader(request)
    form = LedgerFilterForm(request.GET, user=request.user)
    postings = _filtered_postings(form)
    access_record(
        request=request,
        user=request.user,
        action=AccessLog.Action.EXPORT,
        target="ledger.csv",
        detail=form.summary(),
    )

    referable = set(Case.objects.referable_by(request.user).values_list("pk", flat=True))
    header = [
        "entry", "date", "kind", "reverses", "fund", "account", "category", "currency",
        "amount", "usd_rate", "amount_usd", "balance_after", "case_ref", "payee", "memo",
        "reason",
    ]  # fmt: skip

    def rows() -> Iterator[list]:
        for p in postings.iterator(chunk_size=2000):
            entry = p.entry
            yield (
                [
                    entry.pk,
                    p.occurred_on.isoformat(),
                    entry.kind,
                    entry.reverses_id or "",
                    p.account.fund.code,
                    p.account.kind,
                    p.account.category,
                    p.currency,
                    p.amount,
                    entry.usd_rate,
                    p.amount_usd,
                    p.balance_after,
                    _case_label(entry, referable),
                    entry.payee,
                    entry.memo,
                    entry.reason,
                ]
            )

    # csv_lines quotes cells a spreadsheet would run as formulas (a memo starting with "=").
    response = StreamingHttpResponse(
        csv_lines(header, rows()), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ledger-{stamp}.csv"'
    return response


@require_http_methods(["GET"])
def entry_detail(request, pk: int):
    _require_reader(request)
    entry = get_object_or_404(
        JournalEntry.objects.select_related(
            "fund", "to_fund", "case", "reverses", "created_by", "reversal"
        ),
        pk=pk,
    )
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
            "referable": _referable_ids(request.user, [entry.case_id]),
            "reverse_form": reverse_form,
        },
        status=status,
    )


@require_POST
def entry_reverse(request, pk: int):
    _require(request, Cap.MANAGE_LEDGER)
    entry = get_object_or_404(JournalEntry.objects.select_related("fund", "to_fund"), pk=pk)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            reversal = services.entry_reverse(
                entry=entry, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, f"Entry #{entry.pk} reversed by entry #{reversal.pk}.")
            return redirect("funds:entry", pk=reversal.pk)
    return _render_entry(request, entry, form, status=400)


def _add_service_error(form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


def _form_page(
    request, *, form_class, title: str, write: Callable, cap: str = Cap.MANAGE_LEDGER, initial=None
):
    """GET shows the form; POST validates it, calls the service, and shows errors by field."""
    _require(request, cap)
    kwargs = {"user": request.user} if issubclass(form_class, UserBoundForm) else {}
    needs_reauth = False
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            needs_reauth = _override_without_reauth(request, form)
            if needs_reauth:
                form.add_error("override_reason", REAUTH_FOR_OVERRIDE)
            else:
                try:
                    result = write(form.cleaned_data)
                except ValidationError as error:
                    _add_service_error(form, error)
                else:
                    return result
        status = 400
    else:
        form = form_class(initial=initial if initial is not None else initial_today(), **kwargs)
        status = 200
    context = {
        "form": form,
        "title": title,
        "reauth_url": _reauth_url(request) if needs_reauth else "",
    }
    return render(request, "funds/form.html", context, status=status)


REAUTH_FOR_OVERRIDE = (
    "Taking the reserve below the minimum needs you to confirm your password and code "
    "first. Confirm, then submit the form again."
)


def _override_without_reauth(request, form) -> bool:
    """An override of the reserve minimum is a sensitive action: it needs a fresh re-auth."""
    return bool(form.cleaned_data.get("override_reason", "").strip()) and not has_recent_reauth(
        request
    )


def _reauth_url(request) -> str:
    return reauth_redirect(request)["Location"]


def _recorded(request, entry: JournalEntry):
    messages.success(request, f"Recorded as entry #{entry.pk}.")
    return redirect("funds:entry", pk=entry.pk)


def _entry_form(form_class, title: str, service: Callable):
    """A page with one of the treasurer's forms, written to the ledger by `service`."""

    @require_http_methods(["GET", "POST"])
    def view(request):
        return _form_page(
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

    return _form_page(
        request,
        form_class=CommitmentForm,
        title="Commit reserve money to an approved operation",
        write=write,
        cap=Cap.COMMIT_FUNDS,
        initial={},
    )


@require_http_methods(["GET", "POST"])
def rates(request):
    _require_reader(request)
    form = None
    status = 200
    if can(request.user, Cap.MANAGE_LEDGER):
        form = RateForm(request.POST or None, initial={"on": timezone.localdate()})
        if request.method == "POST":
            if form.is_valid():
                try:
                    rate = services.rate_record(by=request.user, **form.cleaned_data)
                except ValidationError as error:
                    _add_service_error(form, error)
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
    if not can(request.user, Cap.VIEW_READINESS):
        raise Http404
    state = selectors.readiness()
    series = selectors.reserve_series(months=12)
    commitments = list(selectors.open_commitments())
    return render(
        request,
        "funds/readiness.html",
        {
            "readiness": state,
            "chart": reserve_chart(series, minimum=state.minimum, target=state.target),
            "commitments": commitments,
            "referable": _referable_ids(request.user, [c.case_id for c in commitments]),
            "unvalued": selectors.unvalued_currencies(),
            "can_commit": can(request.user, Cap.COMMIT_FUNDS),
        },
    )
