"""Recording who looked at or did what; nothing identifying about a person in a case."""

from django.http import HttpRequest

from rescue.models import AccessLog


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: the TLS proxy in front is the one to set it right (see README),
    # and a forwarded-for header is whatever the client chose to send.
    return request.META.get("REMOTE_ADDR") or None


def access_record(
    *,
    request: HttpRequest | None,
    user,
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
        username_tried=username_tried[:150],
        ip_address=client_ip(request) if request is not None else None,
    )
