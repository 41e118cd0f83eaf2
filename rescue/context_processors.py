"""Template context every page shares: the navigation this user's roles allow."""

from functools import cache

from django.apps import apps
from django.urls import reverse

from rescue.navigation import NavItem
from rescue.roles import Cap, can, roles_of

HOME = NavItem("Dashboard", "home", None, order=0)


@cache
def _navigation() -> tuple[NavItem, ...]:
    # Each app's AppConfig lists its own entries in `navigation`, so rescue needs no
    # edit when an app adds a page.
    items = [HOME]
    for config in apps.get_app_configs():
        items.extend(getattr(config, "navigation", ()))
    return tuple(sorted(items, key=lambda item: item.order))


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = request.resolver_match.view_name if request.resolver_match else None
    items = [
        {"label": item.label, "url": reverse(item.url_name), "active": current == item.url_name}
        for item in _navigation()
        if item.need is None or can(user, item.need)
    ]
    return {
        "nav_items": items,
        "user_roles": roles_of(user),
        "can_admin": can(user, Cap.MANAGE_USERS),
    }


def two_factor(request):
    """Whether two-factor sign-in is relaxed (development only): base.html shows a banner."""
    from django.conf import settings

    return {"two_factor_relaxed": not settings.OTP_REQUIRED}
