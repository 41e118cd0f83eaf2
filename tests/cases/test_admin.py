"""Administrators manage the lookup lists; nothing holding identifying data is in the admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from cases.models import ContactChannel, PartnerOrganisation, Province
from tests.signin import reauthenticate


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Province, PartnerOrganisation, ContactChannel])
def test_an_administrator_manages_each_lookup_list(client_for, admin_user, model):
    url = reverse(f"admin:cases_{model._meta.model_name}_changelist")
    assert client_for(admin_user).get(url).status_code == 200


def test_no_model_with_identifying_fields_is_registered():
    registered = [m for m in admin.site._registry if m._meta.app_label == "cases"]
    assert registered
    assert all(not getattr(m, "IDENTIFYING_FIELDS", ()) for m in registered)


@pytest.mark.django_db
def test_an_administrator_adds_a_partner_ngo(client_for, admin_user):
    url = reverse("admin:cases_partnerorganisation_add")
    client = reauthenticate(client_for(admin_user), admin_user)  # every admin write asks
    response = client.post(url, {"name": "Fictional New Partner", "is_active": "on"})
    assert response.status_code == 302
    assert PartnerOrganisation.objects.filter(name="Fictional New Partner").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "treasurer", "intake"])
def test_other_staff_cannot_reach_the_lookup_lists(client_for, personas, persona):
    user = personas[persona]
    user.is_staff = True  # even a staff flag set by mistake does not open them
    user.save()
    url = reverse("admin:cases_province_changelist")
    assert client_for(user).get(url).status_code == 403
