from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cases import history
from rescue import accounts, audit_views, views
from rescue.reports import views as reports

urlpatterns = [
    path("", reports.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/logout/", accounts.SignOutView.as_view(), name="logout"),
    path("accounts/two-factor/", accounts.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/enrol/", accounts.two_factor_enrol, name="two_factor_enrol"),
    path("accounts/two-factor/settings/", accounts.two_factor_settings, name="two_factor_settings"),
    path(
        "accounts/two-factor/recovery-codes/",
        accounts.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("accounts/reauthenticate/", accounts.reauthenticate, name="reauthenticate"),
    path(
        "accounts/password/",
        accounts.PasswordChangeWithCodeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("audit/access-log/", audit_views.access_log, name="access_log"),
    path("audit/cases/<uuid:case_id>/history/", history.case_history, name="case_history"),
    path("cases/", include("cases.urls")),
    path("funds/", include("funds.urls")),
    path("reports/", include("rescue.reports.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "rescue.errors.bad_request"
handler403 = "rescue.errors.permission_denied"
handler404 = "rescue.errors.page_not_found"
handler500 = "rescue.errors.server_error"
