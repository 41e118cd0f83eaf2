"""Re-authentication (password and a second-factor code) before a sensitive action.

Wrap a view that changes roles, exports identifying data, overrides the reserve
minimum or rotates keys:

    from rescue.reauth import require_recent_reauth

    @require_recent_reauth
    def export_people(request): ...

    @require_recent_reauth(max_age=120)
    def override_minimum(request, commitment_id): ...

A user who has not re-authenticated within `max_age` seconds (default
`settings.REAUTH_MAX_AGE`) is sent to the re-authentication page and comes back
to the same URL with a GET afterwards (a POST body is never replayed). Class-based
views: `method_decorator(require_recent_reauth, name="dispatch")`. Anything else
(an admin method, a service): `has_recent_reauth(request)` and
`reauth_redirect(request)`.
"""

import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

REAUTH_SESSION_KEY = "rescue_reauth_at"


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[REAUTH_SESSION_KEY] = time.time()


def has_recent_reauth(request: HttpRequest, max_age: int | None = None) -> bool:
    max_age = settings.REAUTH_MAX_AGE if max_age is None else max_age
    at = request.session.get(REAUTH_SESSION_KEY)
    return isinstance(at, int | float) and 0 <= time.time() - at <= max_age


def reauth_redirect(request: HttpRequest) -> HttpResponseRedirect:
    # The path only: a query string could hold a search term, and ids in paths are UUIDs.
    return HttpResponseRedirect(reverse("reauthenticate") + "?" + urlencode({"next": request.path}))


def require_recent_reauth(view: Callable | None = None, *, max_age: int | None = None):
    def decorator(view_func: Callable) -> Callable:
        @wraps(view_func)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not has_recent_reauth(request, max_age):
                return reauth_redirect(request)
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator(view) if view is not None else decorator
