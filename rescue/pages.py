"""The one form machinery: a service's refusal next to the fields, and the form page.

A page that writes is a view that checks access, builds its form and hands both to
`form_page`: GET shows the form; a POST that validates goes to `perform`, which calls a
service and returns where to go next (a redirect after success); a ValidationError from
the service is put next to the field it names; nothing is written otherwise.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rescue.reauth import has_recent_reauth, reauth_redirect

# (field, message) when the submitted form asks for a sensitive action, else None.
SensitiveCheck = Callable[[forms.BaseForm], tuple[str, str] | None]


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


def form_page(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    perform: Callable[[dict[str, Any]], HttpResponse],
    title: str,
    context: Mapping[str, Any] | None = None,
    sensitive: SensitiveCheck | None = None,
    refused_status: int = 400,
    template: str = "form_page.html",
) -> HttpResponse:
    """Show `form` (GET) or run `perform` with its cleaned data (POST).

    `sensitive` names the field and message for a submission that needs a recent
    re-authentication (an override of the reserve minimum): without one, nothing is
    written, what was typed is kept, and the page links to the re-authentication page.
    `refused_status` is the status of a page showing errors.
    """
    reauth_url = ""
    status = 200
    if request.method == "POST":
        status = refused_status
        if form.is_valid():
            asks = sensitive(form) if sensitive else None
            if asks is not None and not has_recent_reauth(request):
                field, message = asks
                form.add_error(field, message)
                reauth_url = reauth_redirect(request)["Location"]
            else:
                try:
                    return perform(form.cleaned_data)
                except ValidationError as error:
                    add_service_error(form, error)
    page = {"form": form, "title": title, "reauth_url": reauth_url, **(context or {})}
    return render(request, template, page, status=status)
