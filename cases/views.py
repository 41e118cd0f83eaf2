"""Case pages: thin views that parse, call a selector or service, and render."""

from functools import partial
from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
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
from rescue.roles import Cap, can

if TYPE_CHECKING:
    from rescue.roles import Actor

PAGE_SIZE = 25


def _require_any(user: "Actor", *caps) -> None:
    if not any(can(user, cap) for cap in caps):
        raise PermissionDenied


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _form_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal next to the field it is about, or above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_http_methods(["GET"])
def case_list(request):
    user = request.user
    if selectors.may_open_case_pages(user):
        filterset = CaseFilterSet(request.GET, queryset=selectors.case_list(user=user))
        template = "cases/case_list.html"
    elif can(user, Cap.VIEW_CASE_REFERENCES):
        filterset = ReferenceFilterSet(request.GET, queryset=selectors.case_references(user=user))
        template = "cases/reference_list.html"
    else:
        raise PermissionDenied
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {
            "filter": filterset,
            "page": _page(request, filterset.qs),
            "query": query.urlencode(),
            "may_log": can(user, Cap.LOG_REQUEST),
            "may_import": can(user, Cap.IMPORT_CASES),
        },
    )


MEMBERS_PREFIX = "people"


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
def case_create(request):
    """One page logs the request, its principal and any children or companions."""
    _require_any(request.user, Cap.LOG_REQUEST)
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
            _form_errors(form, exc)
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
            "may_edit_people": can(user, Cap.LOG_REQUEST) or may_coordinate,
        },
    )


@sensitive_post_parameters()
def _case_action(request, case_id, *, caps, form_class, perform, title, success):
    """A form page acting on one case: 404 unless visible, 403 unless allowed."""
    case = selectors.get_case_for_user(request.user, case_id)
    _require_any(request.user, *caps)
    # Action pages show the people (names in the outcome and person forms): a look, logged.
    access_record(
        request=request,
        user=request.user,
        action=AccessLog.Action.VIEW_CASE,
        target=case.reference,
        detail=title,
    )
    form = form_class(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            perform(case, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/case_action.html", {"case": case, "form": form, "title": title})


def _action_view(*, caps, form_class, service, title, success, prepare=dict):
    """A view for one service acting on one case through one form."""

    @require_http_methods(["GET", "POST"])
    def view(request, case_id):
        return _case_action(
            request,
            case_id,
            caps=caps,
            form_class=form_class,
            perform=lambda case, data: service(case=case, by=request.user, **prepare(data)),
            title=title,
            success=success,
        )

    return view


COORDINATE = (Cap.COORDINATE_CASE,)
EDIT_PEOPLE = (Cap.LOG_REQUEST, Cap.COORDINATE_CASE)


def _person_kwargs(data: dict) -> dict:
    kwargs = {k: v for k, v in data.items() if k != "born"}
    return kwargs | born_kwargs(data["born"])


class _PersonFormFor(PersonForm):
    def __init__(self, data=None, *, case, person=None):
        initial = PersonForm.initial_for(person) if person is not None else None
        super().__init__(data, initial=initial)


case_screen = _action_view(
    caps=(Cap.SCREEN_CASE,),
    form_class=ScreeningForm,
    service=services.case_screen,
    title="Screen the request",
    success="Screening recorded.",
)
case_transition = _action_view(
    caps=COORDINATE,
    form_class=TransitionForm,
    service=services.case_transition,
    title="Move to another stage",
    success="Stage changed.",
)
case_outcome = _action_view(
    caps=COORDINATE,
    form_class=OutcomeForm,
    service=services.outcome_record,
    title="Record an outcome",
    success="Outcome recorded.",
)
case_assign = _action_view(
    caps=COORDINATE,
    form_class=AssignForm,
    service=services.case_assign,
    title="Assign staff",
    success="Assignment saved.",
)
case_refer = _action_view(
    caps=COORDINATE,
    form_class=ReferForm,
    service=services.case_refer,
    title="Refer to a partner NGO",
    success="Referral recorded.",
)
case_reopen = _action_view(
    caps=COORDINATE,
    form_class=ReopenForm,
    service=services.case_reopen,
    title="Reopen the case",
    success="Case reopened.",
)
case_restrict = _action_view(
    caps=COORDINATE,
    form_class=RestrictForm,
    service=services.case_set_restricted,
    title="Restrict who sees the case",
    success="Restriction saved.",
)
person_add = _action_view(
    caps=EDIT_PEOPLE,
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
        caps=EDIT_PEOPLE,
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
    _require_any(request.user, Cap.IMPORT_CASES)
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
