"""A coordinator moves a case on through its page and records how it ended."""

import pytest
from django.utils import timezone

from cases.models import Case, CaseEvent, EventKind, Outcome, Person, Stage
from tests.browser.helpers import choose, find, follow, heading, sign_in, submit
from tests.cases.helpers import new_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_coordinator_moves_a_case_on_and_records_its_outcome(browser, intake, coordinator):
    case = new_case(by=intake, principal_alias="Fictional Mihyang")
    sign_in(browser, coordinator)

    browser.get(f"/cases/{case.pk}/")
    assert heading(browser) == f"Case {case.reference}"
    assert "Stage: Request received" in find(browser, "main").text
    choose(browser, "id_to", "Screening")
    find(browser, "#id_note").send_keys("Fictional: she called back from a safe phone")
    submit(browser, "Move")

    assert browser.path == f"/cases/{case.pk}/"
    assert "Stage changed." in find(browser, "main .alert-success").text
    assert "Stage: Screening" in find(browser, "main").text
    case.refresh_from_db()
    assert case.stage == Stage.SCREENING
    assert CaseEvent.objects.filter(case=case, kind=EventKind.STAGE, to_value=Stage.SCREENING)

    follow(browser, "Record an outcome")
    assert heading(browser) == "Record an outcome"
    choose(browser, "id_outcome", "Lost contact")
    submit(browser, "Save")

    assert browser.path == f"/cases/{case.pk}/"
    assert "Outcome recorded." in find(browser, "main .alert-success").text
    assert "Lost contact" in find(browser, "main table").text
    principal = Person.objects.get(case=case)
    assert principal.outcome == Outcome.LOST_CONTACT
    assert principal.outcome_on == timezone.localdate()
    assert Case.objects.get(pk=case.pk).is_closed
    assert "closed" in heading(browser)
