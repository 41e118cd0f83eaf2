"""Case pages: thin views that parse, call a selector or service, and render."""

from functools import partial
from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from cases import selectors, services
from cases.filters import CaseFilterSet, ReferenceFilterSet
from cases.forms import (
    AssignForm,
    BaseHouseholdFormSet,
    CaseCreateForm,
    HouseholdFormSet,
    ImportForm,
    OutcomeForm,
    PersonForm,
    ReferForm,
    ReopenForm,
    RestrictForm,
    ScreeningForm,
    TransitionForm,
    born_kwargs,
)
from cases.importer import cases_import
from cases.models import Person
from cases.transitions import allowed_next
from rescue.audit import access_record
from rescue.models import AccessLog
from rescue.pages import add_service_error, form_page
from rescue.paging import paginate
from rescue.roles import IS_CASE_STAFF, WORKS_CASES, Cap, Need, can, require

if TYPE_CHECKING:
    pass

PAGE_SIZE = 25


@require_http_methods(["GET"])
def case_list(request):
    user = request.user
    if can(user, IS_CASE_STAFF):
        filterset = CaseFilterSet(request.GET, queryset=selectors.case_list(user=user))
        template = "cases/case_list.html"
    elif can(user, Cap.VIEW_CASE_REFERENCES):
        filterset = ReferenceFilterSet(request.GET, queryset=selectors.case_references(user=user))
        template = "cases/reference_list.html"
    else:
        raise PermissionDenied
    page, query = paginate(request, filterset.qs, PAGE_SIZE)
    return render(
        request,
        template,
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "may_log": can(user, Cap.LOG_REQUEST),
            "may_import": can(user, Cap.IMPORT_CASES),
        },
    )


MEMBERS_PREFIX = "people"


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
def case_create(request):
    """One page logs the request, its principal and any children or companions."""
    require(request.user, Cap.LOG_REQUEST)
    data = request.POST or None
    form = CaseCreateForm(data)
    members = cast(BaseHouseholdFormSet, HouseholdFormSet(data, prefix=MEMBERS_PREFIX))
    if request.method == "POST" and "add_person" in request.POST:
        # Without script, "Add a child" posts the page back, as typed, with one more row.
        return render(
            request,
            "cases/case_form.html",
            {
                "form": CaseCreateForm(initial=request.POST.dict()),
                "members": _with_one_more_row(request.POST),
            },
        )
    if request.method == "POST" and form.is_valid() & members.is_valid():
        data = form.cleaned_data
        born = born_kwargs(data["born"])
        try:
            case = services.case_create(
                by=request.user,
                household=data["household"],
                situation=data["situation"],
                received_on=data["received_on"],
                channel=data["channel"],
                current_country=data["current_country"],
                current_region=data["current_region"],
                years_in_china=data["years_in_china"],
                surveillance=data["surveillance"],
                urgency=data["urgency"],
                contact_handle=data["contact_handle"],
                notes=data["notes"],
                principal_alias=data["alias"],
                principal_legal_name=data["legal_name"],
                principal_origin_province=data["origin_province"],
                principal_birth_date=born["birth_date"],
                principal_birth_precision=born["birth_precision"],
                members=members.person_kwargs(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Request {case.reference} logged.")
            _warn_duplicates(request, case)
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "members": members})


def _with_one_more_row(post) -> BaseHouseholdFormSet:
    """The posted rows, unvalidated, plus one blank row."""
    try:
        total = min(int(post.get(f"{MEMBERS_PREFIX}-TOTAL_FORMS", 0)), HouseholdFormSet.max_num - 1)
    except ValueError:
        total = 0
    members = cast(
        BaseHouseholdFormSet,
        HouseholdFormSet(initial=[_row(post, i) for i in range(total)], prefix=MEMBERS_PREFIX),
    )
    members.extra = max(total, 0) + 1
    return members


def _row(data, index: int) -> dict:
    prefix = f"{MEMBERS_PREFIX}-{index}-"
    return {key[len(prefix) :]: data.get(key) for key in data if key.startswith(prefix)}


def _warn_duplicates(request, case) -> None:
    duplicates = selectors.contact_duplicates(case=case, user=request.user)
    if duplicates:
        refs = ", ".join(other.reference for other in duplicates)
        messages.warning(
            request,
            f"Another request came from the same contact: {refs}. "
            "A second request from one contact can be a decoy: screen with care.",
        )
    hidden = selectors.hidden_contact_duplicates(case=case, user=request.user)
    if hidden:
        # Nothing is said to the author; the coordinators and administrators, who may see
        # both cases, find the match on the new case's page, and the access log keeps it.
        access_record(
            request=request,
            user=request.user,
            action=AccessLog.Action.DUPLICATE_CONTACT,
            target=case.reference,
            detail="same contact as " + ", ".join(hidden),
        )


@require_http_methods(["GET"])
def case_detail(request, case_id):
    user = request.user
    case = selectors.get_case_for_user(user, case_id)
    access_record(
        request=request, user=user, action=AccessLog.Action.VIEW_CASE, target=case.reference
    )
    people = selectors.case_people(case)
    screenings = selectors.case_screenings(case)
    may_coordinate = can(user, Cap.COORDINATE_CASE)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "people": people,
            "screening": screenings[0] if screenings else None,
            "earlier_screenings": screenings[1:],
            "events": selectors.case_timeline(case),
            "assignees": list(case.assignees.order_by("username")),
            "duplicates": selectors.contact_duplicates(case=case, user=user),
            "next_stages": allowed_next(case.stage) if not case.is_closed else (),
            "transition_form": TransitionForm(case=case) if may_coordinate else None,
            "may_coordinate": may_coordinate,
            "may_screen": can(user, Cap.SCREEN_CASE),
            "may_edit_people": can(user, WORKS_CASES),
        },
    )


@sensitive_post_parameters()
def _case_action(request, case_id, *, need: Need, form_class, perform, title, success):
    """A form page acting on one case: 404 unless visible, 403 unless allowed."""
    case = selectors.get_case_for_user(request.user, case_id)
    require(request.user, need)
    # Action pages show the people (names in the outcome and person forms): a look, logged.
    access_record(
        request=request,
        user=request.user,
        action=AccessLog.Action.VIEW_CASE,
        target=case.reference,
        detail=title,
    )

    def done(data: dict) -> HttpResponse:
        perform(case, data)
        messages.success(request, success)
        return redirect("cases:detail", case_id=case.pk)

    closed = " (closed)" if case.is_closed else ""
    return form_page(
        request,
        form=form_class(request.POST or None, case=case),
        perform=done,
        title=title,
        context={
            "case": case,
            "back_url": reverse("cases:detail", kwargs={"case_id": case.pk}),
            "back_label": f"Case {case.reference}",
            "lead": f"Now: {case.get_stage_display()}{closed}",
        },
        # The case pages answer a refused form with 200, as they always have.
        refused_status=200,
    )


def _action_view(*, need: Need, form_class, service, title, success, prepare=dict):
    """A view for one service acting on one case through one form."""

    @require_http_methods(["GET", "POST"])
    def view(request, case_id):
        return _case_action(
            request,
            case_id,
            need=need,
            form_class=form_class,
            perform=lambda case, data: service(case=case, by=request.user, **prepare(data)),
            title=title,
            success=success,
        )

    return view


def _person_kwargs(data: dict) -> dict:
    kwargs = {k: v for k, v in data.items() if k != "born"}
    return kwargs | born_kwargs(data["born"])


class _PersonFormFor(PersonForm):
    def __init__(self, data=None, *, case, person=None):
        initial = PersonForm.initial_for(person) if person is not None else None
        super().__init__(data, initial=initial)


case_screen = _action_view(
    need=Cap.SCREEN_CASE,
    form_class=ScreeningForm,
    service=services.case_screen,
    title="Screen the request",
    success="Screening recorded.",
)
case_transition = _action_view(
    need=Cap.COORDINATE_CASE,
    form_class=TransitionForm,
    service=services.case_transition,
    title="Move to another stage",
    success="Stage changed.",
)
case_outcome = _action_view(
    need=Cap.COORDINATE_CASE,
    form_class=OutcomeForm,
    service=services.outcome_record,
    title="Record an outcome",
    success="Outcome recorded.",
)
case_assign = _action_view(
    need=Cap.COORDINATE_CASE,
    form_class=AssignForm,
    service=services.case_assign,
    title="Assign staff",
    success="Assignment saved.",
)
case_refer = _action_view(
    need=Cap.COORDINATE_CASE,
    form_class=ReferForm,
    service=services.case_refer,
    title="Refer to a partner NGO",
    success="Referral recorded.",
)
case_reopen = _action_view(
    need=Cap.COORDINATE_CASE,
    form_class=ReopenForm,
    service=services.case_reopen,
    title="Reopen the case",
    success="Case reopened.",
)
case_restrict = _action_view(
    need=Cap.COORDINATE_CASE,
    form_class=RestrictForm,
    service=services.case_set_restricted,
    title="Restrict who sees the case",
    success="Restriction saved.",
)
person_add = _action_view(
    need=WORKS_CASES,
    form_class=_PersonFormFor,
    service=services.person_add,
    title="Add a person",
    success="Person added.",
    prepare=_person_kwargs,
)


@require_http_methods(["GET", "POST"])
def person_edit(request, case_id, person_id):
    case = selectors.get_case_for_user(request.user, case_id)
    person = get_object_or_404(Person, pk=person_id, case=case)

    return _case_action(
        request,
        case_id,
        need=WORKS_CASES,
        form_class=partial(_PersonFormFor, person=person),
        perform=lambda case, data: services.person_update(
            person=person, by=request.user, **_person_kwargs(data)
        ),
        title="Correct a person's details",
        success="Details saved.",
    )


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
def case_import(request):
    require(request.user, Cap.IMPORT_CASES)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = cases_import(file=request.FILES["file"], by=request.user)
        if result.ok:
            messages.success(
                request,
                f"Imported {len(result.created)} cases ({result.people} people); "
                f"{len(result.skipped)} already present and skipped.",
            )
            return redirect("cases:list")
        form.add_error("file", "Nothing was imported. Fix these rows and upload again.")
    return render(request, "cases/case_import.html", {"form": form, "result": result})
