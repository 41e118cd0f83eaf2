"""An entry in the main navigation; apps list theirs in `AppConfig.navigation`."""

from dataclasses import dataclass

from rescue.roles import Need


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # What shows the entry (a capability or a predicate of rescue.roles). None: everyone.
    need: Need | None
    # Where it stands in the menu, lowest first: the dashboard 0, cases 10s, the fund 20s,
    # reports 30s, accountability 40s; whatever the order of INSTALLED_APPS.
    order: int
