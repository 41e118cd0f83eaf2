"""Error pages that show no request data: no path, no query, no exception message."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context: the failure may be in a context processor
    # or in the database, and the page must not echo anything about the request.
    return HttpResponseServerError(loader.get_template("500.html").render())
