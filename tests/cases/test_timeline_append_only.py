"""The case timeline is append-only: in the model, its queryset, and PostgreSQL itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from cases.models import CaseEvent
from tests.cases.helpers import new_case


@pytest.fixture
def event(db, intake):
    return new_case(by=intake).events.get()


def test_the_orm_refuses_to_update_or_delete_events(event):
    with pytest.raises(ValueError, match="append-only"):
        CaseEvent.objects.filter(pk=event.pk).update(kind="closed")
    with pytest.raises(ValueError, match="append-only"):
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert CaseEvent.objects.get(pk=event.pk).kind == event.kind


@pytest.mark.postgresql
@pytest.mark.usefixtures("as_table_owner")  # the trigger refuses even the tables' owner
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cases_caseevent SET kind = 'closed' WHERE id = %s",
        "UPDATE cases_caseevent SET to_value = 'rewritten' WHERE id = %s",
        "UPDATE cases_caseevent SET at = at - interval '1 day' WHERE id = %s",
        "DELETE FROM cases_caseevent WHERE id = %s",
    ],
)
def test_postgresql_refuses_rewriting_the_timeline_around_the_orm(event, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert CaseEvent.objects.filter(pk=event.pk, kind=event.kind).exists()


@pytest.mark.postgresql
def test_postgresql_lets_the_note_alone_be_blanked_for_retention(event):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseevent SET note = '' WHERE id = %s", [event.pk])
    assert CaseEvent.objects.get(pk=event.pk).note == ""
