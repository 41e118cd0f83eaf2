from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("import/", views.case_import, name="import"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/screen/", views.case_screen, name="screen"),
    path("<uuid:case_id>/stage/", views.case_transition, name="transition"),
    path("<uuid:case_id>/outcome/", views.case_outcome, name="outcome"),
    path("<uuid:case_id>/assign/", views.case_assign, name="assign"),
    path("<uuid:case_id>/refer/", views.case_refer, name="refer"),
    path("<uuid:case_id>/reopen/", views.case_reopen, name="reopen"),
    path("<uuid:case_id>/restrict/", views.case_restrict, name="restrict"),
    path("<uuid:case_id>/people/new/", views.person_add, name="person_add"),
    path("<uuid:case_id>/people/<uuid:person_id>/", views.person_edit, name="person_edit"),
]
