"""Sign-in lockout: django-axes' database handler plus a limit per address alone.

django-axes counts failures per username and per address-and-browser
(`AXES_LOCKOUT_PARAMETERS`), against one limit (`AXES_FAILURE_LIMIT`). The second
group lets one machine spray guesses at many usernames by changing its User-Agent
each time; counting per address alone, at the same low limit, would lock a whole
office behind one address. So an address is also locked after
`AXES_ADDRESS_FAILURE_LIMIT` failures within the cool-off, whatever the usernames and
browsers: a higher threshold, counted from axes' own rows.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(ip_address: str | None) -> int:
    """Failed sign-ins from the address within the cool-off, over all usernames and browsers."""
    if not ip_address:
        return 0
    total = AccessAttempt.objects.filter(ip_address=ip_address).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


class AddressLimitHandler(AxesDatabaseHandler):
    """Axes' database handler, also locking an address after its own, higher, limit.

    Axes decides from `get_failures` both whether a sign-in is refused and whether a
    failure locks (and sends `user_locked_out`, which the access log records), so an
    address over its limit counts as at the lockout limit there.
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        ip_address = getattr(request, "axes_ip_address", None)
        if address_failures(ip_address) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
