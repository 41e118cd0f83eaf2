from django.urls import path

from rescue.reports import views

app_name = "reports"

urlpatterns = [
    path("annual/", views.annual, name="annual"),
    path("annual.csv", views.annual_csv, name="annual_csv"),
    path("annual.xlsx", views.annual_xlsx, name="annual_xlsx"),
    path("annual.json", views.annual_json, name="annual_json"),
    path("cases/", views.case_export, name="case_export"),
    path("cases.csv", views.cases_csv, name="cases_csv"),
    path("cases.xlsx", views.cases_xlsx, name="cases_xlsx"),
]
