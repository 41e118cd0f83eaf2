"""The app's URLs plus Django's stock admin changelist over the same cases, as the reference
the case list is measured against. Only the benchmark mounts it: the app's own admin never
lists cases (they hold identifying fields)."""

from django.contrib import admin
from django.urls import path

from cases.models import Case
from rescue.urls import urlpatterns as app_urlpatterns

REFERENCE_URL = "bench-reference-admin/"


class ReferenceSite(admin.AdminSite):
    site_url = None

    def has_permission(self, request):
        return request.user.is_active and request.user.is_staff


class CaseReference(admin.ModelAdmin):
    list_display = ("reference", "received_on", "stage", "household", "urgency")
    list_per_page = 25

    def has_view_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


site = ReferenceSite(name="bench_reference")
site.register(Case, CaseReference)

urlpatterns = [path(REFERENCE_URL, site.urls), *app_urlpatterns]
