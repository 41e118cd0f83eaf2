"""The readiness banner every page shows to those who may see the reserve."""

from funds import selectors
from rescue.roles import Cap, can

TEMPLATE = "funds/_readiness_banner.html"


def readiness(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    full = can(user, Cap.VIEW_READINESS)
    if not (full or can(user, Cap.VIEW_READINESS_BAND)):
        return {}
    state = selectors.readiness()
    banner = {"template": TEMPLATE, "band": state.band, "full": full}
    if full:
        banner.update(
            available=state.available,
            shortfall=state.shortfall_to_target,
            rescues=state.rescues_fundable_now,
            minimum=state.minimum,
            target=state.target,
        )
    return {"readiness_banner": banner}
