"""The Django admin's app config, pointing at the project's own admin site."""

from django.contrib.admin.apps import AdminConfig


class RescueAdminConfig(AdminConfig):
    """The Django admin, with a site that only two-factor-verified administrators reach."""

    default_site = "rescue.admin_site.RescueAdminSite"
