"""Log lines and error pages never carry what a user typed or what a row holds."""

import logging

import pytest
from django.test import Client, override_settings
from django.urls import path

from rescue.logging import RedactIdentifyingData

MARKER = "CANARY-hana-kim-55"


def _record(msg, *args, exc_info=None):
    return logging.LogRecord("django.request", logging.ERROR, __file__, 1, msg, args, exc_info)


def test_query_strings_are_cut_from_log_messages():
    record = _record("Not Found: %s", f"/cases/?q={MARKER}")
    RedactIdentifyingData().filter(record)
    assert MARKER not in record.getMessage()
    assert "/cases/?[redacted]" in record.getMessage()


def test_exception_messages_are_withheld_but_the_type_is_kept():
    try:
        raise ValueError(f"bad value {MARKER}")
    except ValueError:
        import sys

        record = _record("Internal Server Error", exc_info=sys.exc_info())
    RedactIdentifyingData().filter(record)
    text = logging.Formatter().format(record)
    assert MARKER not in text
    assert "builtins.ValueError (message withheld)" in text
    assert "Traceback" in text


def _boom(request):
    raise ValueError(f"exploded with {MARKER}")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_page_and_its_log_show_nothing_of_the_request(intake, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(intake)
    with caplog.at_level(logging.ERROR):
        response = client.get(f"/boom/?name={MARKER}")
    assert response.status_code == 500
    assert MARKER not in response.content.decode()
    handler_text = "\n".join(
        logging.Formatter().format(r) for r in caplog.records if RedactIdentifyingData().filter(r)
    )
    assert MARKER not in handler_text


@pytest.mark.django_db
def test_the_not_found_page_does_not_echo_the_path(client_for, intake):
    response = client_for(intake).get(f"/no-such-page-{MARKER}/")
    assert response.status_code == 404
    assert MARKER not in response.content.decode()


@pytest.mark.parametrize(
    "name", ["", "django", "django.request", "django.security", "django.server"]
)
def test_every_configured_handler_redacts(name):
    # pytest adds capturing handlers of its own while a test runs; they never reach a log file.
    handlers = [
        h for h in logging.getLogger(name).handlers if not type(h).__module__.startswith("_pytest")
    ]
    assert handlers
    for handler in handlers:
        assert any(isinstance(f, RedactIdentifyingData) for f in handler.filters)
