"""An entry in the main navigation; apps list theirs in `AppConfig.navigation`."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # Capabilities (rescue.roles.Cap); holding any one shows the entry. Empty: everyone.
    any_of: tuple[str, ...]
