"""The ledger's pages through the front door: who may see and do what, and what gets written."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from funds import services
from funds.models import AccountBalance, Commitment, ExchangeRate, JournalEntry, Posting
from rescue.models import AccessLog
from tests.funds.conftest import DAY
from tests.signin import reauthenticate

pytestmark = pytest.mark.django_db

READERS = {"treasurer", "admin", "coordinator"}
WRITERS = {"treasurer", "admin"}
NOBODY = {"intake", "board", "outsider"}


@pytest.fixture
def entry(ledger):
    return ledger.donate("20000")


def _pages(entry_pk: int) -> dict[str, set[str]]:
    """Every GET page of the app and who may open it."""
    return {
        reverse("funds:ledger"): READERS,
        reverse("funds:export"): READERS,
        reverse("funds:entry", args=[entry_pk]): READERS,
        reverse("funds:rates"): READERS,
        reverse("funds:readiness"): READERS,
        reverse("funds:donation"): WRITERS,
        reverse("funds:expense"): WRITERS,
        reverse("funds:transfer"): WRITERS,
        reverse("funds:exchange"): WRITERS,
        reverse("funds:commit"): WRITERS,
    }


@pytest.mark.parametrize("persona", sorted(READERS | NOBODY))
def test_every_page_answers_by_role(personas, client_for, entry, persona):
    client = client_for(personas[persona])
    for url, allowed in _pages(entry.pk).items():
        status = client.get(url).status_code
        if persona in allowed:
            assert status == 200, (persona, url)
        elif persona in READERS:
            assert status == 403, (persona, url)
        else:
            assert status == 404, (persona, url)


def _posts(entry_pk: int, case_ref: str) -> dict[str, dict]:
    return {
        reverse("funds:donation"): {
            "fund": "rescue",
            "occurred_on": "2026-03-02",
            "currency": "USD",
            "amount": "100",
        },
        reverse("funds:expense"): {
            "fund": "rescue",
            "occurred_on": "2026-03-02",
            "currency": "USD",
            "amount": "10",
            "category": "shelter",
            "case": case_ref,
        },
        reverse("funds:transfer"): {
            "from_fund": "rescue",
            "to_fund": "general",
            "occurred_on": "2026-03-02",
            "currency": "USD",
            "amount": "10",
        },
        reverse("funds:exchange"): {
            "fund": "rescue",
            "occurred_on": "2026-03-02",
            "sell_currency": "USD",
            "sell_amount": "10",
            "buy_currency": "THB",
            "buy_amount": "340",
        },
        reverse("funds:entry_reverse", args=[entry_pk]): {"reason": "Test"},
        reverse("funds:rates"): {"currency": "JPY", "on": "2026-03-01", "usd_per_unit": "0.0066"},
        reverse("funds:commit"): {"case": case_ref},
    }


@pytest.mark.parametrize("persona", ["coordinator", *sorted(NOBODY)])
def test_no_one_but_treasurers_and_admins_can_write(
    personas, client_for, entry, approved_case, persona
):
    case = approved_case()
    client = client_for(personas[persona])
    counts = (JournalEntry.objects.count(), ExchangeRate.objects.count())
    for url, data in _posts(entry.pk, case.reference).items():
        status = client.post(url, data).status_code
        assert status == (403 if persona == "coordinator" else 404), (persona, url)
    assert (JournalEntry.objects.count(), ExchangeRate.objects.count()) == counts
    assert not Commitment.objects.exists()


@pytest.mark.parametrize("persona", sorted(WRITERS))
def test_treasurers_and_admins_can_write_through_every_form(
    personas, client_for, entry, ledger, approved_case, persona
):
    ledger.donate("20000")  # enough to commit after `entry` is reversed
    case = approved_case()
    client = client_for(personas[persona])
    for url, data in _posts(entry.pk, case.reference).items():
        response = client.post(url, data)
        assert response.status_code == 302, (persona, url, response.content[:2000])
    # two donations before; donation, expense, transfer, exchange, reversal through the forms
    assert JournalEntry.objects.count() == 7
    assert ExchangeRate.objects.filter(currency="JPY").exists()
    assert Commitment.objects.get().case == case


def test_a_missing_entry_is_404(client_for, treasurer):
    client = client_for(treasurer)
    assert client.get(reverse("funds:entry", args=[999999])).status_code == 404
    assert (
        client.post(reverse("funds:entry_reverse", args=[999999]), {"reason": "x"}).status_code
        == 404
    )


def test_tampered_post_fields_are_ignored(client_for, treasurer, coordinator):
    client = client_for(treasurer)
    response = client.post(
        reverse("funds:donation"),
        {
            "fund": "rescue",
            "occurred_on": "2026-03-02",
            "currency": "USD",
            "amount": "250.00",
            "usd_rate": "3",  # a dollar is always worth a dollar
            "created_by": coordinator.pk,
            "amount_usd": "999999",
            "reverses": "1",
            "import_key": "forged",
        },
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.created_by == treasurer
    assert entry.amount_usd == Decimal("250.00")
    assert entry.usd_rate == 1
    assert entry.reverses is None
    assert entry.import_key is None


def test_an_unknown_fund_code_is_refused_at_the_field(client_for, treasurer):
    response = client_for(treasurer).post(
        reverse("funds:donation"),
        {"fund": "secret", "occurred_on": "2026-03-02", "currency": "USD", "amount": "1"},
    )
    assert response.status_code == 400
    assert "fund" in response.context["form"].errors
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"currency": "JPY", "amount": "1000.5", "usd_rate": "0.0067"}, "amount"),
        ({"currency": "USD", "amount": "-5"}, "amount"),
        ({"currency": "USD", "amount": "ten"}, "amount"),
        ({"currency": "THB", "amount": "100"}, "usd_rate"),
        ({"currency": "USD", "amount": "5", "occurred_on": "2026-02-30"}, "occurred_on"),
    ],
)
def test_bad_input_shows_next_to_its_field_and_changes_nothing(client_for, treasurer, data, field):
    payload = {"fund": "rescue", "occurred_on": "2026-03-02", **data}
    response = client_for(treasurer).post(reverse("funds:donation"), payload)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not JournalEntry.objects.exists()
    assert not AccountBalance.objects.exists()


def test_a_case_reference_the_treasurer_may_not_see_is_a_field_error(
    client_for, treasurer, entry, approved_case
):
    hidden = approved_case(restricted=True)
    response = client_for(treasurer).post(
        reverse("funds:expense"),
        {
            "fund": "rescue",
            "occurred_on": "2026-03-02",
            "currency": "USD",
            "amount": "10",
            "category": "shelter",
            "case": hidden.reference,
        },
    )
    assert response.status_code == 400
    assert "case" in response.context["form"].errors
    assert JournalEntry.objects.count() == 1


def test_a_commitment_below_the_minimum_asks_for_the_reason_next_to_its_field(
    client_for, treasurer, ledger, approved_case
):
    ledger.donate("7000")
    case = approved_case()
    client = client_for(treasurer)
    response = client.post(reverse("funds:commit"), {"case": case.reference})
    assert response.status_code == 400
    assert "override_reason" in response.context["form"].errors
    assert not Commitment.objects.exists()
    with_reason = {"case": case.reference, "override_reason": "She is in danger"}
    # An override is a sensitive action: without a fresh re-authentication it is refused
    # next to the reason, with a way to confirm, and nothing is committed.
    response = client.post(reverse("funds:commit"), with_reason)
    assert response.status_code == 400
    assert "confirm your password and code" in str(response.context["form"].errors)
    assert "/accounts/reauthenticate/" in response.content.decode()
    assert not Commitment.objects.exists()
    reauthenticate(client, treasurer)
    response = client.post(reverse("funds:commit"), with_reason)
    assert response.status_code == 302
    assert Commitment.objects.get().override_reason == "She is in danger"


def test_a_reversal_without_a_reason_changes_nothing(client_for, treasurer, entry):
    response = client_for(treasurer).post(
        reverse("funds:entry_reverse", args=[entry.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert "reason" in response.context["reverse_form"].errors
    assert JournalEntry.objects.count() == 1


def test_the_entry_page_shows_postings_and_the_reversal(client_for, treasurer, entry):
    client = client_for(treasurer)
    client.post(reverse("funds:entry_reverse", args=[entry.pk]), {"reason": "Wrong fund chosen"})
    page = client.get(reverse("funds:entry", args=[entry.pk])).content.decode()
    reversal = JournalEntry.objects.get(reverses=entry)
    assert f"#{reversal.pk}" in page
    assert "Wrong fund chosen" in page
    assert "Reverse this entry" not in page


def test_the_ledger_list_runs_a_fixed_number_of_queries(
    client_for, treasurer, ledger, approved_case, django_assert_num_queries
):
    ledger.donate("9000000", "JPY", usd_rate="0.0067")
    for number in range(30):
        ledger.spend("10.00", case=approved_case(), category="transport", on=DAY)
        ledger.donate(f"{number + 1}.00", fund="general")
    assert Posting.objects.count() > 100
    client = client_for(treasurer)
    client.get(reverse("funds:ledger"))  # warm the session
    with django_assert_num_queries(16):
        # 1 session, 2 user, 3 the user's verified two-factor device, 4-5 the user's own and
        # group permissions, 6 count of the postings for the pager, 7 one page of postings
        # joined to their entries, cases and accounts, each with whether the user may refer
        # to its case (an EXISTS in the same query), 8 the user's groups (navigation), 9-12
        # readiness banner (policy, reserve balances, latest rates, open commitments), 13 the
        # accounts for the filter's choices, 14-16 savepoint, session save, release.
        response = client.get(reverse("funds:ledger"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 100


def test_the_ledger_filters_by_case_and_category(client_for, treasurer, ledger, approved_case):
    ledger.donate("20000")
    case, other = approved_case(), approved_case()
    ledger.spend("10.00", case=case, category="medical")
    ledger.spend("20.00", case=other, category="medical")
    ledger.spend("30.00", case=case, category="shelter")
    response = client_for(treasurer).get(
        reverse("funds:ledger"), {"case": case.reference, "category": "medical"}
    )
    postings = list(response.context["page"].object_list)
    assert {p.entry.amount for p in postings} == {Decimal("10.00")}
    assert len(postings) == 2


def test_the_csv_export_streams_the_ledger_and_is_logged(client_for, treasurer, ledger):
    ledger.donate("20000")
    ledger.spend("125.50", category="medical")
    response = client_for(treasurer).get(reverse("funds:export"), {"category": "medical"})
    assert response.status_code == 200
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 2
    assert sorted(Decimal(row["amount"]) for row in rows) == [Decimal("-125.50"), Decimal("125.50")]
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert log.user == treasurer
    assert log.target == "ledger.csv"
    assert log.detail == "category=medical"


@pytest.mark.parametrize(
    ("persona", "sees_band", "sees_amount"),
    [
        ("treasurer", True, True),
        ("coordinator", True, True),
        ("admin", True, True),
        ("intake", True, False),
        ("board", False, False),
        ("outsider", False, False),
    ],
)
def test_the_readiness_banner_by_role(
    personas, client_for, ledger, persona, sees_band, sees_amount
):
    ledger.donate("7123.45")
    page = client_for(personas[persona]).get(reverse("home")).content.decode()
    assert ("Rescue reserve: AMBER" in page) is sees_band
    assert ("available 7,123.45 USD" in page) is sees_amount


def test_the_readiness_page_draws_the_chart_and_lists_commitments(
    client_for, treasurer, ledger, approved_case
):
    ledger.donate("20000")
    case = approved_case()
    client = client_for(treasurer)
    client.post(reverse("funds:commit"), {"case": case.reference})
    page = client.get(reverse("funds:readiness")).content.decode()
    assert "<svg" in page
    assert page.count("<circle") == 12
    assert case.reference in page
    assert "style=" not in page
    assert "<script>" not in page


def test_a_restricted_cases_reference_is_shown_only_to_who_may_refer_to_it(
    client_for, treasurer, admin_user, ledger, approved_case
):
    ledger.donate("20000")
    hidden = approved_case(restricted=True)
    entry = services.expense_record(
        by=admin_user,
        fund="rescue",
        occurred_on=DAY,
        currency="USD",
        amount=Decimal("10.00"),
        category="medical",
        case=hidden,
    )
    services.commitment_create(case=approved_case(restricted=True, stage="approved"), by=admin_user)
    for url in (
        reverse("funds:ledger"),
        reverse("funds:entry", args=[entry.pk]),
        reverse("funds:readiness"),
        reverse("funds:export"),
    ):
        response = client_for(treasurer).get(url)
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert hidden.reference not in body, url
        assert "restricted" in body, url
    assert hidden.reference in client_for(admin_user).get(reverse("funds:ledger")).content.decode()


def test_the_ledger_filters_by_fund_account_and_dates(client_for, treasurer, ledger):
    ledger.donate("20000", on=DAY)
    ledger.donate("300", fund="general", on=DAY.replace(day=5))
    ledger.donate("400", fund="general", on=DAY.replace(day=20))
    client = client_for(treasurer)

    def amounts(**params):
        page = client.get(reverse("funds:ledger"), params).context["page"]
        return sorted(p.amount for p in page.object_list)

    assert amounts(fund="general") == [-400, -300, 300, 400]
    assert amounts(fund="general", date_from="2026-03-04", date_to="2026-03-06") == [-300, 300]
    cash = AccountBalance.objects.get(account__fund__code="general", account__kind="cash")
    assert amounts(account=cash.account_id) == [300, 400]


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("treasurer", {"Ledger", "Readiness"}),
        ("coordinator", {"Ledger", "Readiness"}),
        ("admin", {"Ledger", "Readiness"}),
        ("intake", set()),
        ("board", set()),
    ],
)
def test_the_navigation_shows_the_fund_pages_by_role(personas, client_for, persona, links):
    response = client_for(personas[persona]).get(reverse("home"))
    labels = {item["label"] for item in response.context["nav_items"]}
    assert labels & {"Ledger", "Readiness"} == links


def test_the_csv_export_quotes_text_a_spreadsheet_would_run_as_a_formula(
    client_for, treasurer, ledger
):
    ledger.donate("20000")
    ledger.spend("10.00", category="other", memo='=HYPERLINK("http://evil.example","x")')
    response = client_for(treasurer).get(reverse("funds:export"), {"category": "other"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    memos = {row["memo"] for row in csv.DictReader(io.StringIO(text))}
    assert memos == {'\'=HYPERLINK("http://evil.example","x")'}
