"""Model permissions in the admin for holders of the MANAGE_USERS capability.

Roles are capability permissions (rescue/roles.py), not Django's per-model ones, so
an administrator would otherwise see an empty admin. This grants the admin model
permissions of the apps an administrator looks after (users and roles, two-factor
devices, lockouts, site settings) and nothing else: never a capability, and never
a model of the cases or funds apps, whose writes go through their services.
"""

from django.contrib.auth.backends import BaseBackend

from rescue.roles import Cap, can

ADMINISTERED_APPS = frozenset({"auth", "axes", "otp_totp", "rescue"})
_MODEL_ACTIONS = ("add_", "change_", "delete_", "view_")


class AdministrationBackend(BaseBackend):
    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        app_label, _, codename = perm.partition(".")
        if app_label not in ADMINISTERED_APPS or codename in Cap.values:
            return False
        return codename.startswith(_MODEL_ACTIONS) and can(user_obj, Cap.MANAGE_USERS)

    def has_module_perms(self, user_obj, app_label):
        return app_label in ADMINISTERED_APPS and can(user_obj, Cap.MANAGE_USERS)
