"""What the fund does when the cases app says a case closed or reopened."""

from funds import services


def release_on_close(sender, *, case, by, **kwargs) -> None:
    services.commitment_release(case=case, by=by)


def restore_on_reopen(sender, *, case, by, **kwargs) -> None:
    services.commitment_restore(case=case, by=by)
