"""Every write to the ledger: the treasurer's forms become balanced postings here.

Each write runs in one transaction that first locks the fund rows it touches (the rescue
reserve always, so that readiness is checked and changed by one writer at a time), then
writes the entry, its postings and the account balances together, then checks the
reserve against its minimum; a refused write rolls back whole. E-mail about a downward
crossing of a threshold is sent after the transaction commits.
"""

from funds.services._core import ReserveBelowMinimum
from funds.services.commitments import (
    commitment_create,
    commitment_estimate,
    commitment_release,
    commitment_restore,
)
from funds.services.erasure import entry_text_erase, ledger_text_erase_for_cases
from funds.services.ledger import (
    BalanceDifference,
    balances_recompute,
    donation_record,
    entry_reverse,
    exchange_record,
    expense_record,
    rate_record,
    transfer_record,
)

__all__ = [
    "BalanceDifference",
    "ReserveBelowMinimum",
    "balances_recompute",
    "commitment_create",
    "commitment_estimate",
    "commitment_release",
    "commitment_restore",
    "donation_record",
    "entry_reverse",
    "entry_text_erase",
    "exchange_record",
    "expense_record",
    "ledger_text_erase_for_cases",
    "rate_record",
    "transfer_record",
]
