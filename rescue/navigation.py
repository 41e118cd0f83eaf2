"""An entry in the main navigation; apps list theirs in `AppConfig.navigation`."""

from dataclasses import dataclass

from rescue.roles import Need


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # What shows the entry (a capability or a predicate of rescue.roles). None: everyone.
    need: Need | None
