"""GET /healthz: open to the load balancer, says whether the database answers, nothing more."""

from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_it_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_it_answers_503_when_the_database_does_not(client):
    with mock.patch("rescue.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


@pytest.mark.django_db
def test_it_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_static_files_are_served_without_sign_in(client):
    response = client.get("/static/vendor/bootstrap-5.3.9/bootstrap.min.css")
    assert response.status_code == 200
