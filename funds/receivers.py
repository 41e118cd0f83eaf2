"""What the fund does when the cases app says a case closed or reopened."""

from typing import TYPE_CHECKING

from funds import services

if TYPE_CHECKING:
    from rescue.roles import User


def release_on_close(sender, *, case, by: "User", **kwargs) -> None:
    services.commitment_release(case=case, by=by)


def restore_on_reopen(sender, *, case, by: "User", **kwargs) -> None:
    services.commitment_restore(case=case, by=by)
