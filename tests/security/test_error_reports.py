"""A server error: the page, the log and the e-mail to the administrators show nothing typed."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import include, path
from django.views.decorators.http import require_POST

MARKER = "CANARY-error-report-3c1d"


@require_POST
def _explode(request):
    typed = request.POST.get("alias", "")  # a local variable a traceback could show
    raise ValueError(f"could not file {typed}")


urlpatterns = [path("explode/", _explode), path("", include("rescue.urls"))]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, ADMINS=[("Admin", "admin@example.org")])
def test_the_error_e_mail_names_the_fault_but_nothing_typed(client_for, intake):
    client = client_for(intake)
    client.raise_request_exception = False
    response = client.post(f"/explode/?q={MARKER}", {"alias": MARKER})
    assert response.status_code == 500
    assert MARKER not in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    text = message.subject + message.body + "".join(a[0] for a in message.alternatives)
    assert "ValueError" in text
    assert "_explode" in text  # the traceback's frames are there for the operator
    assert MARKER not in text
