"""Writers at the same moment: the fund's row lock keeps every check and every posting.

Each thread has its own database connection (and closes it), so these run only on
PostgreSQL, where the lock is a real `SELECT … FOR UPDATE`.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from funds import selectors, services
from funds.models import AccountBalance, AccountKind, Commitment, Posting
from tests.funds.conftest import Ledger

pytestmark = [
    pytest.mark.postgresql,
    # serialized_rollback: the flush after a transactional test would otherwise take the
    # roles and funds that the migrations created away from the tests after it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WRITERS = 8


def _run_together(work) -> list:
    """Run `work(i)` in WRITERS threads released at the same moment; return each outcome."""
    barrier = threading.Barrier(WRITERS)
    outcomes: list = [None] * WRITERS

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as error:
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_concurrent_commitments_never_take_the_reserve_below_the_minimum(
    treasurer, approved_case, policy
):
    # Room above the minimum for exactly two standard commitments, not three.
    room = 2 * policy.standard_estimate_usd + policy.standard_estimate_usd / 2
    Ledger(treasurer).donate(policy.minimum_usd + room)
    cases = [approved_case() for _ in range(WRITERS)]

    outcomes = _run_together(lambda i: services.commitment_create(case=cases[i], by=treasurer))

    made = [o for o in outcomes if isinstance(o, Commitment)]
    refused = [o for o in outcomes if isinstance(o, services.ReserveBelowMinimum)]
    assert len(made) == 2, outcomes
    assert len(refused) == WRITERS - 2, outcomes
    assert Commitment.objects.count() == 2
    state = selectors.readiness()
    assert state.committed == 2 * policy.standard_estimate_usd
    assert state.available == policy.minimum_usd + policy.standard_estimate_usd / 2
    assert state.available >= state.minimum


def test_concurrent_expenses_lose_no_posting(treasurer, policy):
    ledger = Ledger(treasurer)
    ledger.donate("50000.00")
    outcomes = _run_together(
        lambda i: ledger.spend(f"{100 + i}.25", category="transport", payee="van")
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes

    spent = sum(Decimal(f"{100 + i}.25") for i in range(WRITERS))
    cash = AccountBalance.objects.get(
        account__fund__code="rescue", account__kind=AccountKind.CASH, account__currency="USD"
    )
    assert cash.balance == Decimal("50000.00") - spent
    assert Posting.objects.filter(account=cash.account).aggregate(t=Sum("amount"))["t"] == (
        cash.balance
    )
    # Each posting saw the balance the one before it left: a chain with no gaps.
    running = sorted(
        Posting.objects.filter(account=cash.account).values_list("balance_after", flat=True)
    )
    assert len(set(running)) == WRITERS + 1
    assert running[0] == cash.balance
    assert services.balances_recompute() == []
