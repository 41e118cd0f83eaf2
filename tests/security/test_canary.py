"""Canary: markers in every identifying field must surface only where a role may see them.

Every role signs in through the front door and requests every URL of the app with
real case and person ids; then the markers are looked for in every page, every
redirect, every log record, every e-mail, every URL requested and the raw database.
Pages that other apps add are swept automatically (see tests/security/canary.py).
"""

import io
import logging

import openpyxl
import pytest
from django.core import mail
from django.db import connection

from cases.models import Case
from tests.factories import UserFactory
from tests.security.canary import (
    SEEDED_MODELS,
    CapturingHandler,
    identifying_models,
    seed_case,
    seed_ledger,
    urls_for_case,
)
from tests.security.helpers import password_step, totp_code
from tests.signin import verified_device

LOGGERS = ["", "django", "django.request", "django.security", "django.server", "axes"]


@pytest.fixture
def canaries(intake, coordinator, admin_user):
    other_intake = UserFactory(username="gina-intake", roles=["intake"])
    seeded = [
        seed_case(created_by=intake, by=intake),
        seed_case(created_by=other_intake, by=other_intake),
        seed_case(created_by=intake, by=coordinator, restricted=True),
        seed_case(created_by=other_intake, by=admin_user, restricted=True, assignees=[coordinator]),
    ]
    for canary in seeded:
        seed_ledger(canary, by=admin_user)
    return seeded


@pytest.fixture
def captured_logs():
    handler = CapturingHandler()
    loggers = [logging.getLogger(name) for name in LOGGERS]
    previous = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler
    for logger, level in previous:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _sign_in(client, user):
    device = verified_device(user)
    password_step(client, user)
    response = client.post("/accounts/two-factor/", {"code": totp_code(device)})
    assert response.status_code == 302, user
    return client


def _body_text(response) -> str:
    """What a response shows, whether a page, a streamed download or a spreadsheet."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    ):
        # An XLSX file is a zip: the text is compressed inside, so read the cells.
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return raw.decode(errors="replace")


def _found(markers, text: str) -> set[str]:
    return {marker for marker in markers if marker in text}


def test_every_model_with_identifying_fields_is_seeded():
    assert set(identifying_models()) <= set(SEEDED_MODELS)


@pytest.mark.django_db
def test_markers_appear_only_where_the_role_may_see_the_case(
    client, personas, canaries, captured_logs
):
    all_markers = set().union(*(c.all_markers for c in canaries))
    requested: list[str] = []
    shown_to: dict[str, set[str]] = {}
    for persona, user in personas.items():
        client.cookies.clear()
        _sign_in(client, user)
        visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
        referable = set(Case.objects.referable_by(user).values_list("pk", flat=True))
        allowed = set().union(*(c.allowed_for(user, visible, referable) for c in canaries))
        seen: set[str] = set()
        urls = sorted({url for canary in canaries for url in urls_for_case(canary)})
        for url in urls:
            if url.rstrip("/").endswith("logout"):
                continue
            response = client.get(url)
            requested.append(url)
            body = _body_text(response)
            leaked = _found(all_markers - allowed, body)
            assert not leaked, (persona, url, sorted(leaked)[:3])
            assert not _found(all_markers, response.get("Location", "")), (persona, url)
            seen |= _found(allowed, body)
        shown_to[persona] = seen
        client.post("/accounts/logout/")
    assert not _found(all_markers, "\n".join(requested))
    leaked_logs = [t[:300] for t in captured_logs.texts if _found(all_markers, t)]
    assert not leaked_logs, leaked_logs[:3]
    for message in mail.outbox:
        text = "\n".join(
            [message.subject, message.body, *message.to, *(a[0] for a in message.alternatives)]
        )
        assert not _found(all_markers, text)
    # The sweep reached pages that show the data to those allowed: the history page at least.
    assert shown_to["coordinator"]
    assert shown_to["admin"] >= shown_to["coordinator"]
    # The ledger's text reached the pages of those who may read it (ledger, entry, CSV).
    ledger_markers = set().union(*(c.ledger_markers for c in canaries))
    assert {"payee", "memo", "reason"} <= {
        m.rsplit("x", 1)[1] for m in shown_to["treasurer"] & ledger_markers
    }
    assert shown_to["admin"] >= ledger_markers


def _rows_text() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                chunks.append(" ".join(map(str, row)))
    return "\n".join(chunks)


@pytest.mark.django_db
def test_no_marker_is_in_the_database_in_plaintext(canaries):
    all_markers = set().union(*(c.all_markers for c in canaries))
    assert len(all_markers) > len(set().union(*(c.markers for c in canaries)))
    assert not _found(all_markers, _rows_text())


def _sqlite_bytes() -> bytes:
    # The whole database image as SQLite would write it to a file, free pages included.
    connection.ensure_connection()
    return connection.connection.serialize()


@pytest.mark.django_db
def test_no_marker_is_in_the_sqlite_file_bytes(canaries):
    if connection.vendor != "sqlite":
        pytest.skip("the file check is for SQLite; PostgreSQL rows are read above")
    all_markers = set().union(*(c.all_markers for c in canaries))
    raw = _sqlite_bytes()
    assert raw.startswith(b"SQLite format 3")
    assert not {m for m in all_markers if m.encode() in raw}
    # The check itself works: a marker written in the clear is found.
    probe = "CANARYprobe-plaintext"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET reference = %s WHERE id = %s", [probe, canaries[0].case.pk.hex]
        )
    assert probe.encode() in _sqlite_bytes()


@pytest.mark.django_db
def test_no_admin_page_shows_a_marker(client, admin_user, canaries, captured_logs):
    """The admin is outside the case pages' access log, so it must show no identifying
    field at all: every changelist, and every object's change and history page."""
    from django.conf import settings
    from django.contrib import admin
    from django.urls import reverse

    all_markers = set().union(*(c.all_markers for c in canaries))
    _sign_in(client, admin_user)
    urls = [f"/{settings.ADMIN_URL}"]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        for pk in model_admin.get_queryset(None).values_list("pk", flat=True)[:3]:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[pk]))
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        assert not _found(all_markers, _body_text(response)), url
    assert len(urls) > 20
    leaked_logs = [t[:300] for t in captured_logs.texts if _found(all_markers, t)]
    assert not leaked_logs, leaked_logs[:3]
