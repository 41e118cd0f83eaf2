"""Recording who looked at or did what; nothing identifying about a person in a case."""

import ipaddress
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

from rescue.crypto import username_hash
from rescue.models import AccessLog

if TYPE_CHECKING:
    from rescue.roles import Actor


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address of whoever sent the request, for the access log and the lockout.

    Behind the TLS proxy, REMOTE_ADDR is the proxy itself. X-Forwarded-For is read only
    when the request came from an address in TRUSTED_PROXIES, and then from the right:
    the first address that is not one of our proxies is the client (anything further left
    is whatever the client chose to send).
    """
    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    trusted = set(settings.TRUSTED_PROXIES)
    if remote is None or remote not in trusted:
        return remote
    forwarded = request.headers.get("x-forwarded-for", "")
    for hop in reversed(forwarded.split(",")):
        address = _ip(hop)
        if address is None:
            return remote
        if address not in trusted:
            return address
    return remote


def access_record(
    *,
    request: HttpRequest | None,
    user: "Actor | None",
    action: str,
    target: str = "",
    detail: str = "",
    username_tried: str = "",
) -> AccessLog:
    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        target=target[:64],
        detail=detail[:255],
        # Never the typed text itself (it may be a password): its keyed hash.
        username_tried=username_hash(username_tried),
        ip_address=client_ip(request) if request is not None else None,
    )
