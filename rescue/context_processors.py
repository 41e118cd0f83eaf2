"""Template context every page shares: the navigation this user's roles allow."""

from dataclasses import dataclass

from django.urls import reverse

from rescue.roles import Cap, can, roles_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    any_of: tuple[str, ...]  # capabilities; holding one shows the item


# Later apps add their entries here; an entry shows only to users holding one of its capabilities.
NAVIGATION: tuple[NavItem, ...] = (NavItem("Dashboard", "home", ()),)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "active": request.resolver_match and request.resolver_match.view_name == item.url_name,
        }
        for item in NAVIGATION
        if not item.any_of or any(can(user, cap) for cap in item.any_of)
    ]
    return {
        "nav_items": items,
        "user_roles": roles_of(user),
        "can_admin": can(user, Cap.MANAGE_USERS),
    }
