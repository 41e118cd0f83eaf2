from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rescue import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("cases/", include("cases.urls")),
    path("funds/", include("funds.urls")),
    path("reports/", include("rescue.reports.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "rescue.errors.bad_request"
handler403 = "rescue.errors.permission_denied"
handler404 = "rescue.errors.page_not_found"
handler500 = "rescue.errors.server_error"
