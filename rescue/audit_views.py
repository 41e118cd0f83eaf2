"""Accountability: who looked at what (the access log)."""

from django import forms
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rescue.crypto import username_hash
from rescue.models import AccessLog
from rescue.paging import paginate
from rescue.roles import Cap, require

PAGE_SIZE = 50


class AccessLogFilter(forms.Form):
    reference = forms.CharField(label="Case reference or target", max_length=64, required=False)
    username = forms.CharField(label="User", max_length=150, required=False)
    action = forms.ChoiceField(
        label="Action", choices=[("", "Any"), *AccessLog.Action.choices], required=False
    )


@require_GET
def access_log(request):
    """Who looked at case 2026-014, and when: the access log, filtered and paginated."""
    require(request.user, Cap.VIEW_ACCESS_LOG)
    form = AccessLogFilter(request.GET)
    rows = AccessLog.objects.select_related("user").order_by("-at", "-id")
    if form.is_valid():
        reference = form.cleaned_data["reference"].strip()
        username = form.cleaned_data["username"].strip()
        if reference:
            rows = rows.filter(target=reference)
        if username:
            rows = rows.filter(
                Q(user__username=username) | Q(username_tried=username_hash(username))
            )
        if form.cleaned_data["action"]:
            rows = rows.filter(action=form.cleaned_data["action"])
    page, query = paginate(request, rows, PAGE_SIZE)
    return render(
        request, "rescue/access_log.html", {"form": form, "page": page, "filter_query": query}
    )
